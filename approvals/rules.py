"""Who may do what to which object (django-rules predicates).

Transitions name these rules in their `permission=`; views test the `view_*`
rules and scope their querysets with `visible_to`. Staff see their
jurisdiction (city-level staff see all); applicants see their enterprise.
"""

import rules

from portal.models import Role


@rules.predicate
def has_object(user, obj):
    """Admin asks permissions without an object; our rules are per object."""
    return obj is not None


def _membership(user):
    return getattr(user, "staff_membership", None)


@rules.predicate
def is_enterprise_member(user, application):
    return bool(user.enterprise_id) and user.enterprise_id == application.project.enterprise_id


@rules.predicate
def is_delegated_agent(user, application):
    """全程代办: the agent of an active delegation of the project."""
    return (
        user.role == Role.AGENT
        and application.project.delegations.filter(agent=user, revoked_at__isnull=True).exists()
    )


@rules.predicate
def is_clerk_for(user, application):
    membership = _membership(user)
    return (
        user.role == Role.CLERK
        and membership is not None
        and membership.sees_jurisdiction(application.project.jurisdiction_id)
    )


@rules.predicate
def is_reviewer_for(user, task):
    membership = _membership(user)
    return (
        user.role == Role.REVIEWER
        and membership is not None
        and membership.department_id == task.department_id
        and membership.sees_jurisdiction(task.jurisdiction_id)
    )


@rules.predicate
def is_supervisor_for(user, application):
    membership = _membership(user)
    return (
        user.role == Role.SUPERVISOR
        and membership is not None
        and membership.sees_jurisdiction(application.project.jurisdiction_id)
    )


@rules.predicate
def is_intake_clerk(user, application):
    """窗口收件: the clerk who takes a walk-in application fills it in for
    the visitor, in the clerk's jurisdiction."""
    return application.source == "window" and is_clerk_for(user, application)


@rules.predicate
def reviews_application(user, application):
    return any(is_reviewer_for(user, task) for task in application.tasks.all())


rules.add_rule("submit_application", is_enterprise_member | is_delegated_agent | is_intake_clerk)
rules.add_rule("accept_application", is_clerk_for)
rules.add_rule("choose_delivery", is_enterprise_member | is_delegated_agent)
rules.add_rule("decide_task", is_reviewer_for)


@rules.predicate
def is_task_applicant(user, task):
    return is_enterprise_member(user, task.application) or is_delegated_agent(
        user, task.application
    )


rules.add_rule("answer_supplement", is_task_applicant)
rules.add_rule("suspend_application", is_clerk_for | reviews_application)
rules.add_perm(
    "approvals.view_application",
    has_object
    & (
        is_enterprise_member
        | is_delegated_agent
        | is_clerk_for
        | is_supervisor_for
        | reviews_application
    ),
)
rules.add_perm(
    "approvals.edit_application",
    has_object & (is_enterprise_member | is_delegated_agent | is_intake_clerk),
)


def transition_permission(rule_name):
    """django-fsm calls permission(instance, user); rules take (user, obj)."""

    def check(instance, user):
        return rules.test_rule(rule_name, user, instance)

    check.__name__ = f"may_{rule_name}"
    return check

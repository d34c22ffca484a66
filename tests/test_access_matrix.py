"""The access matrix (issue #4): every page that names an object, asked for
by everyone who must not reach it, finds nothing and changes nothing.

The routes come from the URL resolver, so the matrix cannot go stale: a new
URL that names an object fails `test_every_object_route_is_mapped`, naming
the route, until its keyword arguments map to one of the victim's objects
here (or it is public by design and listed in ALLOWED_PUBLIC with why).

Two worlds are built once for the module with the real services: the victim
(an enterprise in 屯溪区 with a project at every stage and everything that
hangs off it) and an outsider built the same way in 黄山区. The outsider's
people are the attackers; their own objects serve the "mixed parent" attack
(their application with the victim's material). Each test runs in a
savepoint inside the module's transaction, so a leak one test provokes
cannot hide another.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from approvals import services
from approvals.models import (
    Application,
    Certificate,
    Material,
    Notice,
    ReviewTask,
    Suspension,
    TransitionLog,
)
from approvals.models.delegation import Delegation
from approvals.models.intermediary import IntermediaryEngagement, IntermediaryService, ServiceType
from approvals.models.joint import JointMinutes, JointRevisionFile, JointSession
from approvals.services import clock, intermediary, joint
from approvals.services.delegation import request_agent
from approvals.tasks import render_certificate, render_joint_minutes, render_notice
from portal import membership
from portal.models import Invitation, Role, User
from queueing import services as queue
from queueing.models import Ticket, Window
from stages.models import Jurisdiction, Stage
from supervision import reports
from supervision.exports import BUILDERS
from supervision.models import Escalation
from supervision.periods import Period

from .conftest import MINIMAL_PDF
from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    EnterpriseFactory,
    ProjectFactory,
    complete_draft,
    load_catalog,
    staff,
)
from .test_delegation import agent_in

VICTIM_DISTRICT = "341002"  # 屯溪区
OUTSIDER_DISTRICT = "341003"  # 黄山区

# Not walked here: Django admin checks its own permissions, and the API has
# its own matrix (tests/test_api*.py).
EXCLUDED_PREFIXES = ("admin/", "api/")

# Public by design: who may open them is decided by what the address holds.
ALLOWED_PUBLIC = {
    "guide_detail": "办事指南 are published for everyone; a stage code names nothing private",
    "guide_pdf": "the printable 办事指南, public like the page",
    "material_template": "blank material templates of a public guide",
    "verify": "the certificate number printed on the paper is the credential; the page "
    "shows only what the paper shows",
    "invitation_accept": "the signed, expiring token mailed to the invitee is the credential; "
    "the invitee has no account yet",
    "queueing:kiosk": "the hall's kiosk, where visitors without an account take a number",
    "queueing:ticket": "the printed ticket's signed token is the credential",
    "queueing:display": "the hall's public display of who is called where",
    "queueing:display_json": "the data of the hall's public display",
}

# Keyword arguments that choose a format or an action, not an object.
SELECTORS = {"fmt": "csv", "action": "finish", "key": "projects"}

# The object each keyword argument names, by the longest route prefix.
OBJECTS = {
    ("enterprise/members/", "pk"): "member",
    ("enterprise/invitations/", "pk"): "invitation",
    ("projects/", "pk"): "project",
    ("projects/", "project_pk"): "project",
    ("projects/", "delegation_pk"): "delegation",
    ("projects/", "engagement_pk"): "engagement",
    ("applications/", "pk"): "draft",
    ("applications/", "material_pk"): "material",
    ("applications/", "certificate_pk"): "certificate",
    ("applications/", "notice_pk"): "notice",
    ("applications/", "task_pk"): "supplement_task",
    ("applications/", "session_pk"): "session",
    ("applications/", "minutes_pk"): "minutes",
    ("staff/applications/", "pk"): "submitted",
    ("staff/tasks/", "pk"): "task",
    ("staff/suspensions/", "pk"): "suspension",
    ("staff/walk-in/", "enterprise_pk"): "enterprise",
    ("staff/joint/schedule/", "application_pk"): "in_review",
    ("staff/joint/", "pk"): "session",
    ("staff/joint/", "minutes_pk"): "minutes",
    ("staff/joint/", "file_pk"): "revision_file",
    ("staff/supervision/tasks/", "pk"): "task",
    ("staff/supervision/escalations/", "pk"): "escalation",
    ("staff/supervision/reports/", "pk"): "report",
    ("queue/desk/tickets/", "pk"): "ticket",
}

# Whose page it is (the positive control: they get past the object check).
RIGHTFUL = {
    "enterprise/": "admin",
    "projects/": "admin",
    "applications/": "admin",
    "staff/applications/": "clerk",
    "staff/walk-in/": "clerk",
    "staff/tasks/": "housing",
    "staff/suspensions/": "housing",
    "staff/joint/": "housing",
    "staff/supervision/": "supervisor",
    "queue/desk/": "clerk",
}
STAFF_PREFIXES = ("staff/", "queue/desk/")

# 无差别全科受理: any clerk registers a walk-in for any enterprise; the page
# must still show none of its projects outside the clerk's jurisdiction.
OPEN_TO_ANY_CLERK = {"walk_in_project"}

# One form body for every POST: what the views read, filled validly, so a
# view that forgot its object check would act on it.
POST_BODY = {
    "reason": "越权测试",
    "legal_basis": "越权测试",
    "comment": "越权测试",
    "answer": "越权测试",
    "request": "越权测试",
    "note": "越权测试",
    "opinion": "越权测试",
    "text": "越权测试",
    "consolidated_opinion": "越权测试",
    "need": "越权测试",
    "kind": "expert_review",
    "expected_working_days": "5",
    "decision": "approve",
    "result": "pass",
    "rating": "5",
    "place": "会审室",
    "method": "pickup",
    "address": "屯溪区黎阳路1号",
    "delivery_method": "pickup",
    "commitment": "越权测试",
    "committed_by": "越权测试",
    "supply_days": "5",
    "email": "intruder@example.cn",
    "service_type": "surveying",
}


# --- Routes ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    kwargs: tuple  # in the order they appear in the pattern

    @property
    def object_kwargs(self):
        return tuple(k for k in self.kwargs if k not in SELECTORS)

    @property
    def staff_side(self):
        return self.pattern.startswith(STAFF_PREFIXES)

    def __str__(self):
        return self.name


def _walk(patterns, prefix="", namespace="", converters=None):
    """Every pattern with its full route, namespaced name and converters
    (those of the includes above it too)."""
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        found = {**(converters or {}), **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _walk(entry.url_patterns, pattern, inner, found)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(name or "", pattern, tuple(found)), found


def all_routes():
    return [
        (route, converters)
        for route, converters in _walk(get_resolver().url_patterns)
        if not route.pattern.startswith(EXCLUDED_PREFIXES)
    ]


ROUTES = [route for route, _converters in all_routes()]
OBJECT_ROUTES = [r for r in ROUTES if r.name and r.object_kwargs and r.name not in ALLOWED_PUBLIC]
MIXED_ROUTES = [r for r in OBJECT_ROUTES if len(r.object_kwargs) > 1]


def _longest(prefixes, pattern):
    matching = [p for p in prefixes if pattern.startswith(p)]
    return max(matching, key=len) if matching else None


def object_key(route, kwarg):
    prefix = _longest({p for p, k in OBJECTS if k == kwarg}, route.pattern)
    return OBJECTS.get((prefix, kwarg))


def rightful_role(route):
    return RIGHTFUL.get(_longest(RIGHTFUL, route.pattern))


# --- The two worlds -------------------------------------------------------


@dataclass
class World:
    people: dict
    objects: dict
    # child key → {kind of parent: key of the parent it hangs from}
    parents: dict = field(default_factory=dict)
    secrets: list = field(default_factory=list)

    def kwargs(self, route):
        """The route's keyword arguments naming this world's objects; a
        parent (the application of a material…) is the child's own."""
        keys = {k: object_key(route, k) for k in route.object_kwargs}
        leaf = keys[route.object_kwargs[-1]]
        for kwarg in route.object_kwargs[:-1]:
            kind = KINDS[keys[kwarg]]
            keys[kwarg] = self.parents[leaf][kind]
        values = {k: self.objects[key].pk for k, key in keys.items()}
        values.update({k: SELECTORS[k] for k in route.kwargs if k in SELECTORS})
        return values


KINDS = {
    "draft": "application",
    "in_review": "application",
    "submitted": "application",
    "project": "project",
    "session": "session",
}


def _reviewer_pool(district):
    pool = {}

    def reviewer(department_code):
        if department_code not in pool:
            pool[department_code] = staff(Role.REVIEWER, district, department_code)
        return pool[department_code]

    return reviewer


def _stage(number):
    return Stage.objects.get(number=number)


def _task(application, matter_code):
    return ReviewTask.objects.get(application=application, matter__code=matter_code)


def build_world(district, label, serial):
    """Everything an enterprise and its staff make, through the services."""
    jurisdiction = Jurisdiction.objects.get(code=district)
    enterprise = EnterpriseFactory(name=f"{label}建设有限公司")
    admin = ApplicantFactory(enterprise=enterprise, is_enterprise_admin=True)
    member = ApplicantFactory(enterprise=enterprise)
    invitation, _sent = membership.invite(admin, f"invitee-{district}@example.cn")
    clerk = staff(Role.CLERK, district, "data")
    supervisor = staff(Role.SUPERVISOR, district)
    reviewer = _reviewer_pool(district)
    housing = reviewer("housing")
    agent = agent_in(district)
    project = ProjectFactory(
        enterprise=enterprise,
        created_by=admin,
        jurisdiction=jurisdiction,
        code=f"2105-{district}-47-01-{serial:06d}",
        name=f"{label}综合楼工程",
    )
    delegation = request_agent(project.pk, admin)
    surveyor = IntermediaryService.objects.filter(service_type=ServiceType.SURVEYING).first()
    engagement = intermediary.pick(
        project.pk, admin, ServiceType.SURVEYING, surveyor.intermediary_id, "用地勘测定界"
    )

    def application(stage_number, submit=True):
        draft = ApplicationFactory(project=project, stage=_stage(stage_number), created_by=admin)
        complete_draft(draft, MINIMAL_PDF)
        if submit:
            services.submit_application(draft.pk, admin)
        return Application.objects.get(pk=draft.pk)

    # Stage 1 all the way to its certificates.
    issued = application(1)
    services.accept_application(issued.pk, clerk)
    for task in ReviewTask.objects.filter(application=issued).select_related("department"):
        services.claim_task(task.pk, reviewer(task.department.code))
        services.approve_task(task.pk, reviewer(task.department.code), "同意。")
    for pk in Certificate.objects.filter(application=issued).values_list("pk", flat=True):
        render_certificate(pk)
    certificate = Certificate.objects.filter(application=issued, rendered_at__isnull=False).first()

    # Stage 3 in review: a 联合图审 waiting on revised drawings, a task
    # waiting on a supplement, a suspended task and a 督办.
    in_review = application(3)
    services.accept_application(in_review.pk, clerk)
    notice = Notice.objects.get(application=in_review, kind=Notice.Kind.ACCEPTANCE)
    render_notice(notice.pk)
    session = joint.schedule(
        in_review.pk, housing, timezone.now() + datetime.timedelta(days=1), "政务服务中心会审室"
    )
    joint.record_opinion(session.pk, housing, "pass_with_conditions", "楼梯间宽度不足")
    joint.close_round(session.pk, housing, "revise", "楼梯间加宽")
    minutes = JointMinutes.objects.get(round__session=session)
    render_joint_minutes(minutes.pk)
    joint.submit_revision(
        session.pk, admin, [SimpleUploadedFile("修改后施工图.pdf", MINIMAL_PDF)], "已按意见修改"
    )
    supplement_task = _task(in_review, "water-connection")
    services.claim_task(supplement_task.pk, reviewer("water-supply"))
    clock.request_supplement(supplement_task.pk, reviewer("water-supply"), "请补充供水设计图")
    suspended_task = _task(in_review, "quality-safety")
    services.claim_task(suspended_task.pk, housing)
    suspension = clock.suspend(
        in_review.pk, housing, "expert_review", "组织专家评审", 5, task_id=suspended_task.pk
    )
    task = _task(in_review, "construction-permit")
    escalation = Escalation.objects.create(
        task=task,
        note="请加快办理",
        new_deadline=timezone.localdate() + datetime.timedelta(days=10),
        created_by=supervisor,
    )

    draft = application(2, submit=False)
    submitted = application(4)

    today = timezone.localdate()
    report, _created = reports.request_report("daily", Period(today, today), jurisdiction)
    reports.generate(report.pk)

    ticket = None
    window = Window.objects.filter(jurisdiction=jurisdiction, active=True).first()
    if window is not None:
        queue.take_ticket(window.service_types.filter(active=True).first())
        ticket = queue.call_next(clerk, window)

    objects = {
        "enterprise": enterprise,
        "member": member,
        "invitation": invitation,
        "project": project,
        "delegation": delegation,
        "engagement": engagement,
        "draft": draft,
        "in_review": in_review,
        "submitted": submitted,
        "issued": issued,
        "material": draft.materials.first(),
        "certificate": certificate,
        "notice": notice,
        "supplement_task": supplement_task,
        "task": task,
        "suspension": suspension,
        "session": session,
        "minutes": minutes,
        "revision_file": JointRevisionFile.objects.get(round__session=session),
        "escalation": escalation,
        "report": report,
        "ticket": ticket,
    }
    parents = {
        "delegation": {"project": "project"},
        "engagement": {"project": "project"},
        "material": {"application": "draft"},
        "certificate": {"application": "issued"},
        "notice": {"application": "in_review"},
        "supplement_task": {"application": "in_review"},
        "session": {"application": "in_review"},
        "minutes": {"application": "in_review", "session": "session"},
        "revision_file": {"session": "session"},
    }
    people = {
        "admin": admin,
        "member": member,
        "agent": agent,
        "clerk": clerk,
        "supervisor": supervisor,
        "housing": housing,
    }
    numbers = [a.number for a in (issued, in_review, submitted)]
    secrets = [project.name, project.code, certificate.number, *numbers]
    return World(people, objects, parents, secrets)


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, inside a transaction rolled back after the module; each
    test's own transaction is a savepoint inside it."""
    media = tmp_path_factory.mktemp("access-matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        load_catalog()
        call_command("loaddata", "intermediaries", "queueing", verbosity=0)
        victim = build_world(VICTIM_DISTRICT, "越权矩阵受害方", 900001)
        outsider = build_world(OUTSIDER_DISTRICT, "越权矩阵对照方", 900002)
        yield victim, outsider
        transaction.set_rollback(True)


@pytest.fixture
def victim(worlds, db):
    return worlds[0]


@pytest.fixture
def outsider(worlds, db):
    return worlds[1]


@pytest.fixture
def attackers(victim, outsider):
    """Everyone who must not reach the victim's objects, by name."""
    return {
        "another enterprise's administrator": outsider.people["admin"],
        "an agent not delegated to the project": outsider.people["agent"],
        "a clerk of another district": outsider.people["clerk"],
        "a reviewer of the same department in another district": outsider.people["housing"],
        "a city reviewer of a department with no task here": staff(
            Role.REVIEWER, "341000", "civil-defense"
        ),
        "a supervisor of another district": outsider.people["supervisor"],
    }


def staff_attackers(attackers, victim):
    """On back-office pages the victim's own applicant and agent are outsiders too."""
    return {
        **attackers,
        "the applicant of the application": victim.people["admin"],
        "the agent delegated to the project": victim.people["agent"],
    }


# --- What must not change -------------------------------------------------


def snapshot(world):
    """Every row an action on the victim's objects would touch."""
    o = world.objects
    applications = [o[k].pk for k in ("draft", "in_review", "submitted", "issued")]
    return {
        "applications": list(
            Application.objects.filter(pk__in=applications)
            .order_by("pk")
            .values_list("pk", "state", "form_data", "situation_answers", "delivery_method")
        ),
        "applications of the project": Application.objects.filter(project=o["project"]).count(),
        "projects of the enterprise": o["enterprise"].projects.count(),
        "history": TransitionLog.objects.filter(application_id__in=applications).count(),
        "materials": list(
            Material.objects.filter(application_id__in=applications)
            .order_by("pk")
            .values_list("pk", "sha256", "replaced_at")
        ),
        "tasks": list(
            ReviewTask.objects.filter(application_id__in=applications)
            .order_by("pk")
            .values_list("pk", "state", "reviewer", "due_on", "paused_since")
        ),
        "suspensions": list(
            Suspension.objects.filter(application_id__in=applications)
            .order_by("pk")
            .values_list("pk", "ended_on")
        ),
        "sessions": list(
            JointSession.objects.filter(application_id__in=applications)
            .order_by("pk")
            .values_list("pk", "state", "result")
        ),
        "joint rows": (
            JointMinutes.objects.filter(round__session=o["session"]).count(),
            JointRevisionFile.objects.filter(round__session=o["session"]).count(),
            o["session"].participants.count(),
            o["session"].rounds.count(),
        ),
        "certificates": list(
            Certificate.objects.filter(application_id__in=applications)
            .order_by("pk")
            .values_list("pk", "number", "sha256")
        ),
        "members": list(
            User.objects.filter(pk__in=[o["member"].pk, world.people["admin"].pk])
            .order_by("pk")
            .values_list("pk", "is_active", "enterprise", "is_enterprise_admin")
        ),
        "invitations": list(
            Invitation.objects.filter(enterprise=o["enterprise"])
            .order_by("pk")
            .values_list("pk", "revoked_at", "accepted_at", "sent_at")
        ),
        "delegations": list(
            Delegation.objects.filter(project=o["project"])
            .order_by("pk")
            .values_list("pk", "revoked_at")
        ),
        "engagements": list(
            IntermediaryEngagement.objects.filter(project=o["project"])
            .order_by("pk")
            .values_list("pk", "cancelled_at", "started_on", "finished_on", "rating")
        ),
        "escalations": list(
            Escalation.objects.filter(task__application_id__in=applications)
            .order_by("pk")
            .values_list("pk", "resolved_at")
        ),
        "ticket": list(Ticket.objects.filter(pk=o["ticket"].pk).values_list("state", "clerk")),
        "mail sent": len(mail.outbox),
    }


# --- Requests -------------------------------------------------------------


def post_body(world):
    """POST_BODY with the victim's ids where a view reads one from the form
    (the project of a walk-in, a material to reuse, a stage) and a fresh
    PDF for the views that take an upload."""
    o = world.objects
    today = timezone.localdate()
    return {
        **POST_BODY,
        "day": today.isoformat(),
        "new_deadline": (today + datetime.timedelta(days=10)).isoformat(),
        "scheduled_for": f"{today + datetime.timedelta(days=3)}T09:30",
        "project": o["project"].pk,
        "material": o["material"].pk,
        "stage": o["draft"].stage_id,
        "start-stage": o["draft"].stage_id,
        "task": o["task"].pk,
        "file": SimpleUploadedFile("越权.pdf", MINIMAL_PDF, "application/pdf"),
        "files": SimpleUploadedFile("越权图纸.pdf", MINIMAL_PDF, "application/pdf"),
    }


def request(client, user, method, url, world=None):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return client.post(url, post_body(world)) if method == "post" else client.get(url)


def served_methods(client, user, url):
    """The methods the route answers (a POST-only view says 405 to GET)."""
    response = request(client, user, "get", url)
    return ("post",) if response.status_code == 405 else ("get", "post")


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def leaked(response, world):
    text = body(response)
    return [secret for secret in world.secrets if secret in text]


# --- The matrix -----------------------------------------------------------


def test_every_object_route_is_mapped():
    """A new URL naming an object must say which object it names and whose
    page it is; otherwise nobody has checked who may open it."""
    unmapped = [
        f"{route.name} ({route.pattern}): no object for <{kwarg}>"
        for route in OBJECT_ROUTES
        for kwarg in route.object_kwargs
        if object_key(route, kwarg) is None
    ]
    unmapped += [
        f"{route.name} ({route.pattern}): nobody's page in RIGHTFUL"
        for route in OBJECT_ROUTES
        if rightful_role(route) is None
    ]
    unmapped += [
        f"{route.name} ({route.pattern}): <{kwarg}> is an object here; "
        "compare it as a number or list the route as public"
        for route, converters in all_routes()
        for kwarg, converter in converters.items()
        if kwarg not in SELECTORS
        and route.name not in ALLOWED_PUBLIC
        and not isinstance(converter, IntConverter)
    ]
    unmapped += [f"{route.pattern}: has no name to reverse" for route in ROUTES if not route.name]
    assert not unmapped, "Routes the access matrix does not cover:\n" + "\n".join(unmapped)
    assert set(ALLOWED_PUBLIC) <= {r.name for r in ROUTES}, "ALLOWED_PUBLIC names a lost route"


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_nobody_else_reaches_the_object(route, client, victim, attackers):
    url = reverse(route.name, kwargs=victim.kwargs(route))
    owner = victim.people[rightful_role(route)]
    methods = served_methods(client, owner, url)
    people = staff_attackers(attackers, victim) if route.staff_side else dict(attackers)
    if route.pattern.startswith("enterprise/"):
        people["a member of the enterprise who is not its administrator"] = victim.people["member"]
    before = snapshot(victim)
    for who, user in people.items():
        for method in methods:
            response = request(client, user, method, url, victim)
            if route.name in OPEN_TO_ANY_CLERK and user.role == Role.CLERK:
                assert response.status_code in (200, 302, 403, 404), (who, method)
            else:
                assert response.status_code in (403, 404), (who, method, response.status_code)
            assert not leaked(response, victim), (who, method, leaked(response, victim))
    for method in methods:
        response = request(client, None, method, url, victim)
        assert response.status_code == 302, ("anonymous", method, response.status_code)
        assert response.url.startswith(reverse("login")), ("anonymous", method, response.url)
    assert snapshot(victim) == before

    # The positive control: the mapping names the object its owner reaches.
    response = request(client, owner, methods[-1], url, victim)
    assert response.status_code not in (403, 404), (methods[-1], response.status_code)


@pytest.mark.parametrize("route", MIXED_ROUTES, ids=str)
def test_own_parent_does_not_open_the_victim_s_child(route, client, victim, outsider):
    """The outsider's own application (project, session) with the victim's
    material (delegation, minutes…) in the same address."""
    user = outsider.people[rightful_role(route)]
    own, theirs = outsider.kwargs(route), victim.kwargs(route)
    own_url = reverse(route.name, kwargs=own)
    methods = served_methods(client, user, own_url)
    before = snapshot(victim)
    for split in range(1, len(route.object_kwargs)):
        kept = route.object_kwargs[:split]
        mixed = {k: own[k] if k in kept else theirs[k] for k in own}
        url = reverse(route.name, kwargs=mixed)
        for method in methods:
            response = request(client, user, method, url, victim)
            assert response.status_code == 404, (kept, method, response.status_code)
    assert snapshot(victim) == before
    response = request(client, user, methods[-1], own_url, outsider)
    assert response.status_code not in (403, 404), (methods[-1], response.status_code)


# --- Lists and exports ----------------------------------------------------

# Pages without an object that hold nothing of anyone's, and why.
NOTHING_PRIVATE = {
    "healthz": "the service's own status (database, broker, worker); it waits on a worker ping",
}
LIST_ROUTES = [
    r
    for r in ROUTES
    if r.name
    and not r.object_kwargs
    and r.name not in ALLOWED_PUBLIC
    and r.name not in NOTHING_PRIVATE
]


def list_cases():
    """Every page without an object in its address, each supervision export
    on its own (CSV, so the text can be searched)."""
    for route in LIST_ROUTES:
        kwargs = {k: SELECTORS[k] for k in route.kwargs}
        if "key" in kwargs:
            for key in sorted(BUILDERS):
                yield pytest.param(route, {**kwargs, "key": key}, id=f"{route}[{key}]")
        else:
            yield pytest.param(route, kwargs, id=str(route))


# Who among the victim's people sees the victim on the page (the positive
# control: the page does show the victim to someone, so its absence means
# something); by route name, or name[export key].
LIST_VIEWERS = {
    "project_list": "admin",
    "notifications": "admin",
    "clerk_inbox": "clerk",
    "clerk_inbox_export": "clerk",
    "reviewer_inbox": "housing",
    "joint_session_list": "housing",
    "supervision:dashboard": "supervisor",
    "supervision:export[escalations]": "supervisor",
}


@pytest.mark.parametrize(("route", "kwargs"), list(list_cases()))
def test_lists_and_exports_show_nothing_of_the_victim(route, kwargs, client, victim, attackers):
    url = reverse(route.name, kwargs=kwargs)
    for who, user in [*attackers.items(), ("anonymous", None)]:
        response = request(client, user, "get", url)
        assert not leaked(response, victim), (who, response.status_code, leaked(response, victim))
    viewer = LIST_VIEWERS.get(f"{route}[{kwargs['key']}]" if "key" in kwargs else str(route))
    if viewer is not None:
        response = request(client, victim.people[viewer], "get", url)
        assert response.status_code == 200 and leaked(response, victim), viewer

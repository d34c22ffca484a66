"""Who sees which rows — one rule for projects and applications: an
enterprise's users and its active agents see its own; staff see their
jurisdiction (city level: all). Pages, the API and exports all scope
through the `visible_to` querysets built on this."""


def scoped_to(queryset, user, project_path=""):
    """`project_path` leads from the queryset's model to its Project
    ("" for projects, "project" for applications); both models carry their
    own `jurisdiction`."""
    prefix = f"{project_path}__" if project_path else ""
    if not user.is_authenticated:
        return queryset.none()
    if user.enterprise_id:
        return queryset.filter(**{f"{prefix}enterprise_id": user.enterprise_id})
    if user.role == "agent":
        return queryset.filter(
            **{
                f"{prefix}delegations__agent": user,
                f"{prefix}delegations__revoked_at__isnull": True,
            }
        ).distinct()
    membership = getattr(user, "staff_membership", None)
    if membership is None:
        return queryset.none()
    if not membership.jurisdiction.is_city:
        queryset = queryset.filter(jurisdiction_id=membership.jurisdiction_id)
    return queryset

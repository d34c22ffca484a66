"""Whose data a figure covers (市、县(区)一体化): a district or county
supervisor sees its own jurisdiction, a city-level one sees all of them
and may narrow to one. Reports carry the same scope as their jurisdiction."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Scope:
    jurisdiction_id: int | None  # None: every jurisdiction
    label: str

    @classmethod
    def of_jurisdiction(cls, jurisdiction):
        if jurisdiction.is_city:
            return cls(None, _("全市"))
        return cls(jurisdiction.pk, jurisdiction.name)

    @classmethod
    def for_user(cls, user, narrowed_to=None):
        """`narrowed_to`: a jurisdiction a city-level user picked."""
        home = user.staff_membership.jurisdiction
        if home.is_city and narrowed_to is not None and not narrowed_to.is_city:
            return cls.of_jurisdiction(narrowed_to)
        return cls.of_jurisdiction(home)

    def applications(self, queryset):
        # Applications carry their project's jurisdiction too: no join.
        if self.jurisdiction_id is None:
            return queryset
        return queryset.filter(jurisdiction_id=self.jurisdiction_id)

    def projects(self, queryset):
        if self.jurisdiction_id is None:
            return queryset
        return queryset.filter(jurisdiction_id=self.jurisdiction_id)

    def tasks(self, queryset):
        # ReviewTask carries the project's jurisdiction itself: no join.
        if self.jurisdiction_id is None:
            return queryset
        return queryset.filter(jurisdiction_id=self.jurisdiction_id)

    def tickets(self, queryset):
        if self.jurisdiction_id is None:
            return queryset
        return queryset.filter(jurisdiction_id=self.jurisdiction_id)

    def escalations(self, queryset):
        if self.jurisdiction_id is None:
            return queryset
        return queryset.filter(task__jurisdiction_id=self.jurisdiction_id)

    def covers(self, jurisdiction_id):
        return self.jurisdiction_id is None or self.jurisdiction_id == jurisdiction_id

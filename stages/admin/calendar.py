"""Admin for the working-day calendar: years loaded from the national
calendar, days overridden by hand, and a loud warning while next year is
missing."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..calendar import load_national_calendar
from ..models import (
    CalendarDay,
    CalendarYear,
)

IMPORT_MAX_BYTES = 5 * 1024 * 1024


# --- The working-day calendar -------------------------------------------------


class NextYearWarning:
    """Deadlines running into next year cannot be computed until its holidays
    are loaded (国务院办公厅 publishes them around November)."""

    def changelist_view(self, request, extra_context=None):
        next_year = timezone.localdate().year + 1
        if request.method == "GET" and not CalendarYear.objects.filter(year=next_year).exists():
            messages.warning(
                request,
                _(
                    "明年的法定节假日尚未导入（%(year)d 年）。国务院办公厅公布放假安排后，"
                    "请升级 chinese-calendar 并在“日历年度”中添加 %(year)d 年或使用"
                    "“从国家日历重新导入”；在此之前，期限落在 %(year)d 年的申请无法计算截止日。"
                )
                % {"year": next_year},
            )
        return super().changelist_view(request, extra_context)


class CalendarDayForm(forms.ModelForm):
    """An admin override: a closure or an extra working day. A national row on
    the same date is replaced (and a later reload keeps the override)."""

    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[
            (CalendarDay.Kind.CLOSURE, CalendarDay.Kind.CLOSURE.label),
            (CalendarDay.Kind.EXTRA_WORKING, CalendarDay.Kind.EXTRA_WORKING.label),
        ],
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "note"]
        help_texts = {"note": _("向申请人和工作人员说明原因，如：因台风临时停止办公。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "note" in self.fields:  # absent on the read-only page of a national row
            self.fields["note"].required = True

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        self.replaces = None
        if day is None:
            return cleaned
        clash = CalendarDay.objects.filter(date=day).exclude(pk=self.instance.pk).first()
        if clash is not None and clash.source == CalendarDay.Source.ADMIN:
            self.add_error(
                "date", _("这一天已有管理员调整“%(day)s”，请直接修改那一条。") % {"day": clash}
            )
            return cleaned
        self.replaces = clash
        working = clash.is_working_day if clash is not None else day.weekday() < 5
        if kind == CalendarDay.Kind.CLOSURE and not working:
            self.add_error("kind", _("%(day)s 本来就不是工作日，无需临时停止办公。") % {"day": day})
        if kind == CalendarDay.Kind.EXTRA_WORKING and working:
            self.add_error("kind", _("%(day)s 本来就是工作日，无需临时增加。") % {"day": day})
        return cleaned

    def validate_unique(self):
        # The date's uniqueness is checked in clean(): a national row is replaced.
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"date"})
        except ValidationError as error:
            self._update_errors(error)


WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


@admin.register(CalendarDay)
class CalendarDayAdmin(NextYearWarning, admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "is_working_day", "source", "note"]
    list_filter = ["kind", "source", "is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "date"

    @admin.display(description=_("星期"))
    def weekday(self, day):
        return WEEKDAYS[day.date.weekday()]

    def has_change_permission(self, request, obj=None):
        # National rows are replaced wholesale by the reload; override instead.
        if obj is not None and obj.source == CalendarDay.Source.NATIONAL:
            return False
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def save_model(self, request, obj, form, change):
        obj.source = CalendarDay.Source.ADMIN
        with transaction.atomic():
            if form.replaces is not None:
                form.replaces.delete()
            super().save_model(request, obj, form, change)
        if not CalendarYear.objects.filter(year=obj.date.year).exists():
            messages.warning(
                request,
                _("%(year)d 年的国家日历尚未导入，这条调整要等导入后才参与期限计算。")
                % {"year": obj.date.year},
            )


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year"]
        help_texts = {"year": _("保存时从 chinese-calendar 导入该年的法定节假日和调休上班日。")}

    def clean_year(self):
        import chinese_calendar

        year = self.cleaned_data["year"]
        try:
            chinese_calendar.is_workday(datetime.date(year, 6, 1))
        except NotImplementedError as error:
            raise ValidationError(
                _("chinese-calendar %(version)s 还没有 %(year)d 年的放假安排，请先升级该软件包。")
                % {"version": chinese_calendar.__version__, "year": year}
            ) from error
        return year


@admin.register(CalendarYear)
class CalendarYearAdmin(NextYearWarning, admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ["year", "source", "loaded_at"]
    actions = ["reload_from_national_calendar"]

    def get_readonly_fields(self, request, obj=None):
        return ["year", "source", "loaded_at"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        obj.source = "chinese-calendar"
        super().save_model(request, obj, form, change)
        load_national_calendar([obj.year])
        obj.refresh_from_db()

    @admin.action(description=_("从国家日历重新导入"), permissions=["change"])
    def reload_from_national_calendar(self, request, queryset):
        years = sorted(queryset.values_list("year", flat=True))
        loaded = load_national_calendar(years)
        if loaded:
            self.message_user(
                request,
                _("已重新导入：%(years)s 年（管理员调整保留不变）。")
                % {"years": "、".join(str(y) for y in loaded)},
            )
        missing = sorted(set(years) - set(loaded))
        if missing:
            self.message_user(
                request,
                _("chinese-calendar 没有这些年份的数据，未改动：%(years)s 年。")
                % {"years": "、".join(str(y) for y in missing)},
                messages.WARNING,
            )

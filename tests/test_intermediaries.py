"""Intermediary services (中介服务): the registry by service type, picking one
for a project need, start and finish dates counted in working days toward
the project's 100, one rating after finishing — and nobody else's project."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from approvals import services
from approvals.models.intermediary import (
    Intermediary,
    IntermediaryEngagement,
    IntermediaryService,
    ServiceType,
)
from approvals.services import intermediary
from stages.calendar import WorkingCalendar
from stages.models import Stage

from .factories import ApplicantFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*day):
    return time_machine.travel(datetime.datetime(*day, 10, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def registry(catalog):
    call_command("loaddata", "intermediaries", verbosity=0)


def offering(service_type):
    return IntermediaryService.objects.filter(service_type=service_type).first().intermediary


def pick_surveyor(project, user):
    return intermediary.pick(
        project.pk,
        user,
        ServiceType.SURVEYING,
        offering(ServiceType.SURVEYING).pk,
        "用地勘测定界",
        Stage.objects.get(number=1).pk,
    )


def test_the_registry_lists_fictional_intermediaries_for_every_service_type(registry):
    for service_type in ServiceType.values:
        listed = list(intermediary.registry(service_type))
        assert len(listed) >= 2, service_type
        assert {s.service_type for s in listed} == {service_type}
        assert all("虚构" in s.intermediary.name for s in listed)
    Intermediary.objects.filter(services__service_type="cost").update(active=False)
    assert not intermediary.registry("cost").exists()  # retired ones are not offered


def test_the_applicant_picks_an_intermediary_for_a_project_need(registry, project, applicant):
    with at(2026, 9, 1):
        engagement = pick_surveyor(project, applicant)
    assert engagement.status == "picked" and engagement.need == "用地勘测定界"
    designer_only = offering(ServiceType.DESIGN)
    if designer_only.services.filter(service_type=ServiceType.SURVEYING).exists():
        designer_only = Intermediary.objects.get(name__startswith="示例白墙黛瓦")
    with pytest.raises(services.ServiceError, match="未登记“测绘”服务"):
        intermediary.pick(project.pk, applicant, "surveying", designer_only.pk, "测绘")
    with pytest.raises(services.ServiceError, match="服务需求"):
        intermediary.pick(project.pk, applicant, "surveying", offering("surveying").pk, " ")


def test_start_and_finish_count_working_days_toward_the_project(registry, project, applicant):
    with at(2026, 9, 25):
        engagement = pick_surveyor(project, applicant)
        with pytest.raises(services.ServiceError, match="完成"):
            intermediary.finish(engagement.pk, applicant, datetime.date(2026, 9, 25))
        with pytest.raises(services.ServiceError, match="开始日期应在"):
            intermediary.start(engagement.pk, applicant, datetime.date(2026, 9, 24))  # before pick
        with pytest.raises(services.ServiceError, match="开始日期应在"):
            intermediary.start(engagement.pk, applicant, datetime.date(2026, 9, 28))  # future
        intermediary.start(engagement.pk, applicant, datetime.date(2026, 9, 25))
    calendar = WorkingCalendar()
    with at(2026, 9, 30):  # still running: counted up to today
        assert intermediary.working_days_used(project) == calendar.working_days_between(
            datetime.date(2026, 9, 25), datetime.date(2026, 9, 30)
        )
    with at(2026, 10, 16):
        with pytest.raises(services.ServiceError, match="完成日期应在"):
            intermediary.finish(engagement.pk, applicant, datetime.date(2026, 9, 24))
        intermediary.finish(engagement.pk, applicant, datetime.date(2026, 10, 15))
    engagement.refresh_from_db()
    # 09-28, 09-29, 09-30, then the National Day holiday, 10-08..10-15 with
    # the make-up Saturday 10-10: the calendar, not the weekdays, decides.
    expected = calendar.working_days_between(
        datetime.date(2026, 9, 25), datetime.date(2026, 10, 15)
    )
    assert engagement.working_days == expected == 10
    assert engagement.status == "finished"
    with at(2026, 12, 1):  # finished services stop counting
        assert intermediary.working_days_used(project) == expected


def test_rating_once_after_finishing_only(registry, project, applicant):
    with at(2026, 9, 1):
        engagement = pick_surveyor(project, applicant)
        intermediary.start(engagement.pk, applicant, datetime.date(2026, 9, 1))
        with pytest.raises(services.ServiceError, match="服务完成后才能评价"):
            intermediary.rate(engagement.pk, applicant, 5)
        intermediary.finish(engagement.pk, applicant, datetime.date(2026, 9, 1))
        with pytest.raises(services.ServiceError, match="1–5"):
            intermediary.rate(engagement.pk, applicant, 6)
        intermediary.rate(engagement.pk, applicant, 4, "按时交付，沟通顺畅")
        with pytest.raises(services.ServiceError, match="只能评价一次"):
            intermediary.rate(engagement.pk, applicant, 1, "改主意了")
    engagement.refresh_from_db()
    assert (engagement.rating, engagement.rating_comment) == (4, "按时交付，沟通顺畅")
    assert engagement.working_days == 0  # finished the day it started
    listed = intermediary.registry(ServiceType.SURVEYING).get(
        pk__in=engagement.intermediary.services.all()
    )
    assert (listed.rating_average, listed.rating_count) == (4, 1)


def test_a_pick_can_be_cancelled_until_the_service_starts(registry, project, applicant):
    with at(2026, 9, 1):
        engagement = pick_surveyor(project, applicant)
        intermediary.cancel(engagement.pk, applicant)
        with pytest.raises(services.ServiceError):
            intermediary.start(engagement.pk, applicant, datetime.date(2026, 9, 1))
        second = pick_surveyor(project, applicant)
        intermediary.start(second.pk, applicant, datetime.date(2026, 9, 1))
        with pytest.raises(services.ServiceError, match="不能取消"):
            intermediary.cancel(second.pk, applicant)


def test_the_applicant_works_through_the_pages(client, registry, project, applicant):
    client.force_login(applicant)
    listing = reverse("intermediary_list", args=[project.pk])
    assert "中介服务" in client.get(reverse("project_detail", args=[project.pk])).text
    page = client.get(listing, {"type": "geotechnical"})
    assert "示例黄岳岩土勘察院（虚构）" in page.text
    firm = Intermediary.objects.get(name="示例黄岳岩土勘察院（虚构）")
    with at(2026, 9, 1):
        client.post(
            reverse("intermediary_pick", args=[project.pk]),
            {"service_type": "geotechnical", "intermediary": firm.pk, "need": "岩土详勘"},
        )
        engagement = IntermediaryEngagement.objects.get(project=project)
        client.post(
            reverse("intermediary_start", args=[project.pk, engagement.pk]), {"day": "2026-09-01"}
        )
    with at(2026, 9, 8):
        client.post(
            reverse("intermediary_finish", args=[project.pk, engagement.pk]),
            {"day": "2026-09-08"},
        )
        client.post(
            reverse("intermediary_rate", args=[project.pk, engagement.pk]),
            {"rating": "5", "comment": "专业"},
        )
        page = client.get(listing)
    engagement.refresh_from_db()
    assert (engagement.working_days, engagement.rating) == (5, 5)
    assert "5 个工作日" in page.text and "已完成，已评价" in page.text


def test_another_enterprise_cannot_see_or_act_on_them(client, registry, project, applicant):
    with at(2026, 9, 1):
        engagement = pick_surveyor(project, applicant)
    stranger = ApplicantFactory()
    client.force_login(stranger)
    urls = [
        ("get", reverse("intermediary_list", args=[project.pk]), {}),
        ("post", reverse("intermediary_pick", args=[project.pk]), {"service_type": "cost"}),
        ("post", reverse("intermediary_start", args=[project.pk, engagement.pk]), {"day": "x"}),
        ("post", reverse("intermediary_finish", args=[project.pk, engagement.pk]), {}),
        ("post", reverse("intermediary_rate", args=[project.pk, engagement.pk]), {"rating": 1}),
        ("post", reverse("intermediary_cancel", args=[project.pk, engagement.pk]), {}),
    ]
    for method, url, data in urls:
        assert getattr(client, method)(url, data).status_code == 404, url
    with pytest.raises(PermissionDenied):
        intermediary.cancel(engagement.pk, stranger)
    with pytest.raises(PermissionDenied):
        pick_surveyor(project, stranger)
    assert IntermediaryEngagement.objects.get(pk=engagement.pk).cancelled_at is None

"""The joint-session pages as people use them: the lead schedules from its
task page, participants give opinions, outsiders get 404, non-leads get 403
when closing, the applicant answers a 联合图审 round and downloads minutes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.models import ReviewTask
from approvals.models.joint import JointMinutes, JointSession
from approvals.services import joint
from approvals.tasks import render_joint_minutes

from .factories import ApplicantFactory
from .test_joint_sessions import accepted, at, meeting, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def acceptance(clerk, pdf_bytes):
    return accepted("completion-acceptance", clerk, pdf_bytes)


def as_user(client, user):
    client.force_login(user)
    return client


def test_a_joint_acceptance_through_the_pages(client, acceptance):
    housing, nrp, archives, eco = (reviewer(c) for c in ("housing", "nrp", "archives", "eco"))
    lead_task = ReviewTask.objects.get(application=acceptance, matter__code="completion-filing")
    archives_task = ReviewTask.objects.get(
        application=acceptance, matter__code="archives-acceptance"
    )
    with at((2026, 9, 15)):
        page = as_user(client, housing).get(reverse("task_detail", args=[lead_task.pk]))
        assert "安排联合会审" in page.text and "城建档案馆" in page.text
        response = client.post(
            reverse("joint_schedule", args=[acceptance.pk]),
            {"scheduled_for": "2026-09-22T09:30", "place": "项目现场", "task": lead_task.pk},
        )
    session = JointSession.objects.get(application=acceptance)
    assert response.url == reverse("joint_session_detail", args=[session.pk])
    detail = reverse("joint_session_detail", args=[session.pk])
    opinion = reverse("joint_record_opinion", args=[session.pk])
    close = reverse("joint_close_round", args=[session.pk])

    with at((2026, 9, 22), 15):
        assert as_user(client, eco).get(detail).status_code == 404  # not taking part
        assert client.post(opinion, {"result": "pass"}).status_code == 404
        assert as_user(client, nrp).get(detail).status_code == 200
        client.post(opinion, {"result": "pass", "text": "规划条件核实符合"})
        assert client.post(close, {"result": "pass"}).status_code == 403  # not the lead

        as_user(client, housing).post(opinion, {"result": "pass"})
        refused = client.post(close, {"result": "pass"}, follow=True)
        assert "尚未出具意见" in refused.text and "城建档案馆" in refused.text
        assert JointSession.objects.get(pk=session.pk).state == "scheduled"

        as_user(client, archives).post(opinion, {"result": "pass"})
        as_user(client, housing).post(close, {"result": "pass", "consolidated_opinion": "验收合格"})
    assert JointSession.objects.get(pk=session.pk).state == "closed"

    task_page = as_user(client, archives).get(reverse("task_detail", args=[archives_task.pk]))
    assert 'data-testid="joint-consolidated"' in task_page.text and "验收合格" in task_page.text
    assert "可按汇总意见对本事项出具审查意见" in task_page.text

    minutes = JointMinutes.objects.get(round__session=session)
    render_joint_minutes(minutes.pk)
    staff_pdf = client.get(reverse("joint_minutes_download", args=[session.pk, minutes.pk]))
    assert staff_pdf["Content-Type"] == "application/pdf"
    applicant_pdf = reverse(
        "joint_application_minutes", args=[acceptance.pk, session.pk, minutes.pk]
    )
    applicant_page = reverse("joint_application_session", args=[acceptance.pk, session.pk])
    assert as_user(client, acceptance.created_by).get(applicant_pdf).status_code == 200
    assert "下载会审纪要" in client.get(applicant_page).text
    stranger = ApplicantFactory()
    assert as_user(client, stranger).get(applicant_page).status_code == 404
    assert client.get(applicant_pdf).status_code == 404
    assert as_user(client, eco).get(reverse("joint_session_list")).status_code == 200


def test_the_applicant_answers_a_drawing_review_round_on_its_page(client, clerk, pdf_bytes):
    drawings = accepted("construction-permit", clerk, pdf_bytes)
    housing = reviewer("housing")
    with at((2026, 9, 15)):
        session = joint.schedule(drawings.pk, housing, meeting((2026, 9, 18)), "会审室")
        joint.record_opinion(session.pk, housing, "fail", "楼梯间宽度不足")
        joint.close_round(session.pk, housing, "revise", "楼梯间加宽至 1.2 米")
    page = reverse("joint_application_session", args=[drawings.pk, session.pk])
    upload = reverse("joint_submit_revision", args=[drawings.pk, session.pk])

    stranger = ApplicantFactory()
    assert as_user(client, stranger).get(page).status_code == 404
    assert client.post(upload, {"files": SimpleUploadedFile("a.pdf", pdf_bytes)}).status_code == 404

    applicant = as_user(client, drawings.created_by)
    shown = applicant.get(page)
    assert "楼梯间加宽至 1.2 米" in shown.text and 'name="files"' in shown.text
    with at((2026, 9, 21)):
        wrong = applicant.post(
            upload, {"files": SimpleUploadedFile("a.exe", b"MZ\x90\x00")}, follow=True
        )
        assert "只接受" in wrong.text
        applicant.post(
            upload, {"files": SimpleUploadedFile("修改图.pdf", pdf_bytes), "note": "已加宽"}
        )
    assert JointSession.objects.get(pk=session.pk).state == "revised"
    round_form = as_user(client, housing).get(reverse("joint_session_detail", args=[session.pk]))
    assert "安排下一轮会审" in round_form.text and "修改图.pdf" in round_form.text


def test_the_session_page_runs_a_fixed_number_of_queries(
    client, acceptance, django_assert_max_num_queries
):
    housing = reviewer("housing")
    with at((2026, 9, 15)):
        session = joint.schedule(acceptance.pk, housing, meeting((2026, 9, 22)), "项目现场")
        for code in ("housing", "nrp", "archives"):
            joint.record_opinion(session.pk, reviewer(code), "pass", f"{code} 符合要求")
    as_user(client, housing)
    client.get(reverse("joint_session_detail", args=[session.pk]))  # session, caches warm
    with django_assert_max_num_queries(12):  # whatever the participants and rounds
        page = client.get(reverse("joint_session_detail", args=[session.pk]))
    assert all(f"{code} 符合要求" in page.text for code in ("housing", "nrp", "archives"))


def test_the_application_panel_links_each_side_to_its_page(rf, acceptance):
    from django.template import Context, Template

    housing = reviewer("housing")
    with at((2026, 9, 15)):
        session = joint.schedule(acceptance.pk, housing, meeting((2026, 9, 22)), "项目现场")
    panel = Template('{% include "joint/application_panel.html" %}')

    def render(user):
        request = rf.get("/")
        request.user = user
        return panel.render(Context({"application": acceptance, "request": request}))

    applicant_side = render(acceptance.created_by)
    assert reverse("joint_application_session", args=[acceptance.pk, session.pk]) in applicant_side
    assert reverse("joint_session_detail", args=[session.pk]) in render(housing)
    assert reverse("joint_session_detail", args=[session.pk]) not in render(reviewer("water"))

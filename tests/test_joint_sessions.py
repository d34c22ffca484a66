"""Joint sessions: 联合踏勘 (stage 1), 联合图审 with revision rounds (stage 3)
and 联合验收 (stage 4) — scheduling, each participant's opinion, the lead
department's consolidated result, minutes rendered as PDF, and the tasks
left for their reviewers to decide."""

import datetime
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services
from approvals.models import Application, Notification, ReviewTask, TransitionLog
from approvals.models.joint import JointMinutes, JointSession
from approvals.services import joint
from approvals.tasks import render_joint_minutes
from portal.models import Role
from stages.calendar import WorkingCalendar
from stages.models import Department, Stage

from .factories import ApplicationFactory, complete_draft, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(*day, hour, tzinfo=SHANGHAI), tick=False)


def meeting(day, hour=9):
    return datetime.datetime(*day, hour, 30, tzinfo=SHANGHAI)


def accepted(stage_code, clerk, pdf_bytes, answers=None):
    """An application of the stage, accepted on Monday 2026-09-14."""
    stage = Stage.objects.get(code=stage_code)
    with at((2026, 9, 11)):
        application = complete_draft(ApplicationFactory(stage=stage), pdf_bytes, answers)
        services.submit_application(application.pk, application.created_by)
    with at((2026, 9, 14)):
        services.accept_application(application.pk, clerk)
    return Application.objects.get(pk=application.pk)


def department(code):
    return Department.objects.get(code=code)


def reviewer(code):
    return staff(Role.REVIEWER, "341000", code)


def participant_codes(session):
    return set(session.participants.values_list("department__code", flat=True))


def pdf_text(field_file):
    return subprocess.run(
        ["pdftotext", field_file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def survey(clerk, pdf_bytes):
    return accepted("land-planning", clerk, pdf_bytes)


@pytest.fixture
def drawings(clerk, pdf_bytes):
    return accepted("construction-permit", clerk, pdf_bytes)


@pytest.fixture
def acceptance(clerk, pdf_bytes):
    return accepted("completion-acceptance", clerk, pdf_bytes)


def test_site_survey_from_schedule_to_minutes(survey):
    lead = reviewer("nrp")  # 自然资源和规划局 leads stage 1
    ndrc = reviewer("ndrc")
    with at((2026, 9, 15)):
        session = joint.schedule(
            survey.pk,
            lead,
            meeting((2026, 9, 17)),
            "项目现场（屯溪区黎阳路1号）",
            extra_department_ids=[department("ndrc").pk],
        )
    assert session.get_kind_display() == "联合踏勘"
    assert participant_codes(session) == {"nrp", "ndrc"}
    assert session.rounds.get().place == "项目现场（屯溪区黎阳路1号）"
    scheduled = Notification.objects.filter(event="joint_session_scheduled", application=survey)
    assert {lead.pk, ndrc.pk, survey.created_by_id} <= set(
        scheduled.values_list("recipient_id", flat=True)
    )

    with at((2026, 9, 17), 11):
        joint.record_opinion(session.pk, lead, "pass", "")
        with pytest.raises(services.ServiceError) as missing:
            joint.close_round(session.pk, lead, "pass", "")
    assert "发展和改革委员会" in missing.value.message
    assert JointSession.objects.get(pk=session.pk).state == "scheduled"

    with at((2026, 9, 17), 15):
        with pytest.raises(services.ServiceError, match="必须写明条件"):
            joint.record_opinion(session.pk, ndrc, "pass_with_conditions", " ")
        joint.record_opinion(session.pk, ndrc, "pass_with_conditions", "北侧退让道路红线 5 米")
        with pytest.raises(services.ServiceError, match="不能比部门意见更宽松"):
            joint.close_round(session.pk, lead, "pass", "")
        joint.close_round(
            session.pk, lead, "pass_with_conditions", "同意选址，北侧退让道路红线 5 米。"
        )

    session.refresh_from_db()
    assert (session.state, session.result) == ("closed", "pass_with_conditions")
    minutes = JointMinutes.objects.get(round__session=session)
    assert minutes.rendered_at is None
    render_joint_minutes(minutes.pk)
    minutes.refresh_from_db()
    assert minutes.rendered_at and len(minutes.sha256) == 64
    assert minutes.pdf.open("rb").read(5) == b"%PDF-"
    text = pdf_text(minutes.pdf)
    for words in ("联合踏勘纪要", survey.project.name, "北侧退让道路红线", "发展和改革委员会"):
        assert words in text
    first = minutes.sha256
    render_joint_minutes(minutes.pk)  # runs twice: nothing redone
    minutes.refresh_from_db()
    assert minutes.sha256 == first
    logged = TransitionLog.objects.filter(application=survey, subject_type="approvals.jointsession")
    assert list(logged.values_list("transition", flat=True)) == [
        "schedule_joint_session",
        "joint_opinion",
        "joint_opinion",
        "close",
    ]


def test_drawing_review_runs_two_rounds_and_stops_the_clock_for_revisions(drawings, pdf_bytes):
    housing = reviewer("housing")  # lead of stage 3
    fire = reviewer("fire")
    applicant = drawings.created_by
    with at((2026, 9, 15)):
        session = joint.schedule(
            drawings.pk,
            housing,
            meeting((2026, 9, 18)),
            "政务服务中心三楼会审室",
            extra_department_ids=[department("fire").pk],
        )
    assert session.get_kind_display() == "联合图审"
    assert participant_codes(session) == {"housing", "fire"}
    # 施工图联合审查 takes part; housing's other matters (the permit itself)
    # and the utilities do not wait on the session.
    participant_tasks = ReviewTask.objects.filter(application=drawings, matter__joint_session=True)
    assert participant_tasks.count() == 1
    due_before = dict(participant_tasks.values_list("pk", "due_on"))
    other_due = dict(
        ReviewTask.objects.filter(application=drawings)
        .exclude(pk__in=due_before)
        .values_list("pk", "due_on")
    )

    with at((2026, 9, 29)):
        joint.record_opinion(session.pk, housing, "pass_with_conditions", "楼梯间宽度不足")
        joint.record_opinion(session.pk, fire, "fail", "消防车道转弯半径不足")
        joint.close_round(session.pk, housing, "revise", "1. 楼梯间加宽；2. 消防车道转弯半径≥12米")
    session.refresh_from_db()
    assert session.state == "revising"
    first = session.rounds.get(number=1)
    assert first.result == "revise" and first.revision_requested_on == datetime.date(2026, 9, 29)
    assert all(t.paused_since for t in participant_tasks.all())
    comments = Notification.objects.get(
        event="joint_revision_requested", recipient=applicant, application=drawings
    )
    assert "消防车道转弯半径≥12米" in comments.body
    assert JointMinutes.objects.filter(round=first).exists()  # the comments, in writing

    with pytest.raises(PermissionDenied):
        joint.submit_revision(session.pk, fire, [SimpleUploadedFile("x.pdf", b"%PDF-1.4")])
    with at((2026, 10, 9)):  # Fri after the National Day holiday
        joint.submit_revision(
            session.pk,
            applicant,
            [SimpleUploadedFile("修改后施工图.pdf", pdf_bytes)],
            "已按意见修改",
        )
    session.refresh_from_db()
    first.refresh_from_db()
    assert session.state == "revised"
    paused = WorkingCalendar().working_days_between(
        datetime.date(2026, 9, 29), datetime.date(2026, 10, 9)
    )
    assert paused == 3  # 09-30, 10-08, 10-09
    assert first.paused_working_days == paused
    assert first.revision_files.get().original_name == "修改后施工图.pdf"
    calendar = WorkingCalendar()
    for task in participant_tasks.all():
        assert task.paused_since is None
        assert task.due_on == calendar.add_working_days(due_before[task.pk], paused)
    for pk, due in other_due.items():
        assert ReviewTask.objects.get(pk=pk).due_on == due  # not in the session

    with at((2026, 10, 12)):
        with pytest.raises(PermissionDenied):
            joint.schedule_round(session.pk, fire, meeting((2026, 10, 14)), "会审室")
        joint.schedule_round(session.pk, housing, meeting((2026, 10, 14)), "会审室")
        with pytest.raises(services.ServiceError) as missing:
            joint.close_round(session.pk, housing, "pass", "")
    assert "住房和城乡建设局" in missing.value.message  # round 2 needs fresh opinions

    with at((2026, 10, 14), 11):
        joint.record_opinion(session.pk, housing, "pass", "")
        joint.record_opinion(session.pk, fire, "pass", "")
        joint.close_round(session.pk, housing, "pass", "")
    session.refresh_from_db()
    assert (session.state, session.result) == ("closed", "pass")
    assert list(session.rounds.values_list("number", "result")) == [(1, "revise"), (2, "pass")]
    second = JointMinutes.objects.get(round__number=2, round__session=session)
    render_joint_minutes(second.pk)
    second.refresh_from_db()
    assert "施工图联合审查意见书（第2轮）" in pdf_text(second.pdf)


def test_joint_acceptance_ends_in_one_acceptance_opinion(acceptance):
    housing, nrp, archives = reviewer("housing"), reviewer("nrp"), reviewer("archives")
    with at((2026, 9, 15)):
        session = joint.schedule(acceptance.pk, housing, meeting((2026, 9, 22)), "项目现场")
    assert session.get_kind_display() == "联合验收"
    assert participant_codes(session) == {"housing", "nrp", "archives"}
    with at((2026, 9, 22), 15):
        for person in (housing, nrp, archives):
            joint.record_opinion(session.pk, person, "pass", "符合要求")
        with pytest.raises(services.ServiceError, match="只有联合图审"):
            joint.close_round(session.pk, housing, "revise", "整改")
        joint.close_round(session.pk, housing, "pass", "工程质量、规划、档案均符合要求。")
    minutes = JointMinutes.objects.get(round__session=session)
    render_joint_minutes(minutes.pk)
    minutes.refresh_from_db()
    text = pdf_text(minutes.pdf)
    assert "联合验收意见书" in text and "验收合格" in text
    assert Application.objects.get(pk=acceptance.pk).state == "in_review"


def test_only_participants_give_opinions_and_only_the_lead_closes(acceptance):
    housing, nrp = reviewer("housing"), reviewer("nrp")
    with at((2026, 9, 15)):
        with pytest.raises(PermissionDenied):  # nrp does not lead stage 4
            joint.schedule(acceptance.pk, nrp, meeting((2026, 9, 22)), "项目现场")
        session = joint.schedule(acceptance.pk, housing, meeting((2026, 9, 22)), "项目现场")
        with pytest.raises(services.ServiceError, match="已有进行中的联合会审"):
            joint.schedule(acceptance.pk, housing, meeting((2026, 9, 23)), "项目现场")
        with pytest.raises(PermissionDenied):
            joint.record_opinion(session.pk, reviewer("eco"), "pass", "")
        with pytest.raises(PermissionDenied):
            joint.close_round(session.pk, nrp, "pass", "")
        with pytest.raises(PermissionDenied):
            joint.add_participant(session.pk, nrp, department("eco").pk)
        # A district reviewer of the lead department elsewhere does not lead here.
        with pytest.raises(PermissionDenied):
            joint.close_round(session.pk, staff(Role.REVIEWER, "341003", "housing"), "pass", "")
        joint.add_participant(session.pk, housing, department("eco").pk)
        with pytest.raises(services.ServiceError, match="已是参加部门"):
            joint.add_participant(session.pk, housing, department("eco").pk)
    joint.record_opinion(session.pk, reviewer("eco"), "pass", "")
    assert "eco" in participant_codes(session)


def test_the_consolidated_result_feeds_the_tasks_without_deciding_them(acceptance):
    housing = reviewer("housing")
    archives = reviewer("archives")
    task = ReviewTask.objects.get(application=acceptance, matter__code="archives-acceptance")
    assert joint.approval_note(task) is None  # no session yet
    with at((2026, 9, 15)):
        session = joint.schedule(acceptance.pk, housing, meeting((2026, 9, 22)), "项目现场")
    assert "尚未办结" in joint.approval_note(task)
    with at((2026, 9, 22), 15):
        for code in ("housing", "nrp", "archives"):
            joint.record_opinion(session.pk, reviewer(code), "pass", "")
        joint.close_round(session.pk, housing, "pass", "")
    assert joint.approval_note(task) is None
    assert set(
        ReviewTask.objects.filter(application=acceptance).values_list("state", flat=True)
    ) == {"pending"}  # nobody was approved automatically
    with at((2026, 9, 23)):
        services.claim_task(task.pk, archives)
        services.approve_task(task.pk, archives, "同意（见联合验收意见）")
    assert ReviewTask.objects.get(pk=task.pk).state == "approved"


def test_a_failed_session_is_noted_on_the_tasks(survey):
    lead = reviewer("nrp")
    with at((2026, 9, 15)):
        session = joint.schedule(survey.pk, lead, meeting((2026, 9, 17)), "项目现场")
        joint.record_opinion(session.pk, lead, "fail", "选址位于生态保护红线内")
        with pytest.raises(services.ServiceError, match="请填写汇总意见"):
            joint.close_round(session.pk, lead, "fail", "")
        joint.close_round(session.pk, lead, "fail", "选址位于生态保护红线内，不予通过。")
    task = ReviewTask.objects.get(application=survey, matter__code="site-selection")
    assert "不通过" in joint.approval_note(task)
    with at((2026, 9, 16)):  # a new session may follow a closed one
        joint.schedule(survey.pk, lead, meeting((2026, 9, 18)), "项目现场")


def test_scheduling_refuses_a_past_date_or_a_blank_place(survey):
    lead = reviewer("nrp")
    with at((2026, 9, 15)):
        with pytest.raises(services.ServiceError, match="不能早于今天"):
            joint.schedule(survey.pk, lead, meeting((2026, 9, 14)), "项目现场")
        with pytest.raises(services.ServiceError, match="会审地点"):
            joint.schedule(survey.pk, lead, meeting((2026, 9, 16)), "  ")
    assert not JointSession.objects.exists()

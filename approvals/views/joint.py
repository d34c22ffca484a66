"""Joint-session pages: the back-office session page (schedule, opinions,
consolidated result, next round) and the applicant's page (consolidated
comments, minutes, revised drawings). A session the user may not see is a
404; an action the user may not take is a 403 (PermissionDenied from the
service)."""

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stages.models import Department

from ..models.joint import (
    OPINION_RESULTS,
    JointMinutes,
    JointOpinion,
    JointResult,
    JointRevisionFile,
    JointRound,
    JointSession,
    JointSessionState,
)
from ..services import joint as service
from ..services.errors import ServiceError
from .helpers import perform, report_form_errors, report_service_error, visible_application


class JointForm(forms.Form):
    """Several of these share a page: each kind gets its own element ids."""

    id_prefix = "joint"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ScheduleForm(JointForm):
    id_prefix = "round"
    scheduled_for = forms.DateTimeField(
        label=gettext_lazy("会审时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=gettext_lazy("会审地点"), max_length=200)
    note = forms.CharField(
        label=gettext_lazy("安排说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NewSessionForm(ScheduleForm):
    id_prefix = "joint-schedule"
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("另请参加的部门"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("参加联合会审的事项所属部门和牵头部门自动参加。"),
    )


class OpinionForm(JointForm):
    id_prefix = "joint-opinion"
    result = forms.ChoiceField(
        label=gettext_lazy("会审意见"),
        choices=[(value, JointResult(value).label) for value in OPINION_RESULTS],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=gettext_lazy("意见内容（条件或理由）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(JointForm):
    id_prefix = "joint-close"
    result = forms.ChoiceField(
        label=gettext_lazy("汇总结论"), choices=JointResult.choices, widget=forms.RadioSelect
    )
    consolidated_opinion = forms.CharField(
        label=gettext_lazy("汇总意见"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        if session is not None and not session.has_rounds:
            self.fields["result"].choices = [
                c for c in JointResult.choices if c[0] != JointResult.REVISE
            ]


class ParticipantForm(JointForm):
    id_prefix = "joint-participant"
    department = forms.ModelChoiceField(
        label=gettext_lazy("增加参加部门"), queryset=Department.objects.all()
    )


class RevisionForm(JointForm):
    id_prefix = "joint-revision"
    note = forms.CharField(
        label=gettext_lazy("修改说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _sessions_for(user):
    return JointSession.objects.visible_to(user).select_related(
        "application__project__enterprise", "application__stage", "lead_department"
    )


def _visible_session(user, pk):
    return get_object_or_404(_sessions_for(user), pk=pk)


def _rounds(session):
    return list(
        JointRound.objects.filter(session=session)
        .select_related("minutes", "closed_by")
        .prefetch_related(
            Prefetch(
                "opinions",
                queryset=JointOpinion.objects.select_related("department", "recorded_by"),
            ),
            "revision_files",
        )
        .order_by("number")
    )


@login_required
def session_list(request):
    # Open sessions first, then the most recently closed.
    sessions = _sessions_for(request.user).order_by(
        F("closed_at").desc(nulls_first=True), "-created_at"
    )[:200]
    return render(request, "joint/session_list.html", {"sessions": sessions})


@login_required
@require_POST
def schedule(request, application_pk):
    application = visible_application(request.user, application_pk)
    form = NewSessionForm(request.POST)
    task_pk = request.POST.get("task", "")
    back = redirect("task_detail", pk=int(task_pk)) if task_pk.isdigit() else None
    back = back or redirect("joint_session_list")
    if not form.is_valid():
        report_form_errors(request, form)
        return back
    data = form.cleaned_data
    try:
        session = service.schedule(
            application.pk,
            request.user,
            data["scheduled_for"],
            data["place"],
            data["note"],
            [d.pk for d in data["departments"]],
        )
    except ServiceError as error:
        report_service_error(request, error)
        return back
    messages.success(request, _("联合会审已安排，已通知各参加部门和申请人。"))
    return redirect("joint_session_detail", pk=session.pk)


@login_required
def session_detail(request, pk):
    session = _visible_session(request.user, pk)
    user = request.user
    is_lead = rules.test_rule("lead_joint_session", user, session)
    is_participant = rules.test_rule("give_joint_opinion", user, session)
    rounds = _rounds(session)
    current = rounds[-1] if rounds else None
    participants = list(session.participants.select_related("department"))
    given = {o.department_id for o in current.opinions.all()} if current else set()
    mine = None
    if is_participant and current:
        department_id = user.staff_membership.department_id
        mine = next((o for o in current.opinions.all() if o.department_id == department_id), None)
    scheduled = session.state == JointSessionState.SCHEDULED
    participant_form = None
    if is_lead and session.state != JointSessionState.CLOSED:
        participant_form = ParticipantForm()
        participant_form.fields["department"].queryset = Department.objects.exclude(
            pk__in=[p.department_id for p in participants]
        )
    return render(
        request,
        "joint/session_detail.html",
        {
            "session": session,
            "application": session.application,
            "project": session.application.project,
            "rounds": rounds,
            "current": current,
            "participants": [(p, p.department_id in given) for p in participants],
            "missing": [p.department.name for p in participants if p.department_id not in given],
            "is_lead": is_lead,
            "my_opinion": mine,
            "opinion_form": OpinionForm(
                initial={"result": mine.result, "text": mine.text} if mine else None
            )
            if is_participant and scheduled
            else None,
            "close_form": CloseForm(session=session) if is_lead and scheduled else None,
            "round_form": ScheduleForm()
            if is_lead and session.state == JointSessionState.REVISED
            else None,
            "participant_form": participant_form,
        },
    )


@login_required
@require_POST
def add_participant(request, pk):
    session = _visible_session(request.user, pk)
    form = ParticipantForm(request.POST)
    return perform(
        request,
        lambda: service.add_participant(
            session.pk, request.user, form.cleaned_data["department"].pk
        ),
        _("已增加参加部门，其意见为办结所必需。"),
        redirect("joint_session_detail", pk=pk),
        form,
    )


@login_required
@require_POST
def record_opinion(request, pk):
    session = _visible_session(request.user, pk)
    form = OpinionForm(request.POST)
    return perform(
        request,
        lambda: service.record_opinion(
            session.pk, request.user, form.cleaned_data["result"], form.cleaned_data["text"]
        ),
        _("本部门会审意见已记录。"),
        redirect("joint_session_detail", pk=pk),
        form,
    )


@login_required
@require_POST
def close_round(request, pk):
    session = _visible_session(request.user, pk)
    form = CloseForm(request.POST, session=session)
    revise = request.POST.get("result") == JointResult.REVISE
    return perform(
        request,
        lambda: service.close_round(
            session.pk,
            request.user,
            form.cleaned_data["result"],
            form.cleaned_data["consolidated_opinion"],
        ),
        _("汇总意见已送达申请人，待其提交修改后的图纸。")
        if revise
        else _("已汇总办结，会审纪要正在生成。"),
        redirect("joint_session_detail", pk=pk),
        form,
    )


@login_required
@require_POST
def next_round(request, pk):
    session = _visible_session(request.user, pk)
    form = ScheduleForm(request.POST)
    return perform(
        request,
        lambda: service.schedule_round(
            session.pk,
            request.user,
            form.cleaned_data["scheduled_for"],
            form.cleaned_data["place"],
            form.cleaned_data["note"],
        ),
        _("下一轮会审已安排。"),
        redirect("joint_session_detail", pk=pk),
        form,
    )


@login_required
def minutes_download(request, pk, minutes_pk):
    session = _visible_session(request.user, pk)
    return _minutes(session, minutes_pk)


@login_required
def revision_download(request, pk, file_pk):
    session = _visible_session(request.user, pk)
    upload = get_object_or_404(JointRevisionFile, pk=file_pk, round__session=session)
    return _serve(upload.file, upload.original_name, upload.content_type)


# --- the applicant's side ------------------------------------------------


def _applicant_session(user, application_pk, session_pk):
    application = visible_application(user, application_pk)
    return get_object_or_404(
        JointSession.objects.select_related("lead_department", "application__project"),
        pk=session_pk,
        application=application,
    )


@login_required
def application_session(request, pk, session_pk):
    session = _applicant_session(request.user, pk, session_pk)
    may_revise = session.state == JointSessionState.REVISING and rules.test_rule(
        "revise_for_joint_session", request.user, session
    )
    return render(
        request,
        "joint/application_session.html",
        {
            "session": session,
            "application": session.application,
            "rounds": _rounds(session),
            "revision_form": RevisionForm() if may_revise else None,
            "upload_rules": service.REVISION_UPLOAD,
        },
    )


@login_required
@require_POST
def submit_revision(request, pk, session_pk):
    session = _applicant_session(request.user, pk, session_pk)
    form = RevisionForm(request.POST)
    return perform(
        request,
        lambda: service.submit_revision(
            session.pk,
            request.user,
            request.FILES.getlist("files"),
            form.cleaned_data["note"],
        ),
        _("修改后的图纸已提交，审查时限恢复计算。"),
        redirect("joint_application_session", pk=pk, session_pk=session_pk),
        form,
    )


@login_required
def application_minutes(request, pk, session_pk, minutes_pk):
    session = _applicant_session(request.user, pk, session_pk)
    return _minutes(session, minutes_pk)


def _minutes(session, minutes_pk):
    minutes = get_object_or_404(
        JointMinutes.objects.select_related("round__session__application"),
        pk=minutes_pk,
        round__session=session,
        rendered_at__isnull=False,
    )
    return _serve(minutes.pdf, f"{minutes.number}.pdf", "application/pdf")


def _serve(field_file, download_name, content_type):
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=download_name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

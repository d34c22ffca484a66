from django.urls import path

from .views import applicant, clock, files, intermediary, joint, public, staff, walk_in, window

urlpatterns = [
    path("projects/", applicant.project_list, name="project_list"),
    path("projects/new/", applicant.project_create, name="project_create"),
    path("projects/<int:pk>/", applicant.project_detail, name="project_detail"),
    path("projects/<int:project_pk>/start/", applicant.application_start, name="application_start"),
    path("projects/<int:pk>/delegation/", applicant.delegation_request, name="delegation_request"),
    path(
        "projects/<int:pk>/delegation/<int:delegation_pk>/revoke/",
        applicant.delegation_revoke,
        name="delegation_revoke",
    ),
    path("applications/<int:pk>/", applicant.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applicant.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/situations/",
        applicant.application_situations,
        name="application_situations",
    ),
    path("applications/<int:pk>/materials/", applicant.material_upload, name="material_upload"),
    path("applications/<int:pk>/review/", applicant.application_review, name="application_review"),
    path("applications/<int:pk>/submit/", applicant.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/delivery-choice/",
        applicant.application_delivery_choice,
        name="application_delivery_choice",
    ),
    path("applications/<int:pk>/materials/reuse/", applicant.material_reuse, name="material_reuse"),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/replace/",
        applicant.material_replace,
        name="material_replace",
    ),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/",
        files.material_download,
        name="material_download",
    ),
    path(
        "applications/<int:pk>/certificates/<int:certificate_pk>.pdf",
        files.certificate_download,
        name="certificate_download",
    ),
    path(
        "applications/<int:pk>/resubmit/",
        applicant.application_resubmit,
        name="application_resubmit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applicant.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/notices/<int:notice_pk>.pdf",
        files.notice_download,
        name="notice_download",
    ),
    path(
        "applications/<int:pk>/tasks/<int:task_pk>/supplement/",
        clock.answer_supplement,
        name="answer_supplement",
    ),
    path(
        "staff/applications/<int:pk>/suspend/",
        clock.suspend_application,
        name="application_suspend",
    ),
    path("staff/tasks/<int:pk>/suspend/", clock.suspend_task, name="task_suspend"),
    path("staff/tasks/<int:pk>/supplement/", clock.request_supplement, name="task_supplement"),
    path("staff/suspensions/<int:pk>/resume/", clock.resume_suspension, name="suspension_resume"),
    path("staff/window/", staff.clerk_inbox, name="clerk_inbox"),
    path("staff/window/export.<str:fmt>", staff.clerk_inbox_export, name="clerk_inbox_export"),
    path("staff/walk-in/", walk_in.walk_in_start, name="walk_in_start"),
    path("staff/walk-in/<int:enterprise_pk>/", walk_in.walk_in_project, name="walk_in_project"),
    path(
        "staff/applications/<int:pk>/accept-with-deficiency/",
        window.accept_with_deficiency,
        name="application_accept_with_deficiency",
    ),
    path(
        "staff/applications/<int:pk>/request-correction/",
        window.request_correction,
        name="application_request_correction",
    ),
    path("staff/applications/<int:pk>/refuse/", window.refuse, name="application_refuse"),
    path(
        "staff/applications/<int:pk>/clear-deficiency/",
        window.clear_deficiency,
        name="application_clear_deficiency",
    ),
    path("staff/applications/<int:pk>/deliver/", window.deliver, name="application_deliver"),
    path(
        "staff/applications/<int:pk>/accept/", staff.application_accept, name="application_accept"
    ),
    path("staff/tasks/", staff.reviewer_inbox, name="reviewer_inbox"),
    path("staff/tasks/export.<str:fmt>", staff.reviewer_inbox_export, name="reviewer_inbox_export"),
    path("staff/tasks/<int:pk>/", staff.task_detail, name="task_detail"),
    path("staff/tasks/<int:pk>/claim/", staff.task_claim, name="task_claim"),
    path("staff/tasks/<int:pk>/decide/", staff.task_decide, name="task_decide"),
    # Joint sessions (联合踏勘/联合图审/联合验收) and intermediary services.
    path("staff/joint/", joint.session_list, name="joint_session_list"),
    path("staff/joint/schedule/<int:application_pk>/", joint.schedule, name="joint_schedule"),
    path("staff/joint/<int:pk>/", joint.session_detail, name="joint_session_detail"),
    path(
        "staff/joint/<int:pk>/participants/",
        joint.add_participant,
        name="joint_add_participant",
    ),
    path("staff/joint/<int:pk>/opinion/", joint.record_opinion, name="joint_record_opinion"),
    path("staff/joint/<int:pk>/close/", joint.close_round, name="joint_close_round"),
    path("staff/joint/<int:pk>/rounds/", joint.next_round, name="joint_next_round"),
    path(
        "staff/joint/<int:pk>/minutes/<int:minutes_pk>.pdf",
        joint.minutes_download,
        name="joint_minutes_download",
    ),
    path(
        "staff/joint/<int:pk>/revisions/<int:file_pk>/",
        joint.revision_download,
        name="joint_revision_download",
    ),
    path(
        "applications/<int:pk>/joint/<int:session_pk>/",
        joint.application_session,
        name="joint_application_session",
    ),
    path(
        "applications/<int:pk>/joint/<int:session_pk>/revision/",
        joint.submit_revision,
        name="joint_submit_revision",
    ),
    path(
        "applications/<int:pk>/joint/<int:session_pk>/minutes/<int:minutes_pk>.pdf",
        joint.application_minutes,
        name="joint_application_minutes",
    ),
    path(
        "projects/<int:pk>/intermediaries/", intermediary.engagement_list, name="intermediary_list"
    ),
    path("projects/<int:pk>/intermediaries/pick/", intermediary.pick, name="intermediary_pick"),
    path(
        "projects/<int:pk>/intermediaries/<int:engagement_pk>/start/",
        intermediary.start,
        name="intermediary_start",
    ),
    path(
        "projects/<int:pk>/intermediaries/<int:engagement_pk>/finish/",
        intermediary.finish,
        name="intermediary_finish",
    ),
    path(
        "projects/<int:pk>/intermediaries/<int:engagement_pk>/rate/",
        intermediary.rate,
        name="intermediary_rate",
    ),
    path(
        "projects/<int:pk>/intermediaries/<int:engagement_pk>/cancel/",
        intermediary.cancel,
        name="intermediary_cancel",
    ),
    path("verify/<str:number>/", public.verify, name="verify"),
]

from django.urls import path

from .views import applicant, clock, files, public, staff, walk_in, window

urlpatterns = [
    path("projects/", applicant.project_list, name="project_list"),
    path("projects/new/", applicant.project_create, name="project_create"),
    path("projects/<int:pk>/", applicant.project_detail, name="project_detail"),
    path("projects/<int:project_pk>/start/", applicant.application_start, name="application_start"),
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
    path("staff/tasks/<int:pk>/", staff.task_detail, name="task_detail"),
    path("staff/tasks/<int:pk>/claim/", staff.task_claim, name="task_claim"),
    path("staff/tasks/<int:pk>/decide/", staff.task_decide, name="task_decide"),
    path("verify/<str:number>/", public.verify, name="verify"),
]

"""The REST API: the public catalogue, API tokens (authentication, scopes,
admin, rate limits), the whole journey through the API, and the same
visibility rules as the pages."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, Scope, hash_secret
from approvals import services
from approvals.models import Certificate, ReviewTask
from portal.models import Role, User
from stages.models import Department, Jurisdiction, MaterialRequirement, Matter, Stage

from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    ProjectFactory,
    complete_draft,
    sample_value,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_rate_counts(settings):
    """Rate-limit counts live in Redis; each test counts under its own prefix
    so earlier tests (and earlier runs) do not spend its budget."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"api-test-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


def bearer(user, *scopes, **fields):
    """An API client presenting a fresh token of `user` (all scopes unless given)."""
    _, text = ApiToken.objects.issue(user, "测试令牌", scopes or Scope.values, **fields)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


def accepted_application(clerk, pdf_bytes, **factory_fields):
    application = complete_draft(ApplicationFactory(**factory_fields), pdf_bytes)
    services.submit_application(application.pk, application.created_by)
    return services.accept_application(application.pk, clerk)


def approve_every_task(application):
    for task in ReviewTask.objects.filter(application=application).select_related("department"):
        reviewer = staff(Role.REVIEWER, "341000", task.department.code)
        services.claim_task(task.pk, reviewer)
        services.approve_task(task.pk, reviewer, "同意")


# The catalogue -------------------------------------------------------------


def test_catalogue_is_public_and_complete(catalog):
    anonymous = APIClient()
    listing = anonymous.get("/api/v1/stages/")
    assert listing.status_code == 200
    codes = [stage["code"] for stage in listing.data["results"]]
    assert codes[:4] == [
        "land-planning",
        "engineering-permit",
        "construction-permit",
        "completion-acceptance",
    ]
    stage = anonymous.get("/api/v1/stages/construction-permit/").data
    assert stage["lead_department"]["code"] == "housing"
    assert stage["prerequisites"][0]["code"]
    assert {"drawing-review", "construction-permit"} <= {m["code"] for m in stage["matters"]}
    assert any(m["kind"] == "construction-drawings" for m in stage["materials"])
    assert stage["form_fields"] and stage["situations"]
    assert stage["guide"]["process"] and stage["guide_url"].endswith("/guides/construction-permit/")
    assert anonymous.get("/api/v1/stages/no-such-stage/").status_code == 404


def test_a_token_reads_the_catalogue_only_with_its_scope(catalog):
    user = ApplicantFactory()
    assert bearer(user, Scope.APPLICATIONS_READ).get("/api/v1/stages/").status_code == 403
    assert bearer(user, Scope.CATALOG_READ).get("/api/v1/stages/").status_code == 200


# Tokens ----------------------------------------------------------------------


def test_token_authentication_refuses_every_kind_of_bad_token(catalog):
    user = ApplicantFactory()
    _, text = ApiToken.objects.issue(user, "有效", [Scope.APPLICATIONS_READ])
    prefix, secret = text.split(".")

    def status(header=None):
        extra = {"HTTP_AUTHORIZATION": header} if header else {}
        return APIClient().get("/api/v1/applications/", **extra)

    assert status(f"Bearer {text}").status_code == 200
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert status(f"Bearer {prefix}.{wrong}").status_code == 401
    assert status(f"Bearer 00000000.{secret}").status_code == 401
    assert status(f"Bearer {text} extra").status_code == 401
    assert status(f"Bearer {prefix}{secret}").status_code == 401
    missing = status()
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")

    _, expired = ApiToken.objects.issue(
        user, "过期", [Scope.APPLICATIONS_READ], expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert status(f"Bearer {expired}").status_code == 401
    revoked, revoked_text = ApiToken.objects.issue(user, "撤销", [Scope.APPLICATIONS_READ])
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    assert status(f"Bearer {revoked_text}").status_code == 401
    inactive = ApplicantFactory(is_active=False)
    _, inactive_text = ApiToken.objects.issue(inactive, "停用", [Scope.APPLICATIONS_READ])
    assert status(f"Bearer {inactive_text}").status_code == 401

    _, catalogue_only = ApiToken.objects.issue(user, "目录", [Scope.CATALOG_READ])
    refused = status(f"Bearer {catalogue_only}")
    assert refused.status_code == 403
    assert "applications:read" in refused.data["detail"]


def test_only_a_digest_is_stored_and_last_use_is_written_at_most_once_a_minute(catalog):
    token, text = ApiToken.objects.issue(ApplicantFactory(), "t", [Scope.APPLICATIONS_READ])
    secret = text.split(".", 1)[1]
    assert token.secret_hash == hash_secret(secret) and secret not in str(token.__dict__)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    assert token.last_used_at is None

    client.get("/api/v1/applications/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/applications/")
    assert not [q for q in captured if q["sql"].startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/applications/")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)


def test_a_browser_session_is_not_scope_limited_and_anonymous_is_refused(catalog):
    client = APIClient()
    assert client.get("/api/v1/applications/").status_code == 401
    client.force_login(ApplicantFactory())
    assert client.get("/api/v1/applications/").status_code == 200
    assert client.get("/api/v1/certificates/").status_code == 200


def test_admin_shows_the_secret_once_and_revokes(catalog, client):
    client.force_login(User.objects.create_superuser("root", "root@test.invalid", "pw-123456"))
    owner = ApplicantFactory()
    response = client.post(
        "/admin/api/apitoken/add/",
        {
            "owner": owner.pk,
            "name": "住建局系统对接",
            "scopes": [Scope.APPLICATIONS_READ],
            "expires_at_0": "2030-12-31",
            "expires_at_1": "00:00:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = " ".join(str(message) for message in response.context["messages"])
    text = re.search(rf"{token.prefix}\.[A-Za-z0-9_-]+", shown).group(0)
    assert token.secret_hash == hash_secret(text.split(".", 1)[1])
    assert token.created_by.username == "root" and token.scopes == ["applications:read"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    assert api.get("/api/v1/applications/").status_code == 200

    change_page = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert text.split(".", 1)[1] not in change_page
    client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/v1/applications/").status_code == 401


# The journey ---------------------------------------------------------------


def test_the_whole_journey_through_the_api(catalog, clerk, pdf_bytes):
    applicant = ApplicantFactory()
    api = bearer(
        applicant, Scope.APPLICATIONS_READ, Scope.APPLICATIONS_WRITE, Scope.CERTIFICATES_READ
    )
    project = api.post(
        "/api/v1/projects/",
        {
            "code": "2105-341002-47-01-000777",
            "name": "黄山市接口示范工程",
            "jurisdiction": "341002",
            "address": "屯溪区黎阳路2号",
            "total_investment": "8000.00",
        },
        format="json",
    )
    assert project.status_code == 201, project.data
    start = f"/api/v1/projects/{project.data['id']}/applications/"
    started = api.post(start, {"stage": "land-planning"}, format="json")
    assert started.status_code == 201, started.data
    assert started.data["state"] == "draft"
    url = f"/api/v1/applications/{started.data['id']}/"
    again = api.post(start, {"stage": "land-planning"}, format="json")
    assert again.status_code == 200 and again.data["id"] == started.data["id"]

    early = api.post(url + "submit/")
    assert early.status_code == 400 and early.data["problems"], early.data

    half = api.put(url + "situations/", {"needs-eia": False}, format="json")
    assert half.status_code == 400 and "needs-soil-water" in half.data["errors"]
    answers = {"needs-eia": False, "needs-soil-water": False}
    answered = api.put(url + "situations/", answers, format="json")
    assert answered.status_code == 200 and answered.data["situation_answers"] == answers

    fields = APIClient().get("/api/v1/stages/land-planning/").data["form_fields"]
    wrong = api.patch(url + "form/", {"contact_phone": "12345"}, format="json")
    assert wrong.status_code == 400 and "contact_phone" in wrong.data["errors"], wrong.data
    values = {field["key"]: sample_value(field) for field in fields}
    values["planned_end"] = "2028-06-30"
    saved = api.patch(url + "form/", values, format="json")
    assert saved.status_code == 200, saved.data
    assert saved.data["form_data"]["contact_phone"] == values["contact_phone"]

    for requirement in saved.data["required_materials"]:
        if not requirement["mandatory"] or requirement["generated"]:
            continue
        upload = SimpleUploadedFile(f"{requirement['kind']}.pdf", pdf_bytes, "application/pdf")
        response = api.post(
            url + "materials/", {"kind": requirement["kind"], "file": upload}, format="multipart"
        )
        assert response.status_code == 201, response.data
        assert response.data["sha256"]

    undeclared = api.post(url + "submit/")
    assert undeclared.status_code == 400
    assert any("承诺书" in problem for problem in undeclared.data["problems"])
    submitted = api.post(url + "submit/", {"declaration": True}, format="json")
    assert submitted.status_code == 200, submitted.data
    assert submitted.data["state"] == "submitted" and submitted.data["number"]
    twice = api.post(url + "submit/")
    assert twice.status_code == 409 and "操作未执行" in twice.data["detail"]

    window = bearer(clerk, Scope.WINDOW_DECIDE)
    accepted = window.post(url + "accept/", {"comment": "材料齐全"}, format="json")
    assert accepted.status_code == 200, accepted.data
    assert accepted.data["state"] == "in_review" and accepted.data["due_on"]
    assert window.post(url + "accept/").status_code == 409

    tasks = accepted.data["tasks"]
    assert len(tasks) == 3 and {t["state"] for t in tasks} == {"pending"}
    for task in tasks:
        desk = bearer(staff(Role.REVIEWER, "341000", task["department"]["code"]), "tasks:decide")
        inbox = desk.get("/api/v1/tasks/?state=open").data["results"]
        assert task["id"] in [row["id"] for row in inbox]
        claimed = desk.post(f"/api/v1/tasks/{task['id']}/claim/")
        assert claimed.status_code == 200 and claimed.data["state"] == "reviewing"
        approved = desk.post(
            f"/api/v1/tasks/{task['id']}/approve/", {"opinion": "符合要求"}, format="json"
        )
        assert approved.status_code == 200 and approved.data["state"] == "approved"

    final = api.get(url).data
    assert final["state"] == "approved"
    assert {t["state"] for t in final["tasks"]} == {"approved"}
    steps = [
        entry["transition"] for entry in final["timeline"] if entry["subject"] == "application"
    ]
    assert steps == ["submit", "accept", "approve"]
    certificates = api.get("/api/v1/certificates/").data["results"]
    assert len(certificates) == 2 and {c["rendered"] for c in certificates} == {False}

    number = certificates[0]["number"]
    verify = f"/api/v1/certificates/verify/{number}/"
    assert APIClient().get(verify).status_code == 404  # not rendered yet
    Certificate.objects.filter(number=number).update(rendered_at=timezone.now(), sha256="ab" * 32)
    verified = APIClient().get(verify)
    assert verified.status_code == 200
    assert set(verified.data) == {
        "valid",
        "state",
        "number",
        "certificate_type",
        "project",
        "enterprise",
        "issuer",
        "issued_on",
        "sha256",
    }
    assert applicant.last_name not in str(verified.data)
    assert APIClient().get("/api/v1/certificates/verify/NO-SUCH-NUMBER/").status_code == 404


def test_a_rejection_needs_a_reason(catalog, clerk, pdf_bytes):
    application = accepted_application(clerk, pdf_bytes)
    task = application.tasks.filter(mandatory=True).first()
    desk = bearer(staff(Role.REVIEWER, "341000", task.department.code), "tasks:decide")
    desk.post(f"/api/v1/tasks/{task.pk}/claim/")
    blank = desk.post(f"/api/v1/tasks/{task.pk}/reject/", {"opinion": " "}, format="json")
    assert blank.status_code == 400 and blank.data["detail"]
    rejected = desk.post(f"/api/v1/tasks/{task.pk}/reject/", {"opinion": "不符合规定"})
    assert rejected.status_code == 200 and rejected.data["state"] == "rejected"


# Who sees what --------------------------------------------------------------


def test_another_enterprise_gets_404_on_every_object(catalog, clerk, pdf_bytes):
    application = accepted_application(clerk, pdf_bytes)
    approve_every_task(application)
    task = application.tasks.first()
    certificate = Certificate.objects.get(application=application)
    project = application.project
    intruder = bearer(ApplicantFactory())
    a = f"/api/v1/applications/{application.pk}/"
    t = f"/api/v1/tasks/{task.pk}/"
    walk = [
        ("get", f"/api/v1/projects/{project.pk}/"),
        ("post", f"/api/v1/projects/{project.pk}/applications/"),
        ("get", a),
        ("put", a + "situations/"),
        ("patch", a + "form/"),
        ("post", a + "materials/"),
        ("post", a + "submit/"),
        ("post", a + "accept/"),
        ("get", t),
        ("post", t + "claim/"),
        ("post", t + "approve/"),
        ("post", t + "reject/"),
        ("get", f"/api/v1/certificates/{certificate.pk}/"),
    ]
    for method, url in walk:
        response = getattr(intruder, method)(url, {}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    for listing in ("projects", "applications", "certificates"):
        assert intruder.get(f"/api/v1/{listing}/").data["count"] == 0, listing


def test_staff_see_their_own_only(catalog, clerk, pdf_bytes):
    application = accepted_application(clerk, pdf_bytes)
    task = application.tasks.filter(department__code="housing").first()
    other_department = bearer(staff(Role.REVIEWER, "341000", "gas"))
    assert other_department.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    assert other_department.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 404
    own_department = bearer(staff(Role.REVIEWER, "341000", "housing"))
    assert own_department.get(f"/api/v1/tasks/{task.pk}/").status_code == 200

    other_district = ApplicationFactory(
        project=ProjectFactory(jurisdiction=Jurisdiction.objects.get(code="341003"))
    )
    complete_draft(other_district, pdf_bytes)
    services.submit_application(other_district.pk, other_district.created_by)
    tunxi_clerk = bearer(staff(Role.CLERK, "341002", "data"))
    assert tunxi_clerk.post(f"/api/v1/applications/{other_district.pk}/accept/").status_code == 404


def test_each_role_is_refused_what_is_not_its_work(catalog, clerk, pdf_bytes):
    application = complete_draft(ApplicationFactory(), pdf_bytes)
    url = f"/api/v1/applications/{application.pk}/"
    services.submit_application(application.pk, application.created_by)
    own = bearer(application.created_by)
    assert own.post(url + "accept/").status_code == 403
    assert own.get("/api/v1/tasks/").status_code == 403
    window = bearer(clerk)
    assert window.get(url).status_code == 200
    assert window.patch(url + "form/", {}, format="json").status_code == 403
    assert window.post(url + "submit/").status_code == 403
    assert window.get("/api/v1/projects/").status_code == 403


# Rate limits and queries -----------------------------------------------------


def test_rate_limits_answer_429_per_token_and_per_address(catalog, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "user": "3/min", "anon": "2/min"},
    }
    user = ApplicantFactory()
    first, second = bearer(user), bearer(user)
    responses = [first.get("/api/v1/applications/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert int(responses[-1]["Retry-After"]) > 0
    assert second.get("/api/v1/applications/").status_code == 200  # its own budget
    anonymous = APIClient()
    assert [anonymous.get("/api/v1/stages/").status_code for _ in range(3)] == [200, 200, 429]


def test_a_cache_outage_does_not_stop_the_api(catalog, settings):
    unreachable = {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    settings.CACHES = {**settings.CACHES, "default": unreachable}
    assert APIClient().get("/api/v1/stages/").status_code == 200


def queries_for(client, url):
    assert client.get(url).status_code == 200  # the token's last use is written once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_list_endpoints_run_a_fixed_number_of_queries(catalog, clerk, pdf_bytes):
    applicant = ApplicantFactory()
    reviewer = staff(Role.REVIEWER, "341000", "housing")
    clients = {
        "/api/v1/projects/": bearer(applicant),
        "/api/v1/applications/": bearer(applicant),
        "/api/v1/certificates/": bearer(applicant),
        "/api/v1/tasks/": bearer(reviewer),
        "/api/v1/stages/": bearer(applicant),
    }

    def add_applications(count):
        for _ in range(count):
            project = ProjectFactory(enterprise=applicant.enterprise, created_by=applicant)
            application = accepted_application(clerk, pdf_bytes, project=project)
            approve_every_task(application)

    add_applications(1)
    few = {url: queries_for(client, url) for url, client in clients.items()}
    add_applications(2)
    stage = Stage.objects.get(code="land-planning")
    Matter.objects.create(
        stage=stage,
        code="extra",
        name="额外事项",
        department=Department.objects.get(code="housing"),
        time_limit_working_days=1,
    )
    MaterialRequirement.objects.create(stage=stage, kind="extra", name="额外材料")
    many = {url: queries_for(client, url) for url, client in clients.items()}
    assert many == few
    assert max(few.values()) <= 12, few

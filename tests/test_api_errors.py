"""Bad input to the API: every error is JSON with a stable `code` and a
`detail` in the caller's language (Accept-Language; Chinese by default);
a list's query string is checked like a body, naming what is wrong."""

import uuid

import pytest

from api.models import Scope
from approvals import services
from approvals.models import Application

from .factories import ApplicantFactory, ApplicationFactory, ProjectFactory, complete_draft
from .test_api import accepted_application, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_rate_counts(settings):
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"api-test-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


def english(client):
    client.credentials(HTTP_ACCEPT_LANGUAGE="en", **client._credentials)
    return client


# Query strings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
        ("page=0", "page"),
        ("page=last", "page"),
        ("state=approvd", "state"),
        ("project=abc", "project"),
        ("sort=-created_at", "sort"),
        ("state=draft&state=submitted", "state"),
    ],
)
def test_a_list_refuses_a_query_it_cannot_honour_naming_the_parameter(catalog, query, parameter):
    client = bearer(ApplicantFactory())
    answer = client.get(f"/api/v1/applications/?{query}")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["code"] == "invalid"
    assert list(answer.json()["errors"]) == [parameter]


def test_valid_filters_and_pages_still_work(catalog, pdf_bytes):
    draft = ApplicationFactory()
    applicant = draft.created_by
    other = ProjectFactory(enterprise=applicant.enterprise, created_by=applicant)
    submitted = complete_draft(ApplicationFactory(project=other, created_by=applicant), pdf_bytes)
    services.submit_application(submitted.pk, applicant)
    client = bearer(applicant)
    listed = client.get("/api/v1/applications/?state=submitted&page_size=1&page=1").json()
    assert [row["id"] for row in listed["results"]] == [submitted.pk]
    by_project = client.get(f"/api/v1/applications/?project={draft.project_id}").json()
    assert [row["id"] for row in by_project["results"]] == [draft.pk]
    assert client.get("/api/v1/applications/?page=9").json()["code"] == "not_found"
    assert bearer(ApplicantFactory()).get("/api/v1/stages/?page_size=100").status_code == 200


def test_an_unknown_address_or_method_answers_json(catalog):
    client = bearer(ApplicantFactory())
    missing = client.post("/api/v1/applications/1.5/submit/", {})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.get("/api/v1/nothing-here/").json() == {"code": "not_found", "detail": "未找到。"}
    method = client.delete("/api/v1/stages/")
    assert method.status_code == 405 and method.json()["code"] == "method_not_allowed"
    assert method["Allow"] == "GET, HEAD, OPTIONS"
    form = client.post(
        "/api/v1/projects/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert form.status_code == 415 and form.json()["code"] == "unsupported_media_type"


# Translated messages ---------------------------------------------------------


def test_a_validation_error_in_english(catalog):
    invalid = english(bearer(ApplicantFactory())).post("/api/v1/projects/", {"name": "   "})
    assert invalid.status_code == 400
    body = invalid.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "The submitted data contains errors. Please check it."
    assert body["errors"]["name"] == ["This field may not be blank."]
    assert body["errors"]["jurisdiction"] == ["This field is required."]


def test_an_unknown_query_parameter_in_english(catalog):
    answer = english(bearer(ApplicantFactory())).get("/api/v1/applications/?colour=red")
    assert answer.json()["errors"] == {"colour": ["Unknown query parameter."]}


def test_a_missing_scope_in_english(catalog):
    reader = english(bearer(ApplicantFactory(), Scope.APPLICATIONS_READ))
    scope = reader.post("/api/v1/projects/", {"name": "x"})
    assert scope.status_code == 403
    assert scope.json() == {
        "code": "permission_denied",
        "detail": "The token is missing scopes: applications:write",
    }


def test_a_missing_object_in_english(catalog):
    missing = english(bearer(ApplicantFactory())).get("/api/v1/applications/999999/")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "detail": "Not found."}


def test_a_state_conflict_in_english(catalog, clerk, pdf_bytes):
    application = accepted_application(clerk, pdf_bytes)
    twice = english(bearer(clerk)).post(f"/api/v1/applications/{application.pk}/accept/", {})
    assert twice.status_code == 409
    body = twice.json()
    assert body["code"] == "state_conflict"
    assert body["detail"].startswith("Not done: the status is already “Under review”"), body
    assert Application.objects.get(pk=application.pk).state == "in_review"


def test_chinese_is_the_default(catalog):
    answer = bearer(ApplicantFactory()).get("/api/v1/applications/?colour=red").json()
    assert answer["detail"] == "提交的内容有误，请检查。"
    assert answer["errors"] == {"colour": ["未知的查询参数。"]}

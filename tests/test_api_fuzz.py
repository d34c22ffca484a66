"""A property-based run of the API against its own OpenAPI schema
(Schemathesis on Hypothesis), on a live server with real tokens: for a
bounded number of generated requests per operation, nothing answers 500
and every answer — status, content type, body — is one the schema
documents. Path parameters point at real objects so the requests reach
the code behind them, not only the 404."""

import uuid

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken, Scope
from approvals import services
from approvals.models import Certificate
from portal.models import Role

from .factories import ApplicationFactory, ProjectFactory, complete_draft, staff

pytestmark = [pytest.mark.django_db(transaction=True)]
EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def own_rate_counts(settings):
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"api-fuzz-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


def token(user):
    return ApiToken.objects.issue(user, "fuzz", Scope.values)[1]


@pytest.fixture
def world(catalog, clerk, pdf_bytes):
    """An applicant with applications at every point of their life: a
    draft, submitted, in correction, in review with tasks, decided with a
    rendered certificate; and the clerk and a reviewer who work on them."""
    draft = ApplicationFactory()
    applicant = draft.created_by
    project = draft.project

    def another(state):
        application = ApplicationFactory(
            project=ProjectFactory(enterprise=applicant.enterprise, created_by=applicant),
            created_by=applicant,
        )
        complete_draft(application, pdf_bytes)
        services.submit_application(application.pk, applicant)
        if state != "submitted":
            services.accept_application(application.pk, clerk)
        return application

    submitted = another("submitted")
    correcting = another("submitted")
    services.request_correction(
        correcting.pk,
        clerk,
        [{"target": "field:contact_phone", "label": "联系电话", "problem": "请填写手机号"}],
    )
    in_review = another("in_review")
    task = in_review.tasks.select_related("department").first()
    reviewer = staff(Role.REVIEWER, "341000", task.department.code)
    decided = another("in_review")
    for each in decided.tasks.select_related("department"):
        desk = staff(Role.REVIEWER, "341000", each.department.code)
        services.claim_task(each.pk, desk)
        services.approve_task(each.pk, desk, "同意")
    certificate = Certificate.objects.filter(application=decided).first()
    Certificate.objects.filter(pk=certificate.pk).update(  # rendering is the worker's
        rendered_at=timezone.now(), sha256="ab" * 32
    )
    return {
        "tokens": {
            "applicant": token(applicant),
            "clerk": token(clerk),
            "reviewer": token(reviewer),
        },
        "ids": {
            "/api/v1/stages/": "construction-permit",
            "/api/v1/projects/": project.pk,
            "/api/v1/applications/": [
                draft.pk,
                submitted.pk,
                correcting.pk,
                in_review.pk,
                decided.pk,
            ],
            "/api/v1/tasks/": task.pk,
            "/api/v1/certificates/verify/": certificate.number,
            "/api/v1/certificates/": certificate.pk,
        },
    }


def role_for(operation):
    tags = operation.definition.raw.get("tags", [])
    if "window" in tags:
        return "clerk"
    if "tasks" in tags:
        return "reviewer"
    return "applicant"


def real_object(path, ids, draw_index):
    for prefix, value in ids.items():
        if path.startswith(prefix):
            return value[draw_index % len(value)] if isinstance(value, list) else value
    return None


def exercise(operation, mode, base_url, headers, ids):
    """Up to EXAMPLES_PER_OPERATION generated requests; raises on the first
    failing check (Hypothesis shrinks it to a minimal request first)."""
    drawn = iter(range(10**6))

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        value = real_object(operation.path, ids, next(drawn))
        if value is not None:
            for name in case.path_parameters or {}:
                case.path_parameters[name] = value
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    call()


def test_the_api_answers_every_generated_request_as_its_schema_says(live_server, world):
    document = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = schemathesis.openapi.from_dict(document.json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures = []
    for operation in operations:
        headers = {"Authorization": f"Bearer {world['tokens'][role_for(operation)]}"}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                exercise(operation, mode, live_server.url, headers, world["ids"])
            except (Exception, BaseExceptionGroup) as error:  # report every failure at once
                name = f"{mode.value} {operation.method.upper()} {operation.path}"
                failures.append(f"{name}:\n{error}")
    assert not failures, "\n\n".join(failures)

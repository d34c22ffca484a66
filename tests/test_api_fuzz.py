"""A property-based run of the API against its own OpenAPI schema
(Schemathesis on Hypothesis), on a live server with real tokens: for a
bounded number of generated requests per operation, nothing answers 500,
every answer — status, content type, body — is one the schema documents,
data the schema calls valid is not refused as malformed and data it calls
invalid is refused, and a method an operation lacks is a 405 with Allow.
Besides random requests, a sample of Schemathesis's coverage cases (edge
values, wrong types, missing and unexpected properties, other methods) per
operation. Path parameters point at real objects so the requests reach
the code behind them, not only the 404."""

import uuid
from fnmatch import fnmatch

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import CoverageScenario

from api.models import ApiToken, Scope
from approvals import services
from approvals.models import Certificate
from portal.models import Role

from .factories import ApplicationFactory, ProjectFactory, complete_draft, staff

pytestmark = [pytest.mark.django_db(transaction=True)]
EXAMPLES_PER_OPERATION = 10
COVERAGE_CASES_PER_OPERATION = 12
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]

# What no schema can say, so a request it calls valid may still be a 400
# naming the field: a reference to a row that must exist (a jurisdiction, a
# stage, a material kind of this application), the stage's own situations
# and form fields, a rule across fields (who collects or where to mail), and
# whether the application's state allows it (`refused`, `incomplete`). Any
# other 400 for schema-valid data is a defect of the schema or the API.
BEYOND_SCHEMA = {
    # The project code's year/month rules and its uniqueness per enterprise.
    "POST /api/v1/projects/": {"code", "jurisdiction", "flow_type"},
    "POST /api/v1/projects/{id}/applications/": {"stage"},
    "PUT /api/v1/applications/{id}/situations/": {"*"},
    "PATCH /api/v1/applications/{id}/form/": {"*", "refused"},
    "POST /api/v1/applications/{id}/materials/": {"refused"},
    "POST /api/v1/applications/{id}/submit/": {"incomplete", "refused"},
    "POST /api/v1/applications/{id}/accept-with-deficiency/": {"missing", "refused"},
    "POST /api/v1/applications/{id}/request-correction/": {"items.*.target"},
    "POST /api/v1/applications/{id}/deliver/": {
        "collector_name",
        "collector_id_last4",
        "carrier",
        "tracking_number",
        "address",
    },
}


def refused_beyond_schema(case, response):
    allowed = BEYOND_SCHEMA.get(f"{case.operation.method.upper()} {case.operation.path}", set())
    body = response.json()
    if body["code"] != "invalid":
        return body["code"] in allowed
    return all(any(fnmatch(name, pattern) for pattern in allowed) for name in body["errors"])


def positive_data_accepted(ctx, response, case):
    """Schemathesis's positive_data_acceptance, except for BEYOND_SCHEMA."""
    if response.status_code == 400 and refused_beyond_schema(case, response):
        return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_accepted,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
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


def point_at_real_objects(case, ids, draw_index):
    """Valid path parameters become real objects; invalid ones (a negative
    case about the path) are left to be refused."""
    path = case.meta.components.get(ParameterLocation.PATH)
    value = real_object(case.operation.path, ids, draw_index)
    if value is not None and (path is None or path.mode.is_positive):
        for name in case.path_parameters or {}:
            case.path_parameters[name] = value


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
        point_at_real_objects(case, ids, next(drawn))
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    call()


def coverage_sample(schema, operation):
    """Every other-method probe, and an evenly spread, fixed sample of the
    rest of Schemathesis's coverage cases (all of them would take minutes)."""
    cases = list(
        schema.iter_coverage_cases(
            operation,
            generation_modes=MODES,
            generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        )
    )
    methods = [c for c in cases if c.meta.phase.data.scenario == METHOD_PROBE]
    rest = [c for c in cases if c.meta.phase.data.scenario != METHOD_PROBE]
    step = max(1, len(rest) // COVERAGE_CASES_PER_OPERATION)
    return methods + rest[::step][:COVERAGE_CASES_PER_OPERATION]


METHOD_PROBE = CoverageScenario.UNSPECIFIED_HTTP_METHOD


def test_the_api_answers_every_generated_request_as_its_schema_says(live_server, world):
    document = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = schemathesis.openapi.from_dict(document.json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures = []
    for operation in operations:
        headers = {"Authorization": f"Bearer {world['tokens'][role_for(operation)]}"}
        name = f"{operation.method.upper()} {operation.path}"
        for mode in MODES:
            try:
                exercise(operation, mode, live_server.url, headers, world["ids"])
            except (Exception, BaseExceptionGroup) as error:  # report every failure at once
                failures.append(f"{mode.value} {name}:\n{error}")
        for index, case in enumerate(coverage_sample(schema, operation)):
            point_at_real_objects(case, world["ids"], index)
            try:
                case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"coverage {name}:\n{error}")
    assert not failures, "\n\n".join(failures)

"""Errors as JSON, always with a stable `code` a program can branch on and
a `detail` a person can read (translated):

- invalid input → 400 `{"code": "invalid", "detail", "errors": {field: [messages]}}`;
- a business rule refusing → 400 `{"code": "refused" | "incomplete", "detail", "problems"}`;
- StateConflict → 409 `{"code": "state_conflict", ...}`;
- not signed in, no permission or scope, not visible, too many requests →
  401/403/404/429 with DRF's own codes (`not_authenticated`,
  `authentication_failed`, `permission_denied`, `not_found`, `throttled`, …)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from approvals.services import ServiceError, StateConflict, SubmissionIncomplete


def service_error_code(exc):
    if isinstance(exc, StateConflict):
        return "state_conflict"
    if isinstance(exc, SubmissionIncomplete):
        return "incomplete"
    return "refused"


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        code = status.HTTP_409_CONFLICT if isinstance(exc, StateConflict) else 400
        return Response(
            {
                "code": service_error_code(exc),
                "detail": exc.message,
                "problems": [str(p) for p in exc.problems],
            },
            status=code,
        )
    if isinstance(exc, DjangoValidationError):
        # A model's own clean() refusing a value the form let through.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": _("提交的内容有误，请检查。"),
            "errors": flat_errors(response.data),
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"code": _code_of(exc), "detail": str(response.data["detail"])}
    return response


@csrf_exempt  # a POST to nowhere is a 404 too, not the CSRF page
def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no resource (the site's 404
    page is HTML)."""
    error = exceptions.NotFound()
    return JsonResponse({"code": error.default_code, "detail": str(error.detail)}, status=404)


def _code_of(exc):
    detail = getattr(exc, "detail", None)
    return getattr(detail, "code", None) or getattr(exc, "default_code", "error")


def flat_errors(errors, prefix=""):
    """Nested serializer errors as `{"items.0.target": [messages]}`, so every
    error answer has the one documented shape."""
    if isinstance(errors, dict):
        items = errors.items()
    elif isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        items = enumerate(errors)
    else:
        messages = errors if isinstance(errors, list) else [errors]
        return {prefix or "non_field_errors": [str(m) for m in messages]}
    flat = {}
    for key, value in items:
        nested = prefix if key == "non_field_errors" and prefix else f"{prefix}.{key}".lstrip(".")
        flat.update(flat_errors(value, nested))
    return flat

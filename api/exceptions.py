"""Errors as JSON, always with a `detail` a person can read (translated):

- ServiceError → 400 `{"detail", "problems"}`; StateConflict → 409;
- invalid input → 400 `{"detail", "errors": {field: [messages]}}`;
- PermissionDenied → 403, not visible → 404, as DRF does."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from approvals.services import ServiceError, StateConflict


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        code = status.HTTP_409_CONFLICT if isinstance(exc, StateConflict) else 400
        return Response({"detail": exc.message, "problems": exc.problems}, status=code)
    if isinstance(exc, DjangoValidationError):
        # A model's own clean() refusing a value the form let through.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response.data = {"detail": _("提交的内容有误，请检查。"), "errors": errors}
    return response

"""OpenAPI description: the Bearer token scheme, and the error answers any
operation can give whatever its own view declares — a bad or expired token
(401), a missing scope (403), too many requests (429), an Accept header
it cannot satisfy (406), a page past the end (404), a query string a list
does not accept (400), a body that is not JSON or not of an accepted type
(400, 415) — so a client (and the schema-driven fuzz test) meets no
undocumented status.

Request fields are described as DRF reads them, so a value the schema
calls valid is not refused as malformed: text never contains NUL, required
text must contain more than spaces (DRF trims it), and a decimal string
must contain a digit."""

from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from .views.base import errors

# No NUL anywhere (DRF refuses it) and, unless blank is allowed, at least
# one character str.strip() keeps: not whitespace, nor the separators
# \x1c-\x1f and \x85 it also strips.
NO_NUL = r"^[^\u0000]*$"
SAYS_SOMETHING = r"^[^\u0000]*[^\s\u0000\u001c-\u001f\u0085][^\u0000]*$"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "<prefix>.<secret>",
            "description": "令牌在管理后台创建，只在创建时显示一次。",
        }


def decimal_pattern(field):
    whole = field.max_whole_digits
    places = field.decimal_places
    number = rf"(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})"
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    empty = "|" if field.allow_null else ""  # DRF reads "" as null here
    return rf"^(?:{sign}{number}{empty})$"


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = [401, 403, 406, 429]
        if "{" in self.path or self._is_list_view():
            codes.append(404)
        if self._is_list_view():
            codes.append(400)
        if self.method in ("POST", "PUT", "PATCH"):
            codes += [400, 415]
        for code, response in errors(*codes).items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code))
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not isinstance(schema, dict) or field.read_only:
            return schema
        if isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
            if field.max_whole_digits is not None:
                schema["pattern"] = decimal_pattern(field)
        elif (
            isinstance(field, serializers.CharField)
            and not {"pattern", "format", "enum"} & schema.keys()
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            blank = field.allow_blank or not field.trim_whitespace
            schema["pattern"] = NO_NUL if blank else SAYS_SOMETHING
        return schema

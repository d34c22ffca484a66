"""OpenAPI description: the Bearer token scheme, and the error answers any
operation can give whatever its own view declares — a bad or expired token
(401), a missing scope (403), too many requests (429), a page past the end
(404), a body that is not JSON or not of an accepted type (400, 415) —
so a client (and the schema-driven fuzz test) meets no undocumented status."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .views.base import errors


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


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = [401, 403, 429]
        if "{" in self.path or self._is_list_view():
            codes.append(404)
        if self.method in ("POST", "PUT", "PATCH"):
            codes += [400, 415]
        for code, response in errors(*codes).items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code))
        return responses

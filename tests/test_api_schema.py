"""The OpenAPI schema: served, valid OpenAPI 3, generated without warnings,
with the docs pages; and every API action declares the scopes a token needs."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from api.models import Scope
from api.permissions import required_scopes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def own_rate_counts(settings):
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"api-test-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.mark.django_db
def test_schema_endpoint_serves_valid_openapi_3():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    paths = schema["paths"]
    for path in (
        "/api/v1/stages/{code}/",
        "/api/v1/projects/{id}/applications/",
        "/api/v1/applications/{id}/form/",
        "/api/v1/applications/{id}/accept/",
        "/api/v1/tasks/{id}/approve/",
        "/api/v1/certificates/verify/{number}/",
    ):
        assert path in paths, path
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    upload = paths["/api/v1/applications/{id}/materials/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload


@pytest.mark.django_db
def test_docs_pages_are_served():
    client = APIClient()
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/docs/redoc/").status_code == 200


def test_schema_generates_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn`, in a fresh process
    so warnings counted by earlier tests cannot leak in."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yaml"),
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stderr, result.stderr
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")


def _api_views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            yield pattern.callback


def test_every_api_action_declares_its_scopes():
    """A token is refused where nothing is declared; this keeps a new action
    from shipping unusable (or, worse, from being declared by accident)."""
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if str(p.pattern) == "api/")
    checked = 0
    for callback in _api_views(api.url_patterns):
        view = callback.cls()
        if view.__module__.startswith("drf_spectacular"):
            continue
        actions = (callback.actions or {}).values() if hasattr(callback, "actions") else [None]
        for name in actions:
            view.action = name
            declared = required_scopes(view)
            assert declared is not None, (callback.cls.__name__, name)
            assert set(declared) <= set(Scope.values), (callback.cls.__name__, name)
            checked += 1
    assert checked >= 20

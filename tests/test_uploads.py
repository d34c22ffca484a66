"""Uploads: type by content, not by name; size limit; nothing lost on refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import Material

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def draft(catalog, client):
    application = ApplicationFactory()
    client.force_login(application.created_by)
    return application


def upload(client, application, name, content):
    return client.post(
        f"/applications/{application.pk}/materials/",
        {"kind": "construction-drawings", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_real_pdf_is_stored_under_our_name(client, draft, pdf_bytes):
    response = upload(client, draft, "../../etc/施工图.pdf", pdf_bytes)
    assert "材料已上传" in response.content.decode()
    material = Material.objects.get(application=draft)
    assert material.content_type == "application/pdf"
    assert material.kind == "construction-drawings"
    assert material.original_name == "施工图.pdf"
    assert material.file.name.startswith(f"materials/{draft.pk}/")
    assert ".." not in material.file.name


def test_executable_disguised_as_pdf_is_refused(client, draft):
    response = upload(client, draft, "drawings.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Material.objects.exists()


def test_format_the_requirement_does_not_accept_is_refused(client, draft):
    response = upload(client, draft, "drawings.png", PNG)
    assert "只接受 PDF、DWG 格式" in response.content.decode()
    assert not Material.objects.exists()


def test_png_named_pdf_is_refused_as_mismatch(client, draft):
    response = upload(client, draft, "drawings.pdf", PNG)
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Material.objects.exists()


def test_oversized_file_is_refused(client, draft, pdf_bytes, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 100  # tighter than the requirement's own limit
    response = upload(client, draft, "big.pdf", pdf_bytes + b"0" * 200)
    assert "文件过大" in response.content.decode()
    assert not Material.objects.exists()


def test_material_download_is_private(client, draft, pdf_bytes):
    upload(client, draft, "a.pdf", pdf_bytes)
    material = Material.objects.get()
    url = f"/applications/{draft.pk}/materials/{material.pk}/"
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to login
    other = ApplicationFactory()
    client.force_login(other.created_by)
    assert client.get(url).status_code == 404


def test_staff_preview_serves_pdf_inline_and_sandboxed(client, draft, pdf_bytes, catalog):
    from .factories import staff

    upload(client, draft, "a.pdf", pdf_bytes)
    material = Material.objects.get()
    client.force_login(staff("clerk", "341000", "data"))
    from approvals.models import Application

    Application.objects.filter(pk=draft.pk).update(state="submitted", number="T1")
    url = f"/applications/{draft.pk}/materials/{material.pk}/"
    assert "attachment" in client.get(url)["Content-Disposition"]
    inline = client.get(url + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert "sandbox" in inline["Content-Security-Policy"]
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    page = client.get(f"/applications/{draft.pk}/").content.decode()
    assert "?inline=1" in page

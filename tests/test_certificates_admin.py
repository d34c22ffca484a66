"""证照类型 in admin: what it prints, its layout and its template are checked
when saved, so a mistake is a clear admin error rather than a broken PDF at
issue time; the saved configuration can be previewed as a sample PDF."""

import re
import subprocess

import pytest
from django.contrib.auth import get_user_model

from stages.models import CertificateType

CHANGE = "/admin/stages/certificatetype/{}/change/"


@pytest.fixture
def admin_client(client, catalog):
    user = get_user_model().objects.create_superuser("certadmin", "a@test.invalid", "pw-123456")
    client.force_login(user)
    return client


@pytest.fixture
def permit(catalog):
    return CertificateType.objects.get(code="construction-permit")


def form_data(certificate_type, **changes):
    data = {
        "name": certificate_type.name,
        "code": certificate_type.code,
        "number_prefix": certificate_type.number_prefix,
        "number_format": certificate_type.number_format,
        "statement": certificate_type.statement,
        "printed_fields": certificate_type.printed_fields,
        "layout": certificate_type.layout,
        "page_size": certificate_type.page_size,
        "orientation": certificate_type.orientation,
        "custom_template": certificate_type.custom_template,
    }
    return data | changes


def save(admin_client, certificate_type, **changes):
    return admin_client.post(
        CHANGE.format(certificate_type.pk), form_data(certificate_type, **changes)
    )


def errors_of(response):
    assert response.status_code == 200, "expected the form back with errors"
    return " ".join(
        str(error)
        for form_errors in response.context["adminform"].form.errors.values()
        for error in form_errors
    )


@pytest.mark.django_db
def test_a_template_naming_a_missing_field_is_an_admin_error(admin_client, permit):
    template = (
        '{% extends "certificates/base.html" %}{% block body %}'
        '<h1>{{ title }}</h1>{{ number }}<img src="{{ qr }}">'
        "{{ form.general_contractor }} {{ form.no_such_field }} {{ project.owner_phone }}"
        "{% endblock %}"
    )
    message = errors_of(save(admin_client, permit, custom_template=template))
    assert "模板引用了不存在的字段" in message
    assert "form.no_such_field" in message and "project.owner_phone" in message
    assert "general_contractor" not in message  # a field of the 施工许可 form
    permit.refresh_from_db()
    assert permit.custom_template == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template, message",
    [
        ("{% if %}<p>{{ number }}</p>", "模板无法解析"),
        ("{% extends 'certificates/nowhere.html' %}", "模板无法解析"),
        ("<html><body>{{ title }}</body></html>", "证照编号"),
        ("<html><body>{{ title }} {{ number }}</body></html>", "核验二维码"),
    ],
)
def test_broken_or_incomplete_templates_are_refused(admin_client, permit, template, message):
    assert message in errors_of(save(admin_client, permit, custom_template=template))


@pytest.mark.django_db
def test_printed_fields_must_exist(admin_client, permit):
    message = errors_of(
        save(
            admin_client,
            permit,
            printed_fields="project.name\nproject.colour\nform.design_unit\nproject.name",
        )
    )
    assert "未知的印制字段来源“project.colour”" in message
    # design_unit belongs to the 工程建设许可 form, not to 施工许可 that issues this type.
    assert "design_unit" in message
    assert "印制字段重复：project.name" in message


@pytest.mark.django_db
def test_a_valid_configuration_saves_and_previews(admin_client, permit):
    response = save(
        admin_client,
        permit,
        number_format="{prefix}{division}{date}{seq:04d}",
        printed_fields="project.name\nenterprise.name|建设单位\nform.general_contractor\n"
        "form.supervisor_unit|监理单位\nform.contract_price|合同价格（万元）\nproject.address",
        statement="根据《中华人民共和国建筑法》第八条规定，经审查，本建筑工程符合施工条件，准予施工。",
        layout="permit",
        orientation="landscape",
    )
    assert response.status_code == 302, errors_of(response)
    permit.refresh_from_db()
    assert permit.printed_field_specs(permit.form_labels())[2] == (
        "form.general_contractor",
        "施工总承包单位",
    )
    preview = admin_client.get(f"/admin/stages/certificatetype/{permit.pk}/preview.pdf")
    assert preview["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=preview.content, capture_output=True, check=True
    ).stdout.decode()
    compact = re.sub(r"\s+", "", text)
    assert "建筑工程施工许可证" in compact and "〔施工总承包单位〕" in compact
    assert "准予施工" in compact


@pytest.mark.django_db
def test_a_custom_template_is_what_the_certificate_uses(catalog, permit):
    permit.custom_template = (
        '{% extends "certificates/standard.html" %}'
        "{% block style %}h1 { color: #004080; }{% endblock %}"
    )
    permit.full_clean()
    permit.save()
    html = permit.render_html(permit.sample_context())
    assert "#004080" in html and CertificateType.SAMPLE_NUMBER in html


@pytest.mark.django_db
def test_the_change_page_lists_the_issuing_matter(admin_client, permit):
    page = admin_client.get(CHANGE.format(permit.pk)).content.decode()
    assert "建筑工程施工许可证核发" in page
    assert "preview.pdf" in page

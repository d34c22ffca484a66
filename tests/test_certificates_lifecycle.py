"""What happens to a certificate after it is issued, and what anyone can see
of it: the public verify page (valid / revoked / superseded, no personal
data, 404 for anything that is not an issued number, the signature check),
revocation with a reason, amendment by a new version, and reuse as a
material of later stages only while in force."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from approvals import services
from approvals.models import Certificate, TransitionLog
from approvals.models.certificate import CertificateState
from approvals.services.certificates import amend_certificate, revoke_certificate
from approvals.tasks import render_certificate
from portal.models import Role
from stages.models import CertificateType, Stage

from .factories import staff
from .test_certificates import (  # noqa: F401 (fixtures)
    PROJECT_NAME,
    construction_project,
    media,
    pdf_text,
    signing_key,
    signing_key_files,
    site_selection,
)

PHONE = "13905590001"  # what complete_draft types into phone fields


@pytest.fixture
def officer(catalog):
    """A staff user allowed to revoke and amend certificates."""
    user = staff(Role.SUPERVISOR, "341000", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["revoke_certificate", "amend_certificate"])
    )
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def issued(catalog, media, signing_key, pdf_bytes):  # noqa: F811 (fixtures imported above)
    """A rendered, signed 用地预审与选址意见书 that also prints a phone number
    and a person's name, to prove the verify page leaves them out."""
    CertificateType.objects.filter(code="site-selection-opinion").update(
        printed_fields="project.name\nenterprise.name\nenterprise.legal_representative\n"
        "form.contact_phone\nproject.address"
    )
    project = construction_project()
    project.enterprise.phone = "0559-2345678"
    project.enterprise.save()
    return site_selection(project, pdf_bytes)


def verify_page(client, number):
    return client.get(f"/verify/{number}/")


# --- The public verify page ----------------------------------------------------


@pytest.mark.django_db
def test_a_valid_certificate_shows_its_facts_and_a_valid_signature(client, issued):
    response = verify_page(client, issued.number)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-state="valid"' in page
    assert 'data-status="valid"' in page  # the PAdES signature checks
    for fact in [issued.title, issued.number, PROJECT_NAME, issued.issuer, issued.sha256]:
        assert fact in page
    # The certificate itself prints the phone and the representative...
    assert PHONE in pdf_text(issued.pdf.path)
    # ...the public page never shows a person's name, phone or ID number.
    enterprise = issued.application.project.enterprise
    assert enterprise.legal_representative not in page
    assert PHONE not in page and "0559-2345678" not in page
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", page)
    assert not re.search(r"(?<![\dA-Z])\d{17}[\dXx](?![\dA-Z])", page)
    assert enterprise.credit_code not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number",
    [
        "YX341002202699999",  # well-formed, never issued
        "yx-unknown",
        "YX341002202600001 OR 1=1",
        "%E8%AF%81%E7%85%A7",  # 证照
        "..%2F..%2Fsettings",
        "A" * 41,
        "YX341002%00202600001",
    ],
)
def test_unknown_or_malformed_numbers_are_404(client, catalog, number):
    assert client.get(f"/verify/{number}/").status_code == 404


@pytest.mark.django_db
def test_a_certificate_not_yet_rendered_is_404(client, issued):
    Certificate.objects.filter(pk=issued.pk).update(rendered_at=None)
    assert verify_page(client, issued.number).status_code == 404


@pytest.mark.django_db
def test_a_tampered_file_fails_the_check(client, issued):
    path = issued.pdf.path
    with open(path, "r+b") as handle:
        handle.seek(2000)
        byte = handle.read(1)
        handle.seek(2000)
        handle.write(bytes([byte[0] ^ 0x01]))
    page = verify_page(client, issued.number).content.decode()
    assert 'data-status="invalid"' in page


@pytest.mark.django_db
def test_a_missing_file_is_reported_not_a_500(client, issued):
    issued.pdf.storage.delete(issued.pdf.name)
    response = verify_page(client, issued.number)
    assert response.status_code == 200
    assert 'data-status="unavailable"' in response.content.decode()


@pytest.mark.django_db
def test_the_verify_page_reads_a_bounded_number_of_queries(
    client, issued, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = verify_page(client, issued.number)
    assert response.status_code == 200 and issued.number in response.content.decode()


# --- Revocation ------------------------------------------------------------------


@pytest.mark.django_db
def test_revoking_with_a_reason(client, issued, officer):
    revoke_certificate(issued.pk, officer, "建设单位以欺骗手段取得，依法撤销。")
    issued.refresh_from_db()
    assert issued.state == CertificateState.REVOKED and issued.revoked_at
    page = verify_page(client, issued.number).content.decode()
    assert 'data-state="revoked"' in page
    assert "建设单位以欺骗手段取得，依法撤销。" in page
    log = TransitionLog.objects.for_object(issued).get()
    assert (log.transition, log.from_state, log.to_state) == ("revoke", "valid", "revoked")
    assert log.actor == officer


@pytest.mark.django_db
def test_revoking_needs_the_permission_a_reason_and_a_valid_certificate(issued, officer):
    clerk = staff(Role.CLERK, "341000", "data")
    with pytest.raises(PermissionDenied):
        revoke_certificate(issued.pk, clerk, "理由")
    with pytest.raises(services.ServiceError):
        revoke_certificate(issued.pk, officer, "  ")
    revoke_certificate(issued.pk, officer, "撤销")
    with pytest.raises(services.StateConflict):
        revoke_certificate(issued.pk, officer, "再次撤销")


# --- Amendment -------------------------------------------------------------------


@pytest.mark.django_db
def test_amending_issues_a_new_version_that_supersedes_the_old(client, issued, officer):
    new = amend_certificate(
        issued.pk, officer, {"project.name": "黄山市黎阳老街城市更新工程（变更后）"}, "项目名称变更"
    )
    issued.refresh_from_db()
    assert issued.state == CertificateState.SUPERSEDED
    assert (new.version, new.supersedes, new.state) == (2, issued, CertificateState.VALID)
    assert new.number != issued.number and new.certificate_type == issued.certificate_type
    # Rendering is the worker's; until then the old page names the new number.
    page = verify_page(client, issued.number).content.decode()
    assert 'data-state="superseded"' in page and new.number in page
    render_certificate(new.pk)
    new.refresh_from_db()
    page = verify_page(client, issued.number).content.decode()
    assert f'href="/verify/{new.number}/"' in page
    new_page = verify_page(client, new.number).content.decode()
    assert 'data-state="valid"' in new_page and "项目名称变更" in new_page
    text = re.sub(r"\s+", "", pdf_text(new.pdf.path))
    assert "黄山市黎阳老街城市更新工程（变更后）" in text
    assert issued.number in text  # 原证 … 同时失效
    # The old certificate is untouched: same file, same hash.
    assert issued.pdf.name != new.pdf.name


@pytest.mark.django_db
def test_an_amendment_must_change_something_and_cannot_fork(issued, officer):
    with pytest.raises(services.ServiceError):
        amend_certificate(issued.pk, officer, {"project.name": PROJECT_NAME}, "无变化")
    with pytest.raises(services.ServiceError):
        amend_certificate(issued.pk, officer, {"project.secret": "x"}, "未知字段")
    amend_certificate(issued.pk, officer, {"project.address": "新地址"}, "地址变更")
    with pytest.raises(services.StateConflict):  # the old one is superseded now
        amend_certificate(issued.pk, officer, {"project.address": "又一个地址"}, "再变更")


# --- Reuse in later stages -------------------------------------------------------------


@pytest.mark.django_db
def test_only_certificates_in_force_count_as_held(issued, officer, pdf_bytes):
    project = issued.application.project
    land_permit = Certificate.objects.get(
        application=issued.application, certificate_type__code="land-planning-permit"
    )
    held = Certificate.objects.held_type_ids
    assert held(project) == {issued.certificate_type_id, land_permit.certificate_type_id}
    new = amend_certificate(land_permit.pk, officer, {"project.address": "新地址"}, "地址变更")
    assert land_permit.certificate_type_id not in held(project)  # new one not rendered yet
    render_certificate(new.pk)
    assert land_permit.certificate_type_id in held(project)  # the new version counts
    revoke_certificate(new.pk, officer, "撤销")
    assert land_permit.certificate_type_id not in held(project)


@pytest.mark.django_db
def test_a_revoked_permit_no_longer_opens_the_next_stage(issued, officer):
    project = issued.application.project
    applicant = project.created_by
    land_permit = Certificate.objects.get(
        application=issued.application, certificate_type__code="land-planning-permit"
    )
    engineering = Stage.objects.get(code="engineering-permit")
    revoke_certificate(land_permit.pk, officer, "撤销")
    with pytest.raises(services.ServiceError) as error:
        services.create_application(project, engineering, applicant)
    assert "建设用地规划许可证" in str(error.value.problems)


# --- Admin -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_revokes_and_amends_through_its_pages(client, issued, django_user_model):
    admin = django_user_model.objects.create_superuser("certadmin", "a@test.invalid", "pw-123456")
    client.force_login(admin)
    change = f"/admin/approvals/certificate/{issued.pk}/change/"
    page = client.get(change).content.decode()
    assert f"/admin/approvals/certificate/{issued.pk}/revoke/" in page
    assert client.get(f"/admin/approvals/certificate/{issued.pk}/amend/").status_code == 200
    values = {f"field_{i}": v for i, v in _printed_values(issued).items()}
    response = client.post(
        f"/admin/approvals/certificate/{issued.pk}/amend/",
        values | {"field_0": "黄山市老街更新工程", "reason": "项目名称变更"},
    )
    new = Certificate.objects.get(supersedes=issued)
    assert response.status_code == 302 and response.url.endswith(f"/{new.pk}/change/")
    assert new.printed_value("project.name") == "黄山市老街更新工程"
    assert new.printed_value("project.address") == issued.printed_value("project.address")
    response = client.post(f"/admin/approvals/certificate/{new.pk}/revoke/", {"reason": "撤销"})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.state == CertificateState.REVOKED
    # Neither action is offered any more on a certificate that is not in force.
    page = client.get(f"/admin/approvals/certificate/{new.pk}/change/").content.decode()
    assert "/revoke/" not in page and "/amend/" not in page


@pytest.mark.django_db
def test_admin_without_the_permission_cannot_revoke_or_amend(client, issued):
    user = staff(Role.SUPERVISOR, "341000", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    client.force_login(user)
    revoke = client.post(f"/admin/approvals/certificate/{issued.pk}/revoke/", {"reason": "x"})
    assert revoke.status_code == 403
    assert client.get(f"/admin/approvals/certificate/{issued.pk}/amend/").status_code == 403
    issued.refresh_from_db()
    assert issued.state == CertificateState.VALID


def _printed_values(certificate):
    return {
        index: certificate.printed_value(field["source"])
        for index, field in enumerate(certificate.printed["fields"])
    }


# --- Hand-out (送达) ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_hand_out_waits_for_every_pdf_and_names_what_was_handed_over(
    client, issued, officer, django_user_model
):
    application = issued.application
    clerk = staff(Role.CLERK, "341000", "data")
    certificates = list(application.certificates.order_by("number"))
    assert len(certificates) == 2  # stage 1 issues two documents
    Certificate.objects.filter(pk=certificates[1].pk).update(rendered_at=None)
    with pytest.raises(services.ServiceError) as caught:
        services.record_delivery(
            application.pk,
            clerk,
            method="collect",
            collector_name="王五",
            collector_id_last4="1234",
        )
    assert "证照正在生成" in caught.value.message
    assert not TransitionLog.objects.filter(application=application, transition="deliver").exists()

    render_certificate(certificates[1].pk)
    services.record_delivery(
        application.pk, clerk, method="collect", collector_name="王五", collector_id_last4="1234"
    )
    notice = application.notifications.get(event="delivered", recipient=application.created_by)
    assert all(c.number in notice.body for c in certificates)

    # A later version (an amendment) has not been handed over; the old ones have.
    new = amend_certificate(issued.pk, officer, {"project.address": "新地址"}, "地址变更")
    client.force_login(application.created_by)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    items = re.findall(r"<li>(.*?)</li>", page, re.S)
    handed = [item for item in items if "已领取" in item]
    assert len(handed) == 2 and all(new.number not in item for item in handed)
    assert any(new.number in item and "已领取" not in item for item in items)

    admin = django_user_model.objects.create_superuser("handout", "h@test.invalid", "pw-123456")
    client.force_login(admin)
    listing = client.get("/admin/approvals/certificate/").content.decode()
    assert listing.count("窗口领取（") == 2

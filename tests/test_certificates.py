"""电子证照 as documents: every certificate type rendered with real Chinese
content, checked the way a person would (pdftotext, pdffonts), signed and
verified with pyHanko, archived as PDF/A; long names wrap inside the frame;
the render task skips work already done."""

import hashlib
import re
import subprocess
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from approvals import services, signing
from approvals.models import Certificate, Project, ReviewTask
from approvals.rendering import certificate_html
from approvals.tasks import render_certificate
from portal.models import Role
from stages.models import CertificateType, Jurisdiction, Stage

from .factories import ApplicantFactory, complete_draft, staff

PROJECT_NAME = "黄山市屯溪区黎阳老街片区城市更新暨徽州文化遗产保护利用工程"


# --- Helpers shared by the certificate tests ----------------------------------


@pytest.fixture(scope="session")
def signing_key_files(tmp_path_factory):
    """A development key pair made by the management command, once."""
    folder = tmp_path_factory.mktemp("signing")
    paths = {
        "PORTAL_SIGNING_KEY": str(folder / "key.pem"),
        "PORTAL_SIGNING_CERT": str(folder / "cert.pem"),
    }
    with override_settings(**paths):
        call_command("ensure_signing_key", stdout=StringIO())
    return paths


@pytest.fixture
def signing_key(settings, signing_key_files):
    for name, value in signing_key_files.items():
        setattr(settings, name, value)
    return signing_key_files


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def construction_project(
    name=PROJECT_NAME, address="屯溪区黎阳镇老街社区滨江西路以南、黎阳路以东地块"
):
    applicant = ApplicantFactory(enterprise__name="黄山市城市建设投资集团有限公司")
    return Project.objects.create(
        enterprise=applicant.enterprise,
        jurisdiction=Jurisdiction.objects.get(code="341002"),
        code="2105-341002-47-01-000321",
        name=name,
        address=address,
        total_investment="58000.00",
        building_area="126000.50",
        land_area="45200",
        scale="新建商业、文化及配套用房，总建筑面积约12.6万平方米，其中地上9.8万平方米、地下2.8万平方米。",
        created_by=applicant,
    )


def run_stage(project, stage, pdf_bytes, answers=None):
    """One stage through the workflow in this process; the certificates are
    rendered by calling the task body, as the worker would."""
    applicant = project.created_by
    application = services.create_application(project, stage, applicant)
    complete_draft(application, pdf_bytes, answers)
    services.submit_application(application.pk, applicant)
    services.accept_application(application.pk, staff(Role.CLERK, "341000", "data"))
    for task in ReviewTask.objects.filter(application=application).select_related("department"):
        reviewer = staff(Role.REVIEWER, "341000", task.department.code)
        services.claim_task(task.pk, reviewer)
        services.approve_task(task.pk, reviewer, "经审查，符合要求，同意。")
    certificates = list(Certificate.objects.filter(application=application))
    for certificate in certificates:
        render_certificate(certificate.pk)
    return [Certificate.objects.get(pk=c.pk) for c in certificates]


def site_selection(project, pdf_bytes):
    """Stage 1 through the workflow; its 用地预审与选址意见书."""
    certificates = run_stage(project, Stage.objects.get(number=1), pdf_bytes)
    return next(c for c in certificates if c.certificate_type.code == "site-selection-opinion")


def pdf_text(path):
    return subprocess.run(
        ["pdftotext", "-raw", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path):
    return subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def compact(text):
    return re.sub(r"\s+", "", text)


# --- Every type, as a person checks it ----------------------------------------

# Labels each document prints (from its configured fields), and labels of
# other documents it must not borrow: a restaurant licence says nothing of
# construction scale, a construction permit names its contractor.
OWN_LABELS = {
    "site-selection-opinion": ["项目拟选位置", "拟用地面积"],
    "land-planning-permit": ["用地单位", "批准用地机关", "土地用途"],
    "engineering-planning-permit": ["建设项目名称", "设计单位"],
    "construction-permit": ["施工单位", "监理单位", "合同工期"],
    "completion-filing": ["竣工日期", "备案机关"],
    "food-business-license": ["经营者名称", "经营项目", "日常监督管理机构"],
}
FOREIGN_LABELS = {
    "site-selection-opinion": ["施工单位"],
    "land-planning-permit": ["施工单位"],
    "engineering-planning-permit": ["经营项目"],
    "construction-permit": ["经营项目", "土地用途"],
    "completion-filing": ["经营项目"],
    "food-business-license": ["建设规模", "投资项目统一代码", "施工单位"],
}


@pytest.mark.django_db
def test_every_seeded_certificate_type_passes_the_admin_checks(catalog):
    call_command("loaddata", "open_restaurant", verbosity=0)
    for certificate_type in CertificateType.objects.all():
        certificate_type.full_clean()
        assert certificate_type.printed_fields.strip(), certificate_type.code


@pytest.mark.django_db
def test_every_certificate_type_renders_with_chinese_content(
    catalog, media, signing_key, pdf_bytes
):
    call_command("loaddata", "open_restaurant", verbosity=0)
    project = construction_project()
    rendered = []
    for stage in Stage.objects.filter(is_construction=True).order_by("number"):
        rendered += run_stage(project, stage, pdf_bytes)
    shop = Project.objects.create(
        enterprise=project.enterprise,
        jurisdiction=Jurisdiction.objects.get(code="341002"),
        name="屯溪老街徽州臭鳜鱼菜馆",
        address="屯溪区老街188号",
        total_investment=80,
        created_by=project.created_by,
    )
    rendered += run_stage(
        shop, Stage.objects.get(code="open-restaurant"), pdf_bytes, {"has-signboard": True}
    )

    assert {c.certificate_type.code for c in rendered} == set(
        CertificateType.objects.values_list("code", flat=True)
    )
    for certificate in rendered:
        path = certificate.pdf.path
        text = compact(pdf_text(path))
        assert compact(certificate.certificate_type.name) in text
        assert compact(certificate.application.project.name) in text
        assert certificate.number in text
        assert certificate.issuer in text  # 发证机关, e.g. 屯溪区自然资源和规划局
        for label in OWN_LABELS[certificate.certificate_type.code]:
            assert compact(label) in text, (certificate.certificate_type.code, label)
        for label in FOREIGN_LABELS[certificate.certificate_type.code]:
            assert compact(label) not in text, (certificate.certificate_type.code, label)
        fonts = pdf_fonts(path)
        embedded = [line for line in fonts.splitlines()[2:] if line.strip()]
        assert any("Portal-Serif-SC" in line for line in embedded), fonts
        # Every font in the file is embedded (column "emb" is yes).
        assert all(" yes yes yes " in line for line in embedded), fonts
        assert pdf_pages(path) == 1
        data = certificate.pdf.open("rb").read()
        assert certificate.sha256 == hashlib.sha256(data).hexdigest()
        assert certificate.signed_by and signing.check(data).is_valid


@pytest.mark.django_db
def test_signature_validates_with_pyhanko_and_the_pdf_is_pdfa(
    catalog, media, signing_key, pdf_bytes
):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    certificate = site_selection(construction_project(), pdf_bytes)
    reader = PdfFileReader(BytesIO(certificate.pdf.open("rb").read()))
    (signature,) = reader.embedded_signatures
    trust = ValidationContext(
        trust_roots=[load_cert_from_pemder(signing_key["PORTAL_SIGNING_CERT"])]
    )
    status = validate_pdf_signature(signature, trust)
    assert status.bottom_line, status.pretty_print_details()
    assert status.intact and status.valid and status.trusted
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert "电子证照签章" in str(signature.sig_object["/Reason"])
    metadata = reader.root["/Metadata"].get_object().data.decode()
    # PDF/A-3u, still declared after pyHanko rewrote the XMP when signing.
    assert re.search(r'pdfaid:part(="3"|>3<)', metadata), metadata
    assert re.search(r'pdfaid:conformance(="U"|>U<)', metadata), metadata
    info = reader.trailer["/Info"]
    assert re.search(r'pdf:Producer="([^"]*)"', metadata).group(1) == info["/Producer"]


@pytest.mark.django_db
def test_a_changed_byte_breaks_the_signature(catalog, media, signing_key, pdf_bytes):
    certificate = site_selection(construction_project(), pdf_bytes)
    data = bytearray(certificate.pdf.open("rb").read())
    data[len(data) // 3] ^= 0x01
    assert signing.check(bytes(data)).status == "invalid"


@pytest.mark.django_db
def test_without_a_configured_key_the_pdf_is_unsigned_and_says_so(
    catalog, media, settings, tmp_path, pdf_bytes
):
    settings.PORTAL_SIGNING_KEY = str(tmp_path / "missing-key.pem")
    settings.PORTAL_SIGNING_CERT = str(tmp_path / "missing-cert.pem")
    certificate = site_selection(construction_project(), pdf_bytes)
    assert certificate.is_rendered and certificate.signed_by == ""
    assert signing.check(certificate.pdf.open("rb").read()).status == "unsigned"


@pytest.mark.django_db
def test_the_render_task_does_nothing_when_the_certificate_exists(
    catalog, media, signing_key, pdf_bytes
):
    certificate = site_selection(construction_project(), pdf_bytes)
    before = (certificate.pdf.name, certificate.sha256, certificate.rendered_at)
    render_certificate(certificate.pk)
    render_certificate(certificate.pk)
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.sha256, certificate.rendered_at) == before
    render_certificate(0)  # a certificate that is gone: nothing to do, no error


@pytest.mark.django_db
def test_the_printed_values_are_frozen_at_issue(catalog, media, signing_key, pdf_bytes):
    project = construction_project()
    certificate = site_selection(project, pdf_bytes)
    Project.objects.filter(pk=project.pk).update(name="改名后的项目")
    certificate.refresh_from_db()
    assert certificate.printed_value("project.name") == PROJECT_NAME
    assert PROJECT_NAME in compact(certificate_html(certificate))


# --- Long names wrap and never overflow -----------------------------------------


def text_outside_frame(html, margin_mm=9):
    """Text boxes (with their page number) that reach beyond the page frame."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TextBox

    document = HTML(string=html).render()
    margin = margin_mm * 96 / 25.4  # CSS px
    outside = []

    def walk(box, page_number, width, height):
        if isinstance(box, TextBox):
            right, bottom = box.position_x + box.width, box.position_y + box.height
            if (
                box.position_x < margin - 1
                or right > width - margin + 1
                or bottom > height - margin + 1
            ):
                outside.append((page_number, box.text))
        for child in getattr(box, "children", ()):
            walk(child, page_number, width, height)

    for number, page in enumerate(document.pages, start=1):
        walk(page._page_box, number, page.width, page.height)
    return outside, len(document.pages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "layout, orientation, pages",
    [
        ("standard", "portrait", 1),
        ("permit", "landscape", 1),
        # A full-width table on a short page: the last rows continue on a
        # second page, which repeats the frame, the seal and the QR code.
        ("standard", "landscape", 2),
    ],
)
def test_very_long_names_and_addresses_wrap_inside_the_frame(
    catalog, media, signing_key, pdf_bytes, layout, orientation, pages
):
    long_name = ("黄山市屯溪区黎阳老街片区城市更新暨徽州文化遗产保护利用示范工程" * 7)[:200]
    long_address = ("屯溪区黎阳镇老街社区滨江西路以南黎阳路以东" + "Lot-A-0123456789" * 3) * 4
    CertificateType.objects.filter(code="site-selection-opinion").update(
        layout=layout, orientation=orientation
    )
    project = construction_project(name=long_name, address=long_address[:200])
    certificate = site_selection(project, pdf_bytes)
    outside, laid_out = text_outside_frame(certificate_html(certificate))
    assert outside == []
    assert laid_out == pages == pdf_pages(certificate.pdf.path)
    text = compact(pdf_text(certificate.pdf.path))
    assert compact(long_name) in text
    assert certificate.number in text


@pytest.mark.django_db
def test_an_a3_landscape_certificate(catalog, media, signing_key, pdf_bytes):
    CertificateType.objects.filter(code="site-selection-opinion").update(
        layout="permit", page_size="A3", orientation="landscape"
    )
    certificate = site_selection(construction_project(), pdf_bytes)
    info = subprocess.run(["pdfinfo", certificate.pdf.path], capture_output=True, text=True).stdout
    assert "1190.55 x 841.89 pts (A3)" in info


# --- The development signing key ------------------------------------------------


def test_ensure_signing_key_is_idempotent_and_refuses_half_a_pair(tmp_path):
    from django.core.management.base import CommandError

    paths = {
        "PORTAL_SIGNING_KEY": str(tmp_path / "signing" / "key.pem"),
        "PORTAL_SIGNING_CERT": str(tmp_path / "signing" / "cert.pem"),
    }
    with override_settings(**paths):
        call_command("ensure_signing_key", stdout=StringIO())
        key = (tmp_path / "signing" / "key.pem").read_bytes()
        assert (tmp_path / "signing" / "key.pem").stat().st_mode & 0o777 == 0o600
        call_command("ensure_signing_key", stdout=StringIO())  # exists: nothing changes
        assert (tmp_path / "signing" / "key.pem").read_bytes() == key
        (tmp_path / "signing" / "cert.pem").unlink()
        with pytest.raises(CommandError):
            call_command("ensure_signing_key", stdout=StringIO())
        call_command("ensure_signing_key", "--force", stdout=StringIO())
        assert (tmp_path / "signing" / "key.pem").read_bytes() != key
        assert signing.is_configured()

"""The public guides (办事指南): anyone can read what a stage involves, answer
the 情形 questions to see only what applies to them, print it, and fetch the
blank templates of its materials."""

import re
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stages.diagram import process_diagram, wrap
from stages.models import (
    CertificateType,
    Guide,
    MaterialRequirement,
    Matter,
    Situation,
    Stage,
)

pytestmark = pytest.mark.django_db

CODE = "construction-permit"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def stage(catalog):
    return Stage.objects.get(code=CODE)


@pytest.fixture
def civil_defence(stage):
    """A situation of our own with one conditional matter and material."""
    situation = Situation.objects.create(
        stage=stage, code="test-civil-defence", question="测试：是否涉及人防工程？", order=99
    )
    Matter.objects.create(
        stage=stage,
        code="test-civil-defence-review",
        name="测试人防工程审查",
        department=stage.lead_department,
        time_limit_working_days=5,
        situation=situation,
        order=99,
    )
    MaterialRequirement.objects.create(
        stage=stage, kind="test-civil-defence-plan", name="测试人防设计文件", situation=situation
    )
    return situation


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def detail_url(code=CODE):
    return reverse("guide_detail", args=[code])


def answers_query(stage, **answers):
    """Every situation of the stage answered (fixture ones "no"), so the form
    is valid whatever the catalogue holds."""
    values = {s.code: "no" for s in stage.situations.all()}
    values.update(answers)
    return "?" + "&".join(f"{code}={value}" for code, value in values.items())


def diagram_of(html):
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no inline SVG diagram"
    return match.group(0)


def test_list_shows_active_stages_construction_first(client, stage):
    restaurant = Stage.objects.create(
        code="restaurant",
        number=10,
        name="我要开餐馆",
        description="一次办理开餐馆的各项许可。",
        lead_department=stage.lead_department,
        time_limit_working_days=5,
        is_construction=False,
        order=0,
    )
    Matter.objects.create(
        stage=restaurant,
        code="food",
        name="食品经营许可",
        department=stage.lead_department,
        time_limit_working_days=5,
    )
    Stage.objects.create(
        code="retired",
        number=11,
        name="已停用的一件事",
        lead_department=stage.lead_department,
        time_limit_working_days=5,
        active=False,
    )

    html = page(client, reverse("guide_list"))

    construction = Stage.objects.filter(is_construction=True, active=True)
    assert construction.count() >= 4
    for each in construction:
        assert each.name in html
        assert html.index(each.name) < html.index("我要开餐馆")
    assert "已停用的一件事" not in html
    assert reverse("guide_detail", args=["restaurant"]) in html
    assert stage.lead_department.name in html
    assert f"{stage.time_limit_working_days} 个工作日" in html
    assert f"{stage.matters.count()} 项" in html


def test_detail_shows_guide_facts_matters_and_materials(client, stage, media):
    # The catalogue may already hold a guide: replace every field.
    Guide.objects.update_or_create(
        stage=stage,
        defaults={
            "legal_basis": "《中华人民共和国建筑法》第七条",
            "conditions": "已取得建设工程规划许可证。",
            "process": "网上提交申请\n窗口受理",
            "fees": "",
            "window_address": "政务服务中心二楼综合窗口",
            "office_hours": "工作日 9:00–17:00",
            "phone": "0559-2511234",
            "complaint_phone": "12345",
            "promise": "免费邮寄送达",
        },
    )
    planning = CertificateType.objects.create(
        code="test-planning", name="测试规划许可证", number_prefix="TP"
    )
    stage.prerequisites.add(
        CertificateType.objects.create(code="test-land", name="测试用地许可证", number_prefix="TL")
    )
    MaterialRequirement.objects.create(
        stage=stage, kind="test-permit", name="测试规划许可证材料", from_certificate_type=planning
    )
    MaterialRequirement.objects.create(
        stage=stage,
        kind="test-contract",
        name="测试施工合同",
        description="加盖公章的扫描件",
        key=False,
        accepted_types="pdf,jpg",
        max_size_mb=30,
    )

    html = page(client, detail_url())

    for text in [
        stage.name,
        stage.lead_department.name,
        "《中华人民共和国建筑法》第七条",
        "已取得建设工程规划许可证。",
        "网上提交申请",
        "政务服务中心二楼综合窗口",
        "工作日 9:00–17:00",
        'href="tel:05592511234"',
        "12345",
        "免费邮寄送达",
        "测试用地许可证",
        "自动取自电子证照“测试规划许可证”",
        "测试施工合同",
        "加盖公章的扫描件",
        "可容缺",
        "关键材料",
        "pdf, jpg",
        "30 MB",
    ]:
        assert text in html, text
    assert "收费标准" not in html  # only what the guide fills in
    for matter in stage.matters.select_related("department"):
        assert matter.name in html
        assert matter.department.name in html
    assert "联合会审" in html and "必办" in html


def test_questionnaire_shows_a_conditional_matter_only_after_yes(client, stage, civil_defence):
    everything = page(client, detail_url())
    assert "测试人防工程审查" in everything
    assert "“测试：是否涉及人防工程？”回答“是”时办理" in everything
    assert 'type="radio" name="test-civil-defence"' in everything

    without = page(client, detail_url() + answers_query(stage))
    assert "测试人防工程审查" not in without
    assert "测试人防设计文件" not in without
    assert "以下内容已按您的回答筛选" in without

    with_it = page(client, detail_url() + answers_query(stage, **{"test-civil-defence": "yes"}))
    assert "测试人防工程审查" in with_it
    assert "测试人防工程审查" in diagram_of(with_it)
    assert "测试人防设计文件" in with_it
    pdf_link = reverse("guide_pdf", args=[CODE]) + "?"
    assert pdf_link in with_it  # the printout carries the same answers


def test_an_unanswered_question_is_reported_and_nothing_is_hidden(client, stage, civil_defence):
    html = page(client, detail_url() + "?answered=1")
    assert 'class="error-summary"' in html
    assert 'href="#id_test-civil-defence_0"' in html
    assert "测试人防工程审查" in html


def test_the_diagram_draws_every_applicable_matter(client, stage):
    Matter.objects.create(
        stage=stage,
        code="test-escaped",
        name="<b>测试</b> & 审查",
        department=stage.lead_department,
        time_limit_working_days=2,
    )
    html = page(client, detail_url() + answers_query(stage))
    svg = diagram_of(html)
    assert 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg
    for matter in stage.matters.filter(situation__isnull=True).select_related("department"):
        assert matter.name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in svg
    assert "<b>" not in svg
    assert f"全程承诺 {stage.time_limit_working_days} 个工作日内办结" in svg
    assert "办结发证" in html.replace(svg, "")  # the same steps as text


def test_diagram_module_escapes_and_wraps():
    svg = process_diagram(
        [
            {
                "name": 'x"><script>alert(1)</script>',
                "department": "部门",
                "time_limit_working_days": 3,
            },
            {"name": "一" * 60, "department": "部门", "time_limit_working_days": 30},
        ],
        total_days=20,
        title="标题<",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "标题&lt;" in svg
    assert svg.count("<text") > 8  # the 60-character name wrapped over lines
    assert all(len(line) <= 24 for line in wrap("一" * 60, 16, 380))
    assert wrap("施工图审查（含消防）", 16, 16 * 9) == ["施工图审查（含消防）"]


def test_pdf_has_the_stage_name_in_the_bundled_font(client, stage, tmp_path):
    response = client.get(reverse("guide_pdf", args=[CODE]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "guide.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert stage.name in text
    assert stage.matters.first().name in text
    assert "Portal-Serif-SC" in fonts


def test_material_templates_are_public_for_active_stages_only(client, stage, media):
    blank = MaterialRequirement.objects.create(stage=stage, kind="test-form", name="测试申请表")
    blank.template_file.save("test-form.pdf", ContentFile(b"%PDF-1.4 blank"), save=True)
    url = reverse("material_template", args=[CODE, "test-form"])
    assert url in page(client, detail_url())

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 blank"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    MaterialRequirement.objects.create(stage=stage, kind="test-none", name="无样表")
    assert client.get(reverse("material_template", args=[CODE, "test-none"])).status_code == 404
    assert client.get(reverse("material_template", args=[CODE, "nope"])).status_code == 404

    blank.template_file.storage.delete(blank.template_file.name)
    assert client.get(url).status_code == 404  # file gone from storage

    blank.template_file.save("test-form.pdf", ContentFile(b"%PDF-1.4 blank"), save=True)
    Stage.objects.filter(pk=stage.pk).update(active=False)
    assert client.get(reverse("material_template", args=[CODE, "test-form"])).status_code == 404


def test_unknown_or_inactive_stage_is_not_found(client, stage):
    assert client.get(detail_url("no-such-thing")).status_code == 404
    assert client.get(reverse("guide_pdf", args=["no-such-thing"])).status_code == 404
    Stage.objects.filter(pk=stage.pk).update(active=False)
    assert client.get(detail_url()).status_code == 404
    assert client.get(reverse("guide_pdf", args=[CODE])).status_code == 404
    assert stage.name not in page(client, reverse("guide_list"))


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_matters_and_materials(stage, count, tag):
    situation = Situation.objects.create(
        stage=stage, code=f"test-more-{tag}", question=f"测试情形 {tag}？", order=50
    )
    certificate = CertificateType.objects.create(
        code=f"test-cert-{tag}", name=f"测试证照 {tag}", number_prefix="TC"
    )
    stage.prerequisites.add(certificate)
    for index in range(count):
        matter = Matter.objects.create(
            stage=stage,
            code=f"test-{tag}-{index}",
            name=f"测试事项 {tag}-{index}",
            department=stage.lead_department,
            time_limit_working_days=3,
            situation=situation if index % 2 else None,
            joint_session=bool(index % 2),
        )
        material = MaterialRequirement.objects.create(
            stage=stage,
            kind=f"test-{tag}-{index}",
            name=f"测试材料 {tag}-{index}",
            situation=situation if index % 2 else None,
            from_certificate_type=certificate if index % 3 == 0 else None,
        )
        material.matters.add(matter)
        if index % 2 == 0:
            material.template_file.save(f"t{index}.pdf", ContentFile(b"%PDF"), save=True)


def test_guide_pages_run_a_fixed_number_of_queries(client, stage, media):
    Guide.objects.update_or_create(stage=stage, defaults={"window_address": "综合窗口"})
    add_matters_and_materials(stage, 1, "a")
    urls = [
        reverse("guide_list"),
        detail_url(),
        detail_url() + answers_query(stage, **{"test-more-a": "yes"}),
        reverse("guide_pdf", args=[CODE]),
    ]
    few = [queries_for(client, url) for url in urls]

    add_matters_and_materials(stage, 5, "b")
    Stage.objects.create(
        code="restaurant",
        number=10,
        name="我要开餐馆",
        lead_department=stage.lead_department,
        time_limit_working_days=5,
        is_construction=False,
    )
    urls[2] = detail_url() + answers_query(stage, **{"test-more-a": "yes", "test-more-b": "yes"})
    many = [queries_for(client, url) for url in urls]

    assert many == few
    assert few[0] <= 2
    assert max(few[1:]) <= 10

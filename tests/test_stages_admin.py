"""The configuration admin: every page opens, stage-wide rules are checked
when a stage and its rows are saved together, and a stage can be duplicated,
previewed, exported and imported without losing anything."""

import datetime
import json

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import Role
from stages.configuration import current_version, snapshot
from stages.models import (
    CalendarDay,
    CalendarYear,
    CertificateType,
    Department,
    FormField,
    Guide,
    Matter,
    ProjectType,
    Stage,
    StageVersion,
)
from stages.transfer import TransferError, export_stage, import_stage

from .factories import load_catalog, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(db):
    """施工许可 from the catalogue, which has every kind of row: situations,
    conditional matters and materials, a guide; plus a project type."""
    load_catalog()
    stage = Stage.objects.get(code="construction-permit")
    stage.project_types.add(ProjectType.objects.order_by("code").first())
    assert stage.matters.exclude(situation=None).exists()
    assert stage.materials.exclude(situation=None).exists()
    assert Guide.objects.filter(stage=stage).exists()
    return stage


def comparable(content):
    """snapshot() without database ids of rows the import recreates."""
    for matter in content["matters"]:
        matter.pop("id")
    return content


def change_form_data(response):
    """The POST body that saves the admin change page unchanged."""
    data = {}
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    for form in forms_on_page:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, forms.ClearableFileInput):
                continue
            if isinstance(bound.field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(
                bound.field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField
            ):
                data[bound.html_name] = [str(item) for item in value or []]
            else:
                data[bound.html_name] = "" if value is None else str(value)
    return data


def inline_formset(response, prefix):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )


def upload(document):
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile("stage.json", body, content_type="application/json")


# --- Every page opens ---------------------------------------------------------


def test_every_registered_configuration_page_opens(admin_client, stage):
    staff(Role.CLERK, "341000", "data")
    current_version(stage)
    CalendarDay.objects.create(date=datetime.date(2026, 12, 3), kind="closure", note="停电")
    registered = [model for model in admin.site._registry if model._meta.app_label == "stages"]
    assert len(registered) == 13
    for model in registered:
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert admin_client.get(changelist).status_code == 200, changelist
        assert admin_client.get(changelist, {"q": "许可"}).status_code == 200, changelist
        add = reverse("admin:{}_{}_add".format(*info))
        expected = 403 if model is StageVersion else 200  # versions are never typed in
        assert admin_client.get(add).status_code == expected, add
        assert model.objects.exists(), model
        for instance in (model.objects.first(), model.objects.last()):
            change = reverse("admin:{}_{}_change".format(*info), args=[instance.pk])
            assert admin_client.get(change).status_code == 200, change


def test_stage_list_filters_and_search_answer(admin_client, stage):
    url = reverse("admin:stages_stage_changelist")
    for query in ({"active__exact": "1"}, {"project_types__id__exact": "1"}, {"q": "施工"}):
        response = admin_client.get(url, query)
        assert response.status_code == 200
    assert "施工许可" in admin_client.get(url, {"q": "施工"}).content.decode()


def test_stage_page_links_preview_export_and_public_guide(admin_client, stage):
    page = admin_client.get(reverse("admin:stages_stage_change", args=[stage.pk])).content
    page = page.decode()
    assert reverse("admin:stages_stage_preview", args=[stage.pk]) in page
    assert reverse("admin:stages_stage_export", args=[stage.pk]) in page
    assert "/guides/construction-permit/" in page


# --- Rules checked when the stage and its rows are saved together ---------------


def test_saving_the_stage_page_unchanged_succeeds(admin_client, stage):
    url = reverse("admin:stages_stage_change", args=[stage.pk])
    response = admin_client.post(url, change_form_data(admin_client.get(url)))
    assert response.status_code == 302


def test_matter_limit_above_the_stage_limit_typed_in_the_same_form_is_refused(admin_client, stage):
    url = reverse("admin:stages_stage_change", args=[stage.pk])
    before = snapshot(stage)
    data = change_form_data(admin_client.get(url))
    data["time_limit_working_days"] = "5"
    data["matters-0-time_limit_working_days"] = "8"
    data["matters-0-name"] = "改过的名称"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    matter_form = inline_formset(response, "matters").forms[0]
    message = str(matter_form.errors["time_limit_working_days"])
    assert "不能超过" in message
    assert "（5 个工作日）" in message
    assert "（5 个工作日）" in response.content.decode()
    stage.refresh_from_db()
    assert snapshot(stage) == before


def test_new_stage_with_an_invalid_limit_and_a_matter_shows_errors_not_a_crash(admin_client):
    load_catalog()
    url = reverse("admin:stages_stage_add")
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "code": "open-restaurant",
            "number": "10",
            "name": "我要开餐馆",
            "lead_department": str(Department.objects.first().pk),
            "time_limit_working_days": "",
            "matters-TOTAL_FORMS": "1",
            "matters-0-code": "food-licence",
            "matters-0-name": "食品经营许可",
            "matters-0-department": str(Department.objects.first().pk),
            "matters-0-time_limit_working_days": "5",
            "matters-0-mandatory": "on",
            "matters-0-order": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "time_limit_working_days" in response.context["adminform"].form.errors
    assert not Stage.objects.filter(code="open-restaurant").exists()


def test_two_form_fields_with_the_same_key_get_a_message_on_the_key(admin_client, stage):
    url = reverse("admin:stages_stage_change", args=[stage.pk])
    data = change_form_data(admin_client.get(url))
    existing = int(data["form_fields-TOTAL_FORMS"])
    data["form_fields-TOTAL_FORMS"] = str(existing + 2)
    for index in (existing, existing + 1):
        data.update(
            {
                f"form_fields-{index}-key": "floors",
                f"form_fields-{index}-label": f"层数{index}",
                f"form_fields-{index}-field_type": "integer",
                f"form_fields-{index}-order": "50",
            }
        )
    fields_before = FormField.objects.filter(stage=stage).count()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    duplicate = inline_formset(response, "form_fields").forms[existing + 1]
    assert "字段键“floors”在本阶段出现了两次" in str(duplicate.errors["key"])
    assert FormField.objects.filter(stage=stage).count() == fields_before


def test_taking_the_key_of_another_saved_field_gets_a_message_on_the_key(admin_client, stage):
    url = reverse("admin:stages_stage_change", args=[stage.pk])
    data = change_form_data(admin_client.get(url))
    other_key = data["form_fields-1-key"]
    data["form_fields-0-key"] = other_key
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = str(inline_formset(response, "form_fields").forms[0].errors["key"])
    assert f"“{other_key}”" in errors


def test_two_matters_with_the_same_code_get_a_message_instead_of_a_crash(admin_client, stage):
    url = reverse("admin:stages_stage_change", args=[stage.pk])
    data = change_form_data(admin_client.get(url))
    data["matters-1-code"] = data["matters-0-code"]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "在本阶段出现了两次" in str(inline_formset(response, "matters").forms[1].errors["code"])


# --- Duplicate ------------------------------------------------------------------


def test_duplicating_a_stage_copies_every_row_into_an_inactive_stage(admin_client, stage):
    url = reverse("admin:stages_stage_changelist")
    action = {"action": "duplicate", "_selected_action": [stage.pk]}

    response = admin_client.post(url, action, follow=True)

    assert response.status_code == 200
    copy = Stage.objects.get(code="construction-permit-copy")
    assert not copy.active
    for related in ("matters", "situations", "materials", "form_fields", "prerequisites"):
        assert getattr(copy, related).count() == getattr(stage, related).count(), related
    assert copy.project_types.count() == 1
    assert Guide.objects.get(stage=copy).fees == Guide.objects.get(stage=stage).fees
    # Situations and matters linked from the copy are the copy's own.
    linked = copy.matters.exclude(situation=None)
    assert linked.count() == stage.matters.exclude(situation=None).count()
    assert {m.situation.stage_id for m in linked} == {copy.pk}
    for material in copy.materials.all():
        original = stage.materials.get(kind=material.kind)
        assert {m.stage_id for m in material.matters.all()} <= {copy.pk}
        assert sorted(m.code for m in material.matters.all()) == sorted(
            m.code for m in original.matters.all()
        )
        if material.situation_id:
            assert material.situation.stage_id == copy.pk
    expected = comparable(snapshot(stage))
    duplicated = comparable(snapshot(copy))
    expected["stage"].update(code=copy.code, name=copy.name)
    assert duplicated == expected

    admin_client.post(url, action)
    assert Stage.objects.filter(code="construction-permit-copy-2", active=False).exists()


# --- Preview --------------------------------------------------------------------


def test_form_preview_shows_every_field_label_and_the_situations(admin_client, stage):
    for each in Stage.objects.all():
        response = admin_client.get(reverse("admin:stages_stage_preview", args=[each.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        for field in each.form_fields.all():
            assert field.label in page, (each.code, field.label)
            if field.section:
                assert field.section in page
    page = admin_client.get(reverse("admin:stages_stage_preview", args=[stage.pk])).content
    for situation in stage.situations.all():
        assert situation.question in page.decode()


# --- Export and import ------------------------------------------------------------


def test_export_then_import_into_a_cleaned_database_recreates_the_stage(admin_client, stage):
    before = comparable(snapshot(stage))
    guide_conditions = Guide.objects.get(stage=stage).conditions
    project_types = sorted(stage.project_types.values_list("code", flat=True))
    prerequisites = sorted(stage.prerequisites.values_list("code", flat=True))
    response = admin_client.get(reverse("admin:stages_stage_export", args=[stage.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["format"] == "yijianshi-stage"
    assert document["stage"]["lead_department"] == stage.lead_department.code
    # Matter.situation is PROTECT, so a stage whose matters use its situations
    # cannot be deleted in one go: unlink first, as an administrator would.
    stage.matters.update(situation=None)
    stage.materials.update(situation=None)
    stage.delete()
    assert not Matter.objects.filter(stage__code="construction-permit").exists()

    response = admin_client.post(
        reverse("admin:stages_stage_import"), {"file": upload(document)}, follow=True
    )

    assert response.status_code == 200
    assert "已从文件新建阶段" in response.content.decode()
    imported = Stage.objects.get(code="construction-permit")
    assert comparable(snapshot(imported)) == before
    assert Guide.objects.get(stage=imported).conditions == guide_conditions
    assert sorted(imported.project_types.values_list("code", flat=True)) == project_types
    assert sorted(imported.prerequisites.values_list("code", flat=True)) == prerequisites


def test_importing_over_an_existing_stage_updates_it_and_keeps_matter_ids(stage):
    document = export_stage(stage)
    matter_ids = set(stage.matters.values_list("pk", flat=True))
    document["stage"]["name"] = "施工许可（新版）"
    document["form_fields"] = document["form_fields"][1:]

    result = import_stage(document)

    assert not result.created
    stage.refresh_from_db()
    assert stage.name == "施工许可（新版）"
    assert set(stage.matters.values_list("pk", flat=True)) == matter_ids
    assert stage.form_fields.count() == len(document["form_fields"])


def test_import_into_another_installation_creates_missing_departments(stage):
    document = export_stage(stage)
    document["stage"]["code"] = "elsewhere"
    document["references"]["departments"].append(
        {"code": "gas-company", "name": "黄山燃气公司", "kind": "utility"}
    )
    document["matters"][0]["department"] = "gas-company"

    result = import_stage(document)

    assert result.created
    assert Department.objects.get(code="gas-company").kind == "utility"
    assert any("黄山燃气公司" in row for row in result.created_references)


def test_import_of_a_broken_file_lists_every_problem_and_changes_nothing(admin_client, stage):
    document = export_stage(stage)
    document["stage"]["name"] = "不该保存的名称"
    document["matters"][0]["time_limit_working_days"] = 99
    document["form_fields"][1]["key"] = document["form_fields"][0]["key"]
    document["materials"][0]["matters"] = ["no-such-matter"]
    document["matters"][1]["certificate_type"] = "no-such-certificate"
    before = snapshot(stage)
    counts = (Stage.objects.count(), Department.objects.count(), CertificateType.objects.count())

    response = admin_client.post(reverse("admin:stages_stage_import"), {"file": upload(document)})

    assert response.status_code == 200
    errors = response.context["import_errors"]
    page = response.content.decode()
    assert len(errors) == 4, errors
    for expected in ("（99 个工作日）不能超过", "在文件中重复出现", "no-such-matter"):
        assert expected in page
    assert "no-such-certificate" in page
    stage.refresh_from_db()
    assert snapshot(stage) == before
    assert (
        Stage.objects.count(),
        Department.objects.count(),
        CertificateType.objects.count(),
    ) == counts


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b"\xff\xfe", "UTF-8"),
        (json.dumps({"format": "other"}).encode(), "不是本系统导出的阶段文件"),
    ],
)
def test_import_of_a_file_that_is_not_a_stage_says_why(admin_client, stage, body, message):
    response = admin_client.post(reverse("admin:stages_stage_import"), {"file": upload(body)})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_import_refuses_rows_with_unknown_fields_or_wrong_types(stage):
    document = export_stage(stage)
    document["matters"][0]["colour"] = "red"
    document["materials"][0]["matters"] = "not-a-list"
    with pytest.raises(TransferError) as failure:
        import_stage(document)
    assert len(failure.value.errors) == 2


# --- Calendar -------------------------------------------------------------------


def test_calendar_lists_warn_when_next_year_is_not_loaded(admin_client, db):
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    for name in ("calendarday", "calendaryear"):
        response = admin_client.get(reverse(f"admin:stages_{name}_changelist"))
        assert "明年的法定节假日尚未导入" in response.content.decode()

    CalendarYear.objects.create(year=next_year, source="test")
    response = admin_client.get(reverse("admin:stages_calendarday_changelist"))
    assert "明年的法定节假日尚未导入" not in response.content.decode()


def test_admin_closure_replaces_the_national_row_of_that_day(admin_client, db):
    make_up_saturday = datetime.date(2026, 10, 10)
    assert CalendarDay.objects.get(date=make_up_saturday).source == "national"
    url = reverse("admin:stages_calendarday_add")

    refused = admin_client.post(
        url, {"date": "2026-10-10", "kind": "extra_working", "note": "加班"}
    )
    assert "本来就是工作日" in refused.content.decode()

    admin_client.post(url, {"date": "2026-10-10", "kind": "closure", "note": "停电"})
    day = CalendarDay.objects.get(date=make_up_saturday)
    assert (day.kind, day.source, day.is_working_day) == ("closure", "admin", False)


def test_reload_action_reimports_the_year_and_keeps_admin_days(admin_client, db):
    CalendarDay.objects.create(date=datetime.date(2026, 12, 3), kind="closure", note="停电")
    CalendarDay.objects.filter(date=datetime.date(2026, 10, 1)).delete()
    year = CalendarYear.objects.get(year=2026)

    response = admin_client.post(
        reverse("admin:stages_calendaryear_changelist"),
        {"action": "reload_from_national_calendar", "_selected_action": [year.pk]},
        follow=True,
    )

    assert "已重新导入" in response.content.decode()
    assert CalendarDay.objects.filter(date=datetime.date(2026, 10, 1), kind="holiday").exists()
    assert CalendarDay.objects.get(date=datetime.date(2026, 12, 3)).source == "admin"

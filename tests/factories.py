"""Factories for the people and things the scenarios need."""

import factory
from django.core.management import call_command

from approvals.models import Application, Project
from portal.credit_code import check_character
from portal.models import Enterprise, Role, User
from stages.calendar import load_national_calendar
from stages.configuration import current_version
from stages.models import CalendarYear, Department, Jurisdiction, StaffMembership, Stage


def valid_credit_code(serial):
    first17 = f"91341000MA{serial:07d}"
    return first17 + check_character(first17)


def load_catalog():
    """The catalogue fixture and the national calendar. Transactional tests
    flush every table, so each test that needs them loads them again."""
    if not Stage.objects.exists():
        call_command("loaddata", "catalog", verbosity=0)
    if not CalendarYear.objects.filter(year=2026).exists():
        load_national_calendar(range(2004, 2027))
    # 2027 is not published in chinese-calendar 1.11; workflow tests must not
    # depend on today's date, so they enter it as an administrator would.
    CalendarYear.objects.get_or_create(year=2027, defaults={"source": "测试：管理员录入"})


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(lambda n: valid_credit_code(n + 1000))
    name = factory.Sequence(lambda n: f"测试建设有限公司{n}")
    legal_representative = "张三"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "李"
    first_name = factory.Sequence(lambda n: f"经办{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.invalid")
    password = factory.django.Password("pw-123456")


class ApplicantFactory(UserFactory):
    role = Role.APPLICANT
    enterprise = factory.SubFactory(EnterpriseFactory)


def staff(role, jurisdiction_code="341000", department_code=None, **kwargs):
    user = UserFactory(role=role, **kwargs)
    StaffMembership.objects.create(
        user=user,
        jurisdiction=Jurisdiction.objects.get(code=jurisdiction_code),
        department=Department.objects.get(code=department_code) if department_code else None,
    )
    return User.objects.select_related("staff_membership__jurisdiction").get(pk=user.pk)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    enterprise = factory.SubFactory(EnterpriseFactory)
    jurisdiction = factory.LazyFunction(lambda: Jurisdiction.objects.get(code="341002"))
    code = factory.Sequence(lambda n: f"2105-341002-47-01-{n:06d}")
    name = factory.Sequence(lambda n: f"黄山市示范工程{n}号楼")
    address = "屯溪区黎阳路1号"
    total_investment = 5000
    building_area = 12000
    created_by = factory.LazyAttribute(lambda p: ApplicantFactory(enterprise=p.enterprise))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft on the stage's current configuration (prerequisites are the
    service's business, not the factory's)."""

    class Meta:
        model = Application

    project = factory.SubFactory(ProjectFactory)
    stage = factory.LazyFunction(lambda: Stage.objects.get(code="construction-permit"))
    created_by = factory.LazyAttribute(lambda a: a.project.created_by)
    stage_version = factory.LazyAttribute(lambda a: current_version(a.stage))


SAMPLE_TEXT = ["13905590001", "0559-2345678", "示例内容"]


def sample_value(spec):
    """A value that satisfies the field's own rules."""
    kind = spec["field_type"]
    if kind in ("integer", "decimal"):
        low = spec.get("min_value")
        value = max(1, int(float(low))) if low is not None else 1
        return str(value)
    if kind == "date":
        return "2026-12-01"
    if kind in ("choice",):
        return spec["choices"][0]
    if kind == "multiple_choice":
        return [spec["choices"][0]]
    if kind == "yes_no":
        return "no"
    if spec.get("regex"):
        import re

        return next(t for t in SAMPLE_TEXT if re.fullmatch(spec["regex"], t))
    return SAMPLE_TEXT[2]


def complete_draft(application, pdf_bytes, answers=None):
    """Answer the situations ("no" unless given), fill every field validly and
    upload a PDF for every material the submission needs."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from approvals import services

    user = application.created_by
    configuration = application.configuration
    given = answers or {}
    services.save_situations(
        application.pk,
        user,
        {s["code"]: given.get(s["code"], False) for s in configuration.situations},
    )
    application.refresh_from_db()
    prefilled = services.prefilled_values(application)
    values = {}
    for spec in application.configuration.form_fields:
        if spec["key"] in prefilled:
            values[spec["key"]] = str(prefilled[spec["key"]])
        elif spec.get("project_attribute") == "planned_end":
            values[spec["key"]] = "2028-06-30"  # after any planned start
        else:
            values[spec["key"]] = sample_value(spec)
    services.save_form_data(application.pk, user, values)
    application.refresh_from_db()
    for requirement, files, from_certificate in services.material_slots(application):
        if requirement["generated"] or files or from_certificate or not requirement["mandatory"]:
            continue
        services.attach_material(
            application.pk,
            user,
            requirement["kind"],
            SimpleUploadedFile(f"{requirement['kind']}.pdf", pdf_bytes),
        )
    if application.state == "draft":
        services.declare(application.pk, user)
    application.refresh_from_db()
    return application

"""Factories for the people and things the scenarios need."""

import factory
from django.core.management import call_command

from approvals.models import Application, Project
from portal.credit_code import check_character
from portal.models import Enterprise, Role, User
from stages.models import Department, Jurisdiction, StaffMembership, Stage


def valid_credit_code(serial):
    first17 = f"91341000MA{serial:07d}"
    return first17 + check_character(first17)


def load_catalog():
    if not Stage.objects.exists():
        call_command("loaddata", "catalog", verbosity=0)


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
    class Meta:
        model = Application

    project = factory.SubFactory(ProjectFactory)
    stage = factory.LazyFunction(lambda: Stage.objects.get(code="construction-permit"))
    created_by = factory.LazyAttribute(lambda a: a.project.created_by)

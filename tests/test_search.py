"""The inboxes' free-text search (`Application.objects.matching_ids`): a
number, a project's name or code, an enterprise's name (contains, any case)
or its credit code (exact) finds the application; nothing else does."""

import pytest

from approvals.models import Application

from .factories import ApplicationFactory, EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(catalog):
    enterprise = EnterpriseFactory(name="黄山徽韵置业有限公司")
    project = ProjectFactory(
        enterprise=enterprise, name="黎阳老街商业综合体", code="2105-341002-47-01-777001"
    )
    application = ApplicationFactory(project=project)
    Application.objects.filter(pk=application.pk).update(number="2026112504000123")
    ApplicationFactory()  # a bystander
    return application


def found(query):
    return set(Application.objects.filter(pk__in=Application.objects.matching_ids(query)))


@pytest.mark.parametrize(
    "query",
    ["04000123", "老街商业", "777001", "徽韵置业"],
)
def test_each_field_finds_the_application_and_only_it(target, query):
    assert found(query) == {target}


def test_credit_code_is_exact_and_case_is_ignored(target):
    code = target.project.enterprise.credit_code
    assert found(code.lower()) == {target}
    assert found(code[:-1]) == set()
    Application.objects.filter(pk=target.pk).update(number="ab2026x")
    assert found("AB2026X") == {target}


def test_no_match_is_empty(target):
    assert found("不存在的项目") == set()

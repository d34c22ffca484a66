"""统一社会信用代码 (GB 32100-2015) and registration with a wrong one."""

import pytest
from django.core.exceptions import ValidationError

from portal.credit_code import check_character, normalize, validate_credit_code
from portal.models import Enterprise, User

from .factories import valid_credit_code


def test_published_example_passes():
    # A code printed on a real business licence (国家市场监督管理总局's sample).
    code = "91350100M000100Y43"
    assert check_character(code[:17]) == code[17]
    assert validate_credit_code(code) is None


def test_check_character_is_computed_from_the_weights():
    assert check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y44", "credit_code_check"),
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100O43", "credit_code_alphabet"),
        ("", "credit_code_length"),
    ],
)
def test_wrong_codes_are_refused_with_a_reason(code, error_code):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == error_code


def test_lower_case_is_accepted_after_normalising():
    code = valid_credit_code(7)
    assert normalize(code.lower()) == code
    assert validate_credit_code(code.lower()) is None


@pytest.mark.django_db
def test_registration_with_wrong_code_keeps_the_other_values(client):
    response = client.post(
        "/accounts/register/",
        {
            "username": "newcomer",
            "last_name": "王五",
            "phone": "13912345678",
            "email": "w@example.invalid",
            "credit_code": "91350100M000100Y44",
            "enterprise_name": "黄山新安建设有限公司",
            "legal_representative": "赵六",
            "password1": "a-Long-passw0rd",
            "password2": "a-Long-passw0rd",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "校验位不正确" in page
    assert 'value="黄山新安建设有限公司"' in page
    assert 'value="13912345678"' in page
    assert not User.objects.filter(username="newcomer").exists()
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_registration_creates_enterprise_and_logs_in(client):
    code = valid_credit_code(42)
    response = client.post(
        "/accounts/register/",
        {
            "username": "newcomer",
            "last_name": "王五",
            "phone": "13912345678",
            "email": "w@example.invalid",
            "credit_code": code.lower(),
            "enterprise_name": "黄山新安建设有限公司",
            "legal_representative": "赵六",
            "password1": "a-Long-passw0rd",
            "password2": "a-Long-passw0rd",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.enterprise.credit_code == code
    assert user.role == "applicant"

"""投资项目统一代码: the old (2015–2020) and the post-2020-11 forms."""

import pytest
from django.core.exceptions import ValidationError

from approvals.project_code import validate_project_code


@pytest.mark.parametrize(
    "code", ["2019-341000-47-01-000123", "2105-341002-47-01-000123", "2511-341021-70-03-123456"]
)
def test_valid_codes(code):
    assert validate_project_code(code) is None
    # The same code with one separator dropped is refused: the check is real.
    with pytest.raises(ValidationError):
        validate_project_code(code.replace("-", "", 1))


@pytest.mark.parametrize(
    "code",
    [
        "2014-341000-47-01-000123",
        "2113-341000-47-01-000123",
        "2105-34100-47-01-000123",
        "2105341000470100012",
        "",
    ],
)
def test_invalid_codes(code):
    with pytest.raises(ValidationError):
        validate_project_code(code)

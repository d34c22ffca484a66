"""投资项目统一代码: YYYY-AAAAAA-II-TT-NNNNNN (issued 2015–2020) or
YYMM-AAAAAA-II-TT-NNNNNN (from 2020-11); AAAAAA is a division code."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PATTERN = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")


def validate_project_code(value: str) -> None:
    match = PATTERN.match(value or "")
    if not match:
        raise ValidationError(
            _("投资项目统一代码格式应为 2019-341000-47-01-000123 或 2105-341000-47-01-000123。"),
            code="project_code_format",
        )
    head = match.group(1)
    year = int(head)
    old_form = 2015 <= year <= 2020
    month = int(head[2:])
    new_form = int(head[:2]) >= 20 and 1 <= month <= 12 and int(head) >= 2011
    if not (old_form or new_form):
        raise ValidationError(
            _("投资项目统一代码的前四位应为年份（2015–2020）或年月（2020年11月起，如2105）。"),
            code="project_code_period",
        )

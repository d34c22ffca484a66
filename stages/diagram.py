"""The process diagram of a stage's guide, drawn from its configuration as
inline SVG: 网上申报 → 综合窗口受理 → one lane per matter reviewed in
parallel (bar length ∝ its working-day limit against the stage's) → 办结发证.

Pure geometry, no templates and no JavaScript, so the web page and the PDF
draw the same picture. Every piece of text that enters the SVG goes through
`escape()` here; that is what makes the single `mark_safe` at the end sound.
One narrow column (420 units) so it stays legible on a phone."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH = 420
MARGIN = 10
INNER = 12  # padding inside the parallel-review frame
STEP_HEIGHT = 40
ARROW = 26
NAME_SIZE = 16
NAME_LINE = 21
SMALL_SIZE = 14
BAR_HEIGHT = 10
LANE_GAP = 14
INK, MUTED, BRAND, PALE = "#1f2328", "#57606a", "#a61b1b", "#f6e8e8"

_TOKENS = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+")
# 避头标点: never start a line with closing punctuation.
_CLOSING = set("，。、；：！？）》」』】”’,.;:!?)")


def _width(text, size):
    """Estimated advance: CJK is one em wide, Latin about half."""
    return sum(size if ord(char) >= 0x2E80 else size * 0.56 for char in text)


def wrap(text, size, width):
    """Greedy line breaking for mixed Chinese and Latin text."""
    lines, line = [], ""
    for token in _TOKENS.findall(text):
        if token.isspace() and not line:
            continue
        fits = _width(line + token, size) <= width
        if fits or not line or token[0] in _CLOSING:
            line += token
            continue
        lines.append(line.rstrip())
        line = token.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _text(x, y, content, *, size, weight="normal", fill=INK, anchor="start"):
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" font-weight="{weight}" '
        f'fill="{fill}" text-anchor="{anchor}">{escape(content)}</text>'
    )


def _arrow(y):
    """A downward arrow from y to y + ARROW, centred."""
    x = WIDTH / 2
    tip = y + ARROW
    return (
        f'<line x1="{x:g}" y1="{y:g}" x2="{x:g}" y2="{tip - 7:g}" stroke="{MUTED}" '
        f'stroke-width="2"/><polygon points="{x - 6:g},{tip - 8:g} {x + 6:g},{tip - 8:g} '
        f'{x:g},{tip:g}" fill="{MUTED}"/>'
    )


def _step(y, label):
    return (
        f'<rect x="{MARGIN}" y="{y}" width="{WIDTH - 2 * MARGIN}" height="{STEP_HEIGHT}" '
        f'rx="6" fill="#fff" stroke="{BRAND}" stroke-width="2"/>'
        + _text(WIDTH / 2, y + 26, label, size=16, weight="bold", anchor="middle")
    )


def matter_tags(matter):
    tags = []
    if not matter.get("mandatory", True):
        tags.append(_("非必办"))
    if matter.get("situation"):
        tags.append(_("视情形办理"))
    if matter.get("joint_session"):
        tags.append(_("联合会审"))
    return tags


def _lane(y, matter, total_days):
    """One matter: name, department and tags, then its bar. Returns (svg, height)."""
    left, right = MARGIN + INNER, WIDTH - MARGIN - INNER
    days = matter["time_limit_working_days"]
    parts = []
    for line in wrap(matter["name"], NAME_SIZE, right - left):
        y += NAME_LINE
        parts.append(_text(left, y, line, size=NAME_SIZE, weight="bold"))
    days_label = _("%(days)d 个工作日") % {"days": days}
    detail = " · ".join([matter["department"], *matter_tags(matter)])
    room = right - left - _width(days_label, SMALL_SIZE) - 8
    for index, line in enumerate(wrap(detail, SMALL_SIZE, room)):
        y += 19
        parts.append(_text(left, y, line, size=SMALL_SIZE, fill=MUTED))
        if index == 0:
            parts.append(_text(right, y, days_label, size=SMALL_SIZE, weight="bold", anchor="end"))
    y += 8
    share = min(days / total_days, 1) if total_days else 1
    bar_width = max((right - left) * share, 4)
    if matter.get("situation"):
        style = f'fill="#fff" stroke="{BRAND}" stroke-width="1.5" stroke-dasharray="4 3"'
    elif matter.get("mandatory", True):
        style = f'fill="{BRAND}"'
    else:
        style = f'fill="{PALE}" stroke="{BRAND}" stroke-width="1"'
    parts.append(
        f'<rect x="{left}" y="{y}" width="{bar_width:.1f}" height="{BAR_HEIGHT}" rx="3" {style}/>'
    )
    return "".join(parts), y + BAR_HEIGHT


def summary(matters, total_days):
    """The diagram in one sentence, for <desc> and anyone not seeing it."""
    lanes = "；".join(
        _("%(name)s（%(department)s，%(days)d 个工作日）")
        % {
            "name": m["name"],
            "department": m["department"],
            "days": m["time_limit_working_days"],
        }
        for m in matters
    )
    return _(
        "网上申报 → 综合窗口受理 → %(count)d 个事项并联审批：%(lanes)s → 办结发证。"
        "全程承诺 %(total)d 个工作日内办结。"
    ) % {"count": len(matters), "lanes": lanes or _("无"), "total": total_days}


def process_diagram(matters, *, total_days, title, dom_id="process-diagram", font_family=""):
    """The SVG for `matters` (dicts with name, department,
    time_limit_working_days and optionally mandatory, situation,
    joint_session), scaled against the stage's `total_days`."""
    matters = list(matters)
    body = []
    y = MARGIN
    for label in (_("① 网上申报（一张表单）"), _("② 综合窗口受理")):
        body.append(_step(y, label))
        y += STEP_HEIGHT
        body.append(_arrow(y))
        y += ARROW
    frame_top = y
    lanes_y = frame_top + 30
    lanes = []
    for matter in matters:
        svg, lanes_y = _lane(lanes_y + (LANE_GAP if lanes else 0), matter, total_days)
        lanes.append(svg)
    if not matters:
        lanes_y += NAME_LINE
        lanes.append(_text(MARGIN + INNER, lanes_y, _("（暂无事项）"), size=SMALL_SIZE, fill=MUTED))
    frame_bottom = lanes_y + INNER
    body.append(
        f'<rect x="{MARGIN}" y="{frame_top}" width="{WIDTH - 2 * MARGIN}" '
        f'height="{frame_bottom - frame_top}" rx="6" fill="#fff" stroke="{BRAND}" '
        f'stroke-width="2"/>'
    )
    body.append(
        _text(MARGIN + INNER, frame_top + 24, _("③ 各部门并联审批"), size=16, weight="bold")
    )
    body.append(
        _text(
            WIDTH - MARGIN - INNER,
            frame_top + 24,
            _("时限 %(days)d 个工作日") % {"days": total_days},
            size=SMALL_SIZE,
            fill=MUTED,
            anchor="end",
        )
    )
    body.extend(lanes)
    y = frame_bottom
    body.append(_arrow(y))
    y += ARROW
    body.append(_step(y, _("④ 办结发证")))
    y += STEP_HEIGHT + 28
    body.append(
        _text(
            WIDTH / 2,
            y - 6,
            _("全程承诺 %(days)d 个工作日内办结") % {"days": total_days},
            size=NAME_SIZE,
            weight="bold",
            fill=BRAND,
            anchor="middle",
        )
    )
    height = y + MARGIN
    font = f' font-family="{escape(font_family)}"' if font_family else ""
    dom_id = escape(dom_id)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{dom_id}-title {dom_id}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}"{font}>'
        f'<title id="{dom_id}-title">{escape(title)}</title>'
        f'<desc id="{dom_id}-desc">{escape(summary(matters, total_days))}</desc>'
        + "".join(body)
        + "</svg>"
    )
    # Safe: every interpolated string above went through escape(); numbers
    # are formatted by us.
    return mark_safe(svg)

"""The English interface: source strings (msgids) are Simplified Chinese and
locale/en holds the English catalogue. Chinese stays the default; English is
chosen by Accept-Language or by the language switcher (/i18n/setlang/).

The compiled catalogue (django.mo) is committed because the project runs
without GNU gettext, so these tests read the .po and .mo with the standard
library only and check that they agree."""

import ast
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from portal.credit_code import check_character

from .factories import valid_credit_code

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

SITE_TITLE_ZH = "黄山市工程建设项目审批“一件事”平台"
SITE_TITLE_EN = "Huangshan City Construction Project Approval “One-Thing Service” Platform"

# Per page: English strings that must appear and Chinese interface strings
# that must not (data from the database, such as stage names, stays Chinese).
PAGES = {
    "/": (
        [
            SITE_TITLE_EN,
            "Project approval & land-use planning permit",
            "Construction works planning permit",
            "Construction permit",
            "Completion acceptance",
            "Log in",
            "Enterprise registration",
        ],
        [SITE_TITLE_ZH, "工程建设许可", "竣工验收", "登录", "企业注册", "跳到主要内容"],
    ),
    "/guides/": (
        [SITE_TITLE_EN, "Construction project approvals", "Lead department", "Service guide"],
        [SITE_TITLE_ZH, "工程建设项目审批", "牵头部门", "办事指南", "主导航"],
    ),
    "/accounts/login/": (
        [SITE_TITLE_EN, "Log in", "Don't have an account?", "Username"],
        [SITE_TITLE_ZH, "还没有账号？", "登录"],
    ),
    "/accounts/register/": (
        [
            SITE_TITLE_EN,
            "Unified social credit code",
            "Developer name",
            "Legal representative",
            "Mobile number",
            "18 characters, as on the business licence",
        ],
        [SITE_TITLE_ZH, "统一社会信用代码", "建设单位名称", "法定代表人", "手机号码", "注册"],
    ),
}

CJK = re.compile(r"[\u3400-\u9fff]")


def visible_text(response):
    """The page's text as a reader sees it: no tags, scripts or the language
    switcher's own names (简体中文 is always shown in Chinese)."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<option\b.*?</option>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize("url", list(PAGES))
def test_pages_render_in_english_for_accept_language_en(client, catalog, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    content = visible_text(response)
    present, absent = PAGES[url]
    for text in present:
        assert text in content, f"{url}: missing English {text!r}"
    for text in absent:
        assert text not in content, f"{url}: Chinese {text!r} shown in English"


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/register/"])
def test_static_pages_have_no_chinese_left_in_english(client, url):
    """Pages without catalogue data must be wholly English."""
    text = visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    leftovers = sorted(set(re.findall(r"[\u3400-\u9fff]+", text)))
    assert not leftovers, f"{url}: untranslated {leftovers}"


@pytest.mark.parametrize("accept_language", [None, "zh-CN", "zh-CN,zh;q=0.9", "fr"])
@pytest.mark.parametrize("url", list(PAGES))
def test_pages_default_to_chinese(client, catalog, url, accept_language):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in response.content.decode()
    content = visible_text(response)
    assert SITE_TITLE_ZH in content
    assert SITE_TITLE_EN not in content


def test_language_switcher_selects_english_and_back(client, catalog):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/guides/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/guides/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    # The cookie wins over a Chinese browser.
    for url, (present, absent) in PAGES.items():
        content = visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN"))
        assert present[0] in content, url
        assert absent[0] not in content, url
    assert 'value="en" selected' in client.get("/").content.decode()

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    content = visible_text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert SITE_TITLE_ZH in content
    assert SITE_TITLE_EN not in content


def registration_data(credit_code):
    return {
        "username": "i18n-applicant",
        "last_name": "王五",
        "phone": "13800138000",
        "email": "i18n@test.invalid",
        "password1": "a-Long-pass-2026",
        "password2": "a-Long-pass-2026",
        "credit_code": credit_code,
        "enterprise_name": "测试建设有限公司",
        "legal_representative": "张三",
    }


def wrong_check_digit(code):
    right = check_character(code[:17])
    wrong = next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != right)
    return code[:17] + wrong


def test_registration_errors_are_translated(client, catalog):
    bad = wrong_check_digit(valid_credit_code(4242))
    data = registration_data(bad)

    english = client.post("/accounts/register/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    content = visible_text(english)
    assert "The check digit of the unified social credit code is incorrect" in content
    assert "Please correct the following" in content
    assert "统一社会信用代码校验位不正确" not in content

    chinese = client.post("/accounts/register/", data)
    content = visible_text(chinese)
    assert "统一社会信用代码校验位不正确" in content
    assert "The check digit" not in content

    short = client.post(
        "/accounts/register/",
        {**registration_data("91341000MA"), "phone": "123"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "The unified social credit code must be 18 characters; it currently has 10." in short
    assert "Please enter an 11-digit mainland China mobile number." in short


def test_registration_success_message_is_translated(client, catalog):
    data = registration_data(valid_credit_code(4343))
    response = client.post("/accounts/register/", data, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    content = visible_text(response)
    assert "Registration successful." in content
    assert "注册成功" not in content


def test_lazy_strings_follow_the_active_language():
    """Model and form strings are lazy and resolve per request."""
    from portal.forms import RegistrationForm
    from portal.models import Enterprise

    field = Enterprise._meta.get_field("credit_code")
    with translation.override("en"):
        assert str(field.verbose_name) == "Unified social credit code"
        assert str(RegistrationForm.base_fields["enterprise_name"].label) == "Developer name"
        assert translation.ngettext("%(n)s 条未读", "%(n)s 条未读", 1) == "%(n)s unread"
    with translation.override("zh-hans"):
        assert str(field.verbose_name) == "统一社会信用代码"


# --- The catalogue files -------------------------------------------------


def parse_po(path):
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (str or
    list by plural index) and flags. Obsolete (#~) entries are skipped."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if not line:
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": ""}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                if not isinstance(entry["msgstr"], list):
                    entry["msgstr"] = []
                entry["msgstr"].append(value)
                key = ("msgstr", int(match.group(1)))
            else:
                entry[keyword] = value
                key = keyword
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries():
    entries = parse_po(PO_FILE)
    assert entries and entries[0]["msgid"] == ""  # the header
    return entries


def test_po_header_and_plural_forms(po_entries):
    header = po_entries[0]
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]


def test_every_entry_is_translated(po_entries):
    problems = []
    for entry in po_entries[1:]:
        strings = entry["msgstr"] if isinstance(entry["msgstr"], list) else [entry["msgstr"]]
        if "fuzzy" in entry["flags"]:
            problems.append(("fuzzy", entry["msgid"]))
        if "msgid_plural" in entry and len(strings) != 2:
            problems.append(("plural forms", entry["msgid"]))
        if not all(s.strip() for s in strings):
            problems.append(("empty", entry["msgid"]))
        if any(CJK.search(s) for s in strings):
            problems.append(("Chinese in msgstr", entry["msgid"]))
    assert len(po_entries) > 1000
    assert not problems, problems


PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%%|\{\{[^}]*\}\}|\{[a-z_]+(?::[^}]*)?\}"
)


def test_placeholders_survive_translation(po_entries):
    mismatches = []
    for entry in po_entries[1:]:
        if isinstance(entry["msgstr"], list):
            pairs = zip([entry["msgid"], entry["msgid_plural"]], entry["msgstr"], strict=False)
        else:
            pairs = [(entry["msgid"], entry["msgstr"])]
        for source, target in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                mismatches.append((source, target))
            if source.count("\n") != target.count("\n"):
                mismatches.append((source, target))
    assert not mismatches, mismatches


def test_compiled_catalogue_matches_the_po(po_entries):
    """django.mo must be compiled from the current django.po: every entry of
    the .po is in the .mo with the same translation, and nothing else is."""
    assert MO_FILE.exists(), "run: python manage.py compilemessages -l en"
    with MO_FILE.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    catalog = mo._catalog  # msgid -> msgstr; (msgid, n) -> plural form n
    expected = {}
    for entry in po_entries[1:]:
        if isinstance(entry["msgstr"], list):
            for index, text in enumerate(entry["msgstr"]):
                expected[(entry["msgid"], index)] = text
        else:
            expected[entry["msgid"]] = entry["msgstr"]
    compiled = {key: value for key, value in catalog.items() if key != ""}
    stale = sorted(
        str(key)
        for key in expected.keys() | compiled.keys()
        if expected.get(key) != compiled.get(key)
    )
    assert not stale, f"django.mo is out of date; recompile. Differences: {stale[:10]}"
    assert mo.plural(1) == 0 and mo.plural(2) == 1

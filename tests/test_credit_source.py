"""The HTTP credit source against a real server on 127.0.0.1: its answers
map onto CreditAnswer, and every failure is an `unavailable` answer the clerk
sees — never a silent `normal`, never a way around a 失信 block."""

import json
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from approvals import services
from approvals.models import Application, Material
from portal.credit import HttpCreditSource

from .factories import ApplicationFactory, complete_draft, valid_credit_code
from .local_http import Answer, LocalServer, closed_port

CODE = valid_credit_code(4242)
OTHER_CODE = valid_credit_code(4343)


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Cached answers of one test never reach another (or an earlier run)."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"credit-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def credit_system():
    answers = []
    server = LocalServer(lambda request: answers.pop(0)).start()
    server.answers = answers
    yield server
    server.stop()


def ask(server, answer, timeout=2):
    """One fresh answer (no cache), as the credit system gave it."""
    server.answers.append(answer)
    source = HttpCreditSource(url=server.url, token="t-1", timeout=timeout, cache_seconds=0)
    return source.status(CODE)


def json_answer(**fields):
    return Answer(body=json.dumps(fields, ensure_ascii=False).encode())


def test_a_normal_answer_asks_with_the_code_and_the_token(credit_system):
    answer = ask(credit_system, json_answer(status="normal"))
    assert (answer.status, answer.label, answer.reason) == ("normal", "正常", "")
    assert not answer.blocks_commitments and not answer.unavailable
    [request] = credit_system.received
    assert request.method == "GET"
    assert parse_qs(urlsplit(request.path).query) == {"credit_code": [CODE]}
    assert request.headers["Authorization"] == "Bearer t-1"


def test_dishonest_and_watch_carry_their_reason(credit_system):
    dishonest = ask(credit_system, json_answer(status="dishonest", reason="严重失信主体名单"))
    assert (dishonest.status, dishonest.label, dishonest.reason) == (
        "dishonest",
        "失信",
        "严重失信主体名单",
    )
    assert dishonest.blocks_commitments
    watch = ask(credit_system, json_answer(status="watch", reason="欠缴社保"))
    assert (watch.status, watch.label) == ("watch", "重点关注")
    assert not watch.blocks_commitments


@pytest.mark.parametrize(
    "answer",
    [
        Answer(status=500, body=b"internal error"),
        Answer(body=b"{not json"),
        Answer(body=b'["normal"]'),
        json_answer(status="excellent"),
        json_answer(reason="no status at all"),
    ],
    ids=["500", "malformed", "not-an-object", "unknown-status", "no-status"],
)
def test_a_bad_answer_is_unavailable_not_normal(credit_system, answer):
    result = ask(credit_system, answer)
    assert (result.status, result.label) == ("unavailable", "暂无法查询")
    assert result.unavailable and result.blocks_commitments
    assert "信用信息系统暂不可用" in result.reason


def test_a_timeout_is_unavailable(credit_system):
    released = threading.Event()
    try:
        held = Answer(body=b'{"status": "normal"}', hold=released)  # normal, but too late
        result = ask(credit_system, held, timeout=0.3)
    finally:
        released.set()
    assert result.status == "unavailable"


def test_a_closed_port_or_no_url_is_unavailable():
    url = f"http://127.0.0.1:{closed_port()}/credit"
    assert HttpCreditSource(url=url, timeout=1).status(CODE).status == "unavailable"
    assert HttpCreditSource(url="", timeout=1).status(CODE).status == "unavailable"


def test_a_redirect_is_not_followed_so_the_token_stays_with_the_credit_system(credit_system):
    elsewhere = LocalServer().start()
    try:
        moved = Answer(status=302, headers={"Location": elsewhere.url})
        assert ask(credit_system, moved).status == "unavailable"
        assert elsewhere.received == []
    finally:
        elsewhere.stop()


def test_a_redis_outage_still_asks_the_credit_system(credit_system, settings):
    """The cache is a shortcut, not a dependency of the window."""
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": dead}}
    credit_system.answer = lambda request: json_answer(status="dishonest", reason="严重失信")
    answer = HttpCreditSource(url=credit_system.url, cache_seconds=300).status(CODE)
    assert (answer.status, answer.reason) == ("dishonest", "严重失信")
    assert len(credit_system.received) == 1


def test_answers_are_reused_per_credit_code_for_the_configured_time(credit_system, settings):
    settings.PORTAL_CREDIT_CACHE_SECONDS = 300
    dishonest = json_answer(status="dishonest", reason="严重失信主体名单")
    credit_system.answer = lambda request: dishonest
    source = HttpCreditSource(url=credit_system.url)
    first, again = source.status(CODE), HttpCreditSource(url=credit_system.url).status(CODE)
    assert len(credit_system.received) == 1
    assert first == again
    assert (again.status, again.label, again.reason) == ("dishonest", "失信", "严重失信主体名单")
    source.status(OTHER_CODE)
    assert len(credit_system.received) == 2
    assert [parse_qs(urlsplit(r.path).query)["credit_code"] for r in credit_system.received] == [
        [CODE],
        [OTHER_CODE],
    ]


def test_a_cached_answer_expires(credit_system):
    credit_system.answer = lambda request: json_answer(status="normal")
    source = HttpCreditSource(url=credit_system.url, cache_seconds=1)
    source.status(CODE)
    source.status(CODE)
    assert len(credit_system.received) == 1
    time.sleep(1.2)  # Redis expires the key on its own clock
    source.status(CODE)
    assert len(credit_system.received) == 2


def test_an_unavailable_answer_is_never_cached(credit_system):
    credit_system.answers.extend(
        [Answer(status=503, body=b"maintenance"), json_answer(status="watch", reason="欠缴社保")]
    )
    source = HttpCreditSource(url=credit_system.url, cache_seconds=300)
    assert source.status(CODE).status == "unavailable"
    assert source.status(CODE).status == "watch"  # asked again
    assert source.status(CODE).reason == "欠缴社保"  # this one is kept
    assert len(credit_system.received) == 2


def test_no_cache_when_turned_off(credit_system):
    credit_system.answer = lambda request: json_answer(status="normal")
    source = HttpCreditSource(url=credit_system.url, cache_seconds=0)
    source.status(CODE)
    source.status(CODE)
    assert len(credit_system.received) == 2


@pytest.mark.django_db
def test_the_window_flags_an_outage_and_withholds_deficiency_but_still_accepts(
    settings, catalog, clerk, client, pdf_bytes
):
    settings.PORTAL_CREDIT_SOURCE = "portal.credit.HttpCreditSource"
    settings.PORTAL_CREDIT_URL = f"http://127.0.0.1:{closed_port()}/credit"

    def submitted():
        draft = complete_draft(ApplicationFactory(), pdf_bytes)
        return services.submit_application(draft.pk, draft.created_by)

    first, second = submitted(), submitted()
    client.force_login(clerk)
    page = client.get(f"/applications/{first.pk}/").content.decode()
    assert '<p class="message message-warning">申请单位信用状态：暂无法查询' in page
    assert "信用信息系统暂不可用，请人工核查或稍后刷新" in page
    assert reverse("application_accept_with_deficiency", args=[first.pk]) not in page
    assert reverse("application_accept", args=[first.pk]) in page

    services.accept_application(first.pk, clerk)
    assert Application.objects.get(pk=first.pk).state == "in_review"

    Material.objects.filter(application=second, kind="injury-insurance").delete()
    with pytest.raises(services.ServiceError, match="暂无法查询"):
        services.accept_with_deficiency(second.pk, clerk, ["injury-insurance"], "承诺", "张三", 5)
    assert Application.objects.get(pk=second.pk).state == "submitted"

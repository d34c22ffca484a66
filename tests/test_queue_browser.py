"""一键取号 in Debian's Chromium: a visitor takes a number at the kiosk, a
clerk calls it from the desk, and the hall display, already open, shows the
number and the window by itself."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.models import Role

from .factories import load_catalog, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-123456"


def test_take_a_number_call_it_and_see_it_on_the_display(live_server, page):
    load_catalog()
    call_command("loaddata", "queueing", verbosity=0)
    clerk = staff(Role.CLERK, "341000", "data")
    base = live_server.url

    page.goto(f"{base}/queue/341000/kiosk/")
    page.get_by_role("button", name=re.compile("施工许可")).click()
    expect(page.get_by_test_id("ticket-number")).to_have_text("C001")
    expect(page.get_by_test_id("ticket-ahead")).to_have_text("0 人")

    display = page.context.new_page()
    display.goto(f"{base}/queue/341000/display/")
    now_calling = display.locator("#queue-now")
    expect(now_calling).to_have_text("暂无叫号")
    expect(display.locator("#queue-waiting li", has_text="施工许可")).to_contain_text("1")

    page.goto(f"{base}/queue/desk/")
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("我的窗口").select_option(label="3号窗口")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_role("heading", name="叫号台 · 3号窗口")).to_be_visible()
    page.get_by_role("button", name="叫号", exact=True).click()
    expect(page.get_by_text("已呼叫 C001，请到3号窗口。")).to_be_visible()
    expect(page.get_by_test_id("desk-current")).to_have_text("C001")

    # The display was not reloaded: its script polls and redraws.
    expect(now_calling).to_contain_text("C001", timeout=10_000)
    expect(now_calling).to_contain_text("3号窗口")
    expect(display.locator("#queue-calls tr").first).to_contain_text("3号窗口")
    expect(display.locator("#queue-waiting li", has_text="施工许可")).to_contain_text("0")
    assert display.evaluate("performance.getEntriesByType('navigation').length") == 1

    page.get_by_role("button", name="办结").click()
    expect(page.get_by_text("C001 已办结。")).to_be_visible()

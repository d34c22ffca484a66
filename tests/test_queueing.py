"""一键取号: visitors take numbers at the kiosk, clerks call them at their
windows, the hall display follows, and supervision can measure the waits."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.models import Role
from queueing import services
from queueing.models import ServiceType, Ticket, TicketEvent, TicketState, Window
from queueing.statistics import daily_statistics
from stages.models import Jurisdiction

from .factories import ApplicantFactory, load_catalog, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, clock):
    """A moment in the hall's own time zone."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def load_hall():
    load_catalog()
    call_command("loaddata", "queueing", verbosity=0)
    return Jurisdiction.objects.get(code="341000")


def service(prefix, code="341000"):
    return ServiceType.objects.get(jurisdiction__code=code, prefix=prefix)


def window(number, code="341000"):
    return Window.objects.get(jurisdiction__code=code, number=number)


def run_at_once(target, arguments):
    """Start one thread per argument behind a barrier; each closes its own
    database connection. Returns what each returned, or the exception."""
    barrier = threading.Barrier(len(arguments))
    results = [None] * len(arguments)

    def work(index, argument):
        try:
            barrier.wait()
            results[index] = target(argument)
        except Exception as error:  # reported to the test, not swallowed
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(index, argument))
        for index, argument in enumerate(arguments)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def hall(catalog):
    call_command("loaddata", "queueing", verbosity=0)
    return Jurisdiction.objects.get(code="341000")


@pytest.fixture
def hall_clerk(hall):
    return staff(Role.CLERK, "341000", "data")


# Numbers -----------------------------------------------------------------


def test_numbers_follow_the_local_day_and_restart_at_midnight(hall):
    # 23:59 and 00:01 in Huangshan are the same UTC date (15:59 / 16:01Z):
    # the series must follow the hall's day, not UTC's.
    with time_machine.travel(at(date(2026, 3, 2), "23:58"), tick=False):
        first, second = services.take_ticket(service("A")), services.take_ticket(service("A"))
        other = services.take_ticket(service("B"))
    with time_machine.travel(at(date(2026, 3, 3), "00:01"), tick=False):
        next_day = services.take_ticket(service("A"))

    assert [first.number, second.number, other.number] == ["A001", "A002", "B001"]
    assert first.day == date(2026, 3, 2)
    assert (next_day.number, next_day.day) == ("A001", date(2026, 3, 3))
    assert TicketEvent.objects.filter(action="take").count() == 4


def test_an_inactive_service_type_hands_out_no_numbers(hall):
    consultation = service("E")
    consultation.active = False
    consultation.save()
    with pytest.raises(services.QueueError):
        services.take_ticket(consultation)
    assert not Ticket.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_eight_kiosks_at_once_get_unique_gap_free_numbers():
    load_hall()
    land, consultation = service("A"), service("E")
    per_thread = 5

    def press_repeatedly(service_type):
        return [services.take_ticket(service_type).number for _ in range(per_thread)]

    # Six threads on one series and two on another, starting together on a
    # day with no counter row yet: the first-number race is exercised too.
    results = run_at_once(press_repeatedly, [land] * 6 + [consultation] * 2)

    assert not [r for r in results if isinstance(r, Exception)], results
    a_numbers = sorted(n for r in results[:6] for n in r)
    assert a_numbers == [f"A{n:03d}" for n in range(1, 31)]
    sequences = list(
        Ticket.objects.filter(service_type=land)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, 31))
    assert Ticket.objects.filter(service_type=consultation).count() == 10
    # taken_at follows the sequence, so FIFO by time is FIFO by number.
    by_time = Ticket.objects.filter(service_type=land).order_by("taken_at", "pk")
    assert [t.sequence for t in by_time] == sequences


# Calling -----------------------------------------------------------------


def test_clerks_call_in_order_of_taking_across_the_window_s_services(hall, hall_clerk):
    taken = [services.take_ticket(service(p)).number for p in "ACAE"]
    assert taken == ["A001", "C001", "A002", "E001"]

    called = [services.call_next(hall_clerk, window(1)).number for _ in taken]

    assert called == taken
    assert services.call_next(hall_clerk, window(1)) is None
    # Calling the next one finished the previous one; the last is finished
    # when the clerk calls again, even with nobody waiting.
    states = dict(Ticket.objects.values_list("number", "state"))
    assert set(states.values()) == {TicketState.DONE}


def test_a_window_calls_only_the_services_it_serves(hall, hall_clerk):
    services.take_ticket(service("A"))
    assert services.call_next(hall_clerk, window(6)) is None  # 6号窗口: 综合咨询 only
    services.take_ticket(service("E"))
    assert services.call_next(hall_clerk, window(6)).number == "E001"


def test_yesterday_s_waiting_tickets_are_not_called_today(hall, hall_clerk):
    with time_machine.travel(at(date(2026, 3, 2), "16:55"), tick=False):
        services.take_ticket(service("A"))
    with time_machine.travel(at(date(2026, 3, 3), "09:00"), tick=False):
        assert services.call_next(hall_clerk, window(1)) is None


@pytest.mark.django_db(transaction=True)
def test_clerks_calling_at_the_same_moment_never_share_a_ticket():
    load_hall()
    clerks = [staff(Role.CLERK, "341000", "data") for _ in range(5)]
    windows = [window(n) for n in range(1, 6)]
    for _ in range(20):
        services.take_ticket(service("A"))

    # Four rounds of five clerks pressing 叫号 together.
    called = []
    for _ in range(4):
        results = run_at_once(
            lambda pair: services.call_next(*pair).number, list(zip(clerks, windows, strict=True))
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert len(set(results)) == 5
        called.extend(results)

    assert sorted(called) == [f"A{n:03d}" for n in range(1, 21)]
    assert TicketEvent.objects.filter(action="call").count() == 20
    assert not Ticket.objects.filter(state=TicketState.WAITING).exists()


def test_finish_records_the_times_and_the_events(hall, hall_clerk):
    day = date(2026, 3, 2)
    with time_machine.travel(at(day, "09:00"), tick=False) as clock:
        ticket = services.take_ticket(service("C"))
        clock.move_to(at(day, "09:12"))
        services.call_next(hall_clerk, window(3))
        clock.move_to(at(day, "09:13"))
        services.recall(ticket, hall_clerk)
        clock.move_to(at(day, "09:14"))
        services.start_serving(ticket, hall_clerk)
        clock.move_to(at(day, "09:30"))
        services.finish(ticket, hall_clerk)

    ticket.refresh_from_db()
    assert ticket.state == TicketState.DONE
    assert (ticket.window, ticket.clerk) == (window(3), hall_clerk)
    assert ticket.called_at - ticket.taken_at == timedelta(minutes=12)
    assert ticket.finished_at - ticket.called_at == timedelta(minutes=18)
    assert ticket.announced_at == at(day, "09:13")
    events = list(ticket.events.values_list("action", "from_state", "to_state", "actor"))
    assert events == [
        ("take", "", "waiting", None),
        ("call", "waiting", "called", hall_clerk.pk),
        ("recall", "called", "called", hall_clerk.pk),
        ("start_serving", "called", "serving", hall_clerk.pk),
        ("finish", "serving", "done", hall_clerk.pk),
    ]
    with pytest.raises(ValueError):
        ticket.events.first().save()  # the log is append-only


def test_no_show_ends_the_ticket(hall, hall_clerk):
    ticket = services.take_ticket(service("A"))
    services.call_next(hall_clerk, window(1))
    ticket = services.mark_no_show(ticket, hall_clerk)

    assert ticket.state == TicketState.NO_SHOW
    assert ticket.finished_at is not None
    with pytest.raises(services.QueueError, match="过号"):
        services.recall(ticket, hall_clerk)
    with pytest.raises(services.QueueError):
        services.finish(ticket, hall_clerk)


def test_only_the_clerk_who_called_a_number_acts_on_it(hall, hall_clerk):
    ticket = services.take_ticket(service("A"))
    services.call_next(hall_clerk, window(1))
    colleague = staff(Role.CLERK, "341000", "data")
    with pytest.raises(services.QueueError):
        services.finish(ticket, colleague)
    with pytest.raises(PermissionDenied):
        services.call_next(ApplicantFactory(), window(1))
    with pytest.raises(PermissionDenied):  # a district clerk at the city hall
        services.call_next(staff(Role.CLERK, "341002", "data"), window(2))


# Statistics ----------------------------------------------------------------


def visit(service_type, day, taken, called=None, finished=None, state=TicketState.DONE):
    """A ticket with the given clock times (minutes after 09:00)."""
    start = at(day, "09:00")
    sequence = Ticket.objects.filter(service_type=service_type, day=day).count() + 1
    return Ticket.objects.create(
        jurisdiction_id=service_type.jurisdiction_id,
        service_type=service_type,
        day=day,
        sequence=sequence,
        number=Ticket.format_number(service_type.prefix, sequence),
        state=state,
        taken_at=start + timedelta(minutes=taken),
        called_at=None if called is None else start + timedelta(minutes=called),
        announced_at=None if called is None else start + timedelta(minutes=called),
        finished_at=None if finished is None else start + timedelta(minutes=finished),
    )


def test_statistics_of_a_constructed_day(hall):
    day = date(2026, 3, 2)
    land, works = service("A"), service("B")
    # Waits 2, 4, 6, 8, 10 minutes; serving 10, 10, 20, 20, 30 minutes.
    for wait, serve in [(2, 10), (4, 10), (6, 20), (8, 20), (10, 30)]:
        visit(land, day, 0, wait, wait + serve)
    visit(land, day, 0, 12, 14, state=TicketState.NO_SHOW)  # waited 12, never served
    visit(land, day, 30, state=TicketState.WAITING)
    visit(works, day, 5, state=TicketState.WAITING)
    # Neither another day nor another hall counts.
    visit(land, day + timedelta(days=1), 0, 100, 200)
    visit(service("C", "341002"), day, 0, 100, 200)

    with CaptureQueriesContext(connection) as queries:
        rows = daily_statistics(hall, day)
    assert len(queries) == 1

    a, b = rows
    assert (a["day"], a["prefix"], a["service_name"]) == (day, "A", "立项用地规划许可")
    assert {k: a[k] for k in ("taken", "called", "served", "no_show", "still_waiting")} == {
        "taken": 7,
        "called": 6,
        "served": 5,
        "no_show": 1,
        "still_waiting": 1,
    }
    minutes = timedelta(minutes=1)
    assert a["average_wait"] == 7 * minutes  # (2+4+6+8+10+12) / 6
    assert a["p90_wait"] == 11 * minutes  # between 10 and 12, at 0.9 × 5 = 4.5
    assert a["average_serve"] == 18 * minutes
    assert a["p90_serve"] == 26 * minutes  # between 20 and 30, at 0.9 × 4 = 3.6
    assert (b["prefix"], b["taken"], b["still_waiting"]) == ("B", 1, 1)
    assert b["average_wait"] is None and b["p90_serve"] is None
    assert len(daily_statistics(hall, day, day + timedelta(days=1))) == 3


# Pages -----------------------------------------------------------------------


def test_kiosk_post_needs_the_csrf_token(hall):
    browser = Client(enforce_csrf_checks=True)
    assert (
        browser.post("/queue/341000/kiosk/", {"service_type": "land-planning"}).status_code == 403
    )
    assert not Ticket.objects.exists()

    page = browser.get("/queue/341000/kiosk/")
    assert page.status_code == 200
    assert "立项用地规划许可" in page.content.decode()
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/queue/341000/kiosk/",
        {"service_type": "land-planning", "csrfmiddlewaretoken": token},
        follow=True,
    )
    assert response.redirect_chain[0][0].startswith("/queue/341000/ticket/")
    body = response.content.decode()
    assert "A001" in body and "前面等候" in body
    ticket = Ticket.objects.get()
    assert ticket.phone == ""


def test_kiosk_ticket_page_counts_those_ahead_and_rejects_forged_tokens(hall, client):
    services.take_ticket(service("A"))
    services.take_ticket(service("B"))
    response = client.post(
        "/queue/341000/kiosk/",
        {"service_type": "land-planning", "phone": "13905590001"},
        follow=True,
    )
    assert response.context["ahead"] == 1
    assert Ticket.objects.get(number="A002").phone == "13905590001"
    assert client.get("/queue/341000/ticket/1:forged/").status_code == 404

    invalid = client.post("/queue/341000/kiosk/", {"service_type": "x", "phone": "123"})
    assert invalid.status_code == 200
    assert Ticket.objects.count() == 3
    assert "请输入11位手机号码" in invalid.content.decode()


def test_display_json_shows_the_latest_calls_and_waiting_counts(hall, hall_clerk, client):
    for prefix in "AAB":
        services.take_ticket(service(prefix))
    services.call_next(hall_clerk, window(3))

    response = client.get("/queue/341000/display.json")

    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert [(c["number"], c["window"], c["state"]) for c in data["calls"]] == [
        ("A001", "3号窗口", "called")
    ]
    assert {w["prefix"]: w["count"] for w in data["waiting"]} == {
        "A": 1,
        "B": 1,
        "C": 0,
        "D": 0,
        "E": 0,
    }
    first_key = data["now_key"]
    services.recall(Ticket.objects.get(number="A001"), hall_clerk)
    assert client.get("/queue/341000/display.json").json()["now_key"] != first_key
    assert client.get("/queue/999999/display.json").status_code == 404


def test_display_page_works_without_javascript(hall, hall_clerk, client):
    services.take_ticket(service("D"))
    services.call_next(hall_clerk, window(4))
    body = client.get("/queue/341000/display/").content.decode()
    assert 'http-equiv="refresh"' in body
    assert 'aria-live="polite"' in body
    assert "D001" in body and "4号窗口" in body


def test_the_desk_is_for_clerks(hall, client):
    response = client.get("/queue/desk/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/queue/desk/"

    client.force_login(ApplicantFactory())
    assert client.get("/queue/desk/").status_code == 403
    assert client.post("/queue/desk/call/").status_code == 403
    client.force_login(staff(Role.REVIEWER, "341000", "housing"))
    assert client.get("/queue/desk/").status_code == 403

    client.force_login(staff(Role.CLERK, "341000", "data"))
    assert client.get("/queue/desk/")["Location"] == "/queue/desk/window/"


def test_desk_call_recall_no_show_and_finish(hall, hall_clerk, client):
    client.force_login(hall_clerk)
    # Windows of another hall are not offered.
    other_hall = window(1, "341002")
    assert client.post("/queue/desk/window/", {"window": other_hall.pk}).status_code == 200
    client.post("/queue/desk/window/", {"window": window(2).pk})

    response = client.post("/queue/desk/call/", follow=True)
    assert "当前没有等候的号" in response.content.decode()

    first = services.take_ticket(service("A"))
    second = services.take_ticket(service("B"))
    response = client.post("/queue/desk/call/", follow=True)
    assert "已呼叫 A001，请到2号窗口。" in response.content.decode()
    assert response.context["current"] == first
    client.post(f"/queue/desk/tickets/{first.pk}/recall/")
    response = client.post(f"/queue/desk/tickets/{first.pk}/no-show/", follow=True)
    assert "A001 已过号。" in response.content.decode()

    client.post("/queue/desk/call/")
    client.post(f"/queue/desk/tickets/{second.pk}/start/")
    response = client.post(f"/queue/desk/tickets/{second.pk}/finish/", follow=True)
    assert "B001 已办结。" in response.content.decode()
    assert response.context["current"] is None
    assert dict(Ticket.objects.values_list("number", "state")) == {
        "A001": "no_show",
        "B001": "done",
    }
    # Someone else's ticket, or an unknown action, is not found.
    third = services.take_ticket(service("A"))
    services.call_next(staff(Role.CLERK, "341000", "data"), window(5))
    assert client.post(f"/queue/desk/tickets/{third.pk}/finish/").status_code == 404
    assert client.post(f"/queue/desk/tickets/{third.pk}/delete/").status_code == 404
    assert client.get(f"/queue/desk/tickets/{third.pk}/finish/").status_code == 405


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def busy_day(clerk, tickets):
    """`tickets` numbers across the services; every third one called."""
    for index in range(tickets):
        services.take_ticket(service("ABCDE"[index % 5]))
    for _ in range(tickets // 3):
        services.call_next(clerk, window(1))


def test_pages_run_a_fixed_number_of_queries(hall, hall_clerk, client):
    """The hall screen and the kiosk are anonymous; the desk is the clerk's."""
    other_clerk = staff(Role.CLERK, "341000", "data")
    client.force_login(hall_clerk)
    client.post("/queue/desk/window/", {"window": window(1).pk})
    hall_screen = Client()
    public = ["/queue/341000/display/", "/queue/341000/display.json", "/queue/341000/kiosk/"]

    def count_all():
        services.call_next(hall_clerk, window(1))
        counts = {url: queries_for(hall_screen, url) for url in public}
        counts["/queue/desk/"] = queries_for(client, "/queue/desk/")
        return counts

    busy_day(other_clerk, 3)
    few = count_all()
    busy_day(other_clerk, 40)
    many = count_all()

    assert many == few
    # Jurisdiction, latest calls, waiting counts (the kiosk needs no calls).
    assert few == {
        "/queue/341000/display/": 3,
        "/queue/341000/display.json": 3,
        "/queue/341000/kiosk/": 2,
        # Session, user, posting, window, current ticket, waiting counts and
        # the layout's unread-notification badge.
        "/queue/desk/": 7,
    }


def test_admin_lists_tickets_read_only(hall, hall_clerk, admin_client):
    services.take_ticket(service("A"))
    services.call_next(hall_clerk, window(1))
    ticket = Ticket.objects.get()
    for url in [
        "/admin/queueing/ticket/",
        f"/admin/queueing/ticket/{ticket.pk}/change/",
        "/admin/queueing/servicetype/",
        f"/admin/queueing/window/{window(1).pk}/change/",
    ]:
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/admin/queueing/ticket/add/").status_code == 403
    response = admin_client.post(
        f"/admin/queueing/window/{window(1).pk}/change/",
        {
            "jurisdiction": window(1).jurisdiction_id,
            "number": 1,
            "name": "1号窗口",
            "service_types": [service("C", "341002").pk],
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "不属于本窗口所在区域" in response.content.decode()

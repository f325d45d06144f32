"""Small parts of the web app: the rate limiter, the SVG chart, URL filters, actions, mail views."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest

from bot.adapters.web.ratelimit import RateLimiter
from bot.adapters.web.staff.actions import ACTIONS, available_actions, check_input
from bot.adapters.web.staff.auth import safe_next, session_key
from bot.adapters.web.staff.charts import stacked_bars
from bot.adapters.web.staff.export import safe_cell
from bot.adapters.web.staff.filters import filter_query, parse_filter, parse_page
from bot.adapters.web.staff.mailview import mail_view
from bot.adapters.web.staff.ports import OutboxRecord, TicketFilter, TicketRecord


class Tick:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_rate_limiter_allows_a_burst_then_refills_per_client() -> None:
    tick = Tick()
    limiter = RateLimiter(3, clock=tick)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another client has its own budget
    assert limiter.retry_after("a") == 20  # one token per 20 s at 3 per minute
    tick.t = 19.0
    assert not limiter.allow("a")
    tick.t = 20.0
    assert limiter.allow("a") and not limiter.allow("a")


def test_rate_limiter_memory_stays_bounded() -> None:
    tick = Tick()
    limiter = RateLimiter(1, clock=tick)
    for n in range(25_000):
        limiter.allow(f"client-{n}")
    assert len(limiter._buckets) <= 10_000


def test_chart_is_valid_svg_with_escaped_labels() -> None:
    svg = stacked_bars({"<b>x</b>": {"2026-01": 2, "2026-02": 5}, "access": {"2026-02": 1}},
                       ("2026-01", "2026-02"), title='Per "right" & <org>')
    root = ET.fromstring(svg)  # well-formed XML: nothing unescaped got through
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.find(
        "{http://www.w3.org/2000/svg}title") is not None]
    assert len(bars) == 3
    heights = {r.find("{http://www.w3.org/2000/svg}title").text: float(r.get("height", 0)) for r in bars}  # type: ignore[union-attr]
    assert heights["<b>x</b>, 2026-02: 5"] == pytest.approx(5 * heights["access, 2026-02: 1"])
    assert "style=" not in svg  # the CSP forbids inline styles


def test_chart_without_data_says_so() -> None:
    assert "No requests yet" in stacked_bars({}, ("2026-01",), title="t")


def test_filters_round_trip_through_the_url() -> None:
    flt = parse_filter({"status": "open", "right": "erasure", "org": "centra", "channel": "slack",
                        "overdue": "1", "q": " anna "}, orgs={"centra"})
    assert flt == TicketFilter(status="open", right="erasure", org="centra", channel="slack", overdue=True, q="anna")
    assert parse_filter(dict(item.split("=") for item in filter_query(flt).split("&")), orgs={"centra"}) == flt
    junk = parse_filter({"status": "<x>", "right": "fly", "org": "nope", "channel": "fax", "q": "x" * 500},
                        orgs={"centra"})
    assert junk.status is junk.right is junk.org is junk.channel is None and junk.q == "x" * 200
    assert [parse_page({"page": p}) for p in ("2", "0", "-1", "abc", "99999999")] == [2, 1, 1, 1, 1]


def _ticket(status: str, **kw: object) -> TicketRecord:
    base = dict(reference="DSR-2026-00001", org="o", right="erasure", article="17", status=status, channel="email",
                language="en", received_at=datetime(2026, 3, 10, tzinfo=UTC), deadline=date(2026, 4, 10),
                contact_address="dpo@o.example")
    base.update(kw)
    return TicketRecord(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("status", "expected"), [
    ("new", ["verify", "refuse", "extend", "duplicate", "withdraw", "note"]),
    ("forwarded", ["verify", "resend", "acknowledge", "complete", "refuse", "extend", "withdraw", "note"]),
    ("acknowledged", ["verify", "complete", "refuse", "extend", "withdraw", "note"]),
    ("failed", ["verify", "resend", "refuse", "extend", "route", "withdraw", "note"]),
    ("refused", ["note"]),
    ("completed", ["note"]),
])
def test_actions_follow_the_lifecycle(status: str, expected: list[str]) -> None:
    assert [a.name for a in available_actions(_ticket(status), date(2026, 3, 20))] == expected


def test_extend_is_offered_only_once_and_only_within_the_first_month() -> None:
    assert "extend" not in [a.name for a in available_actions(_ticket("new"), date(2026, 4, 11))]
    extended = _ticket("new", extension_reason="busy", deadline=date(2026, 6, 10), original_deadline=date(2026, 4, 10))
    assert "extend" not in [a.name for a in available_actions(extended, date(2026, 3, 20))]
    routing = _ticket("needs_routing", contact_address=None)
    assert "route" in [a.name for a in available_actions(routing, date(2026, 3, 20))]


@pytest.mark.parametrize(("action", "value", "ok"), [
    ("route", "dpo@icentrex.example", True), ("route", "a@b.c\r\nBcc: x@y.z", False), ("route", "a@b", False),
    ("duplicate", "dsr-2026-00002", True), ("duplicate", "DSR-2026-00001", False), ("duplicate", "42", False),
    ("refuse", "x" * 2001, False), ("note", " ", False),
])
def test_action_inputs_are_checked(action: str, value: str, ok: bool) -> None:
    if ok:
        assert check_input(ACTIONS[action], value, reference="DSR-2026-00001")
    else:
        with pytest.raises(ValueError):
            check_input(ACTIONS[action], value, reference="DSR-2026-00001")


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+46 70", "'+46 70"), ("-5", "-5"), ("@SUM(A1)", "'@SUM(A1)"), ("plain", "plain"),
    (None, ""), (date(2026, 4, 10), "2026-04-10"), (-3, "-3"),
])
def test_csv_cells_never_become_formulas(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


@pytest.mark.parametrize(("target", "expected"), [
    ("/staff/tickets?org=x", "/staff/tickets?org=x"), ("//evil", "/staff/"), ("https://evil", "/staff/"),
    ("/staff/login", "/staff/"), (None, "/staff/"), ("/staff\r\nSet-Cookie: x", "/staff/"), ("/staffx", "/staff/"),
    ("/staff", "/staff"),
])
def test_safe_next(target: object, expected: str) -> None:
    assert safe_next(target) == expected


def test_session_key_is_derived_or_random() -> None:
    assert session_key("s3cret") == session_key("s3cret") != session_key("other")
    assert len(session_key("s3cret")) == 32 and session_key(None) != session_key(None)


def test_mail_view_shows_headers_and_text_and_survives_junk() -> None:
    raw = (b"From: bot@x.test\r\nTo: dpo@o.example\r\nSubject: [DSR-2026-00001] Request\r\n"
           b"Message-ID: <1@x.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHej d\xc3\xa5!\r\n")
    record = OutboxRecord(kind="forward", message_id="<1@x.test>", recipients=("dpo@o.example",), status="sent",
                          attempts=1, created_at=datetime(2026, 3, 10, tzinfo=UTC), raw=raw)
    view = mail_view(record)
    assert ("Subject", "[DSR-2026-00001] Request") in view.headers and view.body.strip() == "Hej då!"
    junk = mail_view(OutboxRecord(kind="ack", message_id="m", recipients=(), status="pending", attempts=0,
                                  created_at=datetime(2026, 3, 10, tzinfo=UTC), raw=b"\xff\xfe garbage"))
    assert isinstance(junk.body, str)


def test_client_address_reads_forwarded_for_only_through_trusted_proxies() -> None:
    from bot.adapters.web.proxies import client_address, parse_networks

    ours = parse_networks(["10.0.0.0/8", "127.0.0.1"])
    assert client_address("10.0.0.2", ["198.51.100.1, 203.0.113.5, 10.0.0.9"], ours) == "203.0.113.5"
    assert client_address("10.0.0.2", ["198.51.100.1", "203.0.113.5"], ours) == "203.0.113.5"  # repeated headers
    assert client_address("192.0.2.1", ["203.0.113.5"], ours) == "192.0.2.1"  # the peer is no proxy of ours
    assert client_address("10.0.0.2", [], ours) == "10.0.0.2"
    assert client_address("10.0.0.2", ["10.0.0.3, 10.0.0.4"], ours) == "10.0.0.3"  # only proxies: the first
    assert client_address("10.0.0.2", ["not-an-ip, 10.0.0.4"], ours) == "not-an-ip"
    assert client_address("192.0.2.1", ["198.51.100.1, 203.0.113.5"], parse_networks(["*"])) == "203.0.113.5"
    assert client_address(None, ["203.0.113.5"], None) is None


def test_forwarded_allow_ips_is_validated_with_the_variable_named() -> None:
    import pytest

    from bot.config import Settings
    from bot.errors import ConfigError

    assert Settings.from_env({"FORWARDED_ALLOW_IPS": " 127.0.0.1, 10.0.0.0/8 "}).forwarded_allow_ips == (
        "127.0.0.1", "10.0.0.0/8")
    assert Settings.from_env({"FORWARDED_ALLOW_IPS": "*"}).forwarded_allow_ips == ("*",)
    with pytest.raises(ConfigError, match=r"FORWARDED_ALLOW_IPS.*'proxy\.example'"):
        Settings.from_env({"FORWARDED_ALLOW_IPS": "127.0.0.1,proxy.example"})

"""The staff queries on both databases: accounts, sign-in failures, dashboard figures, queue filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.adapters.store.staff_queries import StaffQueries
from bot.adapters.web.staff.backend import StoreBackend
from bot.adapters.web.staff.ports import TicketFilter
from bot.core.models import Right
from bot.errors import InvalidInput
from bot.filing import TicketFiler

from .rig import file_ticket, metas


async def test_accounts(store: Any, clock: Any) -> None:
    staff = StaffQueries(store.engine)
    added = await staff.add_staff(email=" Alice@Example.org ", name="Alice", password_hash="h1", at=clock())
    assert added.email == "alice@example.org" and not added.disabled
    assert (await staff.staff_by_email("ALICE@example.org")) == added
    with pytest.raises(InvalidInput, match="exists already"):
        await staff.add_staff(email="alice@example.org", name="", password_hash="h2", at=clock())
    await staff.set_staff_password("alice@example.org", "h3")
    await staff.set_staff_disabled("alice@example.org", True)
    again = await staff.staff_by_id(added.id)
    assert again is not None and again.password_hash == "h3" and again.disabled
    with pytest.raises(InvalidInput, match="no staff account"):
        await staff.set_staff_password("bob@example.org", "h")
    assert [a.email for a in await staff.list_staff()] == ["alice@example.org"]


async def test_login_failures_count_within_the_window_and_clear(store: Any, clock: Any) -> None:
    staff = StaffQueries(store.engine)
    for _ in range(3):
        await staff.record_login_failure(["account:a", "client:1"], at=clock())
        clock.advance(minutes=1)
    since = clock() - timedelta(minutes=15)
    assert await staff.count_login_failures("account:a", since=since) == 3
    assert await staff.count_login_failures("client:1", since=since) == 3
    clock.advance(minutes=14)
    assert await staff.count_login_failures("account:a", since=clock() - timedelta(minutes=15)) == 1
    await staff.clear_login_failures("account:a")
    assert await staff.count_login_failures("account:a", since=since) == 0
    assert await staff.count_login_failures("client:1", since=since) == 3
    clock.advance(days=2)  # old failures are pruned when new ones come
    await staff.record_login_failure(["client:2"], at=clock())
    assert await staff.count_login_failures("client:1", since=since - timedelta(days=1)) == 0


async def test_dashboard_figures(store: Any, clock: Any) -> None:
    filer = TicketFiler(store, mail_from="bot@privacy-bot.test", orgs={m.id: m for m in metas()})
    first = (await file_ticket(filer, received_at=clock(), address="a@example.se")).ticket.reference
    await file_ticket(filer, received_at=clock(), org="centra", right=Right.ACCESS, address="b@example.se")
    await store.transition(first, "forwarded", actor="t")
    clock.advance(days=3)
    await store.transition(first, "completed", actor="t")
    clock.advance(days=31)  # 2026-04-13: the centra ticket is overdue
    await file_ticket(filer, received_at=clock(), org="centra", right=Right.ACCESS, address="c@example.se")
    figures = await StaffQueries(store.engine).monthly_figures(today=clock().date(), months=3)
    assert figures.months == ("2026-02", "2026-03", "2026-04")
    assert figures.open_count == 2 and figures.overdue_count == 1
    assert figures.per_right_month == {"erasure": {"2026-03": 1}, "access": {"2026-03": 1, "2026-04": 1}}
    assert figures.per_org_month == {"infentre": {"2026-03": 1}, "centra": {"2026-03": 1, "2026-04": 1}}
    assert figures.median_days_to_close == 3.0 and figures.closed_count == 1


async def test_backend_queue_filters(store: Any, clock: Any) -> None:
    filer = TicketFiler(store, mail_from="bot@privacy-bot.test", orgs={m.id: m for m in metas()})
    backend = StoreBackend(store, mailer=filer)
    a = (await file_ticket(filer, received_at=clock(), address="a@example.se")).ticket.reference
    b = (await file_ticket(filer, received_at=clock(), org="icentrex", address="b@example.se")).ticket.reference
    await store.transition(a, "refused", actor="t", reason="no")
    today = clock().date()

    async def refs(flt: TicketFilter) -> list[str]:
        rows, total = await backend.list_tickets(flt, today=today, offset=0, limit=50)
        assert total == len(rows)
        return [r.reference for r in rows]

    assert set(await refs(TicketFilter())) == {a, b}
    assert await refs(TicketFilter(status="open")) == [b]
    assert await refs(TicketFilter(status="refused")) == [a]
    assert await refs(TicketFilter(q="B@EXAMPLE")) == [b]
    assert await refs(TicketFilter(q="%")) == []  # wildcards are literal
    record = await backend.ticket(b)
    assert record is not None and record.status == "needs_routing" and record.contact_address is None
    assert await backend.ticket("DSR-2026-99999") is None and await backend.ticket("nonsense") is None

"""Staff accounts, sign-in failures and dashboard figures: the staff pages' queries over the store's tables."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.store import schema as t
from bot.adapters.store.tickets import EFFECTIVE_DEADLINE
from bot.core.tickets import OPEN_STATUSES, Status, add_months
from bot.errors import InvalidInput

_OPEN = sorted(s.value for s in OPEN_STATUSES)
# A request "closes" when it is answered one way or the other; duplicates and withdrawals are not work done.
_CLOSED_WORK = (Status.COMPLETED.value, Status.REFUSED.value)
# Failures older than this are never counted again, so they are pruned when new ones are recorded.
_KEEP_FAILURES = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StaffAccount:
    id: int
    email: str
    name: str
    password_hash: str
    disabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MonthlyFigures:
    open_count: int
    overdue_count: int
    months: tuple[str, ...]  # "YYYY-MM", oldest first
    per_right_month: dict[str, dict[str, int]]
    per_org_month: dict[str, dict[str, int]]
    median_days_to_close: float | None
    closed_count: int


def _account(row: Any) -> StaffAccount:
    m = row._mapping
    return StaffAccount(id=m["id"], email=m["email"], name=m["name"] or "", password_hash=m["password_hash"],
                        disabled=bool(m["disabled"]), created_at=m["created_at"])


class StaffQueries:
    """Queries the staff pages and ``python -m bot staff`` need; each call is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    # --- accounts ---------------------------------------------------------------------------------

    async def staff_by_email(self, email: str) -> StaffAccount | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(sa.select(t.staff_users).where(
                sa.func.lower(t.staff_users.c.email) == email.strip().lower()))).first()
        return None if row is None else _account(row)

    async def staff_by_id(self, user_id: int) -> StaffAccount | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(sa.select(t.staff_users).where(t.staff_users.c.id == user_id))).first()
        return None if row is None else _account(row)

    async def list_staff(self) -> list[StaffAccount]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(sa.select(t.staff_users).order_by(t.staff_users.c.email))).all()
        return [_account(r) for r in rows]

    async def add_staff(self, *, email: str, name: str, password_hash: str, at: datetime) -> StaffAccount:
        """A new account; ``InvalidInput`` when the address already has one."""
        clean = email.strip().lower()
        try:
            async with self._engine.begin() as conn:
                if (await conn.execute(sa.select(t.staff_users.c.id).where(
                        sa.func.lower(t.staff_users.c.email) == clean))).first() is not None:
                    raise InvalidInput(f"a staff account for {clean} exists already")
                user_id = (await conn.execute(t.staff_users.insert().values(
                    email=clean, name=name.strip() or None, password_hash=password_hash, created_at=at,
                    disabled=False).returning(t.staff_users.c.id))).scalar_one()
        except IntegrityError:
            raise InvalidInput(f"a staff account for {clean} exists already") from None
        account = await self.staff_by_id(user_id)
        assert account is not None
        return account

    async def set_staff_password(self, email: str, password_hash: str) -> None:
        await self._update_account(email, password_hash=password_hash)

    async def set_staff_disabled(self, email: str, disabled: bool) -> None:
        await self._update_account(email, disabled=disabled)

    async def _update_account(self, email: str, **values: Any) -> None:
        async with self._engine.begin() as conn:
            result = await conn.execute(t.staff_users.update().where(
                sa.func.lower(t.staff_users.c.email) == email.strip().lower()).values(**values))
        if not result.rowcount:
            raise InvalidInput(f"no staff account for {email.strip().lower()}")

    # --- sign-in throttling -------------------------------------------------------------------------

    async def record_login_failure(self, keys: tuple[str, ...] | list[str], *, at: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(t.login_failures.delete().where(t.login_failures.c.at < at - _KEEP_FAILURES))
            for key in keys:
                await conn.execute(t.login_failures.insert().values(key=key[:400], at=at))

    async def count_login_failures(self, key: str, *, since: datetime) -> int:
        async with self._engine.connect() as conn:
            count = (await conn.execute(sa.select(sa.func.count()).select_from(t.login_failures).where(
                t.login_failures.c.key == key[:400], t.login_failures.c.at >= since))).scalar_one()
        return int(count)

    async def clear_login_failures(self, key: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(t.login_failures.delete().where(t.login_failures.c.key == key[:400]))

    # --- dashboard ----------------------------------------------------------------------------------

    async def monthly_figures(self, *, today: date, months: int = 12) -> MonthlyFigures:
        """Open and overdue now; requests received per right and per organisation in the last ``months``."""
        first = add_months(today.replace(day=1), -(months - 1))
        labels = tuple(f"{add_months(first, i):%Y-%m}" for i in range(months))
        c = t.tickets.c
        start = datetime(first.year, first.month, 1, tzinfo=UTC)
        async with self._engine.connect() as conn:
            open_count = (await conn.execute(sa.select(sa.func.count()).select_from(t.tickets)
                                             .where(c.status.in_(_OPEN)))).scalar_one()
            overdue = (await conn.execute(sa.select(sa.func.count()).select_from(t.tickets).where(
                c.status.in_(_OPEN), sa.literal(today, sa.Date) > EFFECTIVE_DEADLINE))).scalar_one()
            received = (await conn.execute(sa.select(c.right, c.org, c.received_at)
                                           .where(c.received_at >= start))).all()
            closed = (await conn.execute(sa.select(c.received_at, c.closed_at).where(
                c.status.in_(_CLOSED_WORK), c.closed_at.is_not(None), c.closed_at >= start))).all()
        per_right: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        per_org: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for right, org, at in received:
            month = f"{at:%Y-%m}"
            per_right[right][month] += 1
            per_org[org][month] += 1
        durations = [(done - got).total_seconds() / 86400 for got, done in closed]
        return MonthlyFigures(
            open_count=int(open_count), overdue_count=int(overdue), months=labels,
            per_right_month={k: dict(v) for k, v in per_right.items()},
            per_org_month={k: dict(v) for k, v in per_org.items()},
            median_days_to_close=round(statistics.median(durations), 1) if durations else None,
            closed_count=len(durations),
        )


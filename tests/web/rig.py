"""The web tests' rig: the Web handle (client + store + clock), filing real tickets, CSRF tokens."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp.test_utils import TestClient

from bot.adapters.knowledge_files import load_folder
from bot.adapters.store import FiledResult, Store
from bot.adapters.web.staff.backend import StoreBackend
from bot.adapters.web.staff.passwords import hash_password
from bot.config import EMBEDDED_KNOWLEDGE, Settings
from bot.core.models import (
    Answer,
    Channel,
    Citation,
    Inquiry,
    Language,
    PolicyMeta,
    RecognisedRequest,
    Requester,
    Right,
)
from bot.filing import TicketFiler

PASSWORD = "correct horse battery staple"
STAFF_EMAIL = "alice@example.org"
STAFF_NAME = "Alice Andersson"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_POLICIES: list[Any] = []


def policies() -> list[Any]:
    if not _POLICIES:
        _POLICIES.extend(load_folder(EMBEDDED_KNOWLEDGE))
    return _POLICIES


def metas() -> tuple[PolicyMeta, ...]:
    return tuple(p.meta for p in policies())


_SERVICE: list[Any] = []


def real_service() -> Any:
    """The real Service over the real Assistant and the seed policies (built once: indexing takes time)."""
    if not _SERVICE:
        from bot.core.assistant import Assistant
        from bot.service import Service

        _SERVICE.append(Service(Assistant(policies())))
    return _SERVICE[0]


class NotAsked:
    """For staff-page tests that never ask the bot anything."""

    def answer(self, inquiry: Inquiry) -> Answer:
        raise AssertionError("this test does not ask the bot")


def token_in(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@dataclass
class Web:
    client: TestClient[Any, Any]
    store: Store
    backend: StoreBackend
    filer: TicketFiler
    clock: Any
    settings: Settings

    async def token(self, path: str = "/staff/login") -> str:
        response = await self.client.get(path)
        return token_in(await response.text())

    async def sign_in(self, email: str = STAFF_EMAIL, password: str = PASSWORD) -> Any:
        token = await self.token("/staff/login")
        return await self.client.post("/staff/login", data={"csrf_token": token, "email": email,
                                                            "password": password, "next": "/staff/"},
                                      allow_redirects=False)

    async def add_staff(self, email: str = STAFF_EMAIL, name: str = STAFF_NAME,
                        password: str = PASSWORD) -> None:
        await self.backend.staff.add_staff(email=email, name=name, password_hash=hash_password(password),
                                           at=self.clock())

    async def file(self, **kwargs: Any) -> FiledResult:
        return await file_ticket(self.filer, received_at=self.clock(), **kwargs)


async def file_ticket(filer: TicketFiler, *, received_at: datetime, org: str = "infentre",
                      right: Right = Right.ERASURE, text: str = "Please delete all my personal data.",
                      name: str | None = "Anna Svensson", address: str | None = "anna@example.se",
                      channel: Channel = Channel.EMAIL, external_id: str | None = None) -> FiledResult:
    """Files a request through the real filer (ticket + forward + acknowledgement in the outbox)."""
    meta = {m.id: m for m in metas()}[org]
    requester = Requester(channel=channel, address=address, name=name,
                          evidence=(("dkim", "pass"), ("spf", "pass")))
    citation = Citation(org=org, section="Your rights", passage_id=f"{org}:your-rights:1",
                        text="Your rights\nYou may ask us to erase your data.", score=3.2,
                        quote="You may ask us to erase your data.")
    answer = Answer(org=org, answered=True, reply="Recognised as an erasure request.", language=Language.EN,
                    citations=(citation,),
                    request=RecognisedRequest(right=right, forward_to=meta.contact_email,
                                              no_address_reason=meta.contact_note))
    inquiry = Inquiry(text=text, channel=channel, org=org, requester=requester, external_id=external_id)
    return await filer.file(inquiry, answer, received_at=received_at)


WebFactory = Callable[..., Awaitable[Web]]

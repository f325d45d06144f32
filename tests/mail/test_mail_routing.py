"""Which organisation a mail is for: inbox addresses (plus-addressing too) and our own answers' Message-IDs."""

from __future__ import annotations

from bot.core.mail_routing import conversation_org, inbox_map, route_by_recipient
from bot.core.models import Language, PolicyMeta

METAS = [
    PolicyMeta(id="centra", name="Centra", language=Language.EN, inbox="Privacy@Centra.com"),
    PolicyMeta(id="icentrex", name="iCentrex", language=Language.SV, inbox="not an address"),
    PolicyMeta(id="infentre", name="Infentre", language=Language.EN),
]


def test_inbox_map_keeps_valid_addresses_lower_cased() -> None:
    assert inbox_map(METAS) == {"privacy@centra.com": "centra"}


def test_first_recipient_that_is_an_inbox_wins() -> None:
    inboxes = inbox_map(METAS)
    assert route_by_recipient(["someone@else.se", "PRIVACY+web@centra.com"], inboxes) == "centra"
    assert route_by_recipient(["privacy@centra.com.evil.se", "x@centra.com"], inboxes) is None
    assert route_by_recipient([], inboxes) is None


def test_conversation_org_only_from_our_own_domain() -> None:
    ours = ("bot.example",)
    assert conversation_org(["<a@example.se>", "<0f1e.reply.12.infentre@BOT.example>"], ours) == "infentre"
    assert conversation_org(["<0f1e.reply.12.infentre@evil.example>"], ours) is None
    assert conversation_org(["<0f1e.ack.infentre@bot.example>"], ours) is None

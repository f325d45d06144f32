"""Which organisation an e-mail is for: its inbox address, or the conversation it continues."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from bot.core.mailheaders import clean_address
from bot.core.models import PolicyMeta

# Our answers' Message-IDs end "…reply.<inbound id>.<org>@<our domain>" (see bot.adapters.mail_in.compose).
_OUR_REPLY_ID = re.compile(r"\.reply\.\d+\.([a-z0-9][a-z0-9-]*)$")


def inbox_map(metas: Sequence[PolicyMeta]) -> dict[str, str]:
    """Inbox address -> organisation id, from the knowledge metadata (``inbox``)."""
    found: dict[str, str] = {}
    for meta in metas:
        address = clean_address(meta.inbox)
        if address is not None:
            found[address.lower()] = meta.id
    return found


def route_by_recipient(recipients: Sequence[str], inboxes: Mapping[str, str]) -> str | None:
    """The organisation whose inbox received the mail (Delivered-To / X-Original-To first, then To, Cc);
    plus-addressing (privacy+x@...) counts as the inbox itself."""
    for recipient in recipients:
        address = recipient.lower()
        local, _, domain = address.partition("@")
        for candidate in (address, f"{local.partition('+')[0]}@{domain}"):
            if candidate in inboxes:
                return inboxes[candidate]
    return None


def conversation_org(thread_ids: Sequence[str], own_domains: Collection[str]) -> str | None:
    """The organisation named in one of our own answers' Message-IDs that this message replies to."""
    for message_id in thread_ids:
        local, _, domain = message_id.strip("<>").rpartition("@")
        if domain.lower() not in own_domains:
            continue
        match = _OUR_REPLY_ID.search(local)
        if match:
            return match.group(1)
    return None

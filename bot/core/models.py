"""Values shared by the core and the adapters: policies, passages, answers, requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Language(StrEnum):
    EN = "en"
    SV = "sv"


class Right(StrEnum):
    """The data-subject rights the bot recognises (GDPR Art. 7(3), 15-18, 20, 21, 77)."""

    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    OBJECTION = "objection"
    WITHDRAW_CONSENT = "withdraw_consent"
    COMPLAINT = "complaint"


class Channel(StrEnum):
    CLI = "cli"
    API = "api"
    EMAIL = "email"
    SLACK = "slack"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class PolicyMeta:
    """Front-matter metadata of one organisation's policy."""

    id: str
    name: str
    language: Language
    aliases: tuple[str, ...] = ()
    contact_email: str | None = None
    # Why there is no contact address, shown to users and staff (e.g. "the policy names no e-mail address").
    contact_note: str | None = None
    postal_address: str | None = None
    updated: str | None = None
    valid_from: str | None = None
    inbox: str | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    """A policy: its metadata and its text, verbatim as published."""

    meta: PolicyMeta
    text: str
    source: str = ""  # where it was loaded from, for messages only
    body_line: int = 1  # line of ``source`` where ``text`` starts, for located errors
    # (front-matter field, line of ``source``) pairs, so later checks can point at the field.
    field_lines: tuple[tuple[str, int], ...] = ()

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrievable unit of a policy; ``text`` is ``policy.text[start:end]`` exactly."""

    id: str  # stable: "<org>:<section-slug>:<n>"
    org: str
    section: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Citation:
    org: str
    section: str
    passage_id: str
    text: str  # the passage exactly as it stands in the policy (section title may lead on its own line)
    score: float
    quote: str = ""  # the answering sentence(s) of ``text``, verbatim


@dataclass(frozen=True, slots=True)
class Identifiers:
    """What the requester's own message says about who they are."""

    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    name: str | None = None


@dataclass(frozen=True, slots=True)
class RecognisedRequest:
    right: Right
    forward_to: str | None
    # When ``forward_to`` is None: why (e.g. the policy names no e-mail address).
    no_address_reason: str | None = None
    identifiers: Identifiers = field(default_factory=Identifiers)
    # Below this the request is ambiguous: channels may offer "file this as a request" instead.
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Answer:
    """The core's reply to one message: what any channel shows, and whether it is a rights request."""

    org: str | None
    answered: bool
    reply: str
    language: Language
    citations: tuple[Citation, ...] = ()
    request: RecognisedRequest | None = None
    # Set when the bot could not tell which organisation is meant; the ids it offers.
    choices: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The JSON contract of ``ask --json``, ``ask --jsonl`` and ``POST /api/ask``."""
        return {
            "org": self.org,
            "answered": self.answered,
            "reply": self.reply,
            "language": self.language.value,
            "citations": [
                {"org": c.org, "section": c.section, "passage_id": c.passage_id, "text": c.text,
                 "score": round(c.score, 4), "quote": c.quote}
                for c in self.citations
            ],
            "request": None if self.request is None else {
                "right": self.request.right.value,
                "forward_to": self.request.forward_to,
            },
        }


@dataclass(frozen=True, slots=True)
class Requester:
    """Who sent a message, and the evidence of identity the channel gives us."""

    channel: Channel
    address: str | None = None  # e-mail address, or Slack user id for Slack
    name: str | None = None
    # e.g. {"slack_team": "T1", "slack_verified_email": "a@b.se"} or {"dkim": "pass", "spf": "pass"}
    evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Inquiry:
    """One message from any channel, as the service receives it."""

    text: str
    channel: Channel
    org: str | None = None  # fixed by the channel (flag, Slack channel mapping, inbox address)
    requester: Requester | None = None
    external_id: str | None = None  # Slack event id, e-mail Message-ID: for de-duplication and threading

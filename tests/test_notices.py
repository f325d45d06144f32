"""Mail drafts about tickets: content, language, threading, and that user input cannot inject headers."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.mailheaders import clean_address, clean_message_id, header_text, threading_headers
from bot.core.models import Language, Right
from bot.core.notices import MailDraft, acknowledgement_draft, format_date, forward_draft, reminder_draft
from bot.errors import InvalidInput

REF = "DSR-2026-00042"
RECEIVED = date(2026, 1, 31)
DEADLINE = date(2026, 2, 28)


def _forward(**overrides: object) -> MailDraft:
    args: dict[str, object] = dict(
        reference=REF, org_name="Centra", contact_address="privacy@centra.com", right=Right.ERASURE,
        original_text="Hej!\r\nPlease delete my account.\n\n-- \nAnna", received=RECEIVED, deadline=DEADLINE,
        requester_address="anna@example.se", requester_name="Anna Svensson",
        evidence=(("dkim", "pass"), ("spf", "pass")))
    args.update(overrides)
    return forward_draft(**args)  # type: ignore[arg-type]


def _ack(**overrides: object) -> MailDraft:
    args: dict[str, object] = dict(
        reference=REF, org_name="Centra", requester_address="anna@example.se", right=Right.ACCESS,
        deadline=DEADLINE, contact_address="privacy@centra.com")
    args.update(overrides)
    return acknowledgement_draft(**args)  # type: ignore[arg-type]


def _as_mime(draft: MailDraft) -> EmailMessage:
    """Build the message as the outbox will and parse it back: what a receiver would see."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = "bot@example.org"
    msg["To"] = ", ".join(draft.to)
    msg["Subject"] = draft.subject
    if draft.reply_to:
        msg["Reply-To"] = draft.reply_to
    for name, value in draft.headers:
        msg[name] = value
    msg.set_content(draft.text)
    parsed = message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_forward_carries_what_the_organisation_needs() -> None:
    draft = _forward()
    assert draft.to == ("privacy@centra.com",)
    assert draft.reply_to == "anna@example.se"
    assert draft.subject == f"[{REF}] Data subject request: right to erasure (GDPR Art. 17)"
    assert ("Auto-Submitted", "auto-generated") in draft.headers
    assert ("X-DSR-Reference", REF) in draft.headers
    for needle in [REF, "GDPR Art. 17", "right to erasure", "Anna Svensson", "anna@example.se",
                   "dkim: pass", "spf: pass", "2026-01-31", "2026-02-28", "28 February 2026",
                   "Hej!\r\nPlease delete my account.\n\n-- \nAnna"]:
        assert needle in draft.text, needle
    assert "IMY" not in draft.text
    assert "stated in the message" not in draft.text
    stated = _forward(stated=(("phone", "070-123 45 67"), ("email", "anna.old@example.se")))
    assert "Identifiers stated in the message:\n  phone: 070-123 45 67\n  email: anna.old@example.se" \
        in stated.text


def test_forward_in_swedish_and_for_a_complaint() -> None:
    draft = _forward(right=Right.COMPLAINT, language=Language.SV)
    assert "klagomål" in draft.subject and "GDPR art. 77" in draft.subject
    assert "Integritetsskyddsmyndigheten" in draft.text and "www.imy.se" in draft.text
    assert "28 februari 2026" in draft.text and "integritetspolicyn för Centra" in draft.text


def test_forward_reply_to_falls_back_to_verified_slack_email() -> None:
    draft = _forward(requester_address="U024BE7LH", channel="slack",
                     evidence=(("slack_team", "T1"), ("slack_verified_email", "anna@centra.com")))
    assert draft.reply_to == "anna@centra.com"
    assert "U024BE7LH" in draft.text and "slack" in draft.text
    assert _forward(requester_address=None, evidence=()).reply_to is None
    assert "(none)" in _forward(requester_address=None, requester_name=None, evidence=()).text


def test_forward_needs_a_usable_contact_address() -> None:
    for bad in ["", "not an address", "a@b.se, c@d.se", "x@y.se\r\nBcc: z@evil.example"]:
        with pytest.raises(InvalidInput, match="contact address"):
            _forward(contact_address=bad)


def test_acknowledgement_english() -> None:
    draft = _ack(requester_name="Anna")
    assert draft.to == ("anna@example.se",)
    assert draft.subject == f"[{REF}] We have received your request (right of access)"
    assert draft.reply_to is None
    headers = dict(draft.headers)
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["X-Auto-Response-Suppress"] == "All"
    assert draft.text.startswith("Hello Anna,")
    for needle in [REF, "GDPR Art. 15", "28 February 2026", "privacy@centra.com", "What happens next",
                   f"[{REF}]", "two further months"]:
        assert needle in draft.text, needle
    assert "IMY" not in draft.text


def test_acknowledgement_swedish_complaint_without_contact_address() -> None:
    draft = _ack(org_name="iCentrex", right=Right.COMPLAINT, contact_address=None, language="sv",
                 no_address_reason="policyn anger ingen e-postadress")
    assert draft.subject == f"[{REF}] Vi har tagit emot din begäran (klagomål)"
    assert draft.text.startswith("Hej,")
    assert "personal skickar din begäran vidare manuellt" in draft.text
    assert "(policyn anger ingen e-postadress)" in draft.text
    assert "IMY, Integritetsskyddsmyndigheten" in draft.text and "www.imy.se" in draft.text
    assert "GDPR art. 77" in draft.text and "28 februari 2026" in draft.text
    assert "vidarebefordrat" not in draft.text


def test_acknowledgement_for_no_address_in_english() -> None:
    draft = _ack(contact_address=None)
    assert "names no e-mail address" in draft.text and "route your request by hand" in draft.text


def test_acknowledgement_threads_under_the_requesters_mail() -> None:
    draft = _ack(in_reply_to="<m1@mail.example.se>", references=["<m0@mail.example.se>", "junk id"])
    headers = dict(draft.headers)
    assert headers["In-Reply-To"] == "<m1@mail.example.se>"
    assert headers["References"] == "<m0@mail.example.se> <m1@mail.example.se>"
    assert "In-Reply-To" not in dict(_ack(in_reply_to="<no at sign>").headers)


def test_acknowledgement_needs_a_requester_address() -> None:
    with pytest.raises(InvalidInput, match="requester address"):
        _ack(requester_address="U024BE7LH")


def test_reminder_counts_days() -> None:
    common = dict(reference=REF, org_name="Centra", contact_address="privacy@centra.com", right="access",
                  forwarded=RECEIVED, deadline=DEADLINE)
    soon = reminder_draft(today=date(2026, 2, 25), **common)  # type: ignore[arg-type]
    assert soon.subject == f"[{REF}] Reminder: right of access due in 3 day(s)"
    assert "3 day(s) left" in soon.text
    today = reminder_draft(today=DEADLINE, **common)  # type: ignore[arg-type]
    assert "due today" in today.subject
    late = reminder_draft(today=date(2026, 3, 3), language="sv", **common)  # type: ignore[arg-type]
    assert late.subject == f"[{REF}] Försenad med 3 dag(ar): rätt till tillgång"
    assert ("Auto-Submitted", "auto-generated") in late.headers


def test_format_date() -> None:
    assert format_date(date(2026, 5, 1)) == "1 May 2026"
    assert format_date(date(2026, 5, 1), "sv") == "1 maj 2026"


# --- injection -----------------------------------------------------------------------------------------

ATTACKS = [
    "Centra\r\nBcc: victim@example.com",
    "Centra\nBcc: victim@example.com",
    "Centra\rBcc: victim@example.com",
    "Centra\u2028Bcc: victim@example.com",
    "Centra\x85Bcc: victim@example.com",
    "Centra\x0bBcc: victim@example.com\x00",
    "=?utf-8?q?Centra=0D=0ABcc=3A_victim=40example=2Ecom?=",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_user_input_cannot_add_headers(attack: str) -> None:
    for draft in [
        _forward(org_name=attack, requester_name=attack, reference=attack, requester_address=attack,
                 evidence=((attack, attack),)),
        _ack(org_name=attack, requester_name=attack, reference=attack, no_address_reason=attack,
             contact_address=None, in_reply_to=attack, references=[attack]),
    ]:
        assert "\r" not in draft.subject and "\n" not in draft.subject
        for name, value in draft.headers:
            assert "\r" not in value and "\n" not in value and "\r" not in name and "\n" not in name
        parsed = _as_mime(draft)
        assert parsed["Bcc"] is None
        assert set(parsed.keys()) <= {"From", "To", "Subject", "Reply-To", "Auto-Submitted", "X-DSR-Reference",
                                      "X-Auto-Response-Suppress", "In-Reply-To", "References",
                                      "Content-Type", "Content-Transfer-Encoding", "MIME-Version"}
        assert parsed["To"] in {"privacy@centra.com", "anna@example.se"}


@given(st.text(max_size=300))
def test_header_text_is_always_one_safe_line(value: str) -> None:
    line = header_text(value)
    assert not any(ch in line for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00")
    assert line == line.strip()
    assert len(line) <= 400
    assert "=?" not in line


@given(st.text(max_size=80))
def test_clean_address_never_returns_something_unsafe(value: str) -> None:
    addr = clean_address(value)
    if addr is not None:
        assert addr.count("@") == 1
        assert not any(ch.isspace() or ch in "<>,;:\"()[]\\" for ch in addr)
        assert header_text(addr) == addr


@pytest.mark.parametrize(("value", "expected"), [
    ("anna@example.se", "anna@example.se"),
    (" <Anna.S+dsr@Example.SE> ", "Anna.S+dsr@example.se"),
    ("åsa@exempel.se", "åsa@exempel.se"),
    ("bot@localhost", "bot@localhost"),
    ("Anna <anna@example.se>", None), ("a@b@c.se", None), ("a@b", None), ("@b.se", None),
    ("a..b@c.se", None), ("a@-b.se", None), ("a@b..se", None), ("a b@c.se", None),
    ("a@b.se\nBcc: x@y.se", None), ("\"a\"@b.se", None), ("", None), (None, None),
    ("=?utf-8?q?x=0D=0ABcc=3A_v=40e.com?=@evil.se", None),
])
def test_clean_address(value: str | None, expected: str | None) -> None:
    assert clean_address(value) == expected


def test_message_ids() -> None:
    assert clean_message_id("<a.b@c>") == "<a.b@c>"
    assert clean_message_id("a.b@c") == "<a.b@c>"
    assert clean_message_id("<a@c> <b@d>") is None
    assert clean_message_id("<a@c>\r\nBcc: x@y") is None
    assert clean_message_id("<=?utf-8?q?x=0D=0ABcc=3A_v=40e.com?=@x>") is None
    assert clean_message_id("<åäö@x>") is None
    assert threading_headers(None, ["<a@b>"]) == ()
    refs = [f"<r{i}@x>" for i in range(20)]
    chain = dict(threading_headers("<p@x>", refs))["References"].split()
    assert chain[-1] == "<p@x>" and len(chain) == 10

"""E-mail parsing on a corpus of tricky messages, loop and bounce rules, and junk that must never crash."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.mail_parse import SYNTHETIC_DOMAIN, ParsedMail, parse_message, synthetic_message_id
from bot.adapters.mail_text import decode_bytes, html_to_text, strip_reply
from bot.core.mail_rules import is_bounce, reply_allowed, safe_header_value, should_not_reply

MAIL = Path(__file__).resolve().parent / "data" / "mail"
OWN = ("privacy-bot@centra.com",)
OWN_DOMAINS = ("privacy-bot.example",)


@dataclass(frozen=True)
class Case:
    """The expected outcome of parsing one file of tests/data/mail/."""

    file: str
    sender: str | None
    subject: str
    text_has: tuple[str, ...] = ()
    text_lacks: tuple[str, ...] = ()
    no_reply: str | None = None  # a fragment of should_not_reply's reason; None: a reply is allowed
    message_id: str | None = None  # None: synthetic
    problem: str | None = None
    html_only: bool = False
    reference: str | None = None
    attachments: tuple[str | None, ...] = ()
    bounce_of: str | None = None
    bounce_permanent: bool | None = None
    recipients: tuple[str, ...] = ("privacy@centra.com",)
    name: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


CASES = [
    Case("html_only.eml", "erik@example.se", "How long do you keep my order history?",
         text_has=("How long do you keep my order history?", "* online orders", "Erik"),
         text_lacks=("<b>", "alert", "color: red"), html_only=True, message_id="<html-only-1@mail.example.se>",
         name="Erik Berg"),
    Case("latin1.eml", "goran@example.se", "Registerutdrag för Göran",
         text_has=("Jag vill få ett registerutdrag över alla uppgifter", "Göran Åberg"),
         message_id="<latin1-1@mail.example.se>", name="Göran Åberg"),
    Case("windows1252_mislabelled.eml", "eva@example.se", "Cookies",
         text_has=("“vi säljer aldrig data” – men", "10 €"), message_id="<cp1252-1@mail.example.se>"),
    Case("base64_body.eml", "maja@example.se", "Radering",
         text_has=("Jag vill att ni raderar alla mina personuppgifter.",), message_id="<b64-1@mail.example.se>"),
    Case("quoted_printable.eml", "lars@example.se", "Fråga om cookies",
         text_has=("Det här är en lång rad som bryts med en mjuk radbrytning.",), text_lacks=("=C3", "=\n"),
         message_id="<qp-1@mail.example.se>", name="Lars Öberg"),
    Case("no_message_id.eml", "anna@example.se", "Question", text_has=("Do you sell my data",)),
    Case("auto_reply.eml", "anna@example.se", "Autosvar: [DSR-2026-00001] We have received your request",
         no_reply="Auto-Submitted", message_id="<ooo-1@mail.example.se>", reference="DSR-2026-00001",
         recipients=("privacy-bot@centra.com",), name="Anna Svensson"),
    Case("bounce_dsn.eml", "MAILER-DAEMON@mx.centra.com", "Undelivered Mail Returned to Sender",
         no_reply="Auto-Submitted", message_id="<dsn-1@mx.centra.com>",
         attachments=(None, None), bounce_of="<outbox-1@privacy-bot.example>", bounce_permanent=True,
         recipients=("privacy-bot@centra.com",), name="Mail Delivery System",
         extra={"bounce_reference": "DSR-2026-00001", "bounce_status": "5.1.1",
                "bounce_recipients": ("dpo@centra.com",)}),
    Case("bounce_delayed_headers.eml", "postmaster@mx.example.net", "Delivery Status Notification (Delay)",
         no_reply="Return-Path", message_id="<dsn-2@mx.example.net>", attachments=(None, None),
         bounce_of="<outbox-7@privacy-bot.example>", bounce_permanent=False,
         recipients=("privacy-bot@centra.com",), extra={"bounce_reference": "DSR-2026-00007"}),
    Case("reply_to_ticket.eml", "anna@example.se",
         "SV: Re: [DSR-2026-00001] Vi har tagit emot din begäran (rätt till radering)",
         text_has=("mitt kundnummer är 12345", "Anna"), text_lacks=("Den tis 3 mars", "Vi har tagit emot"),
         message_id="<reply-1@mail.example.se>", reference="DSR-2026-00001",
         recipients=("privacy@centra.com", "privacy-bot@centra.com"), name="Anna Svensson",
         extra={"in_reply_to": "<ack-1@privacy-bot.example>",
                "thread_ids": ("<ack-1@privacy-bot.example>", "<orig-1@mail.example.se>"),
                "auth": {"dkim": "pass", "spf": "pass", "dmarc": "pass", "dkim_domain": "example.se",
                         "authserv_id": "mx.centra.com"}}),
    Case("no_text.eml", "olle@example.se", "", message_id="<empty-1@mail.example.se>"),
    Case("attachment.eml", "karin@example.se", "Request for my data, ID attached",
         text_has=("I would like a copy of all personal data",), text_lacks=("<p>", "JVBER"),
         message_id="<att-1@mail.example.se>", attachments=("id-card.pdf", "körkort.png"), name="Karin Ek"),
    Case("rfc2047_swedish_subject.eml", "asa@example.se", "Begäran om radering av mina uppgifter åäö",
         text_has=("Jag vill att ni raderar mitt konto",), text_lacks=("Skickat från min iPhone",),
         message_id="<sv-subject-1@mail.example.se>", recipients=("privacy@lindex.se",), name="Åsa Lövgren"),
    Case("outlook_reply_sv.eml", "per@example.se", "SV: Fråga",
         text_has=("hur länge sparas kvittona?",), text_lacks=("Från:", "7 år", "_____"),
         message_id="<outlook-1@mail.example.se>", name="Per Nilsson"),
    Case("mailing_list.eml", "news@lists.example.org", "Weekly privacy digest", no_reply="Precedence: list",
         message_id="<news-1@lists.example.org>", name="Newsletter"),
    Case("no_sender.eml", None, "who am I", no_reply="no usable sender", problem="no usable sender address",
         message_id="<nosender-1@mail.example.se>"),
    Case("header_injection.eml", "mallory@example.net", "Hello Bcc: victim@example.com",
         message_id="<inject-1@example.net>", name="Mallory Bcc: victim@example.com"),
    Case("raw_8bit_headers.eml", "bjorn@example.se", "Fråga om personuppgifter",
         message_id="<raw8bit-1@mail.example.se>", name="Björn Åkesson"),
]


def _parse(name: str) -> ParsedMail:
    return parse_message((MAIL / name).read_bytes())


def test_every_corpus_file_has_a_case() -> None:
    assert sorted(p.name for p in MAIL.glob("*.eml")) == sorted(c.file for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_corpus(case: Case) -> None:
    raw = (MAIL / case.file).read_bytes()
    mail = parse_message(raw)
    assert mail.problem == case.problem
    assert mail.from_address == case.sender
    assert mail.from_name == case.name
    assert mail.subject == case.subject
    if case.message_id is None:
        assert mail.synthetic_message_id and mail.message_id == synthetic_message_id(raw)
        assert mail.message_id.endswith(f"@{SYNTHETIC_DOMAIN}>")
    else:
        assert not mail.synthetic_message_id and mail.message_id == case.message_id
    for needle in case.text_has:
        assert needle in mail.text, needle
    for needle in case.text_lacks:
        assert needle not in mail.text, needle
    assert mail.html_only is case.html_only
    assert mail.ticket_reference == case.reference
    assert tuple(a.filename for a in mail.attachments) == case.attachments
    assert all(a.size > 0 for a in mail.attachments)
    assert mail.recipients == case.recipients
    assert mail.size == len(raw)
    reason = should_not_reply(mail.headers, mail.from_address, OWN, own_message_id_domains=OWN_DOMAINS)
    if case.no_reply is None:
        assert reason is None
    else:
        assert reason is not None and case.no_reply in reason
    if case.bounce_of is None:
        assert mail.bounce is None
    else:
        assert mail.bounce is not None
        assert mail.bounce.original_message_id == case.bounce_of
        assert mail.bounce.permanent is case.bounce_permanent
    for text in (mail.subject, mail.from_name or "", *(v for _, v in mail.headers)):
        assert "\r" not in text and "\n" not in text
    extra = case.extra
    if "bounce_reference" in extra:
        assert mail.bounce is not None and mail.bounce.reference == extra["bounce_reference"]
    if "bounce_status" in extra:
        assert mail.bounce is not None and mail.bounce.status == extra["bounce_status"]
    if "bounce_recipients" in extra:
        assert mail.bounce is not None and mail.bounce.recipients == extra["bounce_recipients"]
    if "in_reply_to" in extra:
        assert mail.in_reply_to == extra["in_reply_to"]
    if "thread_ids" in extra:
        assert mail.thread_ids == extra["thread_ids"]
    if "auth" in extra:
        assert isinstance(extra["auth"], dict)
        assert {k: v for k, v in mail.auth_results if k in extra["auth"]} == extra["auth"]


def test_body_keeps_the_whole_message_for_the_ticket() -> None:
    mail = _parse("reply_to_ticket.eml")
    assert "Den tis 3 mars 2026 kl 12:00 skrev" in mail.body and "> Vi har tagit emot" in mail.body
    assert mail.date == datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
    assert mail.header("authentication-results") is not None


def test_only_the_topmost_or_trusted_authentication_results_count() -> None:
    raw = (MAIL / "reply_to_ticket.eml").read_bytes()
    assert dict(parse_message(raw, trusted_authserv_ids=["forged.example"]).auth_results)["dkim"] == "fail"
    assert parse_message(raw, trusted_authserv_ids=["other.example"]).auth_results == ()
    assert dict(parse_message(raw).auth_results)["dkim"] == "pass"


def test_a_15_mb_message_is_read_headers_only_over_the_cap() -> None:
    blob = base64.encodebytes(bytes(range(256)) * (15 * 1024 * 1024 // 256 // 4 * 3)).decode()
    raw = ("Message-ID: <big-1@mail.example.se>\r\nFrom: big@example.se\r\nTo: privacy@centra.com\r\n"
           "Subject: Big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
           "--XX\r\nContent-Type: text/plain\r\n\r\nPlease see the attached scan.\r\n"
           "--XX\r\nContent-Type: application/octet-stream; name=scan.bin\r\n"
           "Content-Disposition: attachment; filename=scan.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           f"{blob}\r\n--XX--\r\n").encode()
    assert len(raw) > 15 * 1024 * 1024
    started = time.perf_counter()
    capped = parse_message(raw, max_bytes=10 * 1024 * 1024)
    assert time.perf_counter() - started < 2
    assert capped.oversized and capped.problem is None
    assert capped.message_id == "<big-1@mail.example.se>" and capped.from_address == "big@example.se"
    assert capped.text == "" and capped.attachments == () and capped.size == len(raw)
    started = time.perf_counter()
    full = parse_message(raw)
    assert time.perf_counter() - started < 20
    assert not full.oversized and full.text == "Please see the attached scan."
    assert [a.filename for a in full.attachments] == ["scan.bin"] and full.attachments[0].size > 11_000_000


@pytest.mark.parametrize(("raw", "problem"), [
    (b"", "empty message"),
    (b"   \r\n  ", "empty message"),
    (b"\x00\x01\x02 this is not mail", "no headers: not an e-mail message"),
    (b"Subject: hi\n\nno sender", "no usable sender address"),
    (b"\n\nbody without headers", "no headers: not an e-mail message"),
])
def test_junk_gets_a_problem_not_an_exception(raw: bytes, problem: str) -> None:
    mail = parse_message(raw)
    assert mail.problem == problem
    assert mail.message_id == synthetic_message_id(raw) or not mail.synthetic_message_id


# --- loop and noise rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(("headers", "sender", "fragment"), [
    ({"Auto-Submitted": "auto-replied"}, "a@b.se", "Auto-Submitted"),
    ({"Auto-Submitted": "auto-generated; owner-email=x@y"}, "a@b.se", "Auto-Submitted"),
    ({"Auto-Submitted": "No"}, "a@b.se", None),
    ({"Precedence": "bulk"}, "a@b.se", "Precedence: bulk"),
    ({"Precedence": "Junk"}, "a@b.se", "Precedence: junk"),
    ({"Precedence": "first-class"}, "a@b.se", None),
    ({"List-Id": "<x.lists>"}, "a@b.se", "mailing list"),
    ({"List-Unsubscribe": "<mailto:u@x>"}, "a@b.se", "mailing list"),
    ({"Return-Path": "<>"}, "a@b.se", "empty Return-Path"),
    ({"Return-Path": "<a@b.se>"}, "a@b.se", None),
    ({}, "MAILER-DAEMON@mx.b.se", "mail system"),
    ({}, "Postmaster@b.se", "mail system"),
    ({"X-Auto-Response-Suppress": "All"}, "a@b.se", "X-Auto-Response-Suppress"),
    ({"X-Auto-Response-Suppress": "OOF, AutoReply"}, "a@b.se", "X-Auto-Response-Suppress"),
    ({"X-Auto-Response-Suppress": "DR, RN"}, "a@b.se", None),
    ({"X-Autoreply": "yes"}, "a@b.se", "x-autoreply"),
    ({"X-Autorespond": "x"}, "a@b.se", "x-autorespond"),
    ({"Content-Type": "multipart/report; report-type=disposition-notification"}, "a@b.se", "report"),
    ({}, "PRIVACY-BOT@Centra.com", "our own address"),
    ({"X-Loop": "privacy-bot@centra.com"}, "a@b.se", "X-Loop"),
    ({"Message-ID": "<123@privacy-bot.example>"}, "a@b.se", "our own Message-ID"),
    ({"Message-ID": "<123@mail.b.se>"}, "a@b.se", None),
    ({"Subject": "Automatic reply: your question"}, "a@b.se", "auto-reply subject"),
    ({"Subject": "Frånvaromeddelande"}, "a@b.se", "auto-reply subject"),
    ({"Subject": "Out of Office: back Monday"}, "a@b.se", "auto-reply subject"),
    ({"Subject": "Question about my automatic reply settings"}, "a@b.se", None),
    ({}, None, "no usable sender"),
    ({}, "not an address", "no usable sender"),
    ({}, "a@b.se", None),
])
def test_should_not_reply(headers: dict[str, str], sender: str | None, fragment: str | None) -> None:
    reason = should_not_reply(headers, sender, OWN, own_message_id_domains=OWN_DOMAINS)
    if fragment is None:
        assert reason is None
    else:
        assert reason is not None and fragment in reason


def test_should_not_reply_takes_header_pairs_case_insensitively() -> None:
    assert should_not_reply([("auto-SUBMITTED", "auto-replied")], "a@b.se", OWN) is not None
    assert should_not_reply([("Received", "x"), ("Received", "y")], "a@b.se", ()) is None
    reason = should_not_reply({"Auto-Submitted": "x\r\nBcc: y@z"}, "a@b.se", OWN)
    assert reason is not None and "\n" not in reason


def test_reply_rate_per_sender() -> None:
    now = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert reply_allowed([], now)
    assert reply_allowed([now - timedelta(minutes=m) for m in (1, 2)], now)
    assert not reply_allowed([now - timedelta(minutes=m) for m in (1, 2, 3)], now)
    assert reply_allowed([now - timedelta(minutes=m) for m in (61, 62, 63, 1)], now)
    assert reply_allowed([now - timedelta(hours=1)] * 3, now)  # exactly an hour ago is outside the window
    assert not reply_allowed([now], now, limit=1)
    assert reply_allowed([now - timedelta(minutes=5)], now, limit=1, window=timedelta(minutes=5))


def test_safe_header_value() -> None:
    assert safe_header_value("Re: x\r\nBcc: y@z") == "Re: x Bcc: y@z"
    assert "=?" not in safe_header_value("=?utf-8?q?a=0D=0AB?=")


def test_old_style_bounce_without_a_report() -> None:
    raw = (b"Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nTo: privacy-bot@centra.com\n"
           b"Subject: failure notice\nMessage-ID: <b3@mx.example.net>\n\n"
           b"Hi. This is the qmail-send program. I could not deliver your message.\n\n"
           b"<dpo@x.example>: 550 no such user\n\n--- Below this line is a copy of the message.\n\n"
           b"Message-ID: <outbox-9@privacy-bot.example>\nSubject: [DSR-2026-00009] Data subject request\n")
    mail = parse_message(raw)
    assert mail.bounce is not None
    assert mail.bounce.original_message_id == "<outbox-9@privacy-bot.example>"
    assert mail.bounce.reference == "DSR-2026-00009" and mail.bounce.permanent
    person = parse_message(raw.replace(b"MAILER-DAEMON@mx.example.net", b"anna@example.se"))
    assert person.bounce is None


def test_read_receipt_is_not_a_bounce() -> None:
    raw = (b"From: anna@example.se\nSubject: Read: hello\nMIME-Version: 1.0\n"
           b"Content-Type: multipart/report; report-type=disposition-notification; boundary=Z\n\n"
           b"--Z\nContent-Type: text/plain\n\nRead.\n--Z\nContent-Type: message/disposition-notification\n\n"
           b"Disposition: manual-action/MDN-sent-manually; displayed\n--Z--\n")
    msg = message_from_bytes(raw, policy=policy.default)
    assert is_bounce(msg, sender="anna@example.se") is None
    mail = parse_message(raw)
    assert mail.bounce is None
    assert should_not_reply(mail.headers, mail.from_address, OWN) == "a delivery or read report"


# --- text: charsets, HTML, quotes and signatures ---------------------------------------------------------


def test_decode_bytes() -> None:
    assert decode_bytes("åäö".encode(), "utf-8") == "åäö"
    assert decode_bytes("åäö".encode("latin-1"), "iso-8859-1") == "åäö"
    assert decode_bytes("“€”".encode("cp1252"), "ISO-8859-1") == "“€”"
    assert decode_bytes("åäö €".encode("cp1252"), None) == "åäö €"
    assert decode_bytes("åäö".encode(), "us-ascii") == "åäö"
    assert decode_bytes("åäö".encode("latin-1"), "utf-8") == "åäö"  # mislabelled UTF-8
    assert decode_bytes("åäö".encode(), "x-no-such-charset") == "åäö"
    assert decode_bytes(b"\x81\x8d\x8f", "latin-1") == "\x81\x8d\x8f"  # cp1252 holes: latin-1 decodes all
    assert decode_bytes("Grüße".encode("iso-8859-15"), "iso-8859-15") == "Grüße"


def test_html_to_text_survives_hostile_markup() -> None:
    assert html_to_text("<p>a</p><p>b</p>") == "a\n\nb"
    assert "x" in html_to_text("<<<>>><p>x" + "<div>" * 5000)
    assert html_to_text("") == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi\n\nOn Tue, 3 Mar 2026 at 10:00, Bot <bot@x.se> wrote:\n> old\n", "Hi"),
    ("Hi\n\nOn Tue, 3 Mar 2026 at 10:00, Anna Svensson <\nanna@example.se> wrote:\n> old\n", "Hi"),
    ("Hej\n\nDen 2026-03-03 kl. 10:00, skrev Anna Svensson:\n> gammalt\n", "Hej"),
    ("Hej\n\n3 mars 2026 kl. 10:00 skrev Anna Svensson <anna@example.se>:\n\n> gammalt\n", "Hej"),
    ("Hello\n\n-----Original Message-----\nFrom: x\nSent: y\n\nold text", "Hello"),
    ("Hej\n\n-----Ursprungligt meddelande-----\nFrån: x\n\ngammalt", "Hej"),
    ("Hello\n\nFrom: Bot <bot@x.se>\nSent: Tuesday\nTo: me\nSubject: Re: q\n\nold", "Hello"),
    ("Answer\n-- \nAnna Svensson\nCEO", "Answer"),
    ("Answer\n\nSent from my iPhone", "Answer"),
    ("Please delete:\n\n-my account\n-my orders", "Please delete:\n\n-my account\n-my orders"),
    ("Jag skrev till er om följande:\nradera mitt konto", "Jag skrev till er om följande:\nradera mitt konto"),
    ("From: my old address anna@old.se\nPlease update it.", "From: my old address anna@old.se\nPlease update it."),
    ("> only a quote\n> nothing new", ""),
    ("inline answer\n> quoted question\nmy answer", "inline answer\nmy answer"),
    ("---------- Forwarded message ---------\nFrom: A <a@x.se>\nDate: Mon\nSubject: S\nTo: B\n\nDelete me",
     "---------- Forwarded message ---------\nFrom: A <a@x.se>\nDate: Mon\nSubject: S\nTo: B\n\nDelete me"),
    ("From: Anna <a@x.se>\nSent: Monday\nTo: privacy@x.se\nSubject: delete\n\nPlease delete my data.",
     "Please delete my data."),
    ("-- \nonly a signature", "-- \nonly a signature"),
    ("", ""),
])
def test_strip_reply(text: str, expected: str) -> None:
    assert strip_reply(text) == expected


def test_strip_reply_is_linear_on_big_text() -> None:
    text = ("On a line that never ends " * 200_000) + "\n" + ("x" * 1_000_000)
    started = time.perf_counter()
    strip_reply(text)
    assert time.perf_counter() - started < 3


# --- never crash ---------------------------------------------------------------------------------------

CORPUS = [(MAIL / c.file).read_bytes() for c in CASES]


def _check_safe(raw: bytes, mail: ParsedMail) -> None:
    assert mail.size == len(raw)
    assert mail.message_id.startswith("<") and mail.message_id.endswith(">")
    assert parse_message(raw).message_id == mail.message_id  # stable: a re-delivery dedupes
    for text in (mail.subject, mail.from_name or "", mail.from_address or "", *mail.recipients,
                 *(v for _, v in mail.headers)):
        assert "\r" not in text and "\n" not in text
    for text in (mail.body, mail.text, mail.subject, *(v for _, v in mail.headers)):
        text.encode("utf-8")  # no lone surrogates: storable in any database


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(raw: bytes) -> None:
    _check_safe(raw, parse_message(raw))


@st.composite
def _mangled(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "header"]))
        pos = draw(st.integers(0, max(len(raw) - 1, 0)))
        if op == "flip" and raw:
            raw[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            raw[pos:pos] = draw(st.sampled_from([
                b"\r\n", b"\n\n", b"--", b"=?utf-8?q?=0D=0A?=", b"=?x?b?@@?=", b"boundary=", b"\x00", b"\xff\xfe",
                b"Content-Type: multipart/mixed; boundary=\"\"\n", b"Content-Transfer-Encoding: base64\n",
                b"charset=\"x-unknown\"", b"<", b">", b"\"", b";", b"Message-ID: <>\n", b"=\n", b"=ZZ"]))
        elif op == "delete":
            del raw[pos:pos + draw(st.integers(1, 40))]
        elif op == "truncate":
            del raw[pos:]
        else:
            raw[0:0] = draw(st.sampled_from([b"From: \"\n", b"From: <@>\n", b"Date: Mon, 99 Foo 99999\n",
                                             b"Content-Type: text/plain; charset=\"\xe5\"\n",
                                             b"Subject: =?utf-8?b?////?=\n", b"To: a@b, ,, <x\n"]))
    return bytes(raw)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mangled())
def test_mangled_mime_never_crashes(raw: bytes) -> None:
    _check_safe(raw, parse_message(raw))


def test_charset_label_with_a_nul_byte_is_ignored() -> None:
    raw = (MAIL / "no_text.eml").read_bytes().replace(b"charset=utf-8", b"charset=utf-8\x00") + b"Hej"
    mail = parse_message(raw)
    assert mail.problem is None and mail.text == "Hej"


_REPLY_LINES = st.sampled_from([
    "Hej", "", "> quoted", "-- ", "On Mon, 1 Jan 2026, A <a@b.se> wrote:", "Den 1 jan 2026 skrev A:",
    "Från: A", "Skickat: idag", "Till: B", "Ämne: x", "-----Original Message-----", "_" * 20,
    "---------- Forwarded message ---------", "Sent from my iPhone", "Please delete my data.", "-item",
])


@given(st.lists(st.one_of(_REPLY_LINES, st.text(max_size=40)), max_size=30))
def test_strip_reply_only_removes_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    kept = strip_reply(text).split("\n")
    source = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    stripped = {ln.strip() for ln in source}
    assert all(ln.strip() in stripped for ln in kept if ln.strip())

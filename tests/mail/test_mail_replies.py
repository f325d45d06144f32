"""The pure reply drafts: subjects, threading, escaping, language, and the MIME they become."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from bot.adapters.mail_in.compose import reply_mail
from bot.core.mail_replies import answer_reply, duplicate_reply, human_size, oversized_reply, reply_subject
from bot.core.models import Answer, Citation, Language
from bot.errors import InvalidInput


def answer(quote: str = "We keep this information no longer than 3 years.", *,
           language: Language = Language.EN) -> Answer:
    citation = Citation(org="infentre", section="How long do you keep my information?", passage_id="infentre:x:1",
                        text=quote, score=4.0, quote=quote)
    reply = (f"Infentre's privacy policy says, in the section “How long do you keep my information?”:\n\n“{quote}”"
             "\n\nSources:\n1. Infentre, “How long do you keep my information?” (infentre:x:1)")
    return Answer(org="infentre", answered=True, reply=reply, language=language, citations=(citation,))


@pytest.mark.parametrize(("original", "expected"), [
    ("Retention", "Re: Retention"),
    ("Re: RE: Sv: AW: Retention", "Re: Retention"),
    ("", "Re: Your message"),
    ("Hello\r\nBcc: victim@example.com", "Re: Hello Bcc: victim@example.com"),
    ("=?utf-8?q?x=0D=0ABcc:_v@x.se?=", "Re: = ?utf-8?q?x=0D=0ABcc:_v@x.se?="),
])
def test_reply_subject_is_one_re_and_one_line(original: str, expected: str) -> None:
    assert reply_subject(original) == expected


def test_answer_reply_quotes_in_text_and_html_with_the_section() -> None:
    draft = answer_reply(answer(), to="anna@example.se", subject="Retention", in_reply_to="<q@example.se>",
                         references=("<a@example.se>",), org_names={"infentre": "Infentre"})
    assert draft.to == ("anna@example.se",)
    assert ("Auto-Submitted", "auto-replied") in draft.headers
    assert ("In-Reply-To", "<q@example.se>") in draft.headers
    assert ("References", "<a@example.se> <q@example.se>") in draft.headers
    assert draft.text.startswith("Hello,\n\n")
    assert "“We keep this information no longer than 3 years.”" in draft.text
    assert "<blockquote" in draft.html
    assert "<cite>Source: Infentre, “How long do you keep my information?”</cite>" in draft.html
    assert "<ol><li>Infentre" in draft.html


def test_html_escapes_policy_text_and_swedish_wording() -> None:
    draft = answer_reply(answer("Vi <script>alert(1)</script> sparar & raderar.", language=Language.SV),
                         to="anna@example.se", subject="Fråga")
    assert "<script>" not in draft.html and "&lt;script&gt;" in draft.html and "&amp;" in draft.html
    assert draft.text.startswith("Hej,") and 'lang="sv"' in draft.html
    assert "Källa:" in draft.html


def test_addresses_that_could_inject_headers_are_refused() -> None:
    with pytest.raises(InvalidInput):
        answer_reply(answer(), to="anna@example.se\r\nBcc: victim@example.com", subject="x")
    with pytest.raises(InvalidInput):
        oversized_reply(to="Anna <anna@example.se>, victim@example.com", subject="x", size=1, limit=1)


def test_duplicate_reply_names_the_open_ticket() -> None:
    draft = duplicate_reply(answer(), to="anna@example.se", subject="My data", reference="DSR-2026-00042",
                            deadline="2026-04-10")
    assert draft.subject == "Re: My data [DSR-2026-00042]"
    assert "DSR-2026-00042" in draft.text and "2026-04-10" in draft.text


def test_the_mime_message_is_multipart_alternative_with_crlf() -> None:
    draft = answer_reply(answer(), to="anna@example.se", subject="Retention", in_reply_to="<q@example.se>")
    mail = reply_mail(draft, mail_from="bot@bot.example", date=datetime(2026, 3, 10, tzinfo=UTC),
                      id_hint="reply.7.infentre")
    assert mail.kind == "reply" and mail.recipients == ("anna@example.se",)
    assert mail.message_id.endswith(".reply.7.infentre@bot.example>")
    assert len("Message-ID: " + mail.message_id) <= 78  # never folded
    assert b"\r\n" in mail.raw and b"\n" not in mail.raw.replace(b"\r\n", b"")
    msg = message_from_bytes(mail.raw, policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Message-ID"] == mail.message_id and msg["In-Reply-To"] == "<q@example.se>"


@pytest.mark.parametrize(("size", "text"), [(10 * 1024 * 1024, "10 MB"), (15_900_000, "15.2 MB"), (156_347, "153 kB"),
                                            (10, "1 kB")])
def test_sizes_read_like_a_mail_program_shows_them(size: int, text: str) -> None:
    assert human_size(size) == text

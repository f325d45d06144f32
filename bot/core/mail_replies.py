"""The e-mail channel's own replies (answers, size and empty-mail notices) as plain text plus HTML drafts."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.mailheaders import MAX_SUBJECT, header_text, require_address, threading_headers
from bot.core.models import Answer, Citation, Language

# RFC 3834 3.1.7: automatic responses carry Auto-Submitted: auto-replied; the suppression header asks
# Exchange/Outlook not to send out-of-office replies back to us.
AUTO_REPLIED: tuple[tuple[str, str], ...] = (("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All"))
_REPLY_PREFIX = re.compile(r"^\s*((re|sv|aw|vs|antw|ref)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_QUOTE_MARKS = "“”\"'‘’«»„"
_LIST_ITEM = re.compile(r"^\s*(\d+\.|-)\s+")


@dataclass(frozen=True, slots=True)
class ReplyDraft:
    """An automatic reply before the outbox gives it From, Date and Message-ID: text plus its HTML twin."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    headers: tuple[tuple[str, str], ...]
    reply_to: str | None = None


_T = {
    Language.EN: {
        "hello": "Hello,",
        "footer": ("This answer was written automatically from the organisation's published privacy policy; "
                   "the quotes are its own words. To ask for a copy of your data, a correction or erasure, "
                   "reply in your own words and a request will be filed."),
        "sign": "Privacy assistant",
        "default_subject": "Your message",
        "oversized": ("Your message was {size}, larger than the {limit} this address accepts, so it was "
                      "not read automatically. It has been kept. Please send your question or request again "
                      "as a shorter message, without large attachments."),
        "empty": ("Your message did not contain any text we could read. Please write your question or request "
                  "in the body of the e-mail."),
        "duplicate": ("We already have your request as {ref}; it is still open, so no new request was filed. "
                      "The deadline is {deadline}. Reply to this message with [{ref}] in the subject to add "
                      "information to it."),
        "source": "Source",
    },
    Language.SV: {
        "hello": "Hej,",
        "footer": ("Svaret skrevs automatiskt utifrån organisationens publicerade integritetspolicy; citaten är "
                   "dess egna ord. Vill du få en kopia av dina uppgifter, få dem rättade eller raderade kan du "
                   "svara med egna ord, så registreras en begäran."),
        "sign": "Integritetsassistenten",
        "default_subject": "Ditt meddelande",
        "oversized": ("Ditt meddelande var {size}, större än de {limit} som den här adressen tar emot, så "
                      "det lästes inte automatiskt. Det har sparats. Skicka gärna din fråga eller begäran igen "
                      "som ett kortare meddelande utan stora bilagor."),
        "empty": ("Ditt meddelande innehöll ingen text som vi kunde läsa. Skriv din fråga eller begäran i "
                  "själva e-postmeddelandet."),
        "duplicate": ("Vi har redan din begäran som {ref}; den är fortfarande öppen, så ingen ny begäran "
                      "registrerades. Sista dag är {deadline}. Svara på det här meddelandet med [{ref}] i "
                      "ämnesraden för att lägga till information."),
        "source": "Källa",
    },
}


def reply_subject(original: str, language: Language = Language.EN) -> str:
    """"Re: <original subject>" (one "Re:", whatever prefixes the thread collected), single line."""
    subject = _REPLY_PREFIX.sub("", header_text(original, limit=MAX_SUBJECT)).strip()
    return header_text(f"Re: {subject or _T[language]['default_subject']}", limit=MAX_SUBJECT)


def _citation_for(paragraph: str, citations: Sequence[Citation]) -> Citation | None:
    inner = paragraph.strip().strip(_QUOTE_MARKS).strip()
    if not inner:
        return None
    return next((c for c in citations if c.quote and c.quote.strip() == inner), None)


def _html_paragraph(paragraph: str) -> str:
    lines = paragraph.split("\n")
    if len(lines) > 1 and all(_LIST_ITEM.match(x) for x in lines[1:]):
        head, items = lines[0], lines[1:]
        tag = "ol" if re.match(r"^\s*\d+\.", items[0]) else "ul"
        rows = "".join("<li>" + html.escape(_LIST_ITEM.sub("", x)) + "</li>" for x in items)
        return f"<p>{html.escape(head)}</p>\n<{tag}>{rows}</{tag}>"
    return "<p>" + "<br>\n".join(html.escape(x) for x in lines) + "</p>"


def render_html(paragraphs: Sequence[str], citations: Sequence[Citation], language: Language,
                org_names: Mapping[str, str] | None = None) -> str:
    """An HTML body with the same words as the text: quoted policy sentences become blockquotes naming
    their section."""
    parts: list[str] = []
    for paragraph in paragraphs:
        citation = _citation_for(paragraph, citations)
        if citation is not None:
            org = (org_names or {}).get(citation.org, citation.org)
            source = f"{_T[language]['source']}: {org}, “{citation.section}”"
            parts.append(f"<blockquote style=\"border-left:3px solid #888;margin:0 0 1em;padding-left:1em\">"
                         f"<p>{html.escape(citation.quote)}</p>"
                         f"<p><cite>{html.escape(source)}</cite></p></blockquote>")
        else:
            parts.append(_html_paragraph(paragraph))
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang=\"{language.value}\"><head><meta charset=\"utf-8\"></head>"
            f"<body style=\"font-family:sans-serif\">\n{body}\n</body></html>\n")


def _draft(*, to: str, subject: str, paragraphs: list[str], language: Language, in_reply_to: str | None,
           references: Sequence[str], citations: Sequence[Citation] = (),
           org_names: Mapping[str, str] | None = None) -> ReplyDraft:
    address = require_address(to, what="reply address")
    t = _T[language]
    full = [t["hello"], *paragraphs, "-- \n" + t["sign"]]
    text = "\n\n".join(p.strip("\n") for p in full) + "\n"
    headers = (*AUTO_REPLIED, *threading_headers(in_reply_to, references))
    return ReplyDraft(to=(address,), subject=reply_subject(subject, language), text=text,
                      html=render_html(full, citations, language, org_names), headers=headers)


def answer_reply(answer: Answer, *, to: str, subject: str, in_reply_to: str | None = None,
                 references: Sequence[str] = (), org_names: Mapping[str, str] | None = None) -> ReplyDraft:
    """The answer to a question, in the asker's language, policy quotes kept verbatim with their sections."""
    paragraphs = [p for p in re.split(r"\n\s*\n", answer.reply.strip()) if p.strip()]
    if answer.answered and answer.org is not None:
        paragraphs.append(_T[answer.language]["footer"])
    return _draft(to=to, subject=subject, paragraphs=paragraphs, language=answer.language,
                  in_reply_to=in_reply_to, references=references, citations=answer.citations,
                  org_names=org_names)


def human_size(n: int) -> str:
    """"15.2 MB", "10 MB", "153 kB": sizes as a mail program shows them (binary units)."""
    mb = 1024 * 1024
    if n >= mb:
        text = f"{n / mb:.1f}"
        return f"{text.removesuffix('.0')} MB"
    return f"{max(1, round(n / 1024))} kB"


def oversized_reply(*, to: str, subject: str, size: int, limit: int, language: Language = Language.EN,
                    in_reply_to: str | None = None, references: Sequence[str] = ()) -> ReplyDraft:
    """The one polite reply to mail over the size cap."""
    text = _T[language]["oversized"].format(size=human_size(size), limit=human_size(limit))
    return _draft(to=to, subject=subject, paragraphs=[text], language=language, in_reply_to=in_reply_to,
                  references=references)


def empty_reply(*, to: str, subject: str, language: Language = Language.EN, in_reply_to: str | None = None,
                references: Sequence[str] = ()) -> ReplyDraft:
    """The reply to a message with no readable text."""
    return _draft(to=to, subject=subject, paragraphs=[_T[language]["empty"]], language=language,
                  in_reply_to=in_reply_to, references=references)


def duplicate_reply(answer: Answer, *, to: str, subject: str, reference: str, deadline: str,
                    in_reply_to: str | None = None, references: Sequence[str] = ()) -> ReplyDraft:
    """A repeat of an open request: no new ticket, the requester is told which one holds it."""
    ref = header_text(reference, limit=40)
    text = _T[answer.language]["duplicate"].format(ref=ref, deadline=header_text(deadline, limit=40))
    draft = _draft(to=to, subject=subject, paragraphs=[text], language=answer.language, in_reply_to=in_reply_to,
                   references=references)
    tagged = draft.subject if ref in draft.subject else header_text(f"{draft.subject} [{ref}]", limit=MAX_SUBJECT)
    return ReplyDraft(to=draft.to, subject=tagged, text=draft.text, html=draft.html, headers=draft.headers)

"""Mail texts about a ticket: the forward, the acknowledgement and the reminder, as pure drafts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.mailheaders import (
    MAX_HEADER,
    clean_address,
    header_text,
    require_address,
    tagged_subject,
    threading_headers,
)
from bot.core.models import Language, Right
from bot.core.tickets import article_label, days_left, right_title

AUTO_GENERATED: tuple[tuple[str, str], ...] = (("Auto-Submitted", "auto-generated"),)
# Sent to requesters: ask their mail systems not to answer our mail with out-of-office replies.
SUPPRESS_AUTO_REPLIES: tuple[tuple[str, str], ...] = (("X-Auto-Response-Suppress", "All"),)

IMY_NAME = "IMY, Integritetsskyddsmyndigheten"
IMY_WEB = "www.imy.se"


@dataclass(frozen=True)
class MailDraft:
    """An e-mail to send, before the outbox gives it a From, a Date and a stable Message-ID."""

    to: tuple[str, ...]
    subject: str
    text: str
    reply_to: str | None
    headers: tuple[tuple[str, str], ...]


# --- formatting ------------------------------------------------------------------------------------

_MONTHS = {
    Language.EN: ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"),
    Language.SV: ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                  "oktober", "november", "december"),
}


def format_date(d: date, language: Language | str = Language.EN) -> str:
    """"22 December 2026" / "22 december 2026"."""
    lang = Language(language)
    return f"{d.day} {_MONTHS[lang][d.month - 1]} {d.year}"


def _line(value: str | None) -> str:
    return header_text(value, limit=MAX_HEADER)


def _reply_address(requester_address: str | None, evidence: Sequence[tuple[str, str]]) -> str | None:
    addr = clean_address(requester_address)
    if addr is not None:
        return addr
    for key, value in evidence:
        if key.endswith("email"):
            addr = clean_address(value)
            if addr is not None:
                return addr
    return None


# --- the forward to the organisation ----------------------------------------------------------------

_FWD = {
    Language.EN: {
        "subject": "Data subject request: {title} ({article})",
        "intro": ("A data subject has made a request under the GDPR concerning {org}. It is forwarded to "
                  "you as the contact address named in {org}'s privacy policy. Please reply to the "
                  "requester directly (Reply-To is set) and keep the reference {ref} in the subject."),
        "reference": "Reference", "right": "Right", "requester": "Requester", "name": "Name",
        "address": "Address", "channel": "Channel", "evidence": "Identity evidence",
        "none": "(none)", "received": "Received", "deadline": "Deadline",
        "stated": "Identifiers stated in the message",
        "deadline_note": ("Under GDPR Art. 12(3) the request must be answered without undue delay and at the "
                          "latest within one month of receipt; this may be extended once by two further "
                          "months where necessary, if the requester is told why within the first month."),
        "original": "Original message (verbatim)", "end": "End of original message",
        "complaint": ("The requester also has the right to lodge a complaint with a supervisory authority "
                      "(GDPR Art. 77); in Sweden: {imy}, {web}."),
    },
    Language.SV: {
        "subject": "Begäran från registrerad: {title} ({article})",
        "intro": ("En registrerad har gjort en begäran enligt dataskyddsförordningen (GDPR) som gäller {org}. "
                  "Den vidarebefordras till er som kontaktadressen i integritetspolicyn för {org}. Svara "
                  "den registrerade direkt (Reply-To är satt) och behåll referensen {ref} i ämnesraden."),
        "reference": "Referens", "right": "Rättighet", "requester": "Avsändare", "name": "Namn",
        "address": "Adress", "channel": "Kanal", "evidence": "Identitetsbevis",
        "none": "(inga)", "received": "Mottagen", "deadline": "Svara senast",
        "stated": "Uppgifter som anges i meddelandet",
        "deadline_note": ("Enligt GDPR art. 12.3 ska begäran besvaras utan onödigt dröjsmål och senast inom en "
                          "månad från mottagandet; tiden kan förlängas en gång med ytterligare två månader "
                          "om det behövs, om den registrerade får veta varför inom den första månaden."),
        "original": "Ursprungligt meddelande (ordagrant)", "end": "Slut på ursprungligt meddelande",
        "complaint": ("Den registrerade har också rätt att lämna in ett klagomål till en tillsynsmyndighet "
                      "(GDPR art. 77); i Sverige: {imy}, {web}."),
    },
}


def forward_draft(*, reference: str, org_name: str, contact_address: str, right: Right | str,
                  original_text: str, received: date, deadline: date,
                  requester_address: str | None = None, requester_name: str | None = None,
                  channel: str = "email", evidence: Sequence[tuple[str, str]] = (),
                  stated: Sequence[tuple[str, str]] = (),
                  language: Language | str = Language.EN) -> MailDraft:
    """The request as forwarded to the organisation's contact address (in the organisation's language).

    Reply-To is the requester when we have a usable e-mail address for them (the sender address, or a
    verified e-mail from the evidence such as Slack's). ``stated`` are identifiers the message itself
    gives (e.g. ("email", …), ("phone", …), ("customer number", …)). The original is carried verbatim.
    """
    lang = Language(language)
    t = _FWD[lang]
    right_ = Right(right)
    to = require_address(contact_address, what="contact address")
    org = _line(org_name)
    ref = _line(reference)
    title = right_title(right_, lang)
    evidence_lines = [f"  {_line(k)}: {_line(v)}" for k, v in evidence] or [f"  {t['none']}"]
    lines = [
        t["intro"].format(org=org, ref=ref),
        "",
        f"{t['reference']}: {ref}",
        f"{t['right']}: {title} ({article_label(right_, lang)})",
        f"{t['received']}: {format_date(received, lang)} ({received.isoformat()})",
        f"{t['deadline']}: {format_date(deadline, lang)} ({deadline.isoformat()})",
        "",
        f"{t['requester']}:",
        f"  {t['name']}: {_line(requester_name) or t['none']}",
        f"  {t['address']}: {_line(requester_address) or t['none']}",
        f"  {t['channel']}: {_line(channel)}",
        f"{t['evidence']}:",
        *evidence_lines,
    ]
    if stated:
        lines += [f"{t['stated']}:", *(f"  {_line(k)}: {_line(v)}" for k, v in stated)]
    lines += ["", t["deadline_note"]]
    if right_ is Right.COMPLAINT:
        lines += ["", t["complaint"].format(imy=IMY_NAME, web=IMY_WEB)]
    lines += ["", f"----- {t['original']} -----", original_text, f"----- {t['end']} -----", ""]
    subject = tagged_subject(ref, t["subject"].format(title=title, article=article_label(right_, lang)))
    return MailDraft(to=(to,), subject=subject, text="\n".join(lines),
                     reply_to=_reply_address(requester_address, evidence),
                     headers=(*AUTO_GENERATED, ("X-DSR-Reference", ref)))


# --- the acknowledgement to the requester -----------------------------------------------------------

_ACK = {
    Language.EN: {
        "subject": "We have received your request ({title})",
        "hello": "Hello {name},", "hello_anon": "Hello,",
        "received": ("We have received your request concerning {org} ({title}, {article}) and registered "
                     "it with the reference {ref}."),
        "forwarded": "We have forwarded it to {org}'s privacy contact, {contact}.",
        "routing": ("{org}'s privacy policy names no e-mail address for such requests, so our staff will "
                    "route your request by hand and let you know when it has been passed on."),
        "routing_reason": "({reason})",
        "deadline": ("Under GDPR Art. 12(3), {org} must answer without undue delay and at the latest by "
                     "{deadline}. If necessary it may extend this once by two further months, but it must "
                     "tell you so, and why, before that date."),
        "next_title": "What happens next:",
        "next": ("- {org} may ask you to confirm your identity before acting on the request.\n"
                 "- {org} answers you directly; you do not need to do anything now.\n"
                 "- When you write to us about this request, keep [{ref}] in the subject."),
        "complaint": ("You also have the right to lodge a complaint with a supervisory authority "
                      "(GDPR Art. 77). In Sweden this is {imy}, {web}."),
        "sign": "This message was sent automatically by the privacy request service.",
    },
    Language.SV: {
        "subject": "Vi har tagit emot din begäran ({title})",
        "hello": "Hej {name},", "hello_anon": "Hej,",
        "received": ("Vi har tagit emot din begäran som gäller {org} ({title}, {article}) och registrerat "
                     "den med referensen {ref}."),
        "forwarded": "Vi har vidarebefordrat den till dataskyddskontakten för {org}, {contact}.",
        "routing": ("Integritetspolicyn för {org} anger ingen e-postadress för sådana begäranden, så vår "
                    "personal skickar din begäran vidare manuellt och meddelar dig när det är gjort."),
        "routing_reason": "({reason})",
        "deadline": ("Enligt GDPR art. 12.3 ska {org} svara utan onödigt dröjsmål och senast den {deadline}. "
                     "Vid behov får tiden förlängas en gång med ytterligare två månader, men då ska du få "
                     "veta det, och varför, före det datumet."),
        "next_title": "Vad händer nu:",
        "next": ("- {org} kan be dig bekräfta din identitet innan begäran hanteras.\n"
                 "- {org} svarar dig direkt; du behöver inte göra något nu.\n"
                 "- Behåll [{ref}] i ämnesraden när du skriver till oss om den här begäran."),
        "complaint": ("Du har också rätt att lämna in ett klagomål till en tillsynsmyndighet "
                      "(GDPR art. 77). I Sverige är det {imy}, {web}."),
        "sign": "Det här meddelandet skickades automatiskt av tjänsten för dataskyddsbegäranden.",
    },
}


def acknowledgement_draft(*, reference: str, org_name: str, requester_address: str, right: Right | str,
                          deadline: date, contact_address: str | None,
                          requester_name: str | None = None, language: Language | str = Language.EN,
                          no_address_reason: str | None = None, in_reply_to: str | None = None,
                          references: Sequence[str] = ()) -> MailDraft:
    """The receipt sent to the requester, in their language, with the reference in the subject.

    ``contact_address`` None means the policy names no address: the text says staff will route it.
    ``in_reply_to``/``references`` thread the receipt under the requester's own e-mail.
    """
    lang = Language(language)
    t = _ACK[lang]
    right_ = Right(right)
    to = require_address(requester_address, what="requester address")
    org, ref, name = _line(org_name), _line(reference), _line(requester_name)
    title = right_title(right_, lang)
    contact = clean_address(contact_address)
    lines = [
        t["hello"].format(name=name) if name else t["hello_anon"],
        "",
        t["received"].format(org=org, title=title, article=article_label(right_, lang), ref=ref),
    ]
    if contact is not None:
        lines.append(t["forwarded"].format(org=org, contact=contact))
    else:
        lines.append(t["routing"].format(org=org))
        if no_address_reason and _line(no_address_reason):
            lines.append(t["routing_reason"].format(reason=_line(no_address_reason)))
    lines += ["", t["deadline"].format(org=org, deadline=format_date(deadline, lang)),
              "", t["next_title"], t["next"].format(org=org, ref=ref)]
    if right_ is Right.COMPLAINT:
        lines += ["", t["complaint"].format(imy=IMY_NAME, web=IMY_WEB)]
    lines += ["", "-- ", t["sign"], ""]
    subject = tagged_subject(ref, t["subject"].format(title=title))
    headers = (*AUTO_GENERATED, *SUPPRESS_AUTO_REPLIES, ("X-DSR-Reference", ref),
               *threading_headers(in_reply_to, references))
    return MailDraft(to=(to,), subject=subject, text="\n".join(lines), reply_to=None, headers=headers)


# --- the reminder to the organisation ---------------------------------------------------------------

_REM = {
    Language.EN: {
        "subject_due": "Reminder: {title} due in {n} day(s)",
        "subject_today": "Reminder: {title} due today",
        "subject_over": "Overdue by {n} day(s): {title}",
        "body": ("This is a reminder about the data subject request {ref} concerning {org} "
                 "({title}, {article}), forwarded to you on {forwarded}."),
        "due": "The deadline under GDPR Art. 12(3) is {deadline}: {n} day(s) left.",
        "today": "The deadline under GDPR Art. 12(3) is today, {deadline}.",
        "over": "The deadline under GDPR Art. 12(3) was {deadline}: {n} day(s) ago.",
        "done": ("If you have already answered the requester, please reply to this message so the ticket "
                 "can be closed. Keep [{ref}] in the subject."),
    },
    Language.SV: {
        "subject_due": "Påminnelse: {title}, {n} dag(ar) kvar",
        "subject_today": "Påminnelse: {title}, sista dag i dag",
        "subject_over": "Försenad med {n} dag(ar): {title}",
        "body": ("Det här är en påminnelse om begäran {ref} från en registrerad som gäller {org} "
                 "({title}, {article}), vidarebefordrad till er den {forwarded}."),
        "due": "Sista dag enligt GDPR art. 12.3 är {deadline}: {n} dag(ar) kvar.",
        "today": "Sista dag enligt GDPR art. 12.3 är i dag, {deadline}.",
        "over": "Sista dag enligt GDPR art. 12.3 var {deadline}: för {n} dag(ar) sedan.",
        "done": ("Om ni redan har svarat den registrerade, svara på det här meddelandet så att ärendet kan "
                 "stängas. Behåll [{ref}] i ämnesraden."),
    },
}


def reminder_draft(*, reference: str, org_name: str, contact_address: str, right: Right | str,
                   forwarded: date, deadline: date, today: date, requester_address: str | None = None,
                   language: Language | str = Language.EN) -> MailDraft:
    """A reminder to the organisation that a forwarded request's deadline is near or past."""
    lang = Language(language)
    t = _REM[lang]
    right_ = Right(right)
    to = require_address(contact_address, what="contact address")
    org, ref = _line(org_name), _line(reference)
    title = right_title(right_, lang)
    left = days_left(deadline, today)
    when = format_date(deadline, lang)
    if left > 0:
        subject, status = t["subject_due"].format(title=title, n=left), t["due"].format(deadline=when, n=left)
    elif left == 0:
        subject, status = t["subject_today"].format(title=title), t["today"].format(deadline=when)
    else:
        subject = t["subject_over"].format(title=title, n=-left)
        status = t["over"].format(deadline=when, n=-left)
    lines = [t["body"].format(ref=ref, org=org, title=title, article=article_label(right_, lang),
                              forwarded=format_date(forwarded, lang)),
             "", status, "", t["done"].format(ref=ref), ""]
    return MailDraft(to=(to,), subject=tagged_subject(ref, subject), text="\n".join(lines),
                     reply_to=clean_address(requester_address),
                     headers=(*AUTO_GENERATED, ("X-DSR-Reference", ref)))

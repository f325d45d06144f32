"""Pure Block Kit rendering of answers, tickets and menus, within Slack's block and text limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.models import Answer, Citation, Language
from bot.service import FiledTicket, Outcome

# Slack's limits (api.slack.com/reference/block-kit): 50 blocks per message, 3000 characters of section
# text, 150 of plain_text in buttons/headers, 75 for an option's text, 2000 for a button's value.
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_PLAIN = 150
MAX_OPTION = 75
MAX_VALUE = 2000
MAX_OPTIONS = 100
MAX_FALLBACK = 3000

ACTION_FILE = "privacy_file_request"
ACTION_CHOOSE_ORG = "privacy_choose_org"

Block = dict[str, Any]

_LABELS = {
    Language.EN: {
        "sources": "Other sources", "ticket": "Ticket", "deadline": "deadline", "file": "File this as a request",
        "filed": "Filed as a request", "duplicate": "This repeats your open request",
        "choose": "Choose an organisation", "which": "Which organisation do you mean?",
    },
    Language.SV: {
        "sources": "Andra källor", "ticket": "Ärende", "deadline": "svar senast", "file": "Registrera som begäran",
        "filed": "Registrerat som begäran", "duplicate": "Detta upprepar din öppna begäran",
        "choose": "Välj organisation", "which": "Vilken organisation menar du?",
    },
}


def escape(text: str) -> str:
    """Slack mrkdwn control characters (&, <, >) escaped, so a quote can never ping or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def section(text: str) -> Block:
    """A mrkdwn section, its text clipped to Slack's 3000 characters (escape it first)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def _plain(text: str, limit: int = MAX_PLAIN) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": False}


def _quote(text: str) -> str:
    body = clip(" ".join(text.split()), MAX_SECTION - 100)
    return "> " + escape(body)


def _labels(answer: Answer) -> Mapping[str, str]:
    return _LABELS.get(answer.language, _LABELS[Language.EN])


def _name(org: str, names: Mapping[str, str]) -> str:
    return names.get(org, org)


def _context(citation: Citation, names: Mapping[str, str]) -> Block:
    where = f"*{escape(_name(citation.org, names))}*"
    if citation.section:
        where += f" · {escape(citation.section)}"
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(where, MAX_SECTION)}]}


def _citation_blocks(answer: Answer, names: Mapping[str, str]) -> list[Block]:
    best, *others = answer.citations
    blocks: list[Block] = [section(_quote(best.quote or best.text)), _context(best, names)]
    if others:
        lines = [f"*{escape(_labels(answer)['sources'])}*"]
        for c in others:
            head = escape(f"{_name(c.org, names)} · {c.section}" if c.section else _name(c.org, names))
            lines.append(f"• {head}: _{escape(clip(' '.join((c.quote or c.text).split()), 280))}_")
        blocks += [{"type": "divider"}, section("\n".join(lines))]
    return blocks


def ticket_line(ticket: FiledTicket, language: Language) -> str:
    labels = _LABELS.get(language, _LABELS[Language.EN])
    line = f"*{labels['ticket']} {escape(ticket.reference)}* · {labels['deadline']} {escape(ticket.deadline)}"
    return f"{line}\n_{labels['duplicate']}_" if ticket.duplicate else line


def answer_blocks(outcome: Outcome, *, names: Mapping[str, str], file_value: str | None = None) -> list[Block]:
    """The reply: the quoted sentence(s) with org and section as context and other sources below, or the
    core's words when nothing is quoted (abstention, a request), plus the ticket when one was filed.

    ``file_value`` adds the "File this as a request" button (the message was ambiguous) carrying it.
    """
    answer = outcome.answer
    # A cited answer is shown as its parts (the plain-text reply, which repeats them, is the fallback text).
    cited = answer.answered and answer.citations and answer.request is None
    blocks = _citation_blocks(answer, names) if cited else [section(escape(answer.reply or "…"))]
    if outcome.ticket is not None:
        blocks.append(section(ticket_line(outcome.ticket, answer.language)))
    if file_value is not None and outcome.ticket is None:
        button = {"type": "button", "action_id": ACTION_FILE, "style": "primary",
                  "text": _plain(_labels(answer)["file"]), "value": clip(file_value, MAX_VALUE)}
        blocks.append({"type": "actions", "block_id": "privacy_file", "elements": [button]})
    return blocks[:MAX_BLOCKS]


def org_menu_blocks(answer: Answer, *, choices: Sequence[str], names: Mapping[str, str], value: str) -> list[Block]:
    """Asks which organisation is meant, with a menu; each option's value is ``<value>|<org>``."""
    labels = _labels(answer)
    options = [{"text": _plain(_name(org, names), MAX_OPTION), "value": f"{value}|{org}"[:MAX_PLAIN]}
               for org in choices[:MAX_OPTIONS]]
    select = {"type": "static_select", "action_id": ACTION_CHOOSE_ORG,
              "placeholder": _plain(labels["choose"]), "options": options}
    text = escape(answer.reply) if answer.reply else labels["which"]
    return [{**section(text), "accessory": select}] if options else [section(text)]


def fallback_text(outcome: Outcome) -> str:
    """The message's ``text``: what notifications and screen readers show."""
    text = outcome.answer.reply or "…"
    if outcome.ticket is not None:
        text += f"\n{outcome.ticket.reference} ({outcome.ticket.deadline})"
    return clip(text, MAX_FALLBACK)


def staff_notice(*, ticket: FiledTicket, right: str, org: str, names: Mapping[str, str],
                 public_url: str | None) -> tuple[str, list[Block]]:
    """The staff channel's announcement of a new ticket: reference, right, org, deadline and link."""
    text = f"New request {ticket.reference}: {right} · {_name(org, names)} · deadline {ticket.deadline}"
    lines = [f"*New data-subject request {escape(ticket.reference)}*",
             f"Right: {escape(right)}", f"Organisation: {escape(_name(org, names))}",
             f"Deadline: {escape(ticket.deadline)}"]
    if public_url:
        link = f"{public_url.rstrip('/')}/staff/tickets/{ticket.reference}"
        lines.append(f"<{link}|Open {escape(ticket.reference)} on the staff page>")
    return clip(text, MAX_FALLBACK), [section("\n".join(lines))]


HELP = ("Ask me about an organisation's privacy policy: mention me, write to me directly, or use "
        "`/privacy [org] question`.\n"
        "• `/privacy set-org ID` sets this channel's organisation (`/privacy set-org none` clears it)\n"
        "• `/privacy org` shows it\n"
        "A request such as \"please delete my data\" becomes a ticket with a reference and a deadline.")


HELP_SV = ("Fråga mig om en organisations integritetspolicy: nämn mig, skriv direkt till mig eller använd "
           "`/privacy [org] fråga`.\n"
           "• `/privacy set-org ID` anger kanalens organisation (`/privacy set-org none` tar bort den)\n"
           "• `/privacy org` visar den\n"
           "En begäran som \"radera mina uppgifter\" blir ett ärende med referensnummer och sista svarsdag.")


def help_blocks(orgs: Mapping[str, str], *, swedish: bool = False) -> list[Block]:
    text = HELP_SV if swedish else HELP
    if orgs:
        listed = ", ".join(f"`{escape(i)}` ({escape(n)})" for i, n in sorted(orgs.items()))
        text += ("\nOrganisationer: " if swedish else "\nOrganisations: ") + listed
    return [section(text)]

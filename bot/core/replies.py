"""Reply wording in the language of the question (English or Swedish); quotes stay in the policy's language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.models import Citation, Language, PolicyMeta, RecognisedRequest, Right

# GDPR articles behind each right, named in replies so people can look them up.
ARTICLES = {
    Right.ACCESS: "Art. 15", Right.RECTIFICATION: "Art. 16", Right.ERASURE: "Art. 17",
    Right.RESTRICTION: "Art. 18", Right.PORTABILITY: "Art. 20", Right.OBJECTION: "Art. 21",
    Right.WITHDRAW_CONSENT: "Art. 7(3)", Right.COMPLAINT: "Art. 77",
}
RIGHT_NAMES = {
    Language.EN: {
        Right.ACCESS: "an access request (a copy of your personal data)",
        Right.RECTIFICATION: "a rectification request",
        Right.ERASURE: "an erasure request",
        Right.RESTRICTION: "a request to restrict processing",
        Right.PORTABILITY: "a data portability request",
        Right.OBJECTION: "an objection (including to direct marketing)",
        Right.WITHDRAW_CONSENT: "a withdrawal of consent",
        Right.COMPLAINT: "a complaint",
    },
    Language.SV: {
        Right.ACCESS: "en begäran om registerutdrag (tillgång till dina personuppgifter)",
        Right.RECTIFICATION: "en begäran om rättelse",
        Right.ERASURE: "en begäran om radering",
        Right.RESTRICTION: "en begäran om begränsning av behandlingen",
        Right.PORTABILITY: "en begäran om dataportabilitet",
        Right.OBJECTION: "en invändning (även mot direktmarknadsföring)",
        Right.WITHDRAW_CONSENT: "ett återkallande av samtycke",
        Right.COMPLAINT: "ett klagomål",
    },
}


def _policy_of(meta: PolicyMeta, language: Language) -> str:
    if language is Language.SV:
        return f"Integritetspolicyn för {meta.name}"
    return f"{meta.name}'s privacy policy"


def _sources(citations: Sequence[Citation], names: dict[str, str], language: Language) -> str:
    head = "Källor:" if language is Language.SV else "Sources:"
    lines = [f"{i}. {names.get(c.org, c.org)}, “{c.section}” ({c.passage_id})"
             for i, c in enumerate(citations, start=1)]
    return "\n".join([head, *lines])


def contact_route(meta: PolicyMeta, language: Language) -> str:
    """How to reach the organisation: its privacy e-mail, else its postal address, else why there is none."""
    sv = language is Language.SV
    if meta.contact_email:
        return (f"Du kan fråga {meta.name} direkt: {meta.contact_email}." if sv
                else f"You can ask {meta.name} directly: {meta.contact_email}.")
    if meta.postal_address:
        return (f"Policyn anger ingen e-postadress, men du kan skriva till: {meta.postal_address}." if sv else
                f"The policy names no e-mail address, but you can write to: {meta.postal_address}.")
    if meta.contact_note:
        return meta.contact_note
    return "Kontakta organisationen direkt." if sv else "Please contact the organisation directly."


def answered(meta: PolicyMeta, citations: Sequence[Citation], language: Language) -> str:
    """Names the organisation and the section, quotes the answering sentence(s), lists the sources."""
    best = citations[0]
    # A policy without headings has its own name as the only section: naming it again says nothing.
    untitled = best.section.strip().casefold() in {meta.name.casefold(), meta.id.casefold()}
    if language is Language.SV:
        lead = (f"{_policy_of(meta, language)} säger:" if untitled else
                f"{_policy_of(meta, language)} säger i avsnittet “{best.section}”:")
    else:
        lead = (f"{_policy_of(meta, language)} says:" if untitled else
                f"{_policy_of(meta, language)} says, in the section “{best.section}”:")
    shown = [best]
    for extra in citations[1:2]:
        if extra.quote and extra.quote != best.quote and extra.section == best.section:
            shown.append(extra)
    # Quotes from one section read in the policy's own order.
    shown.sort(key=lambda c: _order(c.passage_id))
    quotes = [f"“{c.quote}”" for c in shown]
    return "\n\n".join([lead, "\n".join(quotes), _sources(citations, {meta.id: meta.name}, language)])


def _order(passage_id: str) -> tuple[str, int]:
    head, _, number = passage_id.rpartition(":")
    return (head, int(number)) if number.isdigit() else (passage_id, 0)


def silent(meta: PolicyMeta, language: Language) -> str:
    """The policy does not address the question: say so, and offer the contact route."""
    if language is Language.SV:
        lead = f"{_policy_of(meta, language)} säger ingenting om det du frågar om."
    else:
        lead = f"{_policy_of(meta, language)} does not say anything about this."
    return f"{lead} {contact_route(meta, language)}"


def request(meta: PolicyMeta, recognised: RecognisedRequest, language: Language) -> str:
    """A recognised rights request: which right, and where it goes (or why there is no address)."""
    sv = language is Language.SV
    kind = RIGHT_NAMES[language][recognised.right]
    article = ARTICLES[recognised.right]
    if sv:
        parts = [f"Jag har uppfattat detta som {kind} till {meta.name} (GDPR {article})."]
        if recognised.forward_to:
            parts.append(f"Den skickas vidare till {meta.name}s adress för integritetsfrågor: "
                         f"{recognised.forward_to}.")
        else:
            parts.append(f"Policyn för {meta.name} anger ingen e-postadress, så den kan inte skickas vidare per "
                         "e-post.")
            if meta.postal_address:
                parts.append(f"Du kan skriva till: {meta.postal_address}.")
            elif recognised.no_address_reason:
                parts.append(recognised.no_address_reason)
    else:
        parts = [f"I have recognised this as {kind} to {meta.name} (GDPR {article})."]
        if recognised.forward_to:
            parts.append(f"It will be forwarded to {meta.name}'s privacy contact: {recognised.forward_to}.")
        else:
            parts.append(f"{meta.name}'s policy names no e-mail address, so it cannot be forwarded by e-mail.")
            if meta.postal_address:
                parts.append(f"You can write to: {meta.postal_address}.")
            elif recognised.no_address_reason:
                parts.append(recognised.no_address_reason)
    if recognised.right is Right.COMPLAINT:
        parts.append(
            "Du har också rätt att klaga hos IMY (Integritetsskyddsmyndigheten), den svenska "
            "tillsynsmyndigheten (GDPR Art. 77): www.imy.se." if sv else
            "You also have the right to lodge a complaint with IMY (Integritetsskyddsmyndigheten), the Swedish "
            "supervisory authority (GDPR Art. 77): www.imy.se.")
    return " ".join(parts)


def which_organisation(metas: Sequence[PolicyMeta], language: Language, *, request_right: Right | None = None,
                       ) -> str:
    """The organisation is unknown: ask which is meant, listing the ones offered."""
    listing = "\n".join(f"- {m.name} ({m.id})" for m in metas)
    if language is Language.SV:
        lead = "Vilken organisation menar du? Jag känner till integritetspolicyn för:"
        if request_right is not None:
            lead = (f"Jag har uppfattat detta som {RIGHT_NAMES[language][request_right]}, men vilken "
                    "organisation gäller det? Jag känner till:")
        tail = "Skriv organisationens namn i ditt meddelande."
    else:
        lead = "Which organisation do you mean? I know the privacy policies of:"
        if request_right is not None:
            lead = (f"I have recognised this as {RIGHT_NAMES[language][request_right]}, but which organisation "
                    "is it for? I know:")
        tail = "Please name the organisation in your message."
    return f"{lead}\n{listing}\n{tail}"

"""Recognise data-subject rights requests, tell them from questions, and find the requester's identifiers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core import rights_vocabulary as vocab
from bot.core.models import Identifiers, Language, Right
from bot.core.text import normalise

__all__ = ["RightMatch", "extract_identifiers", "recognise"]


@dataclass(frozen=True, slots=True)
class RightMatch:
    right: Right
    confidence: float  # 0..1
    is_request: bool  # True: the person asks us to act; False: a question about the right


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
# International: +46 70 123 45 67, 0046..., +1 (555) 123-4567; Swedish national: 070-123 45 67, 08-720 33 33.
_PHONE_INTL = re.compile(r"(?<![\w+#])(?:\+|00)[1-9]\d{0,2}(?:[\s.-]?\(0\))?(?:[\s./-]?\(?\d+\)?){2,8}(?![\w@])")
_PHONE_NATIONAL = re.compile(r"(?<![\w+/#-])0\d{1,3}(?:[\s/-]?\d{2,4}){1,4}(?![\w@-])")
_MAX_CHARS = 3000
STATEMENT_ONLY = 0.6  # below this a request rests on a first-person statement alone ("my address is wrong")
_CLAUSE = re.compile(r"[^.!?;:\n]+(?:[.!?;:]+|\n|$)")
# "... what data do you have on me? Please send it." - the second clause acts on the first one's right.
_ANAPHOR = re.compile(r"\b(?:it|them|that|this|those|everything|det|dem|den|detta|allt)\b")


def recognise(text: str, language: Language) -> RightMatch | None:
    """The right ``text`` is about and whether it asks us to act on it; None when it is not about a right.

    Both languages' vocabularies are always tried, whatever ``language`` says: short messages are often
    misdetected, and people mix languages.
    """
    del language
    # A request stands near the top of a message; the cap bounds the work on long or hostile input.
    head = normalise(text[:_MAX_CHARS])
    cleaned = _PHONE_NATIONAL.sub(" ", _PHONE_INTL.sub(" ", _EMAIL.sub(" ", _URL.sub(" ", head))))
    first_person = vocab.FIRST_PERSON.search(cleaned) is not None
    candidates: list[tuple[RightMatch, str]] = []
    previous: tuple[Right, float] | None = None
    for match in _CLAUSE.finditer(cleaned):
        clause = match.group(0)
        found = _right_in(clause)
        if found is None and previous is not None and _ANAPHOR.search(clause):
            found = previous
        if found is None:
            continue
        previous = found
        right, weight = found
        is_request, confidence = _mood(clause, right, first_person=first_person)
        candidates.append((RightMatch(right, round(min(1.0, confidence * weight), 2), is_request), clause))
    if not candidates:
        return None
    best, clause = max(candidates, key=lambda c: (c[0].is_request, c[0].confidence,
                                                  -vocab.PRECEDENCE.index(c[0].right)))
    if best.is_request and best.confidence < STATEMENT_ONLY:
        # "I signed up for your newsletter at a fair. Is there a way to get off the list myself?": a story
        # in the first person is no request when the message asks how to act on that right.
        asking = [m for m, _ in candidates if m.right is best.right and not m.is_request and m.confidence >= 0.8]
        if asking:
            return max(asking, key=lambda m: m.confidence)
    if best.right is Right.ERASURE and best.is_request and vocab.CONTACT_DETAILS.search(clause):
        # "I no longer want to be on your list. Please remove my e-mail address." is an objection.
        objection = [m for m, _ in candidates if m.right is Right.OBJECTION and m.is_request]
        if objection:
            return max(objection, key=lambda m: m.confidence)
    return best


def _right_in(clause: str) -> tuple[Right, float] | None:
    """The most specific right whose vocabulary occurs in ``clause``, with the weight of that evidence."""
    hits: dict[Right, float] = {}
    for right, patterns in vocab.RIGHT_PATTERNS.items():
        if vocab.RIGHT_ANY[right].search(clause) is None:
            continue  # one search says no pattern of this right occurs (most clauses name no right at all)
        for pattern, weight in patterns:
            found = pattern.search(clause)
            if found is None:
                continue
            if right is Right.COMPLAINT and vocab.THREAT.search(clause, 0, found.start()):
                continue
            hits[right] = max(hits.get(right, 0.0), weight)
    if not hits:
        return None
    strongest = max(hits.values())
    right = next(r for r in vocab.PRECEDENCE if hits.get(r, 0.0) == strongest)
    return right, strongest


def _mood(clause: str, right: Right, *, first_person: bool) -> tuple[bool, float]:
    """(is_request, confidence) for one clause that names ``right``."""
    body = clause.strip()
    asked = body.endswith("?")
    body = vocab.GREETING.sub("", body, count=1).strip()
    polite = vocab.POLITE_LEAD.match(body) is not None
    body = vocab.POLITE_LEAD.sub("", body, count=1)
    speaker = first_person or vocab.DESIRE.match(body) is not None  # "Vill bli borttagen": subject dropped
    if not speaker and not polite and vocab.IMPERATIVE.match(body) is None and not (
            vocab.REQUEST_NOUN.search(body) and not asked):
        return False, 0.6  # generic: "Do you delete data?"
    if vocab.READER_ADDRESSED.search(body) and not vocab.FIRST_PERSON.search(body):
        return False, 0.6  # a footer: "To unsubscribe click here", "Avregistrera dig här"
    if right not in vocab.NEGATIVE_REQUESTS and (
            _negated(body, right) or vocab.NEGATION_SV_AFTER.search(body)):
        return False, 0.7  # "don't delete my account"
    if vocab.PROCEDURAL.search(body) or vocab.WONDER.search(body):
        return False, 0.85  # "how do I ...", "I wonder whether ..."
    imperative = vocab.IMPERATIVE.match(body) is not None or vocab.IMPERATIVE_AFTER_COMMA.search(body) is not None
    if not asked and (imperative or polite or vocab.DESIRE.search(body) or vocab.REQUEST_NOUN.search(body)):
        return True, 0.95 if imperative or polite else 0.9  # "delete my data", "I want my data deleted, if possible"
    if vocab.CONDITIONAL.search(body):
        return False, 0.85  # "if I close my account, is my data erased?"
    if vocab.POLITE_QUESTION.match(body) or (first_person and vocab.POLITE_QUESTION_AFTER_COMMA.search(body)):
        return True, 0.85 if (polite or "please" in body or "vänligen" in body) else 0.75
    if vocab.MAY_I_HAVE.match(body):  # "can I get a copy?" asks whether; "can I please get a copy?" asks for it
        return (True, 0.7) if polite or re.search(r"\b(?:please|tack|vänligen|snälla)\b", body) else (False, 0.6)
    if asked and (polite or imperative or vocab.DESIRE.match(body)):
        return True, 0.7  # "I would like a copy of my data, is that possible?"
    if vocab.INTERROGATIVE.match(body) or asked:
        return False, 0.8
    if right not in vocab.STATEMENT_RIGHTS or vocab.REPORT.search(body) or not vocab.FIRST_PERSON.search(body):
        return False, 0.6  # "my account was deleted"; a mailing footer "to unsubscribe from this list click here"
    return True, 0.55  # a statement in the first person: "my address is wrong"


def _negated(body: str, right: Right) -> bool:
    """Whether a negation stands before the words naming ``right``: "don't delete my account", not "delete
    everything, I don't want to hear from you again"."""
    negation = vocab.NEGATION.search(body)
    if negation is None:
        return False
    ends = [found.end() for pattern, _ in vocab.RIGHT_PATTERNS[right] if (found := pattern.search(body))]
    return not ends or negation.start() < min(ends)


def extract_identifiers(text: str) -> Identifiers:
    """E-mail addresses, phone numbers and a signed name found in the requester's own message."""
    if len(text) > 10_000:  # bounded work: identifiers stand near the top, the signature at the end
        text = text[:8000] + "\n" + text[-2000:]
    plain = _plain(text)
    emails: list[str] = []
    for found in _EMAIL.finditer(plain):
        address = found.group(0).strip(".")
        if address.casefold() not in (e.casefold() for e in emails):
            emails.append(address)
    # Blank out what is not a phone number, keeping offsets, so numbers come out in the order written.
    rest = _EMAIL.sub(_blank, _URL.sub(_blank, plain))
    found_phones: list[tuple[int, str]] = []
    seen: set[str] = set()
    for pattern, low, high in ((_PHONE_INTL, 8, 15), (_PHONE_NATIONAL, 8, 11)):
        for found in pattern.finditer(rest):
            number = found.group(0).strip()
            digits = re.sub(r"\D", "", number)
            if low <= len(digits) <= high and digits not in seen and not _looks_like_date(number):
                seen.add(digits)
                found_phones.append((found.start(), number))
        rest = pattern.sub(_blank, rest)
    phones = [number for _, number in sorted(found_phones)]
    return Identifiers(emails=tuple(emails), phones=tuple(phones), name=_signed_name(plain))


_KEEP_CASE_FOLD = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
                                 "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u200b": "", "\u00ad": "",
                                 "\ufeff": "", "\u2019": "'"})


def _plain(text: str) -> str:
    """NFKC with typographic hyphens and spaces folded, case kept (names and addresses keep their case)."""
    return unicodedata.normalize("NFKC", text).translate(_KEEP_CASE_FOLD)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _looks_like_date(number: str) -> bool:
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}|\d{4}/\d{2}/\d{2}", number) is not None


_CLOSING = re.compile(
    r"^(?:(?:best|kind|warm|many|with kind)\s+regards|regards|best wishes|best|cheers|thanks|thank you|"
    r"thanks in advance|many thanks|sincerely|yours sincerely|yours faithfully|yours truly|all the best|"
    r"(?:med\s+)?(?:vänliga|bästa|varma)\s+hälsningar|mvh|m\.v\.h\.?|vh|hälsningar|hälsar|tack|tack på förhand|"
    r"tack så mycket|stort tack|allt gott|ha det bra)\b[\s,.!:-]*(?P<rest>.*)$",
    re.IGNORECASE)
_NAME = re.compile(r"(?:[A-ZÅÄÖÉÜ][\w'-]*\.?)(?:\s+(?:[A-ZÅÄÖÉÜ][\w'-]*\.?|van|von|de|af|der|la)){0,3}")
_NAME_STATED = re.compile(r"\b(?:my name is|i am called|jag heter|mitt namn är)\s+(?P<name>[^\n,.;!?]{2,60})",
                          re.IGNORECASE)
_NOT_NAMES = frozenset({"the", "this", "that", "hi", "hello", "hej", "thanks", "tack", "regards", "i", "jag",
                        "please", "sent", "skickat", "from", "från", "och", "and"})


def _clean_name(candidate: str) -> str | None:
    candidate = candidate.strip(" \t,.;:-/")
    found = _NAME.fullmatch(candidate)
    if found is None or any(ch.isdigit() or ch in "@_" for ch in candidate) or len(candidate) > 60:
        return None
    if candidate.split()[0].casefold().strip(".") in _NOT_NAMES:
        return None
    return candidate


def _signed_name(text: str) -> str | None:
    """A name in a sign-off ("Best regards,\\nAnna Svensson", "Mvh Anna", "/Anna Svensson"), else a stated one."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    for index in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        line = lines[index]
        if line.startswith("/") and not line.startswith("//"):
            name = _clean_name(line[1:])
            if name:
                return name
        if line in ("--", "-- ", "//"):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            name = _clean_name(following)
            if name:
                return name
        closing = _CLOSING.match(line)
        if closing is None:
            continue
        rest = closing.group("rest").strip()
        if rest:
            name = _clean_name(rest)
            if name:
                return name
            continue
        if index + 1 < len(lines):
            name = _clean_name(lines[index + 1])
            if name:
                return name
    stated = _NAME_STATED.search(text)
    if stated:
        leading = _NAME.match(stated.group("name").strip())
        return _clean_name(leading.group(0)) if leading else None
    return None

"""Parse and validate knowledge files (front matter + verbatim policy text): strings in, policies out."""

from __future__ import annotations

import datetime as dt
import re
import reprlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.front_matter import FrontMatterLoader, FrontMatterSyntaxError, flat_front_matter
from bot.core.models import Language, Policy, PolicyMeta
from bot.errors import KnowledgeError

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Deliberately plain: one local part, one domain with a dot; no display names, no angle brackets.
ADDRESS_PATTERN = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_LOCAL_PART = re.compile(r"[A-Za-z0-9._%+-]{1,64}$")
_DOMAIN = re.compile(r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,}")
MAX_FRONT_MATTER = 20_000  # characters; a real one is a dozen short lines
_DATE_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
_FENCE = re.compile(r"^---[ \t]*$")

FIELDS = ("id", "name", "aliases", "language", "contact_email", "contact_note", "postal_address",
          "updated", "valid_from", "inbox", "title")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
NO_ADDRESS_NOTE = "The policy names no e-mail address."

_SV_TEXT = (
    "och att det som en är på för med av till inte vi du din ditt dina har kan om eller den de "
    "vår våra oss ett när från sig hur denna dessa också")
_EN_TEXT = (
    "the and of to is are we you your for with that in not or it this our us be by on from "
    "how what which when an")
_SV_WORDS = frozenset(_SV_TEXT.split())
_EN_WORDS = frozenset(_EN_TEXT.split())


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a knowledge folder: what is wrong and what is allowed."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line is not None else f"{self.path}: {self.message}"


def normalise(text: str) -> str:
    """NFKC (non-breaking hyphens and spaces become plain ones) and case-folded, for comparisons only."""
    # NFKC turns U+2011 into U+2010, which is still not the ASCII hyphen people type.
    return unicodedata.normalize("NFKC", text).translate(_HYPHENS).casefold()


def slugify(text: str) -> str:
    """ASCII slug: 'TickTick - To Do List' -> 'ticktick-to-do-list'; '' when nothing is left."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def detect_language(text: str) -> Language:
    """Swedish when Swedish function words and å/ä/ö outweigh English function words."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    sv = sum(1 for w in words if w in _SV_WORDS) + sum(text.casefold().count(c) for c in "åäö") / 4
    en = sum(1 for w in words if w in _EN_WORDS)
    return Language.SV if sv > en else Language.EN


def parse_policy(raw: str, *, source: str, default_id: str, load: FrontMatterLoader | None = None) -> Policy:
    """Parse one knowledge file; raises KnowledgeError (located at file and line) on the first problem."""
    policy, problems = read_policy(raw, source=source, default_id=default_id, load=load)
    if problems or policy is None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise KnowledgeError(first.path, first.line, first.message + more)
    return policy


def read_policy(raw: str, *, source: str, default_id: str,
                load: FrontMatterLoader | None = None) -> tuple[Policy | None, list[Problem]]:
    """Parse one knowledge file, collecting every front-matter problem; the policy is None if unusable."""
    raw = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = raw.split("\n")
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    field_lines: dict[str, int] = {}
    body_line = 1
    text = raw
    if lines and _FENCE.match(lines[0]):
        close = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
        if close is None:
            return None, [Problem(source, 1, "front matter opened with '---' on line 1 is never closed; "
                                             "end it with a line holding only '---'")]
        front = "\n".join(lines[1:close])
        if len(front) > MAX_FRONT_MATTER:
            return None, [Problem(source, 2, f"front matter is {len(front):,} characters long; keep it to the "
                                             f"few metadata fields (at most {MAX_FRONT_MATTER:,} characters)")]
        body_line = close + 2
        text = "\n".join(lines[close + 1:])
        loaded = _load_front(front, source, problems, load or flat_front_matter)
        if loaded is None and problems:
            return None, problems
        if loaded is not None and not isinstance(loaded, dict):
            return None, [Problem(source, 2, "front matter must be a mapping of 'field: value' lines; "
                                             f"allowed fields: {', '.join(FIELDS)}")]
        data = loaded or {}
        for number, line in enumerate(lines[1:close], start=2):
            match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
            if match:
                field_lines.setdefault(match.group(1), number)
    meta = _build_meta(data, text, source=source, default_id=default_id, field_lines=field_lines,
                       problems=problems)
    if meta is None:
        return None, problems
    policy = Policy(meta=meta, text=text, source=source, body_line=body_line,
                    field_lines=tuple(sorted(field_lines.items(), key=lambda item: item[1])))
    return policy, problems


def _load_front(front: str, source: str, problems: list[Problem], load: FrontMatterLoader) -> Any:
    try:
        return load(front)
    except FrontMatterSyntaxError as exc:
        line = exc.line + 1 if exc.line is not None else 1
        problems.append(Problem(source, line, f"front matter is not valid YAML ({exc.reason}); "
                                              "write one 'field: value' per line"))
        return None


def _build_meta(data: dict[str, Any], text: str, *, source: str, default_id: str,
                field_lines: dict[str, int], problems: list[Problem]) -> PolicyMeta | None:
    def where(name: str) -> int:
        return field_lines.get(name, 1)

    def bad(name: str, message: str) -> None:
        problems.append(Problem(source, where(name), message))

    for key in data:
        if key not in FIELDS:
            bad(str(key), f"unknown field {key!r}; allowed fields: {', '.join(FIELDS)}")

    def text_field(name: str, *, required: bool = False) -> str | None:
        value = data.get(name)
        if value is None:
            if required and name in data:
                bad(name, f"{name} must not be empty")
            return None
        if not isinstance(value, str) or not value.strip():
            bad(name, f"{name} must be a non-empty text, got {_show(value)}")
            return None
        return value.strip()

    org_id = text_field("id", required=True)
    if org_id is None:
        org_id = slugify(default_id) or "policy"
    elif not ID_PATTERN.match(org_id):
        bad("id", f"id {org_id!r} is not allowed; use lower-case letters, digits and '-', "
                  "starting with a letter or digit (e.g. 'i-centrum')")
    # ``title`` is what static-site front matter often has (the Centra seed does): a fallback for the name.
    name = text_field("name", required=True) or text_field("title") or title_of(text) or default_id

    aliases: tuple[str, ...] = ()
    raw_aliases = data.get("aliases")
    if raw_aliases is not None:
        if isinstance(raw_aliases, list) and all(isinstance(a, str) and a.strip() for a in raw_aliases):
            aliases = tuple(a.strip() for a in raw_aliases)
        else:
            bad("aliases", f"aliases must be a list of names, e.g. [Centiro Solutions AB], got {_show(raw_aliases)}")

    language = detect_language(text)
    raw_language = data.get("language")
    if raw_language is not None:
        if isinstance(raw_language, str) and raw_language.strip().lower() in {lang.value for lang in Language}:
            language = Language(raw_language.strip().lower())
        else:
            bad("language", f"language must be one of {', '.join(lang.value for lang in Language)}, "
                            f"got {_show(raw_language)}")

    contact_note = text_field("contact_note")
    if "contact_email" in data:
        contact_email = _address_field(data, "contact_email", bad)
        if data.get("contact_email") is None and contact_note is None:
            bad("contact_email", "contact_email is null: add contact_note saying why, e.g. "
                                 "'The policy names no e-mail address; it gives only a postal address.'")
    else:
        contact_email = first_address(unicodedata.normalize("NFKC", text))
        if contact_email is None and contact_note is None:
            contact_note = NO_ADDRESS_NOTE
    inbox = _address_field(data, "inbox", bad)
    updated = _date_field(data, "updated", bad)
    valid_from = _date_field(data, "valid_from", bad)
    postal_address = text_field("postal_address")
    if problems:
        return None
    return PolicyMeta(id=org_id, name=name, language=language, aliases=aliases, contact_email=contact_email,
                      contact_note=contact_note, postal_address=postal_address, updated=updated,
                      valid_from=valid_from, inbox=inbox)


def _address_field(data: dict[str, Any], name: str, bad: Any) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not ADDRESS_PATTERN.match(value.strip()):
        bad(name, f"{name} must be a plain e-mail address like privacy@example.com, or null; got {_show(value)}")
        return None
    return str(value.strip())


def _date_field(data: dict[str, Any], name: str, bad: Any) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and _DATE_PATTERN.match(value.strip()):
        return value.strip()
    bad(name, f"{name} must be a date like 2019-10-28 or a month like 2016-02, or null; got {_show(value)}")
    return None


def _show(value: object) -> str:
    shown = reprlib.repr(value)  # bounded even for hostile nested or aliased YAML values
    return shown if len(shown) <= 60 else shown[:57] + "..."


def first_address(text: str) -> str | None:
    """The first e-mail address in ``text``, looked for around each '@' so that long texts stay linear."""
    at = text.find("@")
    while at >= 0:
        local = _LOCAL_PART.search(text, max(0, at - 64), at)
        domain = _DOMAIN.match(text, at + 1, at + 1 + 600)
        if local and domain:
            return f"{local.group(0).lstrip('.')}@{domain.group(0)}"
        at = text.find("@", at + 1)
    return None


def title_of(text: str) -> str | None:
    """The policy's title: its first markdown heading, else its first line if that is short."""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("#") and stripped.lstrip("#").strip():
            return stripped.lstrip("#").strip()
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or re.fullmatch(r"</?[A-Za-z][^>]*>|\\?#\w+|[-=*_]{3,}", stripped):
            continue
        if len(stripped) <= 80 and not stripped.endswith((".", ",", ";")):
            return stripped
        return None
    return None


def _name_clashes(policy: Policy, names: dict[str, Policy]) -> list[Problem]:
    """A name or alias given in front matter must point at one organisation, or routing cannot tell."""
    lines = dict(policy.field_lines)
    given = [("name", policy.meta.name)] if "name" in lines else []
    given += [("aliases", alias) for alias in policy.meta.aliases]
    problems: list[Problem] = []
    for field, name in given:
        key = "".join(re.findall(r"[^\W_]+", normalise(name)))
        other = names.get(key)
        if other is not None and other.id != policy.id:
            problems.append(Problem(policy.source or policy.id, lines.get(field, 1),
                                    f"{'alias' if field == 'aliases' else field} {name!r} also names "
                                    f"{other.id!r} ({other.source or other.id}); a name must point at one "
                                    "organisation"))
        elif key:
            names[key] = policy
    return problems


def validate(policies: Sequence[Policy]) -> list[Problem]:
    """Problems that need the policy text or the whole folder: empty text, absent address, duplicate ids."""
    problems: list[Problem] = []
    seen: dict[str, Policy] = {}
    names: dict[str, Policy] = {}
    for policy in policies:
        lines = dict(policy.field_lines)
        source = policy.source or policy.id
        if not policy.text.strip():
            problems.append(Problem(source, policy.body_line, "the policy text is empty; put the policy's "
                                                              "text after the front matter"))
        email = policy.meta.contact_email
        if email is not None and normalise(email) not in normalise(policy.text):
            problems.append(Problem(source, lines.get("contact_email", 1),
                                    f"contact_email {email!r} does not occur in the policy text; use the "
                                    "address exactly as the policy states it, or null with a contact_note"))
        problems.extend(_name_clashes(policy, names))
        earlier = seen.get(policy.id)
        if earlier is not None:
            problems.append(Problem(source, lines.get("id", 1),
                                    f"duplicate id {policy.id!r}: already used by {earlier.source or earlier.id}; "
                                    "each organisation needs its own id"))
        else:
            seen[policy.id] = policy
    return problems

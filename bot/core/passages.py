"""Split a policy into passages along its own structure, each with its section title and a stable id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.knowledge import normalise, slugify
from bot.core.models import Passage, Policy
from bot.core.sentences import BULLET, MARKER, MARKUP, TERMINAL, cut_at_sentences, line_spans, sentences

__all__ = ["MAX_CHARS", "SECTION_SEPARATOR", "sentences", "split_policy", "split_text"]

SECTION_SEPARATOR = " › "
# Questions and title lines are headings guessed from the text, weaker than markdown or numbered ones.
_GUESSED = frozenset({"question", "title"})
_STRENGTH = {"markdown": 0, "numbered": 0, "question": 1, "title": 2}
MAX_CHARS = 1000  # no passage runs past this; longer ones are cut at sentence boundaries
_KEEP_BLOCK = 400  # a paragraph of several lines up to this size stays one passage
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_SENTENCE_OPENERS = frozenset({"we", "you", "i", "it", "this", "they", "vi", "du", "jag", "det", "den", "de"})
_NUMBERED = re.compile(r"^\(?(?:\d{1,3}[.)]|\d{1,3}(?:\.\d{1,3})+[.)]?)\s+(?=\S)")


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    indent: int


@dataclass(slots=True)
class _Unit:
    kind: str  # "heading" | "item" | "text"
    start: int
    end: int
    title: str = ""
    marker: int = 0  # length of a leading list number ("1. "), for headings that turn out to be items


def split_policy(policy: Policy) -> list[Passage]:
    """Passages of ``policy``; each one's text is ``policy.text[start:end]`` exactly."""
    return split_text(policy.text, org=policy.id, default_section=policy.meta.name)


def split_text(text: str, *, org: str, default_section: str) -> list[Passage]:
    units = _units(text)
    passages: list[Passage] = []
    counters: dict[str, int] = {}
    section, slug_source = default_section, default_section
    open_headings: list[tuple[str, int, str]] = []  # (kind, level, title), outermost first
    parent_has_text = False  # whether passages stood right under the innermost open heading
    for unit in units:
        if unit.kind == "heading":
            kind, level = _heading_kind(text[unit.start:unit.end])
            sibling = False
            while open_headings and not _encloses(open_headings[-1][:2], (kind, level)):
                sibling = sibling or open_headings[-1][:2] == (kind, level)
                open_headings.pop()
            # Under a question or title line, a title line is a sub-heading only when it opens its parent's
            # text (or follows such a sibling): Infentre's "Changes to this policy" after a question's text is
            # a section of its own. Under markdown or numbered headings it always is (i-Centrum's "Cookies").
            if not sibling and parent_has_text:
                while open_headings and open_headings[-1][0] in _GUESSED:
                    open_headings.pop()
            open_headings.append((kind, level, unit.title))
            parent_has_text = False
            # A sub-heading keeps its parent in view: "With whom do you share my information? › Technical
            # service providers" says what the passages under it answer; the id keeps the short title.
            section = SECTION_SEPARATOR.join(title for _, _, title in open_headings[-2:])
            slug_source = unit.title
            continue
        parent_has_text = True
        slug = slugify(slug_source)[:48].strip("-") or "text"
        for start, end in cut_at_sentences(text, unit.start, unit.end, limit=MAX_CHARS):
            counters[slug] = counters.get(slug, 0) + 1
            passages.append(Passage(id=f"{org}:{slug}:{counters[slug]}", org=org, section=section,
                                    text=text[start:end], start=start, end=end))
    return passages


def _blocks(text: str) -> list[list[_Line]]:
    """Runs of lines with words; blank and markup-only lines separate them."""
    blocks: list[list[_Line]] = [[]]
    for start, end in line_spans(text):
        line = text[start:end]
        if not line or MARKUP.match(line):
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(_Line(start, end, line, start - _line_start(text, start)))
    return [block for block in blocks if block]


def _heading_kind(line: str) -> tuple[str, int]:
    """("markdown", level), ("numbered", depth: "2.1" = 2), ("question", 1) or ("title", 1)."""
    if _md_heading(line):
        return "markdown", len(line) - len(line.lstrip("#"))
    numbered = _NUMBERED.match(line)
    if numbered:
        return "numbered", 1 + numbered.group(0).strip().rstrip(".)").count(".")
    return ("question", 1) if line.endswith("?") else ("title", 1)


def _encloses(outer: tuple[str, int], inner: tuple[str, int]) -> bool:
    """Whether a heading of kind ``outer`` can hold one of kind ``inner`` (mixed explicit kinds are peers)."""
    if outer[0] == inner[0]:
        return outer[1] < inner[1]
    return _STRENGTH[outer[0]] < _STRENGTH[inner[0]] and inner[0] in _GUESSED


def _md_heading(line: str) -> re.Match[str] | None:
    return _MD_HEADING.match(line) if len(line) <= 300 else None  # long lines are no headings (and stay fast)


def _title(line: str) -> str:
    heading = _md_heading(line)
    if heading:
        return heading.group(1)
    numbered = _NUMBERED.match(line)
    return line[numbered.end():].strip() if numbered else line.strip()


def _is_toc(block: list[_Line], index: int, last_seen: dict[str, int]) -> bool:
    """A run of numbered short lines whose titles come back later as headings is a table of contents."""
    if len(block) < 3 or not all(_NUMBERED.match(ln.text) and len(ln.text) <= 120 for ln in block):
        return False
    back = sum(1 for ln in block if last_seen.get(normalise(_title(ln.text)), -1) > index)
    return back >= max(2, len(block) // 2)


def _title_like(line: str) -> bool:
    """A short title line: "Cookies", "Personlig information som vi samlar in", "Your rights"."""
    if len(line) > 80 or len(line.split()) > 12 or not line[:1].isupper():
        return False
    if line.endswith((".", ",", ";", ":", "!")) or line.count(",") >= 2 or re.search(r":\s", line):
        return False
    if line.split()[0].casefold() in _SENTENCE_OPENERS or " such as " in line:
        return False  # an unpunctuated sentence ("We collect IP-address from our websites"), not a title
    return not re.search(r"@|https?:|www\.", line)


def _question(line: str) -> bool:
    return line.endswith("?") and len(line) <= 120 and line[:1].isupper() and "@" not in line


def _long(line: str) -> bool:
    """Prose rather than a label: long, or a sentence of several words."""
    return len(line) >= 60 or (line.endswith((*TERMINAL, ":")) and len(line.split()) >= 4)


def _units(text: str) -> list[_Unit]:
    blocks = _blocks(text)
    last_seen = {normalise(_title(ln.text)): index for index, block in enumerate(blocks) for ln in block}

    units: list[_Unit] = []
    mode = "none"  # "intro": the last unit ended with ':'; "explicit"/"implicit": inside a list
    for index, block in enumerate(blocks):
        has_next = index + 1 < len(blocks)
        if _is_toc(block, index, last_seen):
            titles = [normalise(_title(ln.text)) for ln in block]
            last = block[-1]
            if titles[-1] in titles[:-1]:  # i-Centrum: the list runs on into the first heading ("11.")
                units.append(_Unit("heading", last.start, last.end, _title(last.text)))
            mode = "none"
            continue
        if len(block) == 1:
            unit = _single(block[0], mode=mode, has_next=has_next)
            units.append(unit)
        else:
            units.extend(_multi(block, mode=mode))
            unit = units[-1]
        line = text[unit.start:unit.end]
        if unit.kind == "heading":
            mode = "none"
        elif line.endswith(":"):
            mode = "intro"
        elif unit.kind == "item":
            mode = "explicit" if MARKER.match(text[_line_start(text, unit.start):unit.end].lstrip()) else "implicit"
        else:
            mode = "none"
    in_list = False  # numbered "headings" with nothing between them are a list: "1. Apples", "2. Pears"
    for index, unit in enumerate(units):
        following = units[index + 1] if index + 1 < len(units) else None
        numbered = unit.kind == "heading" and unit.marker > 0
        if numbered and (in_list or (following is not None and following.kind == "heading" and following.marker)):
            unit.kind, unit.start, in_list = "item", unit.start + unit.marker, True
        else:
            in_list = False
    for unit in reversed(units):  # a title line with nothing after it is text (e.g. a closing address)
        if unit.kind != "heading":
            break
        unit.kind = "text"
    return units


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _single(line: _Line, *, mode: str, has_next: bool) -> _Unit:
    text = line.text
    if _md_heading(text):
        return _Unit("heading", line.start, line.end, _title(text))
    marker = MARKER.match(text)
    if BULLET.match(text) and marker:
        return _Unit("item", line.start + marker.end(), line.end)
    if _NUMBERED.match(text) and marker:
        title = _title(text)
        if mode != "intro" and has_next and len(text) <= 120 and not text.endswith((".", ",", ";", ":")):
            return _Unit("heading", line.start, line.end, title, marker.end())
        return _Unit("item", line.start + marker.end(), line.end)
    if mode in ("intro", "implicit") and not text.endswith(TERMINAL) and len(text) <= 300:
        return _Unit("item", line.start, line.end)
    if has_next and (_title_like(text) or _question(text)):
        return _Unit("heading", line.start, line.end, _title(text))
    return _Unit("text", line.start, line.end)


def _multi(block: list[_Line], *, mode: str) -> list[_Unit]:
    """A block of several lines: headings and list items on their own, the rest kept or cut per line."""
    kinds: list[str] = []
    for i, line in enumerate(block):
        text = line.text
        before = block[i - 1].text if i else None
        after = block[i + 1].text if i + 1 < len(block) else None
        opens = before is None or before.endswith(TERMINAL)
        leads = after is not None and _long(after) and after[:1].isupper()
        numbered_heading = bool(_NUMBERED.match(text)) and opens and leads and len(text) <= 120 \
            and not text.endswith((".", ";", ","))
        question = (opens or (before or "").endswith(":")) and _question(text) and after is not None \
            and not after.endswith("?")
        titled = opens and leads and _title_like(text) and not (i == 0 and mode in ("intro", "implicit"))
        if _md_heading(text) or numbered_heading:
            kinds.append("heading")
        elif MARKER.match(text):
            kinds.append("item")
        elif question or titled:
            kinds.append("heading")
        elif kinds and kinds[-1] == "item" and (text[:1].islower() or line.indent > block[i - 1].indent):
            kinds.append("item+")  # an item's continuation line
        else:
            kinds.append("text")
    units: list[_Unit] = []
    i = 0
    while i < len(block):
        line, kind = block[i], kinds[i]
        if kind == "heading":
            units.append(_Unit("heading", line.start, line.end, _title(line.text)))
            i += 1
        elif kind in ("item", "item+"):
            j = i + 1
            while j < len(block) and kinds[j] == "item+":
                j += 1
            marker = MARKER.match(line.text)
            units.append(_Unit("item", line.start + (marker.end() if marker else 0), block[j - 1].end))
            i = j
        else:
            j = i
            while j < len(block) and kinds[j] == "text":
                j += 1
            units.extend(_text_run(block[i:j]))
            i = j
    return units


def _text_run(lines: list[_Line]) -> list[_Unit]:
    """Plain lines: one passage when short, else one per line (wrapped prose and short label lines joined)."""
    if lines[-1].end - lines[0].start <= _KEEP_BLOCK:
        return [_Unit("text", lines[0].start, lines[-1].end)]
    units: list[_Unit] = []
    for previous, line in zip([None, *lines], lines, strict=False):
        if units and previous is not None and _joins(line, previous):
            units[-1].end = line.end
        else:
            units.append(_Unit("text", line.start, line.end))
    return units


def _joins(line: _Line, last: _Line) -> bool:
    if not last.text.endswith((*TERMINAL, ":", ";")) and line.text[:1].islower():
        return True  # hard-wrapped prose
    short = len(last.text) < 60 and not last.text.endswith(TERMINAL)
    return short and len(line.text) < 60 and not line.text.endswith(":")

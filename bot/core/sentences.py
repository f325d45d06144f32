"""Sentence spans in policy text, and the line-level markers (bullets, numbers, markup) they skip."""

from __future__ import annotations

import re

# A list marker at the start of a line: bullets, "1.", "1)", "2.1", "(a)", "a)".
MARKER = re.compile(
    r"^(?:[•\-\*–·▪◦‣●○■□➢►✓]|\(?\d{1,3}[.)]|\d{1,3}(?:\.\d{1,3})+[.)]?|\(?[a-z]\))(?=\s)\s*")
BULLET = re.compile(r"^[•\-\*–·▪◦‣●○■□➢►✓]\s")
# Lines that carry no policy words: HTML tags on their own, "\#nospam", rules, HTML comments.
MARKUP = re.compile(r"^(?:</?[A-Za-z][^>]*>|<!--.*-->|\\?#[A-Za-z]\w*|[-=*_~]{3,})$")
TERMINAL = (".", "!", "?")

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_SPACES = re.compile(r"\s+")
_NEVER_END = frozenset({
    "e.g", "i.e", "eg", "ie", "cf", "vs", "approx", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nr", "t.ex",
    "bl.a", "d.v.s", "dvs", "m.fl", "s.k", "ca", "inkl", "resp", "jfr", "fr.o.m", "t.o.m", "p.g.a", "tel",
    "fig", "art", "sec", "ex", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "okt",
    "nov", "dec", "u.s", "u.k", "a.m", "p.m",
})
# After these a new sentence starts only with a capital letter ("Spotify AB. We" but "Google Inc. (US)").
_COMPANY = frozenset({"inc", "ltd", "ab", "co", "corp", "llc", "gmbh", "plc", "oy", "as", "bv", "sa"})


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, surrounding whitespace excluded; blank lines included as empty."""
    spans: list[tuple[int, int]] = []
    position = 0
    for raw in text.split("\n"):
        left = len(raw) - len(raw.lstrip())
        right = len(raw) - len(raw.rstrip())
        start, end = position + left, position + len(raw) - right
        spans.append((start, max(start, end)))
        position += len(raw) + 1
    return spans


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (offsets into it), without list markers or surrounding whitespace.

    A line break ends a sentence unless the line runs on in lower case (hard-wrapped prose); abbreviations
    ("e.g.", "t.ex."), numbering ("1."), URLs and company suffixes ("Inc.") do not end one.
    """
    spans: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for start, end in line_spans(text):
        line = text[start:end]
        if not line or MARKUP.match(line):
            if pending:
                spans.append(pending)
                pending = None
            continue
        marker = MARKER.match(line)
        if marker:
            start += marker.end()
            if pending is not None:
                spans.append(pending)
                pending = None
        pieces = _split_line(text, start, end)
        if pending is not None:
            pieces[0] = (pending[0], pieces[0][1])
            pending = None
        last = pieces[-1]
        following = _next_line(text, end)
        if following and (_runs_on(text[last[0]:last[1]], following)):
            spans.extend(pieces[:-1])
            pending = last
        else:
            spans.extend(pieces)
    if pending:
        spans.append(pending)
    return [(s, e) for s, e in spans if e > s]


def _runs_on(line: str, following: str) -> bool:
    """Hard-wrapped prose, or a line broken right after an abbreviation ("(i.e." / "something else")."""
    if not line.endswith((*TERMINAL, ":", ";")) and following[:1].islower():
        return True
    words = line.split()
    return line.endswith(".") and bool(words) and words[-1].lstrip("([\"'“‘").casefold()[:-1] in _NEVER_END


def _next_line(text: str, end: int) -> str:
    newline = text.find("\n", end)
    if newline < 0:
        return ""
    stop = text.find("\n", newline + 1)
    return text[newline + 1: stop if stop >= 0 else len(text)].strip()


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    cursor = start
    depth, counted, opened_at = 0, start, start  # open parentheses since the sentence began
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        for char in text[counted:stop]:
            if char == "(":
                depth, opened_at = depth + 1, (opened_at if depth else counted)
            elif char == ")":
                depth = max(0, depth - 1)
        counted = stop
        following = _SPACES.match(text, stop, end)
        resume = following.end() if following else stop
        if resume >= end:
            continue
        if depth and stop - opened_at < 300:
            continue  # "(… like Gmail or Yahoo! Mail) we may" is one sentence
        # Only the few characters before the mark matter: this keeps long lines linear.
        before = text[max(start, match.start() - 40):match.start()].rsplit(None, 1)
        word = before[-1].lstrip("([\"'“‘").casefold() if before else ""
        if text[match.start()] == "." and _not_an_end(word, text[resume:resume + 1]):
            continue
        pieces.append((cursor, stop))
        cursor, depth = resume, 0
    pieces.append((cursor, end))
    return pieces


def _not_an_end(word: str, rest: str) -> bool:
    if word in _NEVER_END or (len(word) == 1 and word.isalpha()):  # abbreviations and initials ("J. Smith")
        return True
    if word in _COMPANY:
        return not rest[:1].isupper()
    first = rest[:1]
    # A sentence starts with a capital, a digit, a quote or a bracket; "e.g. cookies" runs on.
    return not (first.isupper() or first.isdigit() or first in "\"'“‘([•-")


def cut_at_sentences(text: str, start: int, end: int, *, limit: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]``, if longer than ``limit``, at sentence boundaries into nearly even pieces."""
    if end - start <= limit:
        return [(start, end)]
    units = [piece for s, e in sentences(text[start:end]) for piece in _hard_split(start + s, start + e, text, limit)]
    if not units:
        return _hard_split(start, end, text, limit)
    remaining_pieces = -(-(end - start) // (limit * 9 // 10))
    pieces: list[tuple[int, int]] = []
    piece_start, piece_end = units[0]
    for unit_start, unit_end in units[1:]:
        target = (end - piece_start) / max(1, remaining_pieces)
        current, grown = piece_end - piece_start, unit_end - piece_start
        # Cut before this sentence when taking it would overrun the limit or land farther from the target.
        if grown > limit or (current >= target / 2 and grown - target > target - current):
            pieces.append((piece_start, piece_end))
            remaining_pieces -= 1
            piece_start = unit_start
        piece_end = unit_end
    pieces.append((piece_start, piece_end))
    return pieces


def _hard_split(start: int, end: int, text: str, limit: int) -> list[tuple[int, int]]:
    """A single 'sentence' over the limit (a run-on list) is cut at the last space before it."""
    out: list[tuple[int, int]] = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        out.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    out.append((start, end))
    return out

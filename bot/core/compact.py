"""Passages kept compactly (ids, shared section titles, spans into their policy's text), made again on demand."""

from __future__ import annotations

from array import array
from collections.abc import Mapping

from bot.core.models import Passage


class CompactPassages:
    """Passages by number: a Passage object and a copy of its text cost ~0.5 kB each, which 100,000 passages
    would keep for the few that are ever cited; the policy's text is held anyway.

    A passage whose text is not its policy's ``text[start:end]`` (or whose policy text is not given) keeps
    its own text.
    """

    def __init__(self, sources: Mapping[str, str] | None = None) -> None:
        self._sources = dict(sources or {})
        self._orgs: list[str] = []
        self._org_number: dict[str, int] = {}
        self._section_of: dict[str, str] = {}  # one string object per distinct section title
        self._ids: list[str] = []
        self._sections: list[str] = []
        self._org = array("i")
        self._spans = array("q")
        self._texts: dict[int, str] = {}

    def add(self, p: Passage) -> None:
        number = self._org_number.get(p.org)
        if number is None:
            number = self._org_number[p.org] = len(self._orgs)
            self._orgs.append(p.org)
        source = self._sources.get(p.org)
        if source is None or source[p.start:p.end] != p.text:
            self._texts[len(self._ids)] = p.text
        self._ids.append(p.id)
        self._sections.append(self._section_of.setdefault(p.section, p.section))
        self._org.append(number)
        self._spans.extend((p.start, p.end))

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, i: int) -> Passage:
        org = self._orgs[self._org[i]]
        start, end = self._spans[2 * i], self._spans[2 * i + 1]
        text = self._texts.get(i)
        if text is None:
            text = self._sources[org][start:end]
        return Passage(id=self._ids[i], org=org, section=self._sections[i], text=text, start=start, end=end)

    def slice(self, lo: int, hi: int) -> tuple[Passage, ...]:
        return tuple(self[i] for i in range(lo, hi))

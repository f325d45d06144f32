"""Which organisation a message is about: the one given, else the one it names, else the only one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.models import PolicyMeta
from bot.errors import UnknownOrganisation

# Legal-form words that are dropped to give an extra, shorter key ("Centiro Solutions AB" -> "Centiro Solutions").
_LEGAL_FORMS = frozenset({"ab", "inc", "ltd", "llc", "gmbh", "plc", "oy", "as", "bv", "sa", "corp", "co"})
_TOKEN = re.compile(r"[^\W_]+")
_MIN_KEY = 3  # shorter keys ("ab", "co") would match ordinary words
# A name made only of these (a title like "Privacy statement" taken as a name) would match every question.
_GENERIC_WORDS = """privacy policy statement notice data protection personal information cookie cookies terms
the our your of and for on gdpr sekretesspolicy integritetspolicy dataskyddspolicy personuppgiftspolicy
dataskydd personuppgifter integritet sekretess policyn och för om villkor"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
# Mail domains that say nothing about the organisation.
_PUBLIC_MAIL = frozenset({"gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "icloud", "me", "gmx",
                          "protonmail", "proton", "aol", "mail", "example"})


@dataclass(frozen=True, slots=True)
class Route:
    org: str | None  # the chosen organisation id
    choices: tuple[str, ...]  # when org is None: ids to offer (all, or those named)
    reason: str  # "given" | "named" | "only" | "ambiguous" | "unnamed"


def tokens(text: str) -> list[str]:
    """Case-folded letter/digit runs with accents kept apart: "I-Centrum's" -> ["i", "centrum", "s"]."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _TOKEN.findall(folded)


class OrgMatcher:
    """Finds organisation names in text; built once from the policies' metadata, then cheap per message.

    A name matches as a whole run of words, with spaces and hyphens optional ("i centrum", "I-Centrum",
    "iCentrum") and a genitive "s" allowed ("iCentrex's", "Centiros", "Centra’s"); it never matches inside
    another word, so "Centrala", "central" and "centrum" alone match nothing.
    """

    def __init__(self, policies: Sequence[PolicyMeta]) -> None:
        self.ids: tuple[str, ...] = tuple(meta.id for meta in policies)
        self._keys: dict[str, set[str]] = {}
        longest = 1
        for meta in policies:
            for name in _names(meta):
                words = tokens(name)
                key = "".join(words)
                if len(key) < _MIN_KEY or all(word in _GENERIC for word in words):
                    continue
                self._keys.setdefault(key, set()).add(meta.id)
                longest = max(longest, len(words))
        # One more word than the longest name, for names people split ("i centrex" for iCentrex).
        self._window = longest + 1

    def named(self, text: str) -> list[str]:
        """Ids of the organisations the text names, in order of first mention."""
        words = tokens(text)
        found: list[str] = []
        i = 0
        while i < len(words):
            hit = self._match_at(words, i)
            if hit is None:
                i += 1
                continue
            length, orgs = hit
            for org in sorted(orgs, key=self.ids.index):
                if org not in found:
                    found.append(org)
            i += length
        return found

    def _match_at(self, words: list[str], i: int) -> tuple[int, set[str]] | None:
        joined = ""
        best: tuple[int, set[str]] | None = None
        for n in range(1, min(self._window, len(words) - i) + 1):
            joined += words[i + n - 1]
            orgs = self._keys.get(joined)
            if orgs is None and joined.endswith("s"):
                orgs = self._keys.get(joined[:-1])  # Swedish genitive: "Centiros"
            if orgs is not None:
                length = n
                if i + n < len(words) and words[i + n] == "s":
                    length += 1  # English genitive: "iCentrex's"
                best = (length, orgs)
        return best

    def route(self, text: str, given: str | None = None) -> Route:
        if given is not None:
            org = given.strip().casefold()
            if org not in self.ids:
                raise UnknownOrganisation(given, self.ids)
            return Route(org, (), "given")
        named = self.named(text)
        if len(named) == 1:
            return Route(named[0], (), "named")
        if len(named) > 1:
            return Route(None, tuple(named), "ambiguous")
        if len(self.ids) == 1:
            return Route(self.ids[0], (), "only")
        return Route(None, self.ids, "unnamed")


def _names(meta: PolicyMeta) -> list[str]:
    names = [meta.id, meta.name, *meta.aliases]
    for address in (meta.inbox, meta.contact_email):
        if address and "@" in address:
            domain = address.rsplit("@", 1)[1]
            label = domain.rsplit(".", 1)[0]
            label = label.rsplit(".", 1)[-1]  # "privacy@i-centrum.se" -> "i-centrum"
            if label.casefold() not in _PUBLIC_MAIL:
                names.append(label)
    extra = []
    for name in names:
        words = name.split()
        if len(words) > 1 and words[-1].casefold().strip(".") in _LEGAL_FORMS:
            extra.append(" ".join(words[:-1]))
    return names + extra


@lru_cache(maxsize=16)
def _matcher(policies: tuple[PolicyMeta, ...]) -> OrgMatcher:
    return OrgMatcher(policies)


def matcher_for(policies: Sequence[PolicyMeta]) -> OrgMatcher:
    """The matcher for these policies, built once and reused while they stay the same."""
    return _matcher(tuple(policies))


def named_orgs(text: str, policies: Sequence[PolicyMeta]) -> list[str]:
    """Ids of the organisations ``text`` names, in order of first mention."""
    return matcher_for(policies).named(text)


def route(text: str, policies: Sequence[PolicyMeta], given: str | None = None) -> Route:
    """Given > named in the text > the only one configured; else no org and the ids to choose from.

    Raises UnknownOrganisation when ``given`` is not one of the policies' ids.
    """
    return matcher_for(policies).route(text, given)

"""Whether a short line ending in a period is a section label ("Cookies.") or a short sentence ("Thank you.")."""

from __future__ import annotations

from bot.core.sentences import abbreviation_end

__all__ = ["period_label"]

_MAX_WORDS = 8
_MAX_CHARS = 80
# Besides letters and spaces a label holds only these; digits, inner dots ("i.e."), colons, quotes, "@", "!"
# or "?" mean a date line, an abbreviation, an address or a sentence.
_LABEL_PUNCTUATION = frozenset(" -–'’(),&/")
# A first word that opens a sentence or continues one: pronouns, connectives, prepositions, greetings, answers.
# Prepositions are here because a list item broken off a sentence ("may share information: ... About you with
# your organization.") reads like a label; "About us." is missed with it, the lesser harm.
_NOT_FIRST = frozenset({
    "we", "you", "it", "this", "these", "those", "that", "they", "he", "she", "there", "here", "one",
    "if", "and", "or", "but", "so", "because", "although", "though", "unless", "while", "then", "also", "however",
    "therefore", "thus", "yes", "no", "ok", "okay", "thank", "thanks", "please", "welcome", "hello", "hi", "dear",
    "with", "about", "to", "from", "by", "in", "on", "at", "for", "of", "into", "through", "via", "without",
    "within", "after", "before", "during", "as", "like", "than", "not", "never", "always", "only", "just",
    "nothing", "certainly",
    "vi", "du", "ni", "jag", "det", "den", "de", "denna", "detta", "dessa", "man", "han", "hon", "hen", "här",
    "där", "om", "och", "eller", "men", "så", "eftersom", "dock", "också", "även", "ja", "nej", "tack", "hej",
    "välkommen", "kära", "med", "till", "för", "från", "av", "i", "på", "vid", "hos", "genom", "utan", "efter",
    "före", "under", "inte", "aldrig", "alltid", "bara", "endast",
})
# "Your rights." is a label; "Your privacy matters." and "Our website offers publicly accessible blogs." are not.
_POSSESSIVES = frozenset({
    "your", "our", "my", "their", "his", "her", "its", "din", "ditt", "dina", "vår", "vårt", "våra", "er", "ert",
    "era", "min", "mitt", "mina", "deras",
})
# Words that make a sentence wherever they stand: auxiliaries, copulas, imperatives, negations, sign-offs.
_SENTENCE_WORDS = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did", "may",
    "might", "will", "would", "can", "could", "shall", "should", "must", "please", "contact", "read", "see",
    "click", "note", "visit", "let", "thank", "thanks", "never", "always", "not", "cannot", "regards", "reserved",
    "är", "var", "vara", "varit", "blir", "bli", "blev", "har", "hade", "haft", "kan", "kunde", "ska", "skall",
    "skulle", "får", "fick", "måste", "bör", "vill", "kommer", "läs", "kontakta", "klicka", "se", "besök",
    "observera", "tack", "tackar", "inte", "aldrig", "alltid",
})
# A present-tense verb right after the first word: the subject-verb order of a sentence ("Centiro värnar om din
# integritet.", "Acme collects ..."). Only second place: "How we protect your data." is still a label.
_SECOND_VERBS = frozenset({
    "collects", "stores", "keeps", "sells", "provides", "respects", "protects", "takes", "cares", "needs", "wants",
    "help", "helps", "applies", "includes", "contains", "describes", "explains", "covers", "gets", "gives", "makes",
    "värnar", "sparar", "samlar", "använder", "behandlar", "delar", "lagrar", "skyddar", "säljer", "erbjuder",
    "tar", "ger", "respekterar", "bryr", "gäller", "innebär", "beskriver", "förklarar", "innehåller",
})
# Words that alone make an answer, a remark or a sign-off, not a section.
_NOT_ALONE = frozenset({
    "important", "correct", "right", "sure", "exactly", "indeed", "absolutely", "again", "finally", "done",
    "regards", "sincerely", "cheers", "note", "nb", "obs", "viktigt", "precis", "absolut", "klart", "slutligen",
})
_CONTRACTIONS = ("n't", "'re", "'ll", "'ve", "'m", "'d")


def period_label(line: str, *, org: str = "") -> bool:
    """Whether ``line`` ("Information we collect.") reads as a section label rather than a short sentence.

    Text exported one sentence per line ends every line, headings too, with a period. A label is short, starts
    in upper case, ends in one period and shows no sign of a sentence: no opener or connective first, no
    auxiliary, copula or imperative, no verb right after a subject, not the organisation (``org``) as subject.
    """
    if not line.endswith(".") or len(line) > _MAX_CHARS or not line[:1].isupper():
        return False
    body = line[:-1]
    comma = body.find(",")
    if comma >= 0 and (body.count(",") > 1 or body[comma + 1:].lstrip()[:1].isupper()):
        return False  # a list of names or places ("Stockholm, Sweden.", "Jane Doe, CEO."), not "Cookies, pixels ..."
    if any(not ch.isalpha() and ch not in _LABEL_PUNCTUATION for ch in body):
        return False
    if abbreviation_end(line) or " such as " in body:
        return False
    words = [_word(word) for word in body.split()]
    if not words or len(words) > _MAX_WORDS or not all(words):
        return False
    name = _word(org.split()[0]) if org.split() else ""
    if len(words) == 1:
        return words[0] not in _NOT_FIRST and words[0] not in _NOT_ALONE and words[0] != name
    if words[0] in _NOT_FIRST or words[0] == name or (words[0] in _POSSESSIVES and len(words) > 2):
        return False
    if any(word in _SENTENCE_WORDS or word.endswith(_CONTRACTIONS) for word in words):
        return False
    return words[1] not in _SECOND_VERBS


def _word(word: str) -> str:
    """A word for the lists: lower case, no brackets or commas, a possessive "'s" or an "it's" cut back."""
    word = word.strip("(),").casefold().replace("’", "'")
    for ending in ("'s", "'"):
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word

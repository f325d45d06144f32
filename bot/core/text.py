"""The one text analyser for passages and queries: normalise, tokenise, drop stop words, stem, split compounds."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from bot.core.models import Language

# NFKC leaves these typographic variants alone (or maps U+2011 only to U+2010); the seeds contain them.
_FOLD = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u200b": "", "\u00ad": "", "\ufeff": "",
    "\u2018": "'", "\u2019": "'", "\u00b4": "'", "`": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LETTER_HYPHEN = re.compile(r"(?<![^\W_])([^\W\d_])-(?=[^\W\d_])")


def _set(blank_separated: str) -> frozenset[str]:
    return frozenset(blank_separated.split())


STOP_WORDS_EN = _set("""
a about above after again against all am an and any are aren't as at be because been before being below
between both but by can cannot could did do does doing don't down during each few for from further had has
have having he her here hers herself him himself his how i if in into is isn't it its itself just let me
more most my myself nor not of off on once only or other ought our ours ourselves out over own please same
she should so some such than that the their theirs them themselves then there these they this those through
to too under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves us also may might must shall etc e g ie eg s t d ll re ve m
u ur yr r pls plz thx ty whats thats dont cant wont im ive isnt arent doesnt didnt wasnt theres hows whos thru
""")

STOP_WORDS_SV = _set("""
och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke mig du henne
då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när efter upp vi dem vara
vad över än dig kan sina här ha mot alla under någon eller allt mycket sedan ju denna själv detta åt utan
varit hur ingen mitt ni bli blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess
inom mellan sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas
tack gärna snälla hej ska skall få får fick nåt nån nånting nåra
""")

STOP_WORDS = STOP_WORDS_EN | STOP_WORDS_SV

# Swedish compounds are written as one word ("personuppgifter", "tredjepart"); these known parts let a
# compound also match its parts written apart ("tredje part") and a question using a part ("uppgifter").
_SV_PARTS = _set("""
person personlig uppgift uppgifter tredje part parter e post adress sekretess policy webb webbplats plats
sida sidor innehåll registrering information säkerhet teknik produkt produkter uppdatering uppdateringar
meddelande meddelanden besök data kaka kakor myndighet myndigheter integritet skydd register utdrag nyhet
nyhets brev jobb sökande ansökan kredit kort betal betalning betalnings mjuk hård vara varan rätt rättighet
åtkomst tid tider lagring lagrings marknad marknads föring kund kunder konto kontot land länder tjänst
tjänster server servrar ombud dataskydd dataskydds tillsyn tillsyns registrerings säkerhets webbläsar
webbläsare typ system namn domän e-post epost kontakt kontakter användar användare besöks statistik
operativ leverantör leverantörer biträde epost postadress personuppgift personuppgifter centiro sajter sajt policyn
ansvarig tekniker procedurer utskick lokaler protokoll tillgång begäran ärende konton
telefon nummer pixel pixlar spårning spårnings arbets logg loggar fil filer lön löne intrång
upplysning inloggnings födelse datum försäkring försäkrings koncern bolag företag organisations mobil
seminarium seminarier webbinarium frukost analys verktyg
""")
_SV_LINKS = ("", "s", "e", "a", "o", "u")
_INFLECTIONS = ("arna", "erna", "orna", "en", "et", "na", "ar", "er", "or")
_MIN_PART = 3

_STEMMERS = {Language.EN: Stemmer.Stemmer("english"), Language.SV: Stemmer.Stemmer("swedish")}

_SV_MARKERS = _set("""
och att det är jag mina min mitt mig ni er ert era vi vår våra hur vad varför vilka vilken när kan inte har
som till av för på med om från tack vill skulle gärna snälla hej radera ta bort uppgifter personuppgifter
sparar lagrar använder delar säljer också nej ja hos detta denna vem finns får alla ta bort kakor kaka
integritetspolicy sekretesspolicy samtycke registerutdrag nyhetsbrev avregistrera uppgift polisen barn
eller dem deras dessa din dina ditt du där ingen inom någon några oss sådan utan var vara varje vilket vårt
lagras sparas används delas raderas utomlands sverige
""")
_EN_MARKERS = _set("""
the and to of you your my me i we our is are do does did how what why when where who which can could would
please data information delete keep store use share sell with for about have has this that it in on from
will be not any all personal policy thanks thank hi hello want like
""")
_SV_LETTERS = frozenset("åäö")


def normalise(text: str) -> str:
    """NFKC, typographic hyphens/spaces/quotes folded to ASCII, casefolded."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()


def words(text: str) -> list[str]:
    """The normalised word tokens of ``text`` (letters and digits; punctuation and hyphens split).

    A single letter before a hyphen stays joined: "e-mail" is "email", "e-postadress" is "epostadress".
    """
    return _WORD.findall(_LETTER_HYPHEN.sub(r"\1", normalise(text)))


@lru_cache(maxsize=200_000)
def stem(word: str, language: Language) -> str:
    """The Snowball stem of one normalised word (British spellings stemmed as the American ones)."""
    if language is Language.EN:
        word = _AMERICAN.get(word, word)
        fixed = _EN_STEMS.get(word)
        if fixed is not None:
            return fixed
    result: str = _STEMMERS[language].stemWord(word)
    if language is Language.SV and len(result) > _MIN_S_STEM and result[-1] == "s" and result[-2] in _S_ENDING:
        # Snowball drops a genitive-like final s from the bare word ("webbplats" -> "webbplat") but only the
        # ending from its inflections ("webbplatsen" -> "webbplats"): drop it there too, so both meet.
        result = result[:-1]
    if language is Language.SV and word.endswith(_AGENT) and not result.endswith("ar"):
        # Snowball takes "säljare" (seller) and "användare" (user) to the verb's stem ("sälj", "använd"):
        # the one who sells is not selling.
        result += "ar"
    return result


_AGENT = ("are", "aren", "arna", "ares", "arens", "arnas")
# Words Snowball gives the stem of another meaning: where someone is ("my location") is not where something is
# placed ("where is your office located").
_EN_STEMS = {"location": "location", "locations": "location"}


_S_ENDING = frozenset("bcdfghjklmnoprtvy")  # Snowball's valid s-endings


def _american(british: str) -> dict[str, str]:
    """Each British spelling (with its inflections) -> the American one: Snowball stems them apart
    ("organisation" -> "organis", "organization" -> "organiz")."""
    out: dict[str, str] = {}
    for word in british.split():
        if word.endswith("our"):
            out[word] = word[:-3] + "or"
            out[word + "s"] = word[:-3] + "ors"
            continue
        stem_ = word[:-3]  # "organise" -> "organ"; "analyse" -> "anal"
        z = "yz" if word.endswith("yse") else "iz"
        for ending in ("e", "ed", "es", "ing", "er", "ers", "ation", "ations"):
            out[stem_ + word[-3:-1] + ending] = stem_ + z + ending
    return out


_AMERICAN = _american(
    "organise analyse paralyse personalise recognise authorise minimise anonymise pseudonymise customise "
    "optimise prioritise categorise utilise realise emphasise summarise finalise centralise standardise "
    "localise legalise penalise memorise synchronise apologise criticise characterise visualise monetise "
    "behaviour honour favour colour labour neighbour humour rumour flavour endeavour")
_AMERICAN.update({"licence": "license", "licences": "licenses", "centre": "center", "centres": "centers",
                  "defence": "defense", "catalogue": "catalog", "programme": "program", "programmes": "programs",
                  "enrolment": "enrollment", "judgement": "judgment", "favourite": "favorite",
                  "favourites": "favorites", "cheque": "check", "storey": "story"})
_MIN_S_STEM = 3


@lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """Known parts of a Swedish compound (``personuppgifter`` -> person, uppgifter), or () if none."""
    if len(word) < 2 * _MIN_PART or (word not in _SV_PARTS and _known_part(word)):
        return ()  # "webbplatsen" is the part "webbplats" inflected, not "webb" + "platsen"
    found = _split(word, 0, whole=False)
    return tuple(found) if found and len(found) > 1 else ()


def _known_part(word: str) -> bool:
    """A known part, or one inflected ("betalningarna"): the last part of a compound may be."""
    return word in _SV_PARTS or any(word.endswith(e) and word[:-len(e)] in _SV_PARTS for e in _INFLECTIONS)


def _split(word: str, depth: int, *, whole: bool = True) -> list[str] | None:
    if whole and _known_part(word):
        return [word]
    if depth >= 3:
        return None
    # Longest head first: "personuppgifter" is person+uppgifter, not pers+...
    for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
        head = word[:cut]
        if head not in _SV_PARTS:
            continue
        for link in _SV_LINKS:
            if not word.startswith(link, cut):
                continue
            rest = _split(word[cut + len(link):], depth + 1)
            if rest:
                return [head, *rest]
    return None


def stems(text: str, language: Language) -> list[str]:
    """Stems of EVERY word (stop words kept), Swedish compound parts following their compound.

    Used to match vocabulary phrases such as "how long" or "tredje part" in order.
    """
    out: list[str] = []
    for word in words(text):
        out.append(stem(word, language))
        if language is Language.SV:
            out.extend(stem(part, language) for part in compound_parts(word))
    return out


def _terms(text: str, language: Language) -> tuple[str, ...]:
    out: list[str] = []
    for word in words(text):
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        out.append(stem(word, language))
        if language is Language.SV:
            out.extend(stem(part, language) for part in compound_parts(word)
                       if part not in STOP_WORDS)
    return tuple(out)


_terms_cached = lru_cache(maxsize=20_000)(_terms)
_CACHED_UP_TO = 300  # chars: questions and titles repeat, passages are analysed once


def terms(text: str, language: Language) -> list[str]:
    """The index/query terms of ``text``: stems of content words (stop words of both languages dropped)."""
    if len(text) <= _CACHED_UP_TO:
        return list(_terms_cached(text, language))
    return list(_terms(text, language))


def detect_language(text: str) -> Language:
    """English or Swedish, from function words and å/ä/ö; short texts too. English when in doubt."""
    tokens = words(text)
    sv = sum(1 for t in tokens if t in _SV_MARKERS)
    en = sum(1 for t in tokens if t in _EN_MARKERS)
    sv += sum(1 for t in tokens if _SV_LETTERS.intersection(t))
    return Language.SV if sv > en else Language.EN


_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hej|hallå|god (?:morgon|dag)|"
                       r"bästa)\b[^\n.?!]{0,40}[,!]?\s*$", re.IGNORECASE)
_SIGN_OFF = re.compile(r"^\s*(?:(?:best|kind|warm)?\s*regards|br|best|thanks|thank you|cheers|sincerely|"
                       r"yours|mvh|med vänlig(?:a)? hälsning(?:ar)?|vänliga hälsningar|hälsningar|tack|/)\b"
                       r"[^\n]{0,60}$", re.IGNORECASE)


def strip_salutations(text: str) -> str:
    """The message without its greeting line ("Hello,") and its sign-off ("Best regards,\nAnna")."""
    lines = text.splitlines()
    if len(lines) > 1 and _GREETING.match(lines[0]):
        lines = lines[1:]
    for i in range(len(lines) - 1, 0, -1):
        if _SIGN_OFF.match(lines[i]):
            lines = lines[:i]
            break
    body = "\n".join(lines).strip()
    return body or text


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_MIN_QUESTION_WORDS = 2


def asked_sentences(text: str) -> str:
    """The sentences of a message that ask (end with "?"), when it also tells other things; else all of it.

    People write "Hi, I have been a customer since 2019 and love your shoes. How long do you keep my data?":
    the story around a question is not what it asks, and its words would pull the answer elsewhere. A
    question too short to stand alone ("Why?") keeps the whole message.
    """
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    keep = [i for i, p in enumerate(parts) if p.endswith("?")]
    if not keep or len(keep) == len(parts):
        return _LEAD_IN.sub("", text)
    if sum(1 for w in words(" ".join(parts[i] for i in keep)) if w not in STOP_WORDS) < _MIN_QUESTION_WORDS:
        return _LEAD_IN.sub("", text)
    # "I get too many promo e-mails. Is there a way to make them stop?": a question pointing back keeps what
    # it points at.
    keep = sorted(set(keep) | {i - 1 for i in keep if i > 0 and _points_back(words(parts[i]))})
    return " ".join(_LEAD_IN.sub("", parts[i], count=1) for i in keep)


def self_descriptions(text: str) -> list[str]:
    """The sentences in which the writer says who they are ("I'm just a normal user at my company, not an
    admin."; "Jag är administratör för vårt konto.")."""
    return [p.strip() for p in _SENTENCE_END.split(text) if p and _SELF.match(p.strip())]


_SELF = re.compile(r"(?:i'm|i am|i’m|im|jag är)\b", re.IGNORECASE)
_BACK = frozenset(["them", "they", "these", "those", "this", "dem", "dessa", "detta"])
# "Our legal team wants to know whether our data is moved outside Europe": who asks is no part of the question.
_LEAD_IN = re.compile(r"^[^.?!\n]{0,60}?\b(?:wants? to know|would like to know|'d like to know|need to know|"
                      r"wondering|wonder|asked me to ask|asks?|undrar|vill veta|skulle vilja veta)\s+"
                      r"(?:whether|if|om|huruvida)\s+", re.IGNORECASE | re.MULTILINE)
_BACK_AT_END = frozenset(["it", "det", "den"])  # "Does your site honour it?"; not "Is it possible ..."


def _points_back(question: list[str]) -> bool:
    return bool(_BACK.intersection(question)) or (bool(question) and question[-1] in _BACK_AT_END)

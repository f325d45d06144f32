"""How people name each data-subject right, and how they phrase requests and questions, in English and Swedish."""

from __future__ import annotations

import re

from bot.core.models import Right

# All patterns run on text already passed through ``bot.core.text.normalise`` (NFKC, folded, casefolded).

_ME_EN = r"(?:my|me|mine|myself|all|everything|any)"
_ME_SV = r"(?:mig|mej|min|mitt|mina|allt|alla)"
_DATA = (r"(?:data|information|info|details|account|profile|records?|personal|contact|address|e-?mail|name|"
         r"surname|birthday|date of birth|phone|number|uppgifter\w*|personuppgifter\w*|konto\w*|profil\w*|"
         r"information\w*|adress\w*|data\w*|namn|efternamn|födelsedatum|personnummer|\w*nummer)")
_GAP = r"[^.?!;\n]{0,45}?"  # a short stretch inside one clause

_ERASE_EN = r"(?:delete|deleting|deleted|erase|erasing|erased|remove|removing|removed|wipe|wiping|wiped|purge|" \
            r"destroy|scrub|forget|forgotten|get rid of|close|cancel|terminate|deactivate)"
_ERASE_SV = r"(?:radera\w*|ta bort|tar bort|tas bort|tabort|tagits bort|glöm\w*|makulera\w*|rensa\w*|" \
            r"avsluta\w*|stäng\w*|utplåna\w*)"

# The vocabulary of each right: (pattern, weight). A weight below 1 marks words that also occur in other talk.
RIGHT_PATTERNS: dict[Right, tuple[tuple[re.Pattern[str], float], ...]] = {}


def _add(right: Right, *patterns: str, weight: float = 1.0) -> None:
    RIGHT_PATTERNS[right] = (*RIGHT_PATTERNS.get(right, ()), *((re.compile(p), weight) for p in patterns))


_add(Right.ERASURE,
     rf"\b{_ERASE_EN}\b{_GAP}\b(?:{_ME_EN}|it|them)\b",
     rf"\b(?:my|me)\b{_GAP}\b(?:deleted|erased|removed|wiped|forgotten)\b",
     r"\b(?:right to be forgotten|be forgotten|erasure|right to erase)\b",
     rf"\b{_ERASE_SV}{_GAP}\b{_ME_SV}\b",
     rf"\b{_ME_SV}\b{_GAP}\b(?:raderas|raderade|tas bort|glömd|glömda|borttagna?)\b",
     r"\b(?:bli glömd|att bli bortglömd|radering\w*|rätten att bli glömd)\b",
     r"\bbli\s+(?:borttagen|borttagna|raderad|raderade|glömd|bortglömd)\b",
     r"\b(?:deletion|removal|erasure)\s+(?:request|of my)\b")
_add(Right.ERASURE, rf"\b{_ERASE_EN}\b{_GAP}\b{_DATA}", rf"\b{_ERASE_SV}{_GAP}\b{_DATA}", weight=0.7)

_add(Right.ACCESS,
     rf"\bcopy\b{_GAP}\b(?:{_ME_EN}|the|of)\b{_GAP}\b{_DATA}",
     rf"\baccess\s+(?:to\s+)?{_ME_EN}\b{_GAP}{_DATA}",
     r"\b(?:subject access|dsar|sar request|access request|right of access|data request)\b",
     rf"\b(?:send|give|provide|show|email|e-mail|mail)\s+me\b{_GAP}\b(?:{_DATA}|copy|everything)",
     r"\bregisterutdrag\w*|\butdrag\b|\bregisterkontroll\w*",
     rf"\b(?:ha|få|begär\w*|lämna)\s+ut\s+(?:\w+\s+){{0,2}}?(?:{_DATA}|allt|kopia)",
     r"\brätt(?:en)?\s+(?:till|att få)\s+(?:tillgång|insyn)\b",
     rf"\b(?:skicka|ge|mejla|maila|visa)\s+(?:mig|mej)\b{_GAP}\b(?:allt|alla|{_DATA}|kopia)",
     rf"\bkopia\b{_GAP}{_DATA}",
     rf"\b(?:skicka|ge|mejla|maila|visa)\b{_GAP}\btill\s+(?:mig|mej)\b",
     rf"\b(?:tillgång till|ta del av|se|få se)\s+{_ME_SV}\b{_GAP}{_DATA}")

# "What you hold about me" names the data, not what to do with it: "please erase what you store about me" is an
# erasure. As the only evidence it still makes an access request ("send me what you have about me").
_add(Right.ACCESS,
     rf"\b(?:what|which|whatever)\b(?:\s+\w+){{0,3}}\s+{_DATA}\b{_GAP}\b(?:about|on|of|regarding|concerning)\s+me\b",
     rf"\b(?:what|which)\b{_GAP}\byou\b{_GAP}\b(?:have|hold|store|keep|process|know)\b{_GAP}"
     r"\b(?:about|on|of|regarding|concerning)\s+me\b",
     rf"\b(?:{_DATA}|allt|vad)\b{_GAP}\bni\s+(?:har|lagrar|sparar|behandlar|vet)\s+(?:om|på)\s+(?:mig|mej)\b",
     r"\b(?:allt|vad)\s+(?:som\s+)?ni\s+(?:har|lagrar|sparar|vet)\s+(?:om|på)\s+(?:mig|mej)\b",
     rf"\bvilka\b{_GAP}{_DATA}{_GAP}\bom\s+(?:mig|mej)\b",
     weight=0.95)

_add(Right.RECTIFICATION,
     rf"\b(?:correct|correcting|rectify|rectification|fix|fixing|update|updating|amend|change|changing|edit)\b"
     rf"(?:\s+\w+){{0,1}}\s+(?:{_ME_EN}|it|them)\b",
     rf"\b{_ME_EN}\b{_GAP}\b(?:is|are|was|were|has been|have been)\s+(?:wrong|incorrect|inaccurate|out of date|"
     r"outdated|misspelled|misspelt|not correct|not right)\b",
     rf"\b(?:wrong|incorrect|inaccurate|outdated|misspelled)\s+{_DATA}",
     rf"\b(?:my|me)\b{_GAP}\b(?:wrong|incorrect|inaccurate|out of date|outdated|misspelled|misspelt)\b",
     rf"\bmy\s+(?:\w+\s+){{0,2}}{_DATA}\s+(?:has\s+|have\s+)?changed\b",
     r"\b(?:update|correct|fix|amend)\s+(?:your|the)\s+(?:records?|system|database|details|file|register)\b",
     r"\b(?:uppdatera|rätta|korrigera|ändra)\s+(?:era|ert|er|i era|i ert)\s+(?:register\w*|system\w*|"
     r"uppgifter|kundregister\w*|databas\w*)\b",
     r"\b(?:please|kindly|vänligen|snälla)\s+(?:correct|fix|amend|korrigera|rätta)\b",
     r"\b(?:rectification|right to rectify)\b",
     rf"\b(?:rätta\w*|korrigera\w*|ändra\w*|uppdatera\w*|byt\w*)\b(?:\s+\w+){{0,1}}\s+{_ME_SV}\b",
     rf"\b{_ME_SV}\b{_GAP}\b(?:är|blev|står)\s+(?:fel|felaktig\w*|inaktuell\w*|felstavad\w*)",
     rf"\b(?:felaktig\w*|fel)\s+{_DATA}",
     r"\bfel\s+\w+\s+(?:på|om|för)\s+(?:mig|mej)\b",
     rf"\b(?:min|mitt|mina)\s+{_DATA}\s+(?:har\s+)?(?:ändrats|bytts|är nytt|är ny)\b",
     r"\brättelse\w*",
     rf"\b(?:rätta|korrigera|ändra|uppdatera)\b{_GAP}\b(?:om|på)\s+(?:mig|mej)\b",
     r"\b(?:stavat|skrivit|angett|registrerat)\s+(?:\w+\s+){0,2}fel\b",
     rf"\b(?:min|mitt|mina)\s+{_DATA}\s+(?:\w+\s+)?fel\b")

_add(Right.RESTRICTION,
     r"\b(?:restrict|restricting|restriction)\b",
     r"\blimit\w*\s+(?:the\s+)?(?:processing|use|how you (?:use|process))\b",
     r"\b(?:pause|freeze|suspend|halt|block)\w*\s+(?:\w+\s+){0,2}?(?:processing|use|using)\b",
     r"\b(?:put|place)\s+(?:a\s+)?(?:hold|freeze)\s+on\b|\bon hold\b",
     rf"\b(?:stop|cease)\s+(?:using|processing)\b{_GAP}\buntil\b",
     rf"\b(?:don't|do not)\s+(?:use|process)\b{_GAP}\buntil\b",
     r"\bbegränsa\w*",
     r"\b(?:pausa|frys|frysa|stoppa)\s+(?:behandling\w*|användning\w*)",
     rf"\bsluta\s+(?:använda|behandla)\b{_GAP}\btills\b")

_add(Right.PORTABILITY,
     r"\bportab\w*",
     r"\bmachine[- ]?readable\b",
     rf"\b(?:transfer|move|port|export|migrate|download)\w*\s+{_ME_EN}\b{_GAP}{_DATA}",
     rf"\b{_ME_EN}\b{_GAP}\b(?:exported|transferred|ported|migrated)\b",
     rf"\b(?:transfer|move|send|transmit)\w*\b{_GAP}\bto\s+(?:another|a new|my new|a different)\s+"
     r"(?:provider|company|service|controller|supplier|vendor|system|platform)",
     r"\b(?:csv|json|xml) (?:file|format|export)\b",
     r"\b(?:data)?portabilitet\w*|\bmaskinläsbar\w*",
     rf"\b(?:flytta|överföra|överför|exportera|föra över)\s+(?:all\s+)?{_ME_SV}\b{_GAP}{_DATA}",
     rf"\b(?:flytta|överföra|överför|skicka|ta med)\b{_GAP}\btill\s+(?:en\s+|ett\s+)?(?:annan|annat|ny|nytt)\s+"
     r"(?:leverantör|tjänst|aktör|företag|bolag|system|plattform)")

_add(Right.OBJECTION,
     r"\bobject(?:s|ing|ion|ions)?\b",
     r"\bun-?subscrib\w*|\bopt(?:ing)?[- ]?out\b|\bopt\s+(?:me|us)\s+out\b",
     r"\b(?:stop|cease|quit)\s+(?:using|processing|sharing|selling|tracking|profiling|analysing|analyzing)\b",
     r"\b(?:don't|do not|never)\s+(?:use|process|share|sell|track|profile)\s+(?:my|me)\b",
     r"\b(?:sluta|slutar|upphör med att)\s+(?:använda|behandla|dela|sälja|spåra)\b|"
     r"\b(?:använd|behandla|dela|sälj|spåra)\s+inte\s+(?:mina|min|mitt|mig)\b|"
     r"\b(?:ni får inte|jag vill inte att ni)\s+(?:använd|behandla|dela|sälj|spåra)\w*",
     r"\bdirect marketing\b|\bnewsletters?\b|\bmailing ?lists?\b|\bmarketing\s+(?:e-?mails?|messages|"
     r"communications?|calls|texts|sms|lists?)\b|\bpromotional\b|\bspam(?:ming)?\b",
     r"\bstop\s+(?:sending|emailing|e-mailing|mailing|contacting|calling|texting|messaging|marketing)\b",
     r"\bstop\s+(?:all\s+|the\s+|your\s+|these\s+)?(?:\w+\s+){0,2}?(?:calls|e-?mails|messages|texts|sms|mailings|"
     r"newsletters|ads|adverts|offers|promotions)\b",
     r"\b(?:sales|telemarketing|cold|promotional)\s+calls?\b|\btelemarketing\b",
     r"\bsäljsamtal\w*|\btelefonförsäljning\w*|\btelemarketing\w*",
     r"\b(?:don't|do not|never)\s+(?:send|email|e-mail|mail|contact|call|text)\s+me\b",
     r"\btake\s+me\s+off\b|\b(?:take|remove|drop|delete|erase|unsubscribe)\s+me\s+(?:off|from)\s+(?:\w+\s+){0,2}?"
     r"(?:lists?|newsletters?|mailings?|mailing lists?|marketing|e-?mails?|sms|campaigns?|promotions?)\b",
     r"\b(?:on|from|off|out of)\s+(?:your|the|this|any|all|all your|every)\s+(?:\w+\s+)?lists?\b",
     r"\b(?:från|på|ur)\s+(?:er|era|ert|er\w*|alla)\s+(?:\w+\s+)?(?:lista|listor|listan|utskickslista\w*)\b",
     r"\b(?:no|any) (?:more|longer)\s+(?:e-?mails?|newsletters?|marketing|messages|calls)\b",
     r"\b(?:don't|do not|no longer)\s+want\s+(?:to\s+(?:receive|get)\s+)?(?:any\s+)?(?:more\s+)?"
     r"(?:your\s+)?(?:e-?mails?|newsletters?|marketing|messages|calls|ads|advertising)\b",
     r"\binvänd\w*|\bmotsätter\s+mig\b",
     r"\bavregistrer\w*|\bavprenumer\w*|\bavanmäl\w*|\bprenumeration\w*",
     r"\bnyhetsbrev\w*|\butskick\w*|\breklam\w*|\b(?:direkt)?marknadsföring\w*|\b(?:mejl|mail|e-post|sänd)listan?\b",
     r"\bsluta\s+(?:skicka|mejla|maila|kontakta|ringa|sms:a)\b",
     r"\b(?:skicka|mejla|maila)\s+inte\b",
     r"\b(?:vill|önskar)\s+inte\s+(?:längre\s+)?(?:ha|få)\s+(?:fler|mer|några|era)?\s*"
     r"(?:mejl|mail|e-post|utskick|nyhetsbrev|reklam|sms)\b")

_add(Right.WITHDRAW_CONSENT,
     r"\b(?:withdraw\w*|revok\w*|retract\w*|take back|taking back|cancel\w*|pull\w*)\s+(?:hereby\s+)?(?:of\s+)?"
     r"(?:my\s+|all\s+my\s+"
     r"|any\s+|the\s+)?(?:consent|permission|approval|agreement)\b",
     r"\bconsent\b{_GAP}\b(?:withdrawn|revoked)\b".replace("{_GAP}", _GAP),
     r"\b(?:no longer|don't|do not|never)\s+(?:give\s+(?:my\s+)?)?consent\b",
     r"\b(?:no longer|don't|do not)\s+(?:agree|consent)\s+to\b|\bno longer (?:agree|accept)\b",
     r"\b(?:återkalla\w*|dra\w* tillbaka|ta\w* tillbaka|upphäv\w*|ångra\w*)\s+(?:härmed\s+)?"
     r"(?:mitt\s+|mina\s+|ert\s+|det\s+)?"
     r"(?:samtycke\w*|medgivande\w*|godkännande\w*)",
     r"\bsamtycker\s+(?:inte|ej)\b")

_add(Right.COMPLAINT,
     r"\bcomplain\w*|\blodg\w*\s+a\b|\bgrievance\b",
     r"\b(?:supervisory|data protection) authority\b|\bimy\b|\bico\b|\breport you\b",
     r"\bklag\w*|\bklagomål\w*|\banmäl\w*\s+(?:er|dig|detta|det)\b|\bintegritetsskyddsmyndighet\w*|"
     r"\btillsynsmyndighet\w*|\bdatainspektion\w*")

# Each right's patterns as one alternation: a clause naming none of the right's words is passed by once.
RIGHT_ANY: dict[Right, re.Pattern[str]] = {
    right: re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in patterns))
    for right, patterns in RIGHT_PATTERNS.items()}

# Removing only these from a message that also objects to mailings is part of the objection.
CONTACT_DETAILS = re.compile(
    r"\b(?:e-?mail|e-?post\w*|mejl\w*|mail\w*|address\w*|adress\w*|phone|telefon\w*|number|nummer|"
    r"contact details)\b")

# Mailing footers and instructions to the reader ("Unsubscribe here", "Avregistrera dig här") are not requests.
READER_ADDRESSED = re.compile(
    r"\b(?:here|här|click|klicka|tap|link|länk\w*|dig|yourself|preferences|inställningar|this (?:e-?mail|message) "
    r"was sent)\b")

# When one clause names several rights, the more specific wins (e.g. "remove me from your newsletter" is an
# objection, not an erasure; "I withdraw my consent to marketing e-mails" is a withdrawal of consent).
PRECEDENCE: tuple[Right, ...] = (
    Right.WITHDRAW_CONSENT, Right.COMPLAINT, Right.PORTABILITY, Right.RESTRICTION,
    Right.OBJECTION, Right.RECTIFICATION, Right.ACCESS, Right.ERASURE,
)

# Rights whose requests are themselves phrased with a negation ("don't send me newsletters").
NEGATIVE_REQUESTS = frozenset({Right.OBJECTION, Right.WITHDRAW_CONSENT, Right.COMPLAINT})

# "Otherwise I will complain to IMY" is a threat attached to another request, not a complaint.
THREAT = re.compile(r"\b(?:otherwise|or else|else|if you (?:don't|do not|fail)|annars|om ni inte)\b")

FIRST_PERSON = re.compile(r"\b(?:i|i'm|i'd|i've|i'll|me|my|mine|myself|jag|mig|mej|min|mitt|mina)\b")

GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|to whom it may concern|hej|hejsan|hallå|tjena|"
    r"god (?:morgon|middag|kväll))\b[^,!:\n]{0,40}[,!:]?\s*")
POLITE_LEAD = re.compile(r"^(?:please|pls|plz|kindly|vänligen|snälla|var (?:snäll|vänlig) och)\b[,\s]*")

NEGATION = re.compile(
    r"\b(?:don't|dont|do not|doesn't|never|not|no need to|inte|ej|aldrig)\s+(?:\w+\s+){0,2}?"
    r"(?:want|wish|delete|erase|remove|wipe|close|cancel|correct|change|update|send|share|give|transfer|move|"
    r"export|restrict|limit|vill|önskar|radera\w*|ta|tar|rätta|ändra|skicka|flytta|begränsa)\b")
NEGATION_SV_AFTER = re.compile(
    r"\b(?:radera|ta|rätta|ändra|skicka|flytta|begränsa|avsluta|stäng)\s+(?:\w+\s+)?(?:inte|ej|aldrig)\b")

PROCEDURAL = re.compile(
    r"\bhow\s+(?:do|can|could|should|would|must|may|might)\s+(?:i|we|one|you|someone|people)\b|\bhow\s+to\b|"
    r"\bwhere\s+(?:do|can|should)\s+i\b|\bwho\s+(?:do|can|should)\s+i\b|\bwhat\s+(?:do|should|must)\s+i\b|"
    r"\bis it possible\b|\bam i able\b|\bdo i have (?:the )?right\b|\bwhat (?:are|is) (?:the|my) rights?\b|"
    r"\bis there (?:an? |any )?(?:\w+ )?way\b|\bfinns det (?:något|ett) (?:\w+ )?sätt\b|"
    r"\bhur\s+(?:gör|kan|begär|ska|skall|får|bör|går)\s+(?:jag|man|vi|ni|du)\b|\bhur\s+man\b|"
    r"\bvart\s+(?:vänder|skickar|ska)\b|\bvem\s+(?:kontaktar|vänder|ska)\b|\bgår det\b|\bhar jag rätt\b")
CONDITIONAL = re.compile(
    r"\b(?:if|in case|suppose|supposing|what happens|when (?:i|you|it|the|my)|once (?:i|you)|after (?:i|you))\b|"
    r"\b(?:om jag|ifall|vad händer|när jag|efter att jag|i fall)\b")
WONDER = re.compile(
    r"\b(?:wonder\w*|curious|know (?:if|whether|how|when|why|where)|understand (?:if|whether|how)|"
    r"not sure|unsure|undecided|inte säker|osäker|"
    r"undrar|nyfiken|veta (?:om|hur|när|varför|var)|(?:a|one|some) questions? (?:about|on|regarding)|"
    r"(?:en|några|lite) frågor? (?:om|kring|angående))\b")
# Reports and readings are not requests: "I read that I can ask you to delete my data".
REPORT = re.compile(
    r"\b(?:i|we|you|one)\s+(?:can|could|may|might|am able to|are able to)\b|"
    r"\b(?:i|we)\s+(?:read|heard|saw|understand|know|noticed|learned|learnt)\b|"
    r"\b(?:it|the policy|your policy|this policy)\s+(?:says|states|mentions)\b|"
    r"\b(?:jag|man|vi|ni)\s+(?:kan|får|kunde)\b|\bjag\s+(?:läste|har läst|hörde|förstår|vet|såg)\b|"
    r"\b(?:det|policyn)\s+står\b|"
    r"\b(?:i've|i have|i had|i already|we've|we have)\s+(?:already\s+|just\s+)?\w+(?:ed|t)\b|"
    r"\bjag\s+(?:har|hade)\s+(?:redan\s+|just\s+)?\w+(?:at|it|t)\b")
# A bare first-person statement is a request only for these rights ("my address is wrong", "I don't want
# your newsletter", "I no longer consent"); "my account was deleted" is not a request for erasure.
STATEMENT_RIGHTS = frozenset({Right.RECTIFICATION, Right.OBJECTION, Right.WITHDRAW_CONSENT, Right.COMPLAINT})
# A subject line such as "GDPR deletion request" asks by naming the request.
REQUEST_NOUN = re.compile(
    r"\b(?:deletion|erasure|removal|access|portability|rectification|correction|objection|opt-out)\s+request\b|"
    r"\b(?:begäran om|ansökan om)\s+(?:radering|registerutdrag|rättelse|dataportabilitet|tillgång)\b")
DESIRE = re.compile(
    r"\b(?:i|we)(?:'d|\s+would|\s+do|\s+really|\s+hereby|\s+therefore|\s+now|\s+also|\s+still)?\s+(?:like|want|wish|demand|request|"
    r"ask|need|require|insist|expect|withdraw|revoke|object|exercise|invoke|no longer)\b|"
    r"\bi(?:\s+am|'m)\s+(?:asking|requesting|writing to (?:ask|request)|hereby)\b|"
    r"\b(?:i|we)\s+(?:am|'m|are|'re)\s+(?:making|submitting|sending|filing|lodging|exercising)\b|"
    r"\bthis is (?:a|my) (?:formal )?(?:request|complaint|objection)\b|\bhereby\b|\bhärmed\b|"
    r"\bjag\s+(?:gör|lämnar in|skickar in)\s+(?:en|ett|härmed)\b|"
    r"\b(?:please|pls|plz|kindly|thanks in advance|thank you in advance)\b|"
    r"\bjag\s+(?:vill|skulle vilja|önskar|begär|kräver|ber|återkallar|drar tillbaka|motsätter|invänder|"
    r"samtycker inte|har rätt att få)\b|\b(?:vänligen|snälla|tacksam)\b|(?<=\s)tack\b(?!\s+för)|"
    r"^(?:want|would like|need|vill|önskar|begär|kräver)\b")  # subject dropped: "Vill ha ut mina uppgifter"
_POLITE_ASKS = (
    r"(?:could|can|would)\s+(?:you|u)\s+(?:please\s+|kindly\s+|also\s+)?"
    r"(?!(?:(?:tell|let) me (?:know )?(?:if|whether|how|when|why|that)|confirm|check|verify|explain|say)\b)\w+",
    r"will\s+(?:you|u)\s+(?:please|kindly)\b",
    r"(?:would|could) you be so kind\b",
    r"(?:kan|skulle|vill)\s+(?:ni|du)\s+(?:vänligen\s+|snälla\s+)?(?:kunna\s+)?\w+",
)
POLITE_QUESTION = re.compile("|".join("^" + ask for ask in _POLITE_ASKS))
# "Min e-postadress är fel hos er, kan ni ändra den?": the polite request after the comma.
POLITE_QUESTION_AFTER_COMMA = re.compile(r",\s*(?:" + "|".join(_POLITE_ASKS) + ")")
# "Can I get a copy of my data?" is usually a request, but less surely than "Could you send me ...".
MAY_I_HAVE = re.compile(
    r"^(?:can|could|may)\s+i\s+(?:please\s+)?(?:get|have|receive|obtain)\b|^(?:kan|får)\s+jag\s+(?:få|be om)\b")
# A question starts with an interrogative word, or, in Swedish, with a verb followed by its subject.
INTERROGATIVE = re.compile(
    r"^(?:how|what|which|when|where|who|whom|whose|why|is|are|am|was|were|do|does|did|can|could|would|will|"
    r"should|shall|may|might|must|have|has|whether|hur|vad|vilka|vilken|vilket|när|var|vart|varför|vem|vems)\b|"
    r"^\w+\s+(?:ni|du|man|jag|det|vi|den)\b")
_COMMANDS = (
    r"(?:delete|erase|remove|wipe|purge|forget|stop|cease|unsubscribe|send|give|provide|email|e-mail|mail|"
    r"correct|rectify|fix|update|change|amend|restrict|limit|export|transfer|move|cancel|close|take|opt|"
    r"withdraw|revoke|don't|do not|never|let me|radera|ta|stryk|glöm|sluta|stoppa|avregistrera|avsluta|skicka|"
    r"ge|rätta|korrigera|ändra|uppdatera|byt|begränsa|exportera|flytta|överför|stäng|återkalla|dra|sälj|dela|"
    r"använd|behandla|spåra)\b")
IMPERATIVE = re.compile("^" + _COMMANDS)
# "Jag har bytt namn, uppdatera era register": the request after the comma.
IMPERATIVE_AFTER_COMMA = re.compile(r",\s*" + _COMMANDS)

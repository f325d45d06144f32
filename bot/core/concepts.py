"""The privacy topics the bot knows, each with how people ask and how policies write, in English and Swedish."""

from __future__ import annotations

from dataclasses import dataclass

GENERIC = 1  # broad topics ("share", "collect", "why"): a passage addressing them proves little
SPECIFIC = 2  # a precise topic: the answer must address it, or the bot abstains


@dataclass(frozen=True, slots=True)
class Concept:
    """One privacy topic; forms are phrases separated by ';' (matched on stems, in order)."""

    id: str
    level: int = SPECIFIC
    ask_en: str = ""  # how people ask (detects the topic of a question)
    ask_sv: str = ""
    say_en: str = ""  # how policies write (shows a passage addresses the topic; expands the query)
    say_sv: str = ""
    needs: tuple[str, ...] = ()  # marker concepts an answering sentence must also show (e.g. a duration)
    excludes: tuple[str, ...] = ()  # sentences about these topics do not answer unless the question asks them
    prefers: tuple[str, ...] = ()  # marker concepts that make an answering sentence better (e.g. data items)
    pattern: str = ""  # a regular expression on the raw text that also shows the topic (e.g. a postcode)
    min_forms: int = 1  # distinct phrasings a text needs to address it ("protect" alone is not security)
    # Asked, it must be answered, whatever else is: "how long do you keep cookies" wants a duration.
    required: bool = False


def topic(cid: str, level: int = SPECIFIC, *, ask_en: str = "", ask_sv: str = "", say_en: str = "",
       say_sv: str = "", needs: tuple[str, ...] = (), excludes: tuple[str, ...] = (),
       prefers: tuple[str, ...] = (), pattern: str = "", min_forms: int = 1, required: bool = False) -> Concept:
    return Concept(cid, level, ask_en, ask_sv, say_en, say_sv, needs, excludes, prefers, pattern, min_forms,
                   required)


# How a policy names contact details: the asker's data, and (as contact's own say-forms too) a way to reach it.
# Phrases match longest first, so a topic without these forms would not be said where they stand.
CONTACT_DETAILS_EN = ("contact details; contact information; contact info; email address; e-mail address; "
                      "phone number; telephone number; postal address; mailing address")

CONCEPTS: tuple[Concept, ...] = (
    topic("retention", ask_en="how long; for how long; how many years; how many months; retention; retain; "
       "forever; for ever; indefinitely; permanently; after i stop; after i leave; "
       "after i cancel; after i close; over time; "
       "after i delete; once i stop; once i leave; "
       "hang on to; until when; when do you delete; when will you delete; when is my data deleted; "
       "hanging around; hang around; stick around; sticks around; stay around; kept around; "
       "how much time; retention period; expire; expires",
       ask_sv="hur länge; hur lång tid; lagringstid; hur många år; gallra; gallring; när raderar; för alltid; "
       "hur ofta; rensa; rensar; "
       "när tar ni bort; bevarar; bevaras",
       say_en="keep; kept; retain; retention; store; stored; storage; no longer than; as long as; "
       "clean up; erase; delete; deleted; expire; expires; expiration; last until; last only; "
       "reasonable period; stay; stays",
       say_sv="spara; sparas; lagra; lagras; lagring; förvara; förvaras; bevara; bevaras; gallra; gallras; "
       "radera; raderas; så länge; tas bort; lagringstid",
       needs=("duration",), excludes=("cookies",), required=True),
    topic("duration", level=0,
       say_en="year; years; month; months; day; days; week; weeks; as long as; no longer; period; until; "
       "immediately; ongoing basis; every; after; expire; expires; expiration",
       say_sv="år; månad; månader; dag; dagar; vecka; veckor; så länge; fram till; period; omedelbart; löpande; "
       "efter"),
    topic("erasure", ask_en="delete; erase; erased; deletion; remove; removed; forget; forgotten; get rid of; purge; "
       "purged; clear out; clean out; "
       "wipe; right to be forgotten",
       ask_sv="radera; raderas; raderar; ta bort; tas bort; tar bort; glömd; glömmer; radering",
       say_en="delete; deleted; erase; erased; erasure; forgotten; clean up; deletion; remove; removed",
       say_sv="radera; raderas; ta bort; tas bort; gallra", excludes=("cookies",)),
    topic("account_closure", ask_en="close my account; cancel my account; delete my account; "
       "close down my account; shut down my account; shut my account; close down; shut down; "
       "terminate my account; close the account; cancel the account; stop using; quit; unsubscribe "
       "from the service; deactivate; subscription; end my subscription; cancel my subscription; terminate; "
       "termination; cancellation; end the contract; end my contract; stop being a customer; leave the service; "
       "when i leave; if i leave",
       ask_sv="avsluta mitt konto; avslutar mitt konto; radera mitt konto; säga upp; slutar använda; "
       "abonnemang; prenumeration; avslutar; avsluta; uppsägning; säger upp",
       say_en="cancel; cancelled; close your account; closing your account; account is closed; delete your account; "
       "terminate; termination", say_sv="avsluta; avslutar; avslutat; säga upp; säger upp"),
    # People who sell are no sale of data: "the calls with your sales reps" (no answer says anything of them).
    topic("sales_staff", GENERIC, ask_en="sales rep; sales reps; sales team; sales people; salespeople; "
       "salesperson; sales staff; sales department; sales person; sales representative; sales representatives",
       ask_sv="säljare; säljarna; säljavdelning; säljavdelningen; säljteam; säljteamet"),
    # Longer than a sale of the business's "is sold": "does my information get sold" is a sale of data.
    topic("sale", ask_en="sell; sold; sale; selling; make money; trade my data; data is sold; data get sold; "
       "data gets sold; information is sold; information get sold; information gets sold; info is sold; "
       "info get sold; info gets sold",
       ask_sv="sälja; säljer; såld; sålda; säljs; försäljning",
       say_en="sell; sold; sale; selling",
       say_sv="sälja; säljer; såld; sålda; säljs; försäljning"),
    topic("sharing", GENERIC, ask_en="share; shared; give; pass on; pass my; pass your; pass data; pass information; "
       "hand over; hand; handing; disclose; "
       "get to see; who gets; access to my data; send my data; who is getting; getting my; get my data; "
       "get my information; get my info",
       ask_sv="dela; delar; delas; lämna ut; lämnar ut; ge; ger; överlämna; ta del av; tar del av; får del av",
       say_en="share; shared; disclose; disclosure; pass on", say_sv="dela; delar; delas; lämna ut",
       excludes=("children",)),
    topic("third_party", ask_en="third party; third parties; 3rd party; other companies; another company; "
       "other firms; outside firms; outside companies; someone else; anyone else; partners; which companies; "
       "to advertisers; with advertisers; advertising partners; data broker; data brokers; anyone outside",
       ask_sv="tredje part; tredjepart; andra företag; andra bolag; utomstående; vilka företag; annonsörer",
       say_en="third party; third parties; 3rd party; 3rd parties; third-party; partner; partners; "
       "other companies",
       say_sv="tredje part; tredjepart; partner; andra företag"),
    topic("payment", ask_en="credit card; card; payment; payments; pay; billing; bank details; bank account; "
       "card number; invoice; invoices; invoicing",
       ask_sv="kreditkort; kort; betalning; betalningar; betala; betalkort; kortnummer; faktura",
       say_en="payment information; payment details; payment data; credit card; card; stripe; "
       "payment service provider; payment service providers; payment processors; payments; invoicing; invoices; "
       "billing",
       say_sv="betalningsinformation; betalningsuppgifter; kreditkort; kortuppgifter; betalning"),
    # A card asked about is answered by what the policy says of cards or payment details, not by a mention of
    # payments ("Process orders, invoicing, payments" says nothing of storing a card number).
    topic("card", level=3, ask_en="credit card; debit card; card number; card details; card data; card information; "
       "creditcard; creditcards",
       ask_sv="kreditkort; betalkort; kortnummer; kortuppgifter; kortinformation",
       say_en="credit card; card; payment information; payment details; payment data; stripe; "
       "payment service provider; payment service providers; payment processors",
       say_sv="kreditkort; kortuppgifter; betalningsinformation; betalningsuppgifter"),
    topic("applicants", ask_en="job applicant; job applicants; apply for; applied for; applying for; "
       "job; jobs; jobseeker; job seeker; "
       "candidate; recruitment; cv; resume; position; work for you; are you hiring; hiring process; job application; "
       "my application",
       ask_sv="jobbsökande; arbetssökande; sökande; ansökan; jobb; rekrytering; söker jobb; tjänst hos; cv; "
       "anställning",
       # Never a bare "applicant": its stem is also "applicable" and a software "application".
       say_en="job; jobseekers; job seekers; job applicant; job applicants; job application; potential employee; "
       "recruitment; candidates; apply for a job; applying for a job",
       say_sv="jobb; jobbsökande; arbetssökande; ansökan; rekrytering"),
    topic("cookies", ask_en="cookie; cookies; pixel; web beacon; beacons; tracker; trackers",
       ask_sv="kakor; kaka; cookie; cookies; spårningspixel",
       say_en="cookie; cookies; pixel; web beacons; tracking technologies",
       say_sv="kakor; kaka; cookie; cookies"),
    topic("tracking", GENERIC, ask_en="track; tracking; monitor; analytics; follow what i do; what i do on; "
       "measure; measuring; how i use; how people use; statistics; usage; analyse; analyze; whether i open; "
       "if i open; what i click; click on; who opens; click around; how i click; keep track; keeping track; keep tabs; "
       "call home; calls home; phone home; phones home; send home; sends home",
       ask_sv="spåra; spårar; spårning; följa vad jag gör; följer vad jag gör; följer mig; statistik; analys",
       say_en="track; tracking; analytics; interactions; pixels; cookies; statistics; usage statistics; "
       "insight tag; measure",
       say_sv="spåra; statistik; besöksdata; kakor"),
    topic("police", ask_en="police; law enforcement; authorities; authority; government; court; subpoena; cops; cop; "
       "legal request; court order; officials",
       ask_sv="polis; polisen; myndighet; myndigheter; domstol; åklagare",
       say_en="police; law enforcement; public authorities; government authorities; government; court; "
       "subpoena; legal process; required by law; comply with the law",
       say_sv="polis; myndigheter; myndighet; domstol; juridisk process; lagen kräver"),
    topic("transfer", ask_en="abroad; outside europe; outside the eu; outside eu; another country; other countries; "
       "outside sweden; united states; usa; to the us; in the us; overseas; international; move my data; "
       "outside the eea; outside eea; out of the eea; out of the eu; out of europe; non-eu; leave the eea; "
       "servers outside; server outside; servers abroad; servers in the us; servers in the usa; "
       "leave the eu; leave europe; leaves the eu; leaves europe; "
       "american; america; us-based; us company; us companies; "
       "transfer",
       ask_sv="utomlands; utanför eu; utanför europa; annat land; andra länder; utanför sverige; usa; "
       "amerikansk; amerikanska; amerikanskt",
       say_en="transfer; outside the european economic area; countries outside; standard contractual "
       "clauses; privacy shield; us company; abroad; another country; other countries; united states",
       say_sv="utomlands; annat land; flytta din information; utanför"),
    topic("location", ask_en="where; which country; data center; datacenter; server; servers; hosted; "
       "physically; located; based in; in the eu; within the eu; in europe; in the eea; in sweden; which city; "
       "what city; hq; "
       "within sweden",
       ask_sv="var finns; var lagras; var sparas; var förvaras; var ligger; vilket land; servrar; server; i sverige; "
       "inom eu; i eu; inom ees; inom europa; i europa; kvar i eu; "
       "inom sverige",
       say_en="datacenter; datacenters; data center; server; servers; located in; is located; based in; "
       "head office; hosted in; stored in; processed in; reside; country; countries; based in europe; "
       "stored with; stored by; kept in; kept at; keep your information at",
       say_sv="i sverige; annat land; servrar; lokaler; land; finns i"),
    # Where the person is (GPS, location data): another topic than where their data is kept.
    # Not asked by a bare "location": "the location of your servers" is where data is kept.
    # "plats" alone is also the end of "webbplats" (compound parts are matched too).
    topic("geolocation", ask_en="my location; gps; where i go; where i've been; where i have been; places i go; "
       "places i visit; my movements; track my movements; geolocation; where i am; location services; location data; "
       "location tracking; collect location; track location; access location; precise location; "
       "location information; physical location; current location",
       ask_sv="min plats; platsdata; platsinformation; positionering; gps; var jag är; var jag befinner mig",
       say_en="geolocation; gps; location data; location information; location-based; precise location",
       say_sv="platsdata; platsinformation; positionering; gps", pattern=r"(?i)\blocations?\b"),
    topic("security", ask_en="secure; security; safe; safely; protect; protected; protection; encrypt; "
       "encrypted; encryption; hack; hacked; breach; leak; ssl; compromised; compromise; protections; "
       "against hackers; against hacking; against breaches; against intrusion; against attacks; from hackers; "
       "from hacking; from attacks; from breaches; from a breach; against breach; prevent breaches; secure servers; "
       "secure server; encrypted servers; encrypted server; secured servers",
       ask_sv="säker; säkert; säkerhet; säkerhetsåtgärder; säkerhetsåtgärd; skyddsåtgärder; skydda; skyddar; "
       "skyddas; kryptera; krypterad; krypterade; "
       "intrång; läcka; mot intrång; mot dataintrång; mot hackare; mot hackning",
       say_en="secure; security; securely; encrypt; encrypted; encryption; unauthorized access; ssl; tls; "
       "secure socket layer; security safeguards; technical safeguards; security measures; security program",
       say_sv="säkerhet; säkerheten; krypterade; krypterad; obehörig åtkomst; säkrade; ssl"),
    # A breach is asked as such: security measures in general do not say what happens when one occurs.
    # Being hacked as an event ("if you get hacked, will you tell me") is a breach; as a risk ("could this app be
    # hacked into?") it asks how the data is secured.
    topic("breach", level=3, ask_en="data breach; breach; breaches; get hacked; gets hacked; got hacked; "
       "been hacked; ever hacked; was hacked; were hacked; are hacked; is hacked; leak; leaked; leaks; "
       "security incident; incident; incidents; hackers get; hackers got",
       ask_sv="dataintrång; intrång; personuppgiftsincident; säkerhetsincident; "
       "incident; läcka; läckt; läcker; hackad; hackare",
       say_en="breach; breaches; security incident; data breach; personal data breach",
       say_sv="personuppgiftsincident; intrång; dataintrång; säkerhetsincident", required=True),
    # Kinds of encryption are asked as such: encryption in transit (SSL) says nothing of them.
    topic("end_to_end", level=3, ask_en="end-to-end; end to end; e2e; e2ee", ask_sv="ände-till-ände; end-to-end",
          say_en="end-to-end; end to end", say_sv="ände-till-ände; end-to-end"),
    topic("at_rest", level=3, ask_en="at rest; encrypted storage; encrypted at rest; encrypted when stored",
          ask_sv="krypterad lagring; krypterat lagrad; krypterade när de lagras",
          say_en="at rest; encrypted storage; stored encrypted; encrypted databases",
          say_sv="krypterad lagring; lagras krypterat"),
    # Signing in safely is asked as such: a policy's security measures in general do not say it offers it.
    topic("authentication", ask_en="two-factor; two factor; 2fa; mfa; multi-factor; multi factor; two-step; "
       "two step verification; single sign-on; sso", ask_sv="tvåfaktor; tvåstegsverifiering; bankid",
       say_en="two-factor; two factor; 2fa; multi-factor; two-step; single sign-on",
       say_sv="tvåfaktor; tvåstegsverifiering"),
    # "protect" and "safe" alone say too little ("data protection officer", "a safe and honest way").
    topic("protection", level=0, ask_en="protect; protected; protection; safe; safely",
       ask_sv="skydda; skyddar; skyddas; säker; säkert",
       say_en="protect; protected; protection; safe; safely", say_sv="skydda; skyddar; skyddas; säker"),
    topic("children", ask_en="child; children; kid; kids; minor; minors; under 13; year old; years old; "
       "teenager; son; daughter; age; how old; minimum age; age limit; old enough; yr old; yrs old; year-old",
       ask_sv="barn; minderårig; minderåriga; ålder; år gammal; åring; tonåring; son; dotter",
       say_en="child; children; minor; minors; under 13; age", say_sv="barn; minderårig; ålder"),
    topic("collection", GENERIC, ask_en="what data; what information; what personal; which data; "
       "what kind of data; what kind of information; what kind of personal; what kinds of data; "
       "what kinds of information; what kinds of personal; types of data; types of information; "
       "types of personal; collect; gather; record; personal details; know about me; what info; which info; "
       "what do you log; log about; grab; pick up; what sort of data; what sort of information; "
       "what sort of personal; what type of data; what type of information; what type of personal; what types of",
       ask_sv="samlar; samla in; samlar in; vilka uppgifter; vilken information; vilka personuppgifter; "
       "lämna uppgifter; info om; vad för uppgifter; vad för information; vilken sorts; vilka sorters; "
       "vad för slags; vilken typ av; vilka typer av; "
       "vad har ni för uppgifter; vad har ni för information; vilken data",
       say_en="collect; collected; collects; gather; store and process; we collect; information we collect",
       say_sv="samlar in; samlar; samla in", prefers=("data_items",), excludes=("children",)),
    topic("ip_address", level=0, ask_en="ip address; ip-address; ip", ask_sv="ip-adress; ip",
       say_en="ip address; ip-address; ip", say_sv="ip-adress; ip"),
    topic("data_items", level=0,
       say_en="name; phone number; email address; e-mail address; ip address; ip-address; password; browser; "
       "location; organisation name; firstname; lastname; login id; device; contact information",
       say_sv="e-postadress; språk; ip-adress; webbläsartyp; operativsystem; namn; telefonnummer; "
       "adress"),
    topic("visibility", GENERIC, ask_en="who can see; who has access; can see; see my; other users; other people; "
       "public; publicly; visible; private; confidential; kept private; who will be able to see; who can access; "
       "who can view; who else has access; who all has access; who else can see; be seen by; seen by anyone; hide my; "
       # Longer than the access right's "access to my data": asking who has access is asking who sees it.
       "who has access to my data; who has access to my information; who will have access to my data; "
       "who will have access to my information; who can access my data; who will be able to access my data; "
       "who else has access to my data; who sees my data; who else sees my data; "
       # Longer than the access right's "see my data", so "who else can see my data" asks who sees it.
       "can see my data; can see my information; can see my info; sees my data; sees my information; who sees",
       ask_sv="vem kan se; vem har tillgång; kan se; andra användare; offentlig; synlig; privat; konfidentiell",
       say_en="public; publicly; visible; other users; accessible by; private; confidential; "
       "accessible to; made public; can see",
       say_sv="offentlig; synlig; andra användare; privat; konfidentiell"),
    topic("storage", GENERIC, ask_en="keep a record; keep record; save; saved; saving; store; stored; storing; "
       "log; logged; logging; "
       "keep my; kept; hold on; record; on file; keep on file",
       ask_sv="spara; sparar; sparas; lagra; lagrar; lagras; förvara; förvaras",
       # What a policy says it collects it holds: "do you store my visits" is answered by "we collect visits".
       say_en="store; stored; storing; keep; kept; retain; save; saved; hold; record; records; collect; collected; "
       "collects",
       say_sv="spara; sparar; sparas; lagra; lagrar; lagras; förvara; förvaras; samlar in; samla in; samlar"),
    # Not a bare "acquired": "data acquired from its users" is no sale of the business.
    topic("merger", ask_en="is sold; gets sold; is acquired; gets acquired; get acquired; be acquired; was acquired; "
       "acquired by; acquisition; merger; merge; merges; bought by; bankrupt; "
       "bankruptcy; goes out of business; taken over; takeover",
       ask_sv="köps upp; uppköp; uppköpt; fusion; går samman; konkurs; säljs till",
       say_en="merger; acquisition; acquired; sale of assets; bankruptcy; reorganization; successor; "
       "business transfers; business transfer; sold along with; sells all or part; transferred assets",
       say_sv="fusion; uppköp; konkurs; överlåtelse"),
    topic("sources", ask_en="other sources; other places; from third parties; from others; where do you get; "
       "other places than; anywhere other than; anywhere else; where else; apart from what i; other than me; "
       "besides me; how did you get; how do you get; where did you get; never gave; didn't give; from elsewhere",
       ask_sv="andra källor; från andra; var fick ni; hur fick ni; var får ni; hur får ni tag; någon annanstans; "
       "aldrig gett; aldrig lämnat",
       say_en="sources; other sources; third-party data suppliers; from other", say_sv="källor"),
    topic("purposes", GENERIC, ask_en="why; purpose; purposes; what for; what do you do with; use my; used for; "
       "use of",
       ask_sv="varför; syfte; ändamål; använder; används; till vad; vad gör ni med",
       say_en="purpose; purposes; use your information; we use; in order to",
       say_sv="använder; användning; syfte; ändamål; för att", excludes=("children",)),
    topic("changes", ask_en="change this policy; changes to; policy change; new version; how will i know; "
       "notify; changed; change; changes; update; updates; updated; revise; revised; revision",
       ask_sv="ändras; ändra; ändringar; ny version; gör om; ändrar; uppdaterar; förändringar",
       say_en="change; changes; updated; update; updates; last updated; valid from; revised",
       say_sv="ändra; ändringar; uppdaterad; uppdaterar; senast uppdaterad; förändringar",
       excludes=("settings",)),  # "change your browser settings" is no change of the policy
    topic("last_updated", ask_en="last changed; last updated; last update; when was; latest version; "
       "how recent; date of; dated",
       ask_sv="senast uppdaterad; senast ändrad; när uppdaterades; när ändrades; datum; hur gammal",
       say_en="updated; update; last updated; last changed", say_sv="uppdaterad; senast uppdaterad",
       needs=("date",), required=True),
    topic("date", level=0, pattern=r"\b(?:19|20)\d{2}\b"),
    topic("subprocessors", ask_en="sub-processor; subprocessor; subprocessors; sub-processors; vendor; vendors; "
       "supplier; suppliers; service provider; service providers; contractor; contractors; crm; on your behalf; "
       "on behalf of; who processes; who else processes; "
       "software; which company; outside company; companies that handle; companies that process; "
       "handle my data for you; handle my information for you; process my data for you",
       ask_sv="underbiträde; personuppgiftsbiträde; leverantör; leverantörer; underleverantör; underleverantörer; "
       "anlitar; anlita",
       say_en="sub-processor; sub-processors; vendor; vendors; supplier; provider; providers; service providers; "
       "third party companies; software; consultants; cloud services",
       say_sv="leverantör; partner"),
    topic("legal_basis", ask_en="legal basis; legal ground; legal grounds; lawful basis; on what basis",
       ask_sv="rättslig grund; laglig grund",
       say_en="legal grounds; legal basis; lawful basis", say_sv="rättslig grund"),
    topic("dnt", ask_en="do not track; dnt; not to track me; not to track; don't track me; ask sites not to",
          ask_sv="do not track; inte spåra mig; spåra mig inte", say_en="do not track; do-not-track; dnt",
          say_sv="do not track; dnt"),
    topic("sensitive", ask_en="sensitive; health; religion; religious; ethnic; sexual; biometric; political",
       ask_sv="känsliga; känslig; hälsa; religion",
       say_en="sensitive", say_sv="känslig; känsliga"),
)

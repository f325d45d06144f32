"""Plain synonyms (level 0): never the topic of a question, but they cover its words and carry them across
languages ("data" -> "information", "uppgifter"; "buy" -> "köper")."""

from __future__ import annotations

from bot.core.concepts import Concept


def _s(cid: str, *, ask_en: str, ask_sv: str, say_en: str = "", say_sv: str = "") -> Concept:
    """A synonym set; how policies write defaults to how people ask."""
    return Concept(cid, 0, ask_en, ask_sv, say_en or ask_en, say_sv or ask_sv)


SYNONYMS: tuple[Concept, ...] = (
    _s("data", ask_en="data; information; info; details; personal data; personal information; stuff; "
       "personal details", ask_sv="uppgifter; personuppgifter; information; data; info; personlig information",
       say_en="data; information; personal data; personal information; details",
       say_sv="uppgifter; personuppgifter; information; personlig information"),
    _s("signup", ask_en="register; registration; sign up; signing up; join; create an account",
       ask_sv="registrera; registrerar; registrering; skapa konto; skapa ett konto; skapar ett konto; "
       "anmäla mig; anmäler mig; anmäla sig; anmäler sig; anmälan",
       say_en="sign up; register; registration", say_sv="registrera; registrerar; registrering"),
    _s("website", ask_en="website; site; web site; webpage; browse; browsing; surf; surfing",
       ask_sv="webbplats; hemsida; sajt; webbsida; surfa; surfar",
       say_en="website; site; sites; web", say_sv="webbplats; webbplatssidor; site"),
    _s("email", ask_en="email; e-mail; emails; e-mails; mail; mails; email address; e-mail address",
       ask_sv="e-post; mejl; mail; e-postadress; mejladress",
       say_en="email; e-mail; mail", say_sv="e-post; e-postmeddelanden; mejl"),
    _s("company", ask_en="company; companies; firm; business; organisation; organization",
       ask_sv="företag; bolag; organisation", say_en="company; companies; organization; organisation",
       say_sv="företag; bolag"),
    _s("processing", ask_en="process; processing; processed; handle; handling; handled; treat; treated",
       ask_sv="hantera; hanterar; hanteras; behandla; behandlar; behandlas; behandling; processa; processas; "
       "sköta; sköter; sköts",
       say_en="process; processing; processed; handle; handling", say_sv="behandla; behandling; processas; hantera"),
    _s("browser", ask_en="browser; web browser; browsers", ask_sv="webbläsare; webbläsaren; webbläsartyp",
       say_en="browser; web browser; browsers", say_sv="webbläsare; webbläsaren; webbläsartyp"),
    _s("pages", ask_en="page; pages; webpage; webpages; visit; visits; visited",
       ask_sv="sida; sidor; sidan; besök; besöka; besöker; besöks",
       say_en="page; pages; visit; visits; visited", say_sv="sida; sidor; besök; besöker; besöks"),
    _s("use", ask_en="use; using; used; rely on; relying on; depend on; make use of; utilise; utilize; employ",
       ask_sv="använda; använder; används; användning; förlitar; utnyttja; utnyttjar",
       say_en="use; using; used", say_sv="använda; använder; används; användning"),
    _s("purchase", ask_en="buy; buying; bought; purchase; purchased; purchasing; order; ordered; orders",
       ask_sv="köpa; köper; köp; köpt; köpte; beställa; beställer; beställt; beställning; order"),
    _s("product", ask_en="product; products; app; application; software; tool; tools",
       ask_sv="produkt; produkter; app; appen; mjukvara; programvara; program; verktyg"),
    _s("computer", ask_en="computer; device; devices; phone; laptop; hardware; operating system",
       ask_sv="datorn; dators; datorer; enhet; enheter; hårdvara; operativsystem; mobil"),
    _s("account", ask_en="account; accounts; login; log in; sign in",
       ask_sv="konto; kontot; inloggning; logga in"),
    _s("law", ask_en="law; laws; legal; legislation; regulation; gdpr; required by law",
       ask_sv="lag; lagen; lagar; lagstiftning; juridisk; gdpr; lagkrav"),
    _s("customer", ask_en="customer; customers; client; clients; user; users",
       ask_sv="kund; kunder; användare"),
    _s("employee", ask_en="employee; employees; staff; personnel; worker", ask_sv="anställd; anställda"),
    _s("settings", ask_en="settings; setting; preferences; browser settings; cookie settings; privacy settings",
       ask_sv="inställningar; inställning; webbläsarinställningar"),
    _s("policy", ask_en="privacy policy; policy; privacy notice; privacy statement; notice; privacy; this policy",
       ask_sv="integritetspolicy; integritetspolicyn; sekretesspolicy; policy; policyn; integritet; sekretess"),
    _s("event", ask_en="event; events; webinar; webinars; seminar; seminars; conference; meetup",
       ask_sv="evenemang; event; webbinarium; webbinarier; seminarium; konferens"),
    _s("touch", ask_en="talk; talked; spoken; spoke; in touch; been in touch; communicate; communication; "
       "interaction; interactions; interacted", ask_sv="pratat; talat; kontakt med; kommunikation; haft kontakt",
       say_en="in touch; been in touch; communication; interaction; interactions",
       say_sv="kontakt med; kommunikation"),
    _s("other", ask_en="other; another; anything else; something else; else", ask_sv="annat; andra; annan; övrigt"),
    _s("send", ask_en="send; sends; sent; sending", ask_sv="skicka; skickar; skickat; skickas"),
    _s("confirmation", ask_en="confirmation; confirmations; confirm; receipt; receipts",
       ask_sv="bekräftelse; bekräftelser; bekräfta; kvitto; kvitton"),
    _s("apply", ask_en="apply; applies; cover; covers; valid; scope", ask_sv="gäller; gälla; omfattar; giltig"),
    _s("reminder", ask_en="reminder; reminders; remind; reminding",
       ask_sv="påminnelse; påminnelser; påminna; påminner"),
    _s("link", ask_en="link; linked; linking; connect; connected; tie; tied; associate; associated; combine; combined",
       ask_sv="länka; länkar; länkas; koppla; kopplar; kopplas; sammankoppla",
       say_en="link; linked; linking; connected; tied; associated; combined", say_sv="länka; länkas; kopplas"),
    _s("identity", ask_en="identity; identify; identifies; identified; identifying; identifiable; who i am",
       ask_sv="identitet; identifiera; identifierar; identifieras; vem jag är",
       say_en="identify; identifies; identified; identifying; identifiable; personally identifiable; traced back",
       say_sv="identifierar; identifieras; identifiera"),
    _s("language", ask_en="language; languages; language preference", ask_sv="språk; språket; språkval",
       say_en="language; languages", say_sv="språk"),
    _s("notify", ask_en="notify; notified; inform me; inform you; inform us; informed of; informed about; "
       "keep me informed; tell me; let me know; notice; announcement",
       ask_sv="meddela; meddelar; informera; informerar; tillkännagivande; underrätta"),
)

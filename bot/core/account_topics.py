"""Topics of the asker's own account and data: who administers it, what it connects to, contacts, anonymity."""

from __future__ import annotations

from bot.core.concepts import CONTACT_DETAILS_EN, GENERIC, Concept, topic

ACCOUNT_TOPICS: tuple[Concept, ...] = (
    topic("employer", ask_en="boss; employer; manager; my company; workplace; admin; administrator; colleague; "
       "my organisation; my organization; my company's; regular user; normal user; ordinary user; not an admin",
       ask_sv="chef; arbetsgivare; arbetsplats; administratör; mitt företag; på jobbet; på arbetet",
       say_en="employer; organization owner; administrator; organization; workplace; your company; "
       "company you work for",
       say_sv="arbetsgivare; administratör"),
    topic("integrations", ask_en="integration; integrations; connect; plugin; another app; third-party app; "
       "sign in with; log in with; login with; link my; linked my; sign in using; log in using; login using; "
       "sign-in using",
       ask_sv="integration; integrationer; koppla; logga in med",
       say_en="integration; integrations; link your account; connect your account; log in with; sign in with; "
       "third-party authentication; link or login; login to your; log in to your; sign in to your; "
       "social media service; social networking service; via a website such as",
       say_sv="integration; logga in med"),
    # The asker's own contact details, a kind of data: not contacting the organisation, nor an address book.
    topic("contact_data", GENERIC, ask_en="my contact details; my contact info; my contact information; "
       "my contact data", ask_sv="mina kontaktuppgifter",
       say_en=CONTACT_DETAILS_EN + "; name and address; name and email",
       say_sv="kontaktuppgifter; e-postadress; telefonnummer; postadress"),
    # The asker's own contacts ("my friends list or contacts"), not contacting the organisation.
    topic("address_book", ask_en="my contacts; my contact list; my contacts list; my address book; my phone contacts; "
       "my friends list; my friend list; my list of friends",
       ask_sv="mina kontakter; kontaktlista; adressbok; vänlista",
       say_en="address book; contact list; contacts list; friends list; friend list; list of friends",
       say_sv="adressbok; kontaktlista"),
    topic("anonymous", ask_en="without giving; anonymously; anonymous; without registering; have to give; "
       "without telling; without saying; without revealing; without identifying; without an account; "
       "without logging in; without signing up; "
       "must i give", ask_sv="måste jag lämna; måste jag uppge; anonym; anonymt; utan att",
       # "without" alone is no anonymity: "without your consent".
       say_en="without giving; without providing; without telling; without revealing; without identifying; "
       "without registering; without an account; without logging in; without signing up; anonymous; anonymously",
       say_sv="utan att ge oss"),
    # Whether using the service takes an account: answered by what the policy says of registering.
    topic("account_required", ask_en="require an account; requires an account; need an account; need to register; "
       "have to register; must i register; need to create an account; have to create an account; need to sign up; "
       "have to sign up; require registration; required to register; require a login; require any sort of login; "
       "need to log in; have to log in; need to login; have to login; make an account; register an account; "
       "need a login; need login; have to sign in; need to sign in; required to sign in; require me to sign; "
       "log-in be required; login be required; login required; log in required",
       ask_sv="behöver jag ett konto; måste jag ha ett konto; måste jag registrera; behöver jag registrera; "
       "krävs konto; krävs inloggning",
       say_en="register; registration; registering; registered users; create an account; set up an account; "
       "sign up; without registering; without an account; not required to; optional",
       say_sv="registrera; registrering; skapa ett konto; frivilligt"),
)

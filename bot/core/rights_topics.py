"""The privacy topics about a person's rights (access, rectification, portability, objection, consent,
complaints) and marketing, each with how people ask and how policies write, in English and Swedish."""

from __future__ import annotations

from bot.core.concepts import GENERIC, Concept, topic

RIGHTS_TOPICS: tuple[Concept, ...] = (
    topic("rights", GENERIC, ask_en="rights; my rights; exercise; use my rights; use my privacy rights",
       ask_sv="rättigheter; mina rättigheter",
       say_en="rights; exercise; you can request; you can ask", say_sv="rättigheter; rätt"),
    topic("access", ask_en="copy; what data do you have; what information do you have; what you have on me; "
       "have on me; have about me; hold on me; hold about me; saved about me; stored about me; find out what; "
       "see my data; see what data; see what information; see what info; see what you have; see what you've got; "
       "access my data; access to my data",
       ask_sv="registerutdrag; kopia; vilka uppgifter har ni; vad har ni om mig; ni har om mig; ni sparat om mig; "
       "ni lagrat om mig; ni har sparat om mig; ni har lagrat om mig; få se vad ni; "
       "jag få tillgång till mina; jag tillgång till mina; ha tillgång till mina; "
       "begära tillgång; ta reda på vilka",
       say_en="copy; what data we have; hold about you; share a copy; request access; right of access; "
       "access to your data; access to your personal data; access to your information; "
       "access your personal information; access your information; access or update; access and update; "
       "view and edit; view or edit; view and/or edit; review and change; review your personal information",
       say_sv="kopia; registerutdrag; tillgång till dina"),
    # "Wrong" is wrong data ("my name is wrong", "wrong details"), not something going wrong.
    topic("rectification", ask_en="correct; correction; rectify; fix; inaccurate; incorrect; mistake; "
       "is wrong; are wrong; spelled wrong; spelt wrong; "
       "out of date; outdated; change my; update my; edit my; amend",
       ask_sv="rätta min; rätta mina; rätta uppgifter; rätta upp; korrigera; felaktig; felaktiga; fel; "
       "ändra min; ändra mina; uppdatera min; "
       "uppdatera mina",
       say_en="correct; correction; inaccurate; accurate; rectify", say_sv="korrigera; felaktig; felaktiga"),
    topic("portability", ask_en="portability; port; another provider; machine-readable; export; move my data; "
       "moved over; moved to; competitor; competitors; transfer my data to; my data to another; "
       "take my data with me; take my data; to another service; another service; different provider; "
       "switch provider",
       ask_sv="dataportabilitet; flytta mina uppgifter; exportera; maskinläsbar",
       say_en="portability; transfer your information from; another company", say_sv="dataportabilitet"),
    topic("marketing", GENERIC, ask_en="newsletter; newsletters; mailing list; marketing; direct marketing; "
       "advertising; ads; spam; marketing emails; promotional; promo; promos; promotions; offers",
       ask_sv="nyhetsbrev; marknadsföring; reklam; utskick; direktmarknadsföring",
       say_en="newsletter; newsletters; marketing; ads; advertisements; advertising; remarketing",
       say_sv="nyhetsbrev; marknadsföring; reklam; utskick; e-postmeddelanden"),
    topic("objection", ask_en="unsubscribe; opt out; opt-out; get off; block; prevent; object; control my privacy; "
       "control over my privacy; control their own privacy; control my data; control over my data; "
       "no longer receive; don't want; do not want; turn off; refuse; disable; switch off; "
       "stop sending; stop using my; stop processing; "
       "stop receiving; stop getting; stop contacting; stop emailing; stop your; stop the; stop all; "
       "make them stop; make it stop; stop it; stop them; how do i stop; how can i stop; how to stop; can i stop",
       ask_sv="avregistrera; avsluta prenumeration; sluta skicka; sluta använda; stoppa; blockera; invända; "
       "slippa; vill inte ha; sluta få; slutar jag få; slippa få; sluta ta emot; inte längre få; avprenumerera; "
       "stänga av; stäng av; slå av; avregga; avreggar; avregga mig",
       say_en="unsubscribe; opt-out; opt out; prevent; object; hide; block; refuse; disable; turn off; "
       "do not want to receive; don't want to receive; do not wish to receive; no longer wish to receive; "
       "no longer want to receive; communication preferences; e-mail preferences; email preferences",
       say_sv="avregistrera; avregistrera dig; invända; blockera"),
    topic("consent", ask_en="consent; permission; agree",
       ask_sv="samtycke; samtycka; medgivande; tillåtelse; godkännande; lov",
       say_en="consent; withdraw; permission; agree", say_sv="samtycke; medgivande; godkännande; tillåtelse; lov"),
    # Taking consent back must be answered as such: a policy that only asks for consent does not say.
    topic("withdrawal", ask_en="withdraw; withdrawing; withdrawal; take back; revoke; revoking; change my mind",
          ask_sv="återkalla; återkallar; återta; ta tillbaka; ångra",
          say_en="withdraw; withdrawing; withdrawal; revoke", say_sv="återkalla; återkallas; återta",
          required=True),
    # How soon a request is answered is asked as such: a policy describing the right does not say it.
    topic("response_time", ask_en="how many days do you have; how long do you have to answer; how long do you have "
       "to reply; how long do you have to respond; how quickly will you; how quickly do you; how fast will you; "
       "response time; reply time; deadline; time limit; within how many days",
       ask_sv="hur snabbt svarar; hur lång tid har ni på er; svarstid; inom hur lång tid; hur många dagar har ni",
       say_en="within; respond within; reply within; answer within; without undue delay",
       say_sv="inom; utan onödigt dröjsmål", needs=("duration",), required=True),
    topic("complaint", ask_en="complain; complaint; complaints; supervisory authority; data protection authority; "
       "unhappy; not happy; dissatisfied; imy; report you; mishandled; mishandle; misused my; where do i turn; "
       "where can i turn; where am i supposed to turn; turn to if",
       ask_sv="klaga; klagomål; anmäla er; anmäler er; anmäla ert företag; anmäla till imy; göra en anmälan; "
       "tillsynsmyndighet; integritetsskyddsmyndigheten; missnöjd; imy",
       say_en="complaint; complaints; unhappy; data protection authority; supervisory authority",
       say_sv="klagomål; tillsynsmyndighet"),
)

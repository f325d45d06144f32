"""Topics of reaching the organisation: contacting it, its data protection officer, its addresses."""

from __future__ import annotations

from bot.core.concepts import CONTACT_DETAILS_EN, GENERIC, Concept, topic

PHONE_INTERNATIONAL = r"\+\d[\d \u2011-]{6,}"  # "+46 08‑720 33 33"

CONTACT_TOPICS: tuple[Concept, ...] = (
    # Not a bare "phone": "private info on my phone" is the asker's device, not a way to reach the organisation.
    topic("contact", GENERIC, ask_en="contact; reach; reach out; get in touch; email you; e-mail you; phone you; "
       "phone number; by phone; over the phone; phone line; "
       "call; your address; postal address; write to; questions about",
       ask_sv="kontakta; kontakt; nå er; når er; når jag er; mejla; e-post; telefon; ringa; ringer; er adress; "
       "skicka till er; skriva till er; frågor",
       # The longer forms of contact details too: matched on their own they would hide "contact" and "e-mail".
       say_en="contact; e-mail; email; phone; write to us; questions; address; " + CONTACT_DETAILS_EN,
       say_sv="kontakt; kontakta; e-post; brev; frågor; kommentarer", prefers=("contact_detail",)),
    topic("contact_detail", level=0, pattern=r"[\w.+-]+@[\w-]+\.[\w.-]+|" + PHONE_INTERNATIONAL),
    topic("dpo", ask_en="data protection officer; dpo; privacy officer; looks after; look after; in charge of; "
       "responsible for privacy; responsible for data protection; privacy lead; handles privacy; privacy person; "
       "in charge of data protection; in charge of privacy; charge of data protection; "
       "privacy manager; privacy specialist; data protection person",
       ask_sv="dataskyddsombud; dpo; ansvarar för; ansvarig för dataskydd; dataskyddsansvarig; integritetsansvarig; "
       "ansvarig för integritet",
       say_en="data protection officer; dpo", say_sv="dataskyddsombud; dpo"),
    topic("contact_address", ask_en="your e-mail address; your email address; email address to; "
       "your phone number; your telephone number; phone number to; number to call",
       ask_sv="er e-postadress; er e-post; er mejladress; ert telefonnummer; ringa er",
       say_en="contact; e-mail; email; phone; address", say_sv="kontakt; kontakta; e-post",
       needs=("contact_detail",), required=True),
    topic("postal", ask_en="postal address; mailing address; street address; post address; send a letter; "
       "what's your address; what is your address; your address; which address; what address; "
       "write a letter; by post; where are you located; located; office address; your office; head office; "
       "headquarters; visiting address; hq; which city; what city; where is your office; where are you based",
       say_en="head office; headquarters; office is located; postal address; visiting address",
       ask_sv="postadress; er adress; vilken adress; adressen till er; vad har ni för adress; "
       "skicka brev; per post; brev; huvudkontor; kontor; besöksadress; ligger ni",
       pattern=r"\b\d{3} ?\d{2} +[A-ZÅÄÖ][a-zåäö]+|\bBox \d+"),
)

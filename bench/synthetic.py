"""A deterministic synthetic knowledge folder: N organisations' privacy policies, ~60-word passages, EN and SV.

Usage: .venv/bin/python bench/synthetic.py DIR [--passages 100000] [--orgs 1000] [--seed 8]
Each organisation gets one `<id>.md` file with front matter like knowledge/*.md, markdown section headings and
one-line paragraphs of about 60 words, so the bot's own loader and splitter make one passage per paragraph.
About one organisation in ten writes in Swedish. The same arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

_SYLLABLES = ("ka", "lo", "ven", "tri", "mar", "dol", "sy", "nex", "qua", "ri", "zen", "bo", "tal", "mix", "or",
              "vel", "an", "ster", "gu", "pim", "rax", "lu", "fen", "do", "ko", "vi", "sor", "tex", "ma", "ny")
_FORMS = ("AB", "Ltd", "Inc", "GmbH", "Oy", "AS")

_EN = {
    "sections": ("Information we collect", "How we use your information", "Cookies and similar technologies",
                 "Who we share your data with", "How long we keep your data", "Your rights",
                 "Security of your information", "Transfers outside the EEA", "Children",
                 "Marketing and newsletters", "Payments", "Job applicants", "Changes to this policy",
                 "Legal basis for processing", "Contact us"),
    "items": ("your name", "your e-mail address", "your postal address", "your phone number", "your IP address",
              "your payment card details", "your order history", "your device identifiers", "your location",
              "your browser type", "your date of birth", "your account password", "your support messages",
              "your purchase history", "your CV and cover letter", "your social security number"),
    "purposes": ("deliver the services you ordered", "send you our newsletter", "improve our website",
                 "prevent fraud", "handle your support requests", "comply with legal obligations",
                 "measure how our pages are used", "personalise the content you see", "process your payments",
                 "evaluate your job application", "run our loyalty programme", "show relevant advertising"),
    "parties": ("our hosting provider", "our payment processor", "Google Analytics", "our CRM supplier",
                "courier companies", "the police and other authorities", "our accountants", "Mailchimp",
                "our customer support platform", "our group companies", "Stripe", "Microsoft Azure"),
    "periods": ("three years", "24 months", "six months", "seven years", "90 days", "as long as your account "
                "is active", "one year after your last purchase", "30 days"),
    "templates": (
        "We collect {item} and {item2} when you use our services or contact us.",
        "We process {item} in order to {purpose}.",
        "Your personal data may be shared with {party} who processes it on our behalf.",
        "We keep {item} for {period} and then delete or anonymise it.",
        "You have the right to request access to, correction of or erasure of {item}.",
        "We use cookies and similar technologies to {purpose} and you can refuse them in your browser settings.",
        "When we transfer data to {party} outside the EU we rely on standard contractual clauses.",
        "Our legal basis for processing {item} is our legitimate interest to {purpose}.",
        "We protect {item} with encryption, access controls and regular security reviews.",
        "If you withdraw your consent we stop using {item} to {purpose}.",
        "We do not sell {item} to third parties and we never use it for automated decision making.",
        "You can object to the processing of {item} or ask us to restrict it at any time.",
        "Where required by law we disclose {item} to {party}.",
        "You may lodge a complaint with the supervisory authority if you think we process {item} unlawfully.",
    ),
}
_SV = {
    "sections": ("Personuppgifter vi samlar in", "Hur vi använder dina uppgifter", "Kakor",
                 "Vilka vi delar uppgifter med", "Hur länge vi sparar dina uppgifter", "Dina rättigheter",
                 "Säkerhet", "Överföring till tredje land", "Nyhetsbrev och marknadsföring", "Betalningar",
                 "Ändringar i denna policy", "Rättslig grund", "Kontakta oss"),
    "items": ("ditt namn", "din e-postadress", "din postadress", "ditt telefonnummer", "din IP-adress",
              "dina kortuppgifter", "din köphistorik", "din position", "ditt personnummer", "dina kundärenden"),
    "purposes": ("leverera de tjänster du beställt", "skicka vårt nyhetsbrev", "förbättra vår webbplats",
                 "förhindra bedrägerier", "hantera dina ärenden", "uppfylla rättsliga skyldigheter",
                 "anpassa innehållet", "hantera dina betalningar"),
    "parties": ("vår driftleverantör", "vår betaltjänstleverantör", "Google Analytics", "polis och myndigheter",
                "våra fraktbolag", "vår revisor", "Klarna", "våra koncernbolag"),
    "periods": ("tre år", "24 månader", "sex månader", "sju år", "90 dagar", "så länge ditt konto är aktivt"),
    "templates": (
        "Vi samlar in {item} och {item2} när du använder våra tjänster eller kontaktar oss.",
        "Vi behandlar {item} för att {purpose}.",
        "Dina personuppgifter kan delas med {party} som behandlar dem för vår räkning.",
        "Vi sparar {item} i {period} och raderar dem därefter.",
        "Du har rätt att begära tillgång till, rättelse av eller radering av {item}.",
        "Vi använder kakor för att {purpose} och du kan stänga av dem i din webbläsare.",
        "När vi överför uppgifter till {party} utanför EU använder vi standardavtalsklausuler.",
        "Den rättsliga grunden för att behandla {item} är vårt berättigade intresse att {purpose}.",
        "Vi skyddar {item} med kryptering, behörighetskontroller och regelbundna säkerhetsgranskningar.",
        "Om du återkallar ditt samtycke slutar vi att använda {item} för att {purpose}.",
        "Vi säljer aldrig {item} till tredje part.",
        "Du kan invända mot behandlingen av {item} eller begära att den begränsas.",
        "Du kan lämna klagomål till Integritetsskyddsmyndigheten om du anser att vi behandlar {item} felaktigt.",
    ),
}
WORDS_PER_PASSAGE = 60
SWEDISH_SHARE = 0.1


def org_names(count: int, rng: random.Random) -> list[str]:
    """Distinct invented company names ("Kaloven", "Trimarsy") that are no ordinary word."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def paragraph(lang: dict[str, tuple[str, ...]], rng: random.Random) -> str:
    """Sentences from the templates until about ``WORDS_PER_PASSAGE`` words, on one line."""
    out: list[str] = []
    count = 0
    while count < WORDS_PER_PASSAGE - 8:
        sentence = rng.choice(lang["templates"]).format(
            item=rng.choice(lang["items"]), item2=rng.choice(lang["items"]), purpose=rng.choice(lang["purposes"]),
            party=rng.choice(lang["parties"]), period=rng.choice(lang["periods"]))
        out.append(sentence)
        count += len(sentence.split())
    return " ".join(out)


def policy(name: str, org_id: str, passages: int, swedish: bool, rng: random.Random) -> str:
    lang = _SV if swedish else _EN
    email = f"privacy@{org_id}.example"
    intro = (f"Denna integritetspolicy beskriver hur {name} behandlar dina personuppgifter." if swedish else
             f"This privacy policy explains how {name} processes your personal data.")
    contact = (f"Har du frågor om hur vi behandlar dina personuppgifter kan du skriva till {email}." if swedish else
               f"If you have questions about how we process your personal data, write to {email}.")
    body: list[str] = []
    remaining = passages - 2  # the introduction and the contact paragraph are passages too
    sections = list(lang["sections"][:-1])
    rng.shuffle(sections)
    per_section = max(1, -(-remaining // len(sections)))
    for title in sections:
        if remaining <= 0:
            break
        body.append(f"## {title}")
        for _ in range(min(per_section, remaining)):
            body.append(paragraph(lang, rng))
            remaining -= 1
    front = "\n".join(["---", f"id: {org_id}", f"name: {name}", f"language: {'sv' if swedish else 'en'}",
                       f"contact_email: {email}", "---"])
    text = "\n\n".join([f"# {name} privacy policy", intro, *body, f"## {lang['sections'][-1]}", contact])
    return f"{front}\n{text}\n"


def write_corpus(folder: Path, *, passages: int = 100_000, orgs: int = 1000, seed: int = 8) -> list[Path]:
    """Write ``orgs`` policy files into ``folder`` (created), about ``passages`` passages in all."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    names = org_names(orgs, rng)
    per_org = max(3, passages // orgs)
    paths: list[Path] = []
    for number, name in enumerate(names):
        org_id = f"syn-{number:04d}-{name.casefold()}"
        swedish = rng.random() < SWEDISH_SHARE
        path = folder / f"{org_id}.md"
        path.write_text(policy(name, org_id, per_org, swedish, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    paths = write_corpus(args.folder, passages=args.passages, orgs=args.orgs, seed=args.seed)
    print(f"wrote {len(paths)} policy files to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

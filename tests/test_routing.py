"""Organisation routing: given > named > only one; look-alike names never confused; fast for many orgs."""

from __future__ import annotations

import time

import pytest

from bot.adapters.knowledge_files import load_folder
from bot.config import EMBEDDED_KNOWLEDGE
from bot.core.models import Language, PolicyMeta
from bot.core.routing import OrgMatcher, Route, matcher_for, named_orgs, route
from bot.errors import UnknownOrganisation

METAS = [policy.meta for policy in load_folder(EMBEDDED_KNOWLEDGE)]
ALL = tuple(meta.id for meta in METAS)

LOOK_ALIKES = [
    ("How long does Centra keep my data?", ["centra"]),
    ("Centra’s policy on cookies", ["centra"]),
    ("CENTRA", ["centra"]),
    ("Does Centiro sell data?", ["centiro"]),
    ("Vad säger Centiros policy om kakor?", ["centiro"]),
    ("Centiro Solutions AB", ["centiro"]),
    ("iCentrex", ["icentrex"]),
    ("ICENTREX", ["icentrex"]),
    ("What is iCentrex's retention period?", ["icentrex"]),
    ("i centrex", ["icentrex"]),
    ("i-Centrum", ["i-centrum"]),
    ("I-Centrum", ["i-centrum"]),
    ("i centrum", ["i-centrum"]),
    ("I Centrum AB", ["i-centrum"]),
    ("icentrum", ["i-centrum"]),
    ("i-Centrums integritetspolicy", ["i-centrum"]),
    ("Infentre", ["infentre"]),
    ("infentre's rights section", ["infentre"]),
    ("Infenter", ["infentre"]),  # the typo in Infentre's own policy
    ("I wrote to privacy@i-centrum.se", ["i-centrum"]),
    ("see centiro.se", ["centiro"]),
    # Words that merely look like the names:
    ("Centrala stationen", []),
    ("the central office", []),
    ("centrum", []),
    ("a centre of excellence", []),
    ("the Centrex PBX", []),
    ("infant entries", []),
    ("Incentive programme", []),
    ("centrifuge", []),
    ("Central Europe", []),
    ("Centra-kunder", ["centra"]),
    # Several named:
    ("Compare Centra and Centiro", ["centra", "centiro"]),
    ("iCentrex or i-Centrum?", ["icentrex", "i-centrum"]),
    ("Centra, centra and CENTRA", ["centra"]),
]


@pytest.mark.parametrize(("text", "expected"), LOOK_ALIKES)
def test_named_orgs_tells_look_alike_names_apart(text: str, expected: list[str]) -> None:
    assert named_orgs(text, METAS) == expected


def test_a_given_org_wins_over_the_named_one() -> None:
    assert route("What does Centiro do?", METAS, given="centra") == Route("centra", (), "given")
    assert route("x", METAS, given="Infentre").org == "infentre"


def test_an_unknown_given_org_raises_with_the_known_ids() -> None:
    with pytest.raises(UnknownOrganisation) as caught:
        route("hello", METAS, given="acme")
    assert caught.value.known == ALL
    assert "centra" in str(caught.value)


def test_the_named_org_then_the_only_one_then_a_choice() -> None:
    assert route("Does Infentre use cookies?", METAS) == Route("infentre", (), "named")
    assert route("Do you use cookies?", METAS) == Route(None, ALL, "unnamed")
    assert route("Centra or Centiro?", METAS) == Route(None, ("centra", "centiro"), "ambiguous")
    only = [m for m in METAS if m.id == "centiro"]
    assert route("Do you use cookies?", only) == Route("centiro", (), "only")
    assert route("Does Infentre use cookies?", only) == Route("centiro", (), "only")
    assert route("anything", []) == Route(None, (), "unnamed")


def test_the_matcher_is_built_once_per_set_of_policies() -> None:
    assert matcher_for(METAS) is matcher_for(list(METAS))
    assert matcher_for(METAS[:2]) is not matcher_for(METAS)


def test_aliases_and_inbox_domains_name_an_org_but_public_mail_domains_do_not() -> None:
    acme = PolicyMeta(id="acme", name="Acme Widgets", language=Language.EN, aliases=("Roadrunner Ltd",),
                      contact_email="acme.privacy@gmail.com", inbox="privacy@acme-widgets.example")
    other = PolicyMeta(id="other", name="Other", language=Language.EN)
    matcher = OrgMatcher([acme, other])
    assert matcher.named("Roadrunner's data") == ["acme"]
    assert matcher.named("Roadrunner Ltd") == ["acme"]
    assert matcher.named("acme widgets") == ["acme"]
    assert matcher.named("ACME") == ["acme"]
    assert matcher.named("mail to privacy@acme-widgets.example") == ["acme"]
    assert matcher.named("my gmail account") == []
    assert matcher.named("another thing") == []


def test_routing_a_thousand_orgs_is_fast() -> None:
    metas = [PolicyMeta(id=f"org-{n}", name=f"Company{n} Holding", language=Language.EN,
                        aliases=(f"Brand {n}",), inbox=f"privacy@company{n}.example") for n in range(1000)]
    started = time.perf_counter()
    matcher = OrgMatcher(metas)
    built = time.perf_counter() - started
    text = "Hello, I would like to know how long Company512 Holding keeps my personal data after I leave. " * 3
    started = time.perf_counter()
    for _ in range(1000):
        assert matcher.route(text).org == "org-512"
    per_message = (time.perf_counter() - started) / 1000
    assert built < 0.5 and per_message < 0.001


def test_a_generic_title_taken_as_a_name_does_not_capture_every_question() -> None:
    plain = PolicyMeta(id="privacy-statement", name="Privacy statement", language=Language.EN)
    acme = PolicyMeta(id="acme", name="Acme", language=Language.EN)
    matcher = OrgMatcher([plain, acme])
    assert matcher.named("What does your privacy statement say about cookies?") == []
    assert matcher.named("privacy-statement") == []  # even its id, made of generic words
    assert matcher.route("Does Acme keep my data?").org == "acme"

"""Answer selection: concepts, quotes, abstention, citation spans, reply wording."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.knowledge_files import load_folder
from bot.core.answers import Question, answer, citation_spans, idf_of, view
from bot.core.assistant import Assistant
from bot.core.models import Citation, Language, Passage, PolicyMeta, RecognisedRequest, Right
from bot.core.replies import answered, request, silent, which_organisation
from bot.core.retrieval import Partition
from bot.core.text import stems, terms
from bot.core.vocabulary import Vocabulary

VOCABULARY = Vocabulary()


def _passages(org: str, texts: list[tuple[str, str]]) -> tuple[str, list[Passage]]:
    body = ""
    out = []
    for n, (section, text) in enumerate(texts, start=1):
        start = len(body)
        body += text + "\n\n"
        out.append(Passage(f"{org}:p:{n}", org, section, text, start, start + len(text)))
    return body, out


def _ask(text: str, passages: list[Passage], language: Language = Language.EN) -> tuple[Citation, ...]:
    partition = Partition(passages, language)
    asked_words = VOCABULARY.asked_words(text)
    asked = frozenset(asked_words)
    own = terms(text, language)
    query = dict.fromkeys(own, 1.0)
    for term in VOCABULARY.expansion(asked, language):
        query.setdefault(term, 0.3)
    question = Question(text, Language.EN, asked, VOCABULARY.focus(asked), tuple(own),
                        frozenset(stems(text, language)), asked_words=asked_words)
    views = {p.id: view(p, language, VOCABULARY) for p in passages}
    hits = partition.search(query, k=10)
    return answer(question, hits, views, VOCABULARY, idf_of(partition.df, len(partition)),
                  {p.id: p.text for p in passages})


def test_vocabulary_detects_topics_in_both_languages() -> None:
    assert "retention" in VOCABULARY.asked("How long do you keep my data?")
    assert "retention" in VOCABULARY.asked("Hur länge sparar ni mina uppgifter?")
    assert "police" in VOCABULARY.asked("Do you give my data to the police?")
    assert "police" in VOCABULARY.said("inkluderat från polis och myndigheter")
    assert "third_party" in VOCABULARY.said("till tredjepart utan ditt medgivande")
    assert "cookies" in VOCABULARY.asked("Använder ni kakor?")


def test_longest_phrase_wins() -> None:
    # "data protection officer" is the DPO, not also a question about security.
    assert VOCABULARY.focus(VOCABULARY.asked("Who is your data protection officer?")) == {"dpo"}


def test_a_bare_where_asks_where_data_is_only_when_nothing_else_is_asked() -> None:
    assert "location" in VOCABULARY.asked("Where is my data kept?")
    assert "location" in VOCABULARY.asked("Where is my data?")
    assert "location" not in VOCABULARY.asked("Where do I write to exercise my rights?")
    assert {"location", "postal"} <= VOCABULARY.asked("Where is your head office?")
    assert "location" in VOCABULARY.asked("Which data center holds my rights requests?")
    assert "police" not in VOCABULARY.said("lodge a complaint with your data protection authority")


def test_english_question_expands_into_swedish_policy_words() -> None:
    expansion = VOCABULARY.expansion({"police"}, Language.SV)
    assert "polis" in expansion
    assert set(terms("myndigheter", Language.SV)) <= set(expansion)


def test_quotes_the_answering_sentence_not_the_passage() -> None:
    _, passages = _passages("o", [
        ("How long do you keep my information?",
         "We erase usage data on an ongoing basis. We keep this information no longer than 3 years."),
        ("Cookies", "Cookies are small text files."),
    ])
    citations = _ask("How long do you keep my data?", passages)
    assert citations[0].quote == "We keep this information no longer than 3 years."
    assert citations[0].text == passages[0].text
    assert citations[0].section == "How long do you keep my information?"


def test_abstains_when_passages_only_share_words() -> None:
    _, passages = _passages("o", [
        ("Policy", "Your employer may have its own policies regarding storage and retention of content."),
        ("Cookies", "Persistent cookies last until you or your browser delete them or until they expire."),
        ("Contact", "Please keep in touch with us about your data."),
    ])
    assert _ask("How long do you keep my data?", passages) == ()


def test_abstains_on_a_specific_topic_the_policy_lacks() -> None:
    _, passages = _passages("o", [
        ("Sharing", "We never share your data with any third party without your consent."),
        ("Security", "We protect your data with encryption and secure servers."),
    ])
    assert _ask("Do you share data with the police?", passages) == ()
    assert _ask("Do you sell my data?", passages) == ()
    assert _ask("Who do you share my data with?", passages) != ()


def test_a_precise_topic_named_only_in_a_long_list_is_not_answered() -> None:
    _, passages = _passages("o", [
        ("Work", "Your employer may have its own policies regarding storage, access, modification, deletion, and "
                 "retention of content."),
        ("Sharing", "We share your data with partners who help us run the service."),
    ])
    assert _ask("Do you delete my data?", passages) == ()
    _, passages = _passages("o", [("Deletion", "We delete your data when you close your account.")])
    assert _ask("Do you delete my data?", passages) != ()


def test_at_most_three_citations_best_first() -> None:
    _, passages = _passages("o", [("Cookies", f"We use cookies of kind {n}.") for n in range(6)])
    citations = _ask("Do you use cookies?", passages)
    assert 1 <= len(citations) <= 3
    assert len({c.passage_id for c in citations}) == len(citations)


def test_short_passages_are_cited_with_what_follows_in_their_section() -> None:
    body, passages = _passages("o", [
        ("Contact", "Send us your questions by e-mail or letter."),
        ("Contact", "Example AB\nBox 1\n501 10 Borås"),
        ("Contact", "info@example.se"),
        ("Other", "Something else entirely."),
    ])
    spans = citation_spans(passages, body)
    start, end = spans["o:p:1"]
    assert body[start:end].endswith("info@example.se")
    assert "Something else" not in body[start:end]
    # Never across a markup line between passages.
    marked = body.replace("\n\nExample AB", "\n<ins>\nExample AB")
    shifted = [Passage(p.id, p.org, p.section, p.text, marked.index(p.text), marked.index(p.text) + len(p.text))
               for p in passages]
    assert citation_spans(shifted, marked)["o:p:1"] == (shifted[0].start, shifted[0].end)


META = PolicyMeta(id="acme", name="Acme", language=Language.EN, contact_email="privacy@acme.example")
POSTAL = PolicyMeta(id="post", name="Post Co", language=Language.EN, contact_note="No e-mail address given.",
                    postal_address="Post Co, Box 1, 111 11 Stockholm")


def test_reply_names_organisation_section_quote_and_sources() -> None:
    citation = Citation("acme", "Retention", "acme:retention:1", "We keep it 3 years.", 1.0,
                        "We keep it 3 years.")
    reply = answered(META, [citation], Language.EN)
    assert "Acme" in reply and "“Retention”" in reply and "“We keep it 3 years.”" in reply
    assert "Sources:" in reply and "acme:retention:1" in reply
    assert "Källor:" in answered(META, [citation], Language.SV)


def test_silent_reply_offers_the_contact_route() -> None:
    assert "does not say" in silent(META, Language.EN) and "privacy@acme.example" in silent(META, Language.EN)
    assert "Box 1" in silent(POSTAL, Language.EN)
    assert "säger ingenting" in silent(META, Language.SV)


def test_request_reply_names_right_and_address_or_postal_route() -> None:
    erase = RecognisedRequest(Right.ERASURE, "privacy@acme.example")
    assert "erasure" in request(META, erase, Language.EN) and "privacy@acme.example" in request(
        META, erase, Language.EN)
    complaint = RecognisedRequest(Right.COMPLAINT, None, "No e-mail address given.")
    text = request(POSTAL, complaint, Language.EN)
    assert "no e-mail address" in text and "Box 1" in text
    assert "IMY (Integritetsskyddsmyndigheten)" in text and "Art. 77" in text
    assert "radering" in request(META, erase, Language.SV)


def test_which_organisation_lists_the_choices() -> None:
    text = which_organisation([META, POSTAL], Language.EN)
    assert "Acme (acme)" in text and "Post Co (post)" in text
    assert "Vilken organisation" in which_organisation([META], Language.SV)


def test_list_introduction_is_cited_with_its_list() -> None:
    body = ("Why we process your data\n\nThe purposes of processing are:\n\n"
            "  • Send you a webinar invitation.\n  • Answer your questions.\n\nCookies\n\nWe use cookies.")
    lines = ["The purposes of processing are:", "Send you a webinar invitation.", "Answer your questions."]
    passages = [Passage(f"o:why:{n}", "o", "Why we process your data", t, body.index(t), body.index(t) + len(t))
                for n, t in enumerate(lines, start=1)]
    passages.append(Passage("o:cookies:1", "o", "Cookies", "We use cookies.", body.index("We use cookies."),
                            len(body)))
    spans = citation_spans(passages, body)
    start, end = spans["o:why:1"]
    assert body[start:end].endswith("Answer your questions.")
    assert "Cookies" not in body[start:end]


# ---- generalising: words the policy never uses, back references, misspellings, word senses

_SMALL_POLICY = """# Example privacy policy

## Who we work with
We use sub-processors for storing data about you. We use Google's service Gmail for sending e-mails to you.
We use a CRM from Hubspot for storing information about our business relationship.

## What we collect
We collect your name, phone number and e-mail address when you fill out a contact form.
Our systems also collect your IP address. This information is used to keep the service secure and to count visits.

## Newsletter
We send a newsletter to people who sign up for it. You can unsubscribe at any time.

## Your rights
You can ask for a copy of the data we hold about you. You can ask us to delete your data.

## Contact
Write to privacy@example.com with any questions about this policy.
"""


def _assistant(tmp_path: Path, policy: str = _SMALL_POLICY, org: str = "example") -> Assistant:
    (tmp_path / f"{org}.md").write_text(policy, encoding="utf-8")
    return Assistant(load_folder(tmp_path))


def test_a_word_the_policy_never_uses_is_forgiven_beside_a_rare_word_it_does(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path)
    google = assistant.respond("Which Google products do you rely on?", org="example")
    assert google.answered and "Gmail" in google.citations[0].quote
    # The words that carry the question are the ones the policy never uses: it is silent.
    for text in ("Do you use my data for profiling?", "Is my data used to train artificial intelligence?",
                 "Would you give my chats to the police?"):
        answer = assistant.respond(text, org="example")
        assert not answer.answered and answer.citations == (), text


def test_an_unknown_word_after_a_known_one_is_the_thing_it_names_not_the_question(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path)
    # "platform" and "agency" are words the policy never uses, named by the word before them that it does.
    platform = assistant.respond("Which newsletter platform do you use?", org="example")
    assert platform.answered and "newsletter" in platform.citations[0].quote
    # An unknown word before a known one is what the question is about ("voice recordings"): silent.
    for text in ("Do you keep voice recordings of my calls?", "Do you use my data for research purposes?"):
        answer = assistant.respond(text, org="example")
        assert not answer.answered, text


def test_a_phrase_running_on_past_a_matched_one_is_also_matched() -> None:
    # "which data" (what is collected) and "data center" (where it is kept) share a word.
    assert {"collection", "location"} <= VOCABULARY.asked("In which data center is my information kept?")
    assert VOCABULARY.focus(VOCABULARY.asked("Who is your data protection officer?")) == {"dpo"}


def test_a_sentence_that_refers_back_is_quoted_with_the_one_before(tmp_path: Path) -> None:
    answer = _assistant(tmp_path).respond("What do you use my IP address for?", org="example")
    assert answer.answered
    assert answer.citations[0].quote == ("Our systems also collect your IP address. This information is used to "
                                         "keep the service secure and to count visits.")


def test_misspelt_words_are_corrected_only_towards_one_vocabulary_word() -> None:
    assert VOCABULARY.correct("how lonng do u keep my info", Language.EN, set()) == "how long do u keep my info"
    assert VOCABULARY.correct("Do you sell to thrid parties?", Language.EN, set()) == "Do you sell to third parties?"
    # A word the policy uses, a word one letter from another ("count" / "court"), a correction that makes no
    # topic ("later" / "layer") and an ambiguous misspelling stay as written.
    assert VOCABULARY.correct("how lonng is it", Language.EN, {"lonng"}) == "how lonng is it"
    assert VOCABULARY.correct("Does Gmail count as a work email?", Language.EN, set()) == \
        "Does Gmail count as a work email?"
    assert VOCABULARY.correct("Can I withdraw my consent later?", Language.EN, set()) == \
        "Can I withdraw my consent later?"
    assert VOCABULARY.correct("wich one", Language.EN, set()) == "wich one"  # which? with?
    # One letter wrong is corrected only where the word completes a phrase of a topic ("how long").
    assert VOCABULARY.correct("how lond do u keep my info", Language.EN, set()) == "how long do u keep my info"
    assert VOCABULARY.correct("hur lönge sparar ni det", Language.SV, set()) == "hur länge sparar ni det"


def test_word_senses_that_share_a_stem_are_told_apart() -> None:
    assert "account_closure" in VOCABULARY.asked("If I end my subscription, what happens to my information?")
    assert "applicants" not in VOCABULARY.asked("Which privacy law applies to you?")
    assert "applicants" in VOCABULARY.asked("I applied for a job with you, what happens to my CV?")
    changes = VOCABULARY.asked("Will you tell me when the policy changes?")
    settings = VOCABULARY.said_counts("You can change your browser settings to refuse cookies.")
    assert not VOCABULARY.addresses(settings, "changes", changes)
    assert VOCABULARY.addresses(VOCABULARY.said_counts("We may change this policy from time to time."), "changes",
                                changes)
    # "located" is not "location": where a company is is not where the person is.
    assert "location" not in VOCABULARY.said("your IP address, location and interactions with our website")
    assert "account_closure" not in VOCABULARY.said("Cookies are unique to your account or your browser.")


def test_a_sentence_answering_one_of_two_topics_asked_must_cover_the_question() -> None:
    _, passages = _passages("o", [
        ("Your employer", "Your employer may have its own rules on storage, deletion and retention of content."),
        ("Account", "We will erase your information immediately after you cancel your account."),
        ("Cookies", "Cookies are unique to your account."),
    ])
    citations = _ask("Do you delete my data when I close my account?", passages)
    assert citations
    assert citations[0].quote == "We will erase your information immediately after you cancel your account."
    assert _ask("Do you delete my data when I close my account?", [passages[0], passages[2]]) == ()


def test_an_alias_drops_its_words_only_where_the_question_writes_it_whole() -> None:
    from bot.core.models import Policy

    text = ("Retention\n\nWe keep your data for 2 years.\n\n"
            "Hosting\n\nYour data is kept in the cloud at Amazon Web Services.\n\n"
            "Contact\n\nWrite to Example Cloud AB, Box 1, 111 11 Stockholm.")
    meta = PolicyMeta(id="example", name="Example", language=Language.EN, aliases=("Example Cloud AB",))
    assistant = Assistant([Policy(meta=meta, text=text)])
    # "cloud" alone is what is asked about, not the organisation's name.
    for question in ("Is my data kept in the cloud?", "Does Example Cloud AB keep my data in the cloud?"):
        answer = assistant.respond(question, org="example")
        assert answer.answered and "Amazon" in answer.citations[0].quote, question


def test_two_broad_topics_asked_apart_and_answered_together_forgive_one_unknown_word() -> None:
    _, passages = _passages("x", [
        ("Your rights", "Individual users: if you would like to exercise your rights, please contact your employer."),
        ("Contact", "You can contact us by e-mail at hello@example.com with questions about this policy."),
    ])
    cited = _ask("Who should an ordinary user contact to exercise their rights?", passages)
    assert cited and "exercise your rights" in cited[0].quote
    # One word asking both topics at once ("recordings") pins nothing: see the "voice recordings" test above.


def test_a_sentence_writing_every_word_of_the_question_answers_without_naming_its_topic() -> None:
    _, passages = _passages("x", [
        ("Processors", "We use Google Drive for storing any documents you send to us."),
        ("Retention", "We keep your data for a while."),
    ])
    cited = _ask("Where do you store documents I send you?", passages)
    assert cited and "Google Drive" in cited[0].quote
    # A topic that must be answered as such is not: "how long" wants a duration.
    assert _ask("How long do you store documents I send you?", passages) == ()


def test_who_i_am_asks_about_identification_not_anonymity() -> None:
    assert "anonymous" not in VOCABULARY.asked("Do your cookies know who I am?")
    assert "identity" in VOCABULARY.asked("Do your cookies know who I am?")
    assert "anonymous" in VOCABULARY.asked("Måste jag uppge vem jag är för att använda webbplatsen?")
    assert "storage" in VOCABULARY.said("Centiro samlar även information om vilka sidor som besöks.")


_CARD_POLICY = """# Shop privacy policy

## Payments
When you pay, your credit card details are collected by our payment provider.

## Retention
We keep your e-mail address for two years after your last order.
"""


def test_a_duration_asked_beside_a_precise_topic_must_still_be_answered(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _CARD_POLICY, "shop")
    # The card passage says nothing of how long, the retention passage nothing of cards: the policy is silent.
    assert not assistant.respond("How long do you keep my credit card details?", org="shop").answered
    assert assistant.respond("Do you collect my credit card details?", org="shop").answered
    (tmp_path / "shop.md").write_text(_CARD_POLICY.replace("payment provider.", "payment provider and kept "
                                                          "for 30 days."), encoding="utf-8")
    kept = Assistant(load_folder(tmp_path)).respond("How long do you keep my credit card details?", org="shop")
    assert kept.answered and "30 days" in kept.citations[0].quote


_ENGLISH_POLICY = """# Example privacy policy

## Tracking
Our newsletters contain tracking pixels that tell us whether you opened them.

## Security
We use a number of security technologies and procedures to protect your personal information.

## Contact
You can call us on +46 8 123 45 67 with any questions about this policy.
"""


def test_swedish_everyday_words_meet_an_english_policy(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _ENGLISH_POLICY)
    pixels = assistant.respond("Använder ni spårningspixlar?", org="example")
    assert pixels.answered and "tracking pixels" in pixels.citations[0].quote
    phone = assistant.respond("Vilket telefonnummer når jag er på?", org="example")
    assert phone.answered and "+46 8 123 45 67" in phone.citations[0].quote
    # Security procedures in general do not say what happens at a breach.
    assert not assistant.respond("Har ni rutiner för dataintrång?", org="example").answered
    assert not assistant.respond("What do you do after a data breach?", org="example").answered


_TRANSFER_POLICY = """# Example privacy policy

## Sub-processors
We use Hubspot, a US company, for storing information about our customers.
"""


def test_a_thing_asked_for_by_name_that_the_policy_never_names_is_not_answered(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _TRANSFER_POLICY)
    # The transfer is there; the safeguards asked for are not, whatever else the sentence meets.
    assert not assistant.respond("What safeguards do you use when my data goes to the US?", org="example").answered
    assert assistant.respond("Do you send my data to a US company?", org="example").answered


def test_a_misspelt_word_is_read_as_the_one_policy_word_a_letter_away(tmp_path: Path) -> None:
    (tmp_path / "example.md").write_text("# Example privacy policy\n\n## Partners\nWe receive information about "
                                         "you from our advertising partners.\n", encoding="utf-8")
    assistant = Assistant(load_folder(tmp_path))
    assert VOCABULARY.correct_to("Do you recieve info from advertsing partners?",
                                 frozenset(["receive", "advertising"])) == \
        "Do you receive info from advertising partners?"
    # Not a changed letter, nor part of a hyphenated name.
    assert VOCABULARY.correct_to("Is profiling done at i-Centrum?", frozenset(["profiting", "icentrum"])) == \
        "Is profiling done at i-Centrum?"
    answer = assistant.respond("Who do you recieve information from?", org="example")
    assert answer.answered and "advertising partners" in answer.citations[0].quote


def test_a_swedish_compound_ending_in_a_word_for_any_data_needs_its_first_part_met(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path)
    # "löneuppgifter" is salary data, not any data: the policy says nothing of salaries.
    assert not assistant.respond("Hanterar ni löneuppgifter om mig?", org="example").answered
    # "kontaktuppgifter": both parts are met ("contact" ... "name, phone number and e-mail address").
    contact = assistant.respond("Vilka kontaktuppgifter samlar ni in?", org="example")
    assert contact.answered and "phone number" in contact.citations[0].quote


_COOKIE_POLICY = """# Example privacy policy

## Cookies
We use cookies to remember your settings.

## Retention
We delete your account data two years after your last login.
"""


def test_how_long_cookies_last_is_not_answered_by_how_long_data_is_kept(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _COOKIE_POLICY)
    assert not assistant.respond("How long do your website cookies last before they expire?", org="example").answered
    kept = assistant.respond("How long do you keep my account data?", org="example")
    assert kept.answered and "two years" in kept.citations[0].quote


def test_a_name_the_policy_never_uses_naming_what_is_asked_about_leaves_it_silent(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _ENGLISH_POLICY)
    # The policy speaks of tracking pixels, never of Facebook's: it does not say whether it uses that one.
    assert not assistant.respond("Do you use the Facebook tracking pixels in your newsletters?",
                                 org="example").answered
    # A name around the question ("in Outlook") is no such word.
    pixels = assistant.respond("When I open your newsletters in Outlook, do tracking pixels tell you?",
                               org="example")
    assert pixels.answered and "tracking pixels" in pixels.citations[0].quote


def test_salespeople_are_no_sale_and_two_factor_login_is_asked_as_such(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _CARD_POLICY.replace("## Retention", "## Sharing\nWe never sell your data.\n\n"
                                                           "## Security\nWe use encryption to protect your "
                                                           "account.\n\n## Retention"), "shop")
    assert not assistant.respond("Do you record the phone calls with your sales reps?", org="shop").answered
    assert assistant.respond("Do you sell my data?", org="shop").answered
    assert not assistant.respond("Can I turn on two-factor login for my account?", org="shop").answered


def test_how_soon_a_request_is_answered_and_how_often_mail_goes_out_are_not_how_long_data_is_kept(
        tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _SMALL_POLICY + "\n## Retention\nWe keep your data for two years.\n")
    assert not assistant.respond("How many days do you have to answer once I ask for a copy of my data?",
                                 org="example").answered
    assert not assistant.respond("How often does the newsletter go out?", org="example").answered
    kept = assistant.respond("How long do you keep my data?", org="example")
    assert kept.answered and "two years" in kept.citations[0].quote


def test_the_askers_description_of_themselves_stays_with_the_question(tmp_path: Path) -> None:
    policy = _SMALL_POLICY + ("\n## Company accounts\nIf your organization administers your account, please "
                              "contact your organization administrator to exercise your rights.\n")
    assistant = _assistant(tmp_path, policy)
    answer = assistant.respond("I'm just a normal user in my company's account, not an admin. Who do I go to if I "
                               "want my data removed?", org="example")
    assert answer.answered and "contact your organization administrator" in answer.citations[0].quote


def test_a_message_of_one_enormous_word_is_answered_without_trying_to_correct_its_spelling(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path)
    # Past 30 letters a "word" is noise, not a misspelling: it is left as written (its one-edit neighbours
    # would cost seconds), even when a policy word is one letter away.
    long_word = "pseudonymisationsforfarandenavtal"
    assert VOCABULARY.correct_to(f"Is there a {long_word[:-1]}?", frozenset([long_word])) == \
        f"Is there a {long_word[:-1]}?"
    assert VOCABULARY.correct_to("Do you recieve data?", frozenset(["receive"])) == "Do you receive data?"
    word = "A" + "a" * 4990
    assert not assistant.respond(f"What {word} is?", org="example").answered


def test_a_question_for_a_name_is_answered_only_by_a_text_that_names_someone(tmp_path: Path) -> None:
    policy = _SMALL_POLICY + ("\n## Data protection officer\nOur Data Protection Officer supervises all "
                              "privacy decisions.\n")
    assistant = _assistant(tmp_path, policy)
    assert not assistant.respond("What's the name of your data protection officer?", org="example").answered
    assert assistant.respond("Do you have a data protection officer?", org="example").answered
    named = _assistant(tmp_path, policy.replace("Our Data Protection Officer supervises",
                                                "Our Data Protection Officer, Karl Månsson, supervises"))
    answer = named.respond("What's the name of your data protection officer?", org="example")
    assert answer.answered and "Karl Månsson" in answer.citations[0].quote


def test_a_question_for_a_phone_number_is_answered_only_by_a_text_that_gives_one(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _ENGLISH_POLICY)
    phone = assistant.respond("Is there a phone number I can call with questions about this policy?", org="example")
    assert phone.answered and "+46 8 123 45 67" in phone.citations[0].quote
    silent = _assistant(tmp_path, _SMALL_POLICY)  # writes only an e-mail address
    assert not silent.respond("Is there a phone number I can call with questions about this policy?",
                              org="example").answered
    assert silent.respond("What do you use my phone number for?", org="example").answered


def test_kinds_of_encryption_are_asked_as_such(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, _SMALL_POLICY + "\n## Security\nWe encrypt the transmission of your "
                                                     "information using SSL.\n")
    assert assistant.respond("Do you encrypt my information?", org="example").answered
    assert not assistant.respond("Are my messages end-to-end encrypted?", org="example").answered
    assert not assistant.respond("Is the data you store about me encrypted at rest?", org="example").answered


def _survey_policy() -> list[Passage]:
    return _passages("acme", [
        ("Surveys", "We use the answers you give in our surveys only to improve our products."),
        ("Cookies", "We use cookies to remember your language."),
        ("Sharing", "We share your e-mail address with our mailing service."),
        ("Security", "Messages you send to our support team are encrypted in transit."),
        ("Contact", "Write to privacy@acme.example with any question."),
    ])[1]


def test_a_word_carrying_the_question_weighs_only_where_the_answer_writes_it() -> None:
    # "quick question", "anything", "one of" carry the question, not its topic: the survey sentence answers
    # though it writes none of them.
    for text in ("Quick question, is there anything you do with my answers from one of those surveys?",
                 "Hi, just wondering, one thing: the answers I give in your surveys, anything happen to them?"):
        cited = _ask(text, _survey_policy())
        assert cited and "answers you give in our surveys" in cited[0].text, text


def test_a_text_meeting_every_word_but_the_question_carrying_ones_is_not_complete() -> None:
    # "end-to-end": its "end" carries no topic elsewhere, but here the question asks for exactly that.
    assert _ask("Are my messages end-to-end encrypted?", _survey_policy()) == ()


def test_policy_phrasings_of_opting_out_not_tracking_and_sending_abroad_answer() -> None:
    passages = _passages("acme", [
        ("Cookies", "We use cookies to remember your language and to show you offers."),
        ("Your choices", "If you do not want to receive e-mail from us, please adjust your Communication "
                         "Preferences."),
        ("Signals", "However, we do not recognize or respond to browser-initiated DNT signals."),
        ("Users abroad", "If you're outside the United States, your information will be sent to and stored in "
                         "the United States."),
        ("Promotions", "We send promotional e-mails about new products to our customers."),
        ("Security", "We protect your information with encryption."),
    ])[1]
    for question, expected in (("How can I stop all the promotional emails?", "Communication Preferences"),
                               ("Do you honor Do Not Track settings in my browser?", "DNT signals"),
                               ("Is my data sent to other countries?", "sent to and stored")):
        cited = _ask(question, passages)
        assert cited and expected in cited[0].text, question


def test_the_askers_own_contacts_and_signing_in_with_another_account_are_topics_of_their_own() -> None:
    assert VOCABULARY.focus(VOCABULARY.asked("Do you look at my friends list or contacts?")) == {"address_book"}
    assert "address_book" not in VOCABULARY.asked("Do you buy contact lists from other companies?")
    assert "address_book" in VOCABULARY.asked("Does your mobile app collect my contacts or photos?")
    assert "address_book" not in VOCABULARY.asked("Can my friends see my posts?")
    assert VOCABULARY.focus(VOCABULARY.asked("Does Acme flog my contact info to other companies?")) == {"third_party"}
    assert {"contact", "contact_data"} <= VOCABULARY.said("Send your contact details to privacy@acme.example.")
    assert "integrations" in VOCABULARY.asked("If I sign in with Facebook, what do you get from my account?")
    assert "integrations" in VOCABULARY.said("Some of our services allow you to link your account to SNS services.")
    assert "integrations" in VOCABULARY.said("If you choose to link or login to your account through a social "
                                             "media service, we may receive your profile.")


def test_wrong_data_asks_for_correction_and_something_going_wrong_does_not() -> None:
    assert "rectification" in VOCABULARY.asked("My phone number in your records is wrong.")
    assert "rectification" in VOCABULARY.asked("my surname is spelled wrong in my account")
    assert "rectification" not in VOCABULARY.asked(
        "When I raise a support ticket about something going wrong in my workspace, does my admin see it?")


def test_how_to_stop_something_asks_how_to_opt_out() -> None:
    assert "objection" in VOCABULARY.asked("how do i stop google analytics tracking me on your website")
    assert "objection" in VOCABULARY.asked("Can I stop you from tracking me?")


def test_policy_phrasings_of_access_and_of_a_business_sale() -> None:
    assert "access" in VOCABULARY.said("We provide you with various ways to access or update your personal "
                                       "information.")
    assert "access" in VOCABULARY.said("You can view and edit your personal information at any time.")
    assert "merger" in VOCABULARY.said("Business Transfers. As time passes, the company may be sold along with "
                                       "its assets.")


def test_an_applicable_policy_or_a_software_application_is_no_job_applicant() -> None:
    assert "applicants" not in VOCABULARY.said("This Privacy Policy is applicable to www.example.com.")
    assert "applicants" not in VOCABULARY.said("We design our applications and systems to be secure.")
    assert "applicants" in VOCABULARY.said("If you apply for a job at Acme, we collect your CV.")

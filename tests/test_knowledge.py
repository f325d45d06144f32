"""The knowledge base: the real folder, front-matter errors located at file and line, and loading rules."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.adapters.knowledge_files import (
    KnowledgeProblems,
    check_folder,
    load_folder,
    load_policies,
    policy_files,
    yaml_front_matter,
)
from bot.commands import check as check_command
from bot.config import EMBEDDED_KNOWLEDGE
from bot.core.front_matter import flat_front_matter
from bot.core.knowledge import (
    Problem,
    detect_language,
    parse_policy,
    read_policy,
    slugify,
    validate,
)
from bot.core.models import Language
from bot.errors import KnowledgeError

GOOD_FRONT = """---
id: acme
name: Acme
aliases: [Acme AB]
language: en
contact_email: privacy@acme.example
contact_note: null
postal_address: Acme AB, Box 1, 111 11 Stockholm
updated: 2020-01-31
valid_from: 2020-02
inbox: privacy@acme.example
---
"""
GOOD_BODY = "Privacy\n\nWrite to privacy@acme.example with questions.\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- the real knowledge folder -------------------------------------------------------------------------------

def test_the_embedded_knowledge_folder_checks_clean() -> None:
    assert check_folder(EMBEDDED_KNOWLEDGE) == []


def test_the_five_organisations_have_the_ids_and_addresses_their_policies_give() -> None:
    policies = load_policies(EMBEDDED_KNOWLEDGE)
    assert set(policies) == {"centra", "infentre", "icentrex", "i-centrum", "centiro"}
    contact = {org: p.meta.contact_email for org, p in policies.items()}
    assert contact == {"centra": "support@centra.com", "infentre": "hello@infentre.com", "icentrex": None,
                       "i-centrum": "privacy@i-centrum.se", "centiro": "info@centiro.se"}
    inbox = {org: p.meta.inbox for org, p in policies.items()}
    assert inbox == {"centra": "privacy@centra.com", "infentre": "privacy@infentre.com",
                     "icentrex": "privacy@icentrex.com", "i-centrum": "privacy@i-centrum.se",
                     "centiro": "privacy@centiro.se"}
    assert policies["icentrex"].meta.contact_note and "no e-mail" in policies["icentrex"].meta.contact_note
    assert policies["icentrex"].meta.postal_address and "Solna" in policies["icentrex"].meta.postal_address
    assert {org: p.meta.language for org, p in policies.items()} == {
        "centra": Language.EN, "infentre": Language.EN, "icentrex": Language.EN, "i-centrum": Language.EN,
        "centiro": Language.SV}
    assert policies["infentre"].meta.updated == "2019-10-28"
    assert policies["centra"].meta.valid_from == "2020-09-10"
    assert policies["centiro"].meta.updated == "2016-02"


def test_policy_texts_are_verbatim_with_their_odd_characters() -> None:
    policies = load_policies(EMBEDDED_KNOWLEDGE)
    centra = policies["centra"].text
    assert "title:" not in centra and "<ins>" in centra and "\\#nospam" in centra
    assert "e\u2011mail to support@centra.com" in centra  # the seed's non-breaking hyphen is kept
    assert "\u00a0General Data Protection Regulation\u00a0(GDPR)" in policies["i-centrum"].text
    assert "\n\n" not in policies["icentrex"].text
    for policy in policies.values():
        assert policy.text == policy.text.lstrip("\ufeff")
        assert policy.body_line == 13


def test_the_flat_reader_and_pyyaml_agree_on_every_knowledge_file() -> None:
    for path in policy_files(EMBEDDED_KNOWLEDGE):
        raw = path.read_text(encoding="utf-8")
        flat = parse_policy(raw, source=str(path), default_id=path.stem)
        with_yaml = parse_policy(raw, source=str(path), default_id=path.stem, load=yaml_front_matter)
        assert flat == with_yaml


# ---- located problems ----------------------------------------------------------------------------------------

BAD_FRONT_MATTER = [
    # (front matter lines after '---', expected line, words the message must hold)
    ("id: acme\nname: [unclosed\n", 3, "not valid YAML"),
    ("id: acme\nowner: Bob\n", 3, "unknown field 'owner'; allowed fields: id, name"),
    ("id: Acme Corp\n", 2, "id 'Acme Corp' is not allowed; use lower-case letters"),
    ("id: acme\nlanguage: de\n", 3, "language must be one of en, sv, got 'de'"),
    ("id: acme\ncontact_email: write to us\n", 3, "contact_email must be a plain e-mail address"),
    ("id: acme\ninbox: <privacy@acme.example>\n", 3, "inbox must be a plain e-mail address"),
    ("id: acme\naliases: 5\n", 3, "aliases must be a list of names"),
    ("id: acme\nname: 42\n", 3, "name must be a non-empty text"),
    ("id: acme\nupdated: last year\n", 3, "updated must be a date like 2019-10-28"),
    ("id: acme\ncontact_email: null\n", 3, "contact_email is null: add contact_note"),
    ("- just\n- a list\n", 2, "front matter"),
]


@pytest.mark.parametrize(("front", "line", "words"), BAD_FRONT_MATTER)
def test_malformed_front_matter_is_located_with_what_is_allowed(tmp_path: Path, front: str, line: int,
                                                                words: str) -> None:
    path = write(tmp_path, "acme.md", f"---\n{front}---\n{GOOD_BODY}")
    problems = check_folder(tmp_path)
    assert problems, "a malformed file must not check clean"
    assert problems[0].path == str(path)
    assert problems[0].line == line
    assert words in problems[0].message
    assert str(problems[0]).startswith(f"{path}:{line}: ")
    with pytest.raises(KnowledgeError) as caught:
        load_folder(tmp_path)
    assert words in str(caught.value)


@pytest.mark.parametrize(("front", "line", "words"), BAD_FRONT_MATTER)
def test_the_core_reader_without_pyyaml_finds_the_same_problems(front: str, line: int, words: str) -> None:
    _, problems = read_policy(f"---\n{front}---\n{GOOD_BODY}", source="acme.md", default_id="acme")
    assert problems and problems[0].line == line
    if "YAML" not in words:
        assert words in problems[0].message


def test_front_matter_that_is_never_closed(tmp_path: Path) -> None:
    write(tmp_path, "acme.md", "---\nid: acme\n\nPrivacy text without the closing fence.\n")
    [problem] = check_folder(tmp_path)
    assert problem.line == 1 and "never closed" in problem.message


def test_every_problem_of_a_file_is_reported_not_only_the_first(tmp_path: Path) -> None:
    write(tmp_path, "acme.md", "---\nid: acme\nlanguage: fr\ncolour: red\ninbox: nope\n---\n" + GOOD_BODY)
    lines = sorted(p.line or 0 for p in check_folder(tmp_path))
    assert lines == [3, 4, 5]


def test_duplicate_ids_across_files_point_at_the_second_file(tmp_path: Path) -> None:
    write(tmp_path, "a.md", GOOD_FRONT + GOOD_BODY)
    second = write(tmp_path, "b.md", GOOD_FRONT + GOOD_BODY)
    [problem] = check_folder(tmp_path)
    assert problem.path == str(second) and problem.line == 2
    assert "duplicate id 'acme'" in problem.message and "a.md" in problem.message


def test_a_file_named_after_an_existing_id_clashes_too(tmp_path: Path) -> None:
    write(tmp_path, "acme.md", GOOD_FRONT + GOOD_BODY)
    write(tmp_path, "Acme.txt", "Acme privacy\n\nWe never sell data.\n")
    [problem] = check_folder(tmp_path)
    assert "duplicate id 'acme'" in problem.message


def test_empty_text_is_a_problem_at_the_line_where_text_should_start(tmp_path: Path) -> None:
    path = write(tmp_path, "acme.md", GOOD_FRONT.replace("contact_email: privacy@acme.example",
                                                         "contact_email: null")
                 .replace("contact_note: null", "contact_note: None given.") + "\n  \n")
    [problem] = check_folder(tmp_path)
    assert (problem.path, problem.line) == (str(path), 13)
    assert "policy text is empty" in problem.message


def test_a_contact_address_absent_from_the_text_is_located_at_its_field(tmp_path: Path) -> None:
    write(tmp_path, "acme.md", GOOD_FRONT + "Privacy\n\nWrite to dpo@acme.example.\n")
    [problem] = check_folder(tmp_path)
    assert problem.line == 6
    assert "'privacy@acme.example' does not occur in the policy text" in problem.message


def test_the_contact_address_is_compared_after_unicode_normalisation(tmp_path: Path) -> None:
    # Full-width at sign and a non-breaking hyphen in the text still match the plain address.
    front = GOOD_FRONT.replace("privacy@acme.example", "privacy@a-cme.example")
    write(tmp_path, "acme.md", front + "Write to privacy\uff20a\u2011cme.example today.\n")
    assert check_folder(tmp_path) == []


def test_validate_works_on_policies_built_in_memory() -> None:
    policy = parse_policy(GOOD_FRONT + GOOD_BODY, source="mem", default_id="x")
    assert validate([policy]) == []
    problems = validate([policy, policy])
    assert [p.message.split(":")[0] for p in problems] == ["duplicate id 'acme'"]
    assert isinstance(problems[0], Problem)


def test_parse_policy_raises_a_located_knowledge_error() -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_policy("---\nid: acme\nlanguage: xx\n---\ntext\n", source="acme.md", default_id="acme")
    assert (caught.value.path, caught.value.line) == ("acme.md", 3)


# ---- files without front matter, encodings ------------------------------------------------------------------

def test_a_plain_text_policy_loads_with_id_name_language_and_contact_from_its_text(tmp_path: Path) -> None:
    write(tmp_path, "Foo Bar – Sekretess.txt",
          "Sekretesspolicy för Foo\n\nVi sparar dina uppgifter så länge det är nödvändigt och inte längre."
          "\n\nKontakta oss på dataskydd@foo.se om du har frågor.\n")
    [policy] = load_folder(tmp_path)
    assert policy.id == "foo-bar-sekretess"
    assert policy.meta.name == "Sekretesspolicy för Foo"
    assert policy.meta.language == Language.SV
    assert policy.meta.contact_email == "dataskydd@foo.se" and policy.meta.contact_note is None
    assert policy.body_line == 1 and policy.text.startswith("Sekretesspolicy")


def test_a_plain_policy_without_any_address_says_so(tmp_path: Path) -> None:
    write(tmp_path, "quiet.md", "# Quiet Ltd privacy notice\n\nWe keep your data safe.\n")
    [policy] = load_folder(tmp_path)
    assert policy.meta.name == "Quiet Ltd privacy notice"
    assert policy.meta.contact_email is None and policy.meta.contact_note


def test_a_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    (tmp_path / "acme.md").write_bytes(b"\xef\xbb\xbf" + (GOOD_FRONT + GOOD_BODY).encode())
    [policy] = load_folder(tmp_path)
    assert policy.id == "acme" and policy.meta.aliases == ("Acme AB",)
    assert policy.meta.updated == "2020-01-31" and policy.meta.valid_from == "2020-02"


def test_a_non_utf8_file_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("Privacy\n\nWe store data in Borås.\n".encode("latin-1"))
    write(tmp_path, "acme.md", GOOD_FRONT + GOOD_BODY)
    [problem] = check_folder(tmp_path)
    assert problem.path.endswith("latin.txt") and problem.line == 3 and "not UTF-8" in problem.message


def test_load_folder_lists_every_problem_in_one_error(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\nid: a\nlanguage: xx\n---\ntext\n")
    write(tmp_path, "b.md", "---\nid: b\nfoo: 1\n---\ntext\n")
    with pytest.raises(KnowledgeProblems) as caught:
        load_folder(tmp_path)
    assert len(caught.value.problems) == 2
    assert "a.md:3" in str(caught.value) and "b.md:3" in str(caught.value)


def test_missing_empty_and_readme_only_folders_are_clear_errors(tmp_path: Path) -> None:
    assert "does not exist" in check_folder(tmp_path / "nope")[0].message
    write(tmp_path, "README.md", "# How to write policies\n")
    write(tmp_path, "notes.json", "{}")
    assert "holds no policy files" in check_folder(tmp_path)[0].message


def test_slugify_and_language_detection() -> None:
    title = "TickTick - To Do List with Reminder, Day Planner"
    assert slugify(title) == "ticktick-to-do-list-with-reminder-day-planner"
    assert slugify("Ändringar") == "andringar"
    assert slugify("???") == ""
    assert detect_language("Vi använder kakor för att göra din upplevelse bättre.") == Language.SV
    assert detect_language("We use cookies to make your experience better.") == Language.EN


def test_flat_front_matter_reads_block_lists_and_quotes() -> None:
    assert flat_front_matter("aliases:\n  - A\n  - 'B, C'\nname: \"X\"\nupdated: 2020-01-02") == {
        "aliases": ["A", "B, C"], "name": "X", "updated": __import__("datetime").date(2020, 1, 2)}


# ---- the check command ---------------------------------------------------------------------------------------

def _run_check(folder: Path) -> int:
    parser = argparse.ArgumentParser()
    check_command.register(parser.add_subparsers())
    args = parser.parse_args(["check", "--knowledge", str(folder)])
    result: int = args.func(args)
    return result


def test_check_command_on_a_clean_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_check(EMBEDDED_KNOWLEDGE) == 0
    assert "5 policies, no problems" in capsys.readouterr().out


def test_check_command_prints_path_line_message_and_a_summary(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.md", "---\nid: a\nlanguage: xx\n---\ntext\n")
    write(tmp_path, "b.md", GOOD_FRONT + "No address here.\n")
    assert _run_check(tmp_path) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{tmp_path / 'a.md'}:3: language must be one of en, sv")
    assert out[1].startswith(f"{tmp_path / 'b.md'}:6: contact_email")
    assert out[-1] == f"2 problem(s) in 2 file(s) under {tmp_path}"


def test_check_command_defaults_to_knowledge_dir_from_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.md", "---\nid: a\nlanguage: xx\n---\ntext\n")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path))
    parser = argparse.ArgumentParser()
    check_command.register(parser.add_subparsers())
    args = parser.parse_args(["check"])
    assert args.func(args) == 1
    assert "a.md:3:" in capsys.readouterr().out


# ---- hostile files -------------------------------------------------------------------------------------------

HOSTILE = [
    ("updated: 2020-02-30\n", "day is out of range"),
    ("aliases: " + "[" * 3000 + "]" * 3000 + "\n", "not valid YAML"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\naliases: [*b, *b, *b]\n",
     "anchors and aliases"),
    ("name: !!python/object/apply:os.system [echo hi]\n", "could not determine a constructor"),
    ("? [a, b]\n: c\n", "unhashable key"),
    ("notes: " + "x" * 30_000 + "\n", "characters long"),
]


@pytest.mark.parametrize(("front", "words"), HOSTILE)
def test_hostile_front_matter_is_a_located_problem_not_a_crash(tmp_path: Path, front: str, words: str) -> None:
    write(tmp_path, "evil.md", f"---\nid: evil\n{front}---\nPolicy text.\n")
    [problem] = check_folder(tmp_path)
    assert words in problem.message and len(problem.message) < 400
    assert problem.line is not None


def test_a_long_text_without_spaces_loads_quickly(tmp_path: Path) -> None:
    import time

    write(tmp_path, "long.txt", "Long policy\n\n" + "a" * 300_000 + "@" + ".b" * 100_000 + "\n")
    started = time.perf_counter()
    [policy] = load_folder(tmp_path)
    assert time.perf_counter() - started < 2
    assert policy.meta.contact_email is None


def test_a_name_or_alias_that_also_names_another_organisation_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "a.md", GOOD_FRONT + GOOD_BODY)
    other = GOOD_FRONT.replace("id: acme", "id: roadrunner").replace("name: Acme", "name: Roadrunner")
    write(tmp_path, "b.md", other.replace("aliases: [Acme AB]", "aliases: [Beep, ACME-AB]") + GOOD_BODY)
    [problem] = check_folder(tmp_path)
    assert problem.path.endswith("b.md") and problem.line == 4
    assert "alias 'ACME-AB' also names 'acme'" in problem.message


def test_plain_files_with_the_same_generic_title_do_not_clash(tmp_path: Path) -> None:
    write(tmp_path, "one.txt", "Privacy Policy\n\nWe keep data for a year.\n")
    write(tmp_path, "two.txt", "Privacy Policy\n\nWe keep data for two years.\n")
    assert [p.id for p in load_folder(tmp_path)] == ["one", "two"]


def test_python_m_bot_check_end_to_end(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "KNOWLEDGE_DIR"}
    root = Path(__file__).resolve().parent.parent
    clean = subprocess.run([sys.executable, "-m", "bot", "check"], cwd=root, env=env, capture_output=True,
                           text=True, timeout=60)
    assert (clean.returncode, clean.stderr) == (0, "")
    assert clean.stdout.strip().endswith("5 policies, no problems")
    write(tmp_path, "a.md", "---\nid: A B\n---\ntext\n")
    bad = subprocess.run([sys.executable, "-m", "bot", "check", "--knowledge", str(tmp_path)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0].startswith(f"{tmp_path / 'a.md'}:2: id 'A B' is not allowed")

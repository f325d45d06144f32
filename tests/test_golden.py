"""The golden table: well-formed and fair, the quality gates through the real Assistant, the scoring and `eval`."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.adapters.knowledge_files import load_folder
from bot.commands import eval as eval_command
from bot.core.assistant import Assistant
from bot.core.evaluation import GoldenRow, Kind, Ratio, Report, format_report, parse_golden, score
from bot.core.models import Language, Right
from bot.core.text import detect_language, normalise
from bot.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden.jsonl"
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def rows() -> list[GoldenRow]:
    return parse_golden(GOLDEN.read_text(encoding="utf-8").splitlines(), source=str(GOLDEN))


@pytest.fixture(scope="module")
def report(rows: list[GoldenRow]) -> Report:
    assistant = Assistant(load_folder(KNOWLEDGE))
    return score(rows, [assistant.respond(row.text, org=row.org).to_json() for row in rows])


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", normalise(text)).strip()


# ---- the table itself

def test_table_covers_what_issue_2_asks(rows: list[GoldenRow]) -> None:
    assert len(rows) >= 80
    kinds = Counter(row.kind for row in rows)
    assert kinds[Kind.ANSWER] >= 50 and kinds[Kind.ABSTAIN] >= 15 and kinds[Kind.REQUEST] >= 15
    assert kinds[Kind.ASK_ORG] >= 3
    orgs = Counter(row.expect_org for row in rows)
    assert {"centra", "infentre", "icentrex", "i-centrum", "centiro"} <= set(orgs)
    assert all(orgs[org] >= 12 for org in ("centra", "infentre", "icentrex", "i-centrum", "centiro"))
    languages = Counter(detect_language(row.text) for row in rows)
    assert languages[Language.SV] >= 25 and languages[Language.EN] >= 60
    assert {row.right for row in rows if row.kind is Kind.REQUEST} == set(Right)
    # Cross-lingual both ways: English on the Swedish policy, Swedish on the English ones.
    assert any(r.expect_org == "centiro" and detect_language(r.text) is Language.EN and r.kind is Kind.ANSWER
               for r in rows)
    assert any(r.expect_org != "centiro" and detect_language(r.text) is Language.SV and r.kind is Kind.ANSWER
               for r in rows)
    # The policies that say nothing about retention are asked about it.
    silent = {(r.expect_org, r.kind) for r in rows if re.search(r"how long|hur länge", r.text, re.IGNORECASE)}
    assert ("icentrex", Kind.ABSTAIN) in silent and ("centiro", Kind.ABSTAIN) in silent
    assert any(r.org is None and r.expect_org is not None for r in rows)  # org named in the text, not given


def test_every_phrase_to_cite_is_in_that_policy(rows: list[GoldenRow]) -> None:
    texts = {policy.id: _flat(policy.text) for policy in load_folder(KNOWLEDGE)}
    for row in rows:
        for phrase in row.must_cite:
            assert row.expect_org in texts, row.id
            assert _flat(phrase) in texts[row.expect_org], f"{row.id}: {phrase!r} is not in {row.expect_org}"


def test_questions_do_not_leak_the_answer(rows: list[GoldenRow]) -> None:
    for row in rows:
        for phrase in row.must_cite:
            assert _flat(phrase) not in _flat(row.text), f"{row.id}: the question quotes its own answer"


# ---- the quality gates (h2 tunes against these; the held-out set checks the general case)

def test_hit_at_3(report: Report) -> None:
    assert report.hit3.value >= 0.95, format_report(report, verbose=True)


def test_abstention(report: Report) -> None:
    assert report.abstention.value >= 0.9, format_report(report, verbose=True)


def test_no_false_requests(report: Report) -> None:
    assert report.false_requests == 0, format_report(report, verbose=True)


def test_requests_and_routing(report: Report) -> None:
    assert report.requests.value >= 0.9, format_report(report, verbose=True)
    assert report.org.value == 1.0, format_report(report, verbose=True)
    assert report.errors == 0


# ---- the scoring

def _row(kind: Kind, *, must: tuple[str, ...] = (), right: Right | None = None, org: str | None = "acme",
         ident: str = "r") -> GoldenRow:
    return GoldenRow(ident, "text", org, org, kind, must, right)


def _answer(*texts: str, answered: bool = True, org: str | None = "acme",
            right: str | None = None) -> dict[str, object]:
    return {"org": org, "answered": answered, "reply": "",
            "citations": [{"org": org, "section": "s", "passage_id": f"p{i}", "text": t, "score": 1.0}
                          for i, t in enumerate(texts)],
            "request": None if right is None else {"right": right, "forward_to": None}}


def test_hits_count_the_phrase_in_first_or_top_three_citations() -> None:
    rows = [_row(Kind.ANSWER, must=("3\u00a0years",), ident=str(i)) for i in range(4)]
    answers = [
        _answer("We keep it no longer than 3 YEARS.", "x"),  # hit@1 (spaces and case folded)
        _answer("x", "y", "kept for 3 years"),  # hit@3 only
        _answer("x", "y", "z", "kept for 3 years"),  # 4th citation: a miss
        _answer("kept for 3 years", answered=False),  # abstained: a miss whatever it cites
    ]
    result = score(rows, answers)
    assert (result.hit1.hits, result.hit3.hits, result.hit3.total) == (1, 2, 4)
    assert result.answered_when_answerable.hits == 3
    assert {f.row_id: f.metric for f in result.failures} == {"1": "hit@1", "2": "hit@3", "3": "abstention"}


def test_a_citation_from_another_organisation_is_no_hit() -> None:
    result = score([_row(Kind.ANSWER, must=("3 years",))], [_answer("3 years", org="other")])
    assert result.hit3.hits == 0 and result.org.hits == 0


def test_abstention_requests_false_requests_and_errors() -> None:
    rows = [
        _row(Kind.ABSTAIN, ident="silent-ok"), _row(Kind.ABSTAIN, ident="silent-bad"),
        _row(Kind.REQUEST, right=Right.ERASURE, ident="req-ok"),
        _row(Kind.REQUEST, right=Right.ACCESS, ident="req-wrong"),
        _row(Kind.ANSWER, must=("x",), ident="question"),
        _row(Kind.ASK_ORG, org=None, ident="ask"),
        _row(Kind.ASK_ORG, org=None, ident="ask-request", right=Right.ERASURE),
        _row(Kind.ABSTAIN, ident="broken"),
    ]
    answers = [
        _answer(answered=False), _answer("something"),
        _answer(right="erasure"), _answer(right="erasure"),
        _answer("x", right="objection"),
        _answer(answered=False, org=None),
        _answer(answered=False, org=None, right="erasure"),
        {"error": "line 8: unknown organisation"},
    ]
    result = score(rows, answers)
    assert result.abstained_when_silent.hits == 2 and result.abstained_when_silent.total == 3
    assert (result.requests.hits, result.requests.total) == (1, 2)
    assert result.false_requests == 1 and result.non_request_rows == 5
    assert result.org.hits == 7 and result.errors == 1
    assert result.per_org == (("acme", Ratio(1, 1), Ratio(2, 3)),)
    assert "  acme               1.000 (1/1) | 0.667 (2/3)" in format_report(result, verbose=True)
    metrics = {(f.row_id, f.metric) for f in result.failures}
    assert {("silent-bad", "abstention"), ("req-wrong", "request"), ("question", "false_request"),
            ("broken", "error"), ("broken", "org")} <= metrics
    text = format_report(result, verbose=True)
    assert "false requests       1" in text and "req-wrong" in text
    assert "req-wrong" not in format_report(result)
    assert json.loads(json.dumps(result.to_json()))["requests"] == {"value": 0.5, "hits": 1, "total": 2}


@pytest.mark.parametrize(("line", "message"), [
    ("{", "malformed JSON"),
    ("[1]", "JSON object"),
    ('{"id": "a", "text": "t", "kind": "maybe", "org": "x"}', "allowed: answer, abstain, request, ask_org"),
    ('{"id": "a", "text": "t", "kind": "answer", "org": "x"}', "needs 'must_cite'"),
    ('{"id": "a", "text": "t", "kind": "request", "org": "x", "right": "fly"}', "allowed: access"),
    ('{"id": "a", "text": "", "kind": "abstain", "org": "x"}', "'text'"),
    ('{"id": "a", "text": "t", "kind": "abstain", "org": "x", "colour": 1}', "unknown field"),
    ('{"id": "a", "text": "t", "kind": "ask_org", "org": "x"}', "null"),
])
def test_malformed_rows_are_located(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        parse_golden(["", line], source="g.jsonl")
    assert str(caught.value).startswith("g.jsonl:2:")


def test_duplicate_ids_are_refused() -> None:
    line = '{"id": "a", "text": "t", "kind": "abstain", "org": "x", "expect_org": "x"}'
    with pytest.raises(ValueError, match="duplicate id"):
        parse_golden([line, line])


# ---- the command

def _run_eval(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    eval_command.register(parser.add_subparsers())
    args = parser.parse_args(["eval", *argv])
    result: int = args.func(args)
    return result


def test_eval_prints_the_figures(capsys: pytest.CaptureFixture[str], report: Report) -> None:
    assert _run_eval("--knowledge", str(KNOWLEDGE)) == 0
    out = capsys.readouterr().out
    for label in ("hit@1", "hit@3", "abstention accuracy", "request accuracy", "false requests", "org accuracy"):
        assert label in out
    assert f"hit@3                {report.hit3}" in out  # the same figures as the Assistant gives in-process


def test_eval_json_and_verbose(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    golden = tmp_path / "g.jsonl"
    golden.write_text(
        '{"id": "ret", "text": "How long do you keep my data?", "org": "infentre", "expect_org": "infentre", '
        '"kind": "answer", "must_cite": "no longer than 3 years"}\n'
        '{"id": "del", "text": "Please delete my data", "org": "centra", "expect_org": "centra", '
        '"kind": "abstain"}\n', encoding="utf-8")
    assert _run_eval("--golden", str(golden), "--knowledge", str(KNOWLEDGE), "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["rows"] == 2 and figures["false_requests"] == 1
    assert [f["id"] for f in figures["failures"] if f["metric"] == "false_request"] == ["del"]
    assert _run_eval("--golden", str(golden), "--knowledge", str(KNOWLEDGE), "--verbose") == 0
    assert "del" in capsys.readouterr().out


def test_eval_refuses_a_bad_table(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape("bad.jsonl:1: malformed JSON")):
        _run_eval("--golden", str(bad))
    with pytest.raises(InvalidInput, match="cannot read"):
        _run_eval("--golden", str(tmp_path / "missing.jsonl"))


def test_eval_through_python_m_bot() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "eval", "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] >= 80

"""``python -m bot ask`` as a user runs it: a real subprocess, text, --json and --jsonl."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)})


def test_ask_quotes_the_answering_sentence_with_org_and_section() -> None:
    result = _bot("ask", "How long do you keep my data?", "--org", "infentre")
    assert result.returncode == 0, result.stderr
    assert "We keep this information no longer than 3 years." in result.stdout
    assert "Infentre" in result.stdout
    assert "How long do you keep my information?" in result.stdout


def test_ask_json_contract() -> None:
    result = _bot("ask", "--json", "How long do you keep my data?", "--org", "infentre")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"org", "answered", "reply", "citations", "request"}
    assert data["org"] == "infentre" and data["answered"] is True and data["request"] is None
    assert 1 <= len(data["citations"]) <= 3
    first = data["citations"][0]
    assert set(first) >= {"org", "section", "passage_id", "text", "score"}
    assert "no longer than 3 years" in first["text"]
    policy = (ROOT / "knowledge" / "infentre.md").read_text(encoding="utf-8")
    for citation in data["citations"]:
        body = citation["text"].split("\n", 1)[-1] if citation["text"] not in policy else citation["text"]
        assert body in policy


def test_swedish_erasure_request_names_the_forward_address() -> None:
    result = _bot("ask", "--json", "Radera alla mina personuppgifter, tack.", "--org", "centiro")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["request"] == {"right": "erasure", "forward_to": "info@centiro.se"}
    assert "info@centiro.se" in data["reply"]


def test_request_to_org_without_address_says_so() -> None:
    data = json.loads(_bot("ask", "--json", "Please delete all my data.", "--org", "icentrex").stdout)
    assert data["request"]["right"] == "erasure"
    assert data["request"]["forward_to"] is None


def test_unknown_org_and_empty_text_fail_clearly() -> None:
    unknown = _bot("ask", "Do you sell my data?", "--org", "acme")
    assert unknown.returncode != 0 and "acme" in unknown.stderr and "centra" in unknown.stderr
    empty = _bot("ask", "   ")
    assert empty.returncode != 0 and "empty" in empty.stderr


def test_jsonl_answers_in_order_and_reports_bad_lines() -> None:
    lines = "\n".join([
        json.dumps({"text": "How long do you keep my data?", "org": "infentre"}),
        "{not json",
        json.dumps({"text": "Do you sell my data?", "org": "nope"}),
        json.dumps({"text": "", "org": None}),
        json.dumps({"text": "Do you sell my personal information?", "org": "centra"}),
    ]) + "\n"
    result = _bot("ask", "--jsonl", stdin=lines)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["org"] == "infentre" and out[0]["answered"] is True
    assert "error" in out[1] and "line 2" in out[1]["error"]
    assert "error" in out[2] and "nope" in out[2]["error"]
    assert "error" in out[3]
    assert out[4]["org"] == "centra" and out[4]["answered"] is True


def test_unnamed_org_gets_a_question_back() -> None:
    data = json.loads(_bot("ask", "--json", "Do you use cookies?").stdout)
    assert data["answered"] is False and data["org"] is None
    for org_name in ("Centra", "Infentre", "iCentrex", "i-Centrum", "Centiro"):
        assert org_name in data["reply"]

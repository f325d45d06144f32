"""PrivacyQA (LegalBench-RAG subset, 194 questions): the bot through `ask --jsonl` beside plain BM25, within policy.

Usage: .venv/bin/python bench/privacyqa.py [--json] [--verbose]
Data: $PRIVACYQA_DIR, else ../shared/benchmarks/privacyqa next to the project. Nothing is written to the repo:
the 7 corpus files are copied to a temporary folder and loaded there as plain policy files.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import Stemmer
from rank_bm25 import BM25Okapi

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "privacyqa"
GOLD = Path("derived") / "lbr194_sentence_gold.json"
K = 3

_STEM = Stemmer.Stemmer("english")
_WORD = re.compile(r"[^\W_]+")
# A short, ordinary English stop list: the baseline is meant to be plain, not tuned.
_STOP = frozenset(re.split(r"\s+", """a an and are as at be by for from has have how i if in is it its me my of on
or our that the their this to was we what when where which who will with you your do does can"""))


def tokens(text: str) -> list[str]:
    stems: list[str] = _STEM.stemWords([w for w in _WORD.findall(text.lower()) if w not in _STOP])
    return stems


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    policy: str  # corpus file stem
    gold: frozenset[int]  # 0-based line numbers


@dataclass(frozen=True, slots=True)
class Corpus:
    text: str
    lines: tuple[tuple[int, int], ...]  # (start, end) character span of each line, newline excluded

    @classmethod
    def of(cls, text: str) -> Corpus:
        spans, start = [], 0
        for line in text.split("\n"):
            spans.append((start, start + len(line)))
            start += len(line) + 1
        return cls(text, tuple(spans))

    def lines_of(self, start: int, end: int) -> frozenset[int]:
        """Lines a character span touches with non-blank text."""
        return frozenset(i for i, (s, e) in enumerate(self.lines)
                         if s < end and start < e and self.text[max(s, start):min(e, end)].strip())


@dataclass
class Scores:
    hit1: int = 0
    hit3: int = 0
    rr: float = 0.0
    n: int = 0

    def add(self, ranked_hits: Sequence[bool]) -> None:
        self.n += 1
        top = list(ranked_hits[:K])
        self.hit1 += bool(top[:1] and top[0])
        self.hit3 += any(top)
        self.rr += next((1 / (i + 1) for i, hit in enumerate(top) if hit), 0.0)

    def row(self) -> dict[str, float]:
        n = self.n or 1
        return {"hit@1": self.hit1 / n, "hit@3": self.hit3 / n, "mrr@3": self.rr / n}


def load(data_dir: Path) -> tuple[list[Question], dict[str, Path]]:
    gold_path = data_dir / GOLD
    if not gold_path.is_file():
        raise SystemExit(f"error: {gold_path} not found; set PRIVACYQA_DIR to the privacyqa benchmark folder")
    items = json.loads(gold_path.read_text(encoding="utf-8"))["items"]
    files: dict[str, Path] = {}
    questions = []
    for item in items:
        path = data_dir / item["corpus_file"]
        files[path.stem] = path
        questions.append(Question(item["question"], path.stem, frozenset(item["gold_line_ids"])))
    return questions, files


def policy_ids(folder: Path) -> dict[str, str]:
    """File stem -> the organisation id the bot's own loader derives from that file."""
    sys.path.insert(0, str(PROJECT))
    from bot.adapters.knowledge_files import load_folder

    return {Path(p.source).stem: p.id for p in load_folder(folder)}


def ask_bot(questions: Sequence[Question], ids: dict[str, str], folder: Path) -> tuple[list[dict[str, object]], float]:
    """One `python -m bot ask --jsonl --knowledge DIR` run over all questions, as a user would run it."""
    lines = "".join(json.dumps({"text": q.text, "org": ids[q.policy]}) + "\n" for q in questions)
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "--jsonl", "--knowledge", str(folder)], input=lines,
                          capture_output=True, text=True, cwd=PROJECT, timeout=600, check=False)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"error: the bot exited with {done.returncode}:\n{done.stderr[-2000:]}")
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(answers) != len(questions):
        raise SystemExit(f"error: {len(questions)} questions but {len(answers)} answers")
    return answers, elapsed


def bm25_ranking(units: Sequence[tuple[int, int]], corpus: Corpus, query: str) -> list[tuple[int, int]]:
    """Units (line ranges [first, last]) best first, skipping units overlapping an already ranked one."""
    docs = [tokens(" ".join(corpus.text[corpus.lines[i][0]:corpus.lines[i][1]] for i in range(a, b + 1)))
            for a, b in units]
    scores = BM25Okapi(docs).get_scores(tokens(query))
    ranked: list[tuple[int, int]] = []
    for index in sorted(range(len(units)), key=lambda i: -scores[i]):
        a, b = units[index]
        if all(b < x or a > y for x, y in ranked):
            ranked.append((a, b))
        if len(ranked) == K:
            break
    return ranked


def windows_by_lines(corpus: Corpus, size: int) -> list[tuple[int, int]]:
    last = len(corpus.lines) - 1
    return [(i, min(last, i + size - 1)) for i in range(0, max(1, len(corpus.lines) - size + 1))]


def windows_by_chars(corpus: Corpus, chars: int) -> list[tuple[int, int]]:
    """From each line, the run of consecutive lines whose length comes closest to ``chars``."""
    units = []
    for i in range(len(corpus.lines)):
        j = i
        while j < len(corpus.lines) - 1 and abs(corpus.lines[j + 1][1] - corpus.lines[i][0] - chars) < abs(
                corpus.lines[j][1] - corpus.lines[i][0] - chars):
            j += 1
        units.append((i, j))
    return units


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--verbose", action="store_true", help="also print per-policy bot figures")
    args = parser.parse_args(argv)
    data_dir = Path(os.environ.get("PRIVACYQA_DIR") or DEFAULT_DIR)
    questions, files = load(data_dir)
    corpora = {stem: Corpus.of(path.read_text(encoding="utf-8")) for stem, path in files.items()}
    with tempfile.TemporaryDirectory(prefix="privacyqa-") as tmp:
        folder = Path(tmp)
        for path in files.values():
            shutil.copyfile(path, folder / path.name)
        ids = policy_ids(folder)
        answers, elapsed = ask_bot(questions, ids, folder)

    bot, answered, per_policy = Scores(), Scores(), {stem: Scores() for stem in files}
    cited_lines: list[int] = []
    cited_chars: list[int] = []
    not_verbatim = abstained = requests = errors = 0
    for question, answer in zip(questions, answers, strict=True):
        corpus = corpora[question.policy]
        if "error" in answer:
            errors += 1
        abstained += answer.get("answered") is False
        requests += answer.get("request") is not None
        hits = []
        cited = answer.get("citations")
        for citation in (cited if isinstance(cited, list) else [])[:K]:
            text = str(citation.get("text", "")) if isinstance(citation, dict) else ""
            start = corpus.text.find(text) if text.strip() else -1
            if start < 0:  # not the policy's own contiguous text: a miss, whatever it says
                not_verbatim += 1
                hits.append(False)
                continue
            lines = corpus.lines_of(start, start + len(text))
            cited_lines.append(len(lines))
            cited_chars.append(len(text.strip()))
            hits.append(bool(lines & question.gold))
        bot.add(hits)
        if answer.get("answered") is True:
            answered.add(hits)
        per_policy[question.policy].add(hits)

    median_lines = max(1, round(statistics.median(cited_lines))) if cited_lines else 1
    median_chars = round(statistics.median(cited_chars)) if cited_chars else 0
    baselines = {"bm25 lines (1 sentence)": Scores(), f"bm25 windows of {median_lines} lines": Scores(),
                 f"bm25 windows of ~{median_chars} chars": Scores()}
    units = {stem: (windows_by_lines(c, 1), windows_by_lines(c, median_lines), windows_by_chars(c, median_chars))
             for stem, c in corpora.items()}
    for question in questions:
        corpus = corpora[question.policy]
        for scores, unit_list in zip(baselines.values(), units[question.policy], strict=True):
            ranked = bm25_ranking(unit_list, corpus, question.text)
            scores.add([any(a <= g <= b for g in question.gold) for a, b in ranked])

    bot_row = bot.row()
    # Both ways of matching the bot's citation length; the stronger baseline is the one to beat.
    same_length = max(s.row()["hit@1"] for name, s in baselines.items() if "windows" in name)
    result: dict[str, object] = {
        "questions": len(questions), "policies": len(files), "seconds_bot": round(elapsed, 2),
        "bot": bot_row, "bot_on_answered": {"n": answered.n, **answered.row()},
        **{name: s.row() for name, s in baselines.items()},
        "bot_median_citation": {"lines": median_lines, "chars": median_chars},
        "bot_vs_same_length_bm25_hit@1": round(bot_row["hit@1"] / same_length, 2) if same_length else None,
        "abstained": abstained, "requests": requests, "errors": errors, "citations_not_verbatim": not_verbatim,
        "per_policy": {stem: {"n": s.n, **s.row()} for stem, s in per_policy.items()},
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"PrivacyQA / LegalBench-RAG: {len(questions)} questions over {len(files)} policies, within-policy, "
          f"k={K}; all questions sent through one `python -m bot ask --jsonl` process: {elapsed:.1f} s")
    print(f"{'system':<34} {'hit@1':>6} {'hit@3':>6} {'MRR@3':>6}")
    for name, row in [("bot (privacy-bot)", bot_row), *((n, s.row()) for n, s in baselines.items())]:
        print(f"{name:<34} {row['hit@1']:>6.3f} {row['hit@3']:>6.3f} {row['mrr@3']:>6.3f}")
    print(f"bot citations: median {median_lines} line(s) / {median_chars} chars; "
          f"bot hit@1 / best same-length BM25 hit@1 = {result['bot_vs_same_length_bm25_hit@1']}")
    on_answered = answered.row()
    print(f"on the {answered.n} questions the bot answered: hit@1 {on_answered['hit@1']:.3f}, "
          f"hit@3 {on_answered['hit@3']:.3f}, MRR@3 {on_answered['mrr@3']:.3f}")
    print(f"abstained {abstained}, taken for requests {requests}, errors {errors}, "
          f"citations not verbatim {not_verbatim} (counted as misses)")
    if args.verbose:
        for stem, scores in per_policy.items():
            policy_row = scores.row()
            print(f"  {stem[:32]:<32} n={scores.n:<3} hit@1 {policy_row['hit@1']:.3f} hit@3 {policy_row['hit@3']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

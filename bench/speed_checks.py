"""bench/speed.py's checks: the old per-organisation path as a reference, identical golden answers, `serve`'s memory."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from rank_bm25 import BM25Plus

from bot.adapters.knowledge_files import load_folder
from bot.core.assistant import EXPANSION_WEIGHT, Assistant
from bot.core.evaluation import parse_golden
from bot.core.models import Language, Passage, Policy
from bot.core.retrieval import DELTA, K1, B, PassageIndex, passage_terms
from bot.core.text import terms
from bot.core.vocabulary import Vocabulary

PROJECT = Path(__file__).resolve().parents[1]
GOLDEN = PROJECT / "tests" / "data" / "golden.jsonl"
KNOWLEDGE = PROJECT / "knowledge"


class ReferencePartition:
    """The unscaled path as it was before issue 8: rank-bm25's BM25Plus per organisation, postings as
    dicts of (passage, tf part) lists; kept here to check the compact index returns the same hits."""

    def __init__(self, passages: Sequence[Passage], language: Language) -> None:
        self.passages = tuple(passages)
        corpus = [passage_terms(p, language) for p in passages]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self.idf: dict[str, float] = {}
        if not corpus or not any(corpus):
            return
        bm25 = BM25Plus(corpus, k1=K1, b=B, delta=DELTA)
        self.idf = dict(bm25.idf)
        for i, freqs in enumerate(bm25.doc_freqs):
            norm = K1 * (1 - B + B * bm25.doc_len[i] / bm25.avgdl)
            for term, tf in freqs.items():
                self.postings.setdefault(term, []).append((i, tf * (K1 + 1) / (norm + tf)))

    def search(self, query: dict[str, float], k: int) -> list[tuple[str, float]]:
        out: dict[int, float] = {}
        for term, weight in query.items():
            postings = self.postings.get(term)
            if not postings:
                continue
            factor = weight * self.idf[term]
            for i, tf_part in postings:
                out[i] = out.get(i, 0.0) + factor * tf_part
        ranked = sorted(out.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [(self.passages[i].id, score) for i, score in ranked]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_rss(corpus: Path, timeout: float = 600.0) -> dict[str, float]:
    """Start `python -m bot serve` on the corpus, wait until /healthz answers (after the start-up warm),
    read VmRSS/VmHWM from /proc, then stop it with SIGTERM."""
    port = free_port()
    data = Path(tempfile.mkdtemp(prefix="speed-data-"))
    env = {**os.environ, "KNOWLEDGE_DIR": str(corpus), "DATA_DIR": str(data), "PORT": str(port),
           "LOG_LEVEL": "WARNING", "KNOWLEDGE_WATCH_SECONDS": "0"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=PROJECT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
            if time.perf_counter() - start > timeout:
                raise RuntimeError("serve did not become ready")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        ready = time.perf_counter() - start
        status = dict(line.split(":", 1) for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
                      if ":" in line)
        return {"ready_s": ready, "rss_mb": int(status["VmRSS"].split()[0]) / 1024,
                "peak_mb": int(status["VmHWM"].split()[0]) / 1024}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data, ignore_errors=True)


def golden_identical(synthetic: list[Policy]) -> tuple[int, int, list[str]]:
    """Golden questions with their organisation given: seeds alone vs seeds + synthetic corpus."""
    rows = parse_golden(GOLDEN.read_text(encoding="utf-8").splitlines(), source=str(GOLDEN))
    seeds = load_folder(KNOWLEDGE)
    alone = Assistant(seeds)
    scaled = Assistant([*seeds, *synthetic])
    given = [row for row in rows if row.org is not None]
    differ = [row.id for row in given
              if alone.respond(row.text, org=row.org).to_json() != scaled.respond(row.text, org=row.org).to_json()]
    return len(given) - len(differ), len(given), differ


def reference_identical(policies: list[Policy], index: PassageIndex, texts: list[str], sample: int,
                        rng: random.Random) -> tuple[int, int]:
    """Per-organisation hits (ids and float scores) of the compact index vs the old per-org BM25Plus path."""
    vocabulary = Vocabulary()
    same = total = 0
    for policy in rng.sample(policies, min(sample, len(policies))):
        language = policy.meta.language
        ref = ReferencePartition(index.passages_of(policy.id), language)
        for text in texts:
            query = dict.fromkeys(terms(text, language), 1.0)
            for term in vocabulary.expansion(vocabulary.asked(text), language):
                query.setdefault(term, EXPANSION_WEIGHT)
            ours = [(h.passage.id, h.score) for h in index.search({language: query}, org=policy.id, k=10)]
            same += ours == ref.search(query, 10)
            total += 1
    return same, total

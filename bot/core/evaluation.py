"""Score answers (the JSON contract of ``ask``) against a golden table: hit@k, abstention, requests, routing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.models import Right
from bot.core.text import normalise

__all__ = ["Failure", "GoldenRow", "Kind", "Ratio", "Report", "format_report", "parse_golden", "score"]


class Kind(StrEnum):
    ANSWER = "answer"  # the policy answers it: a passage containing ``must_cite`` must be cited
    ABSTAIN = "abstain"  # the policy is silent: the bot must say so (answered=false)
    REQUEST = "request"  # a rights request: ``right`` must be recognised
    ASK_ORG = "ask_org"  # no organisation given or named: the bot must ask which one


@dataclass(frozen=True, slots=True)
class GoldenRow:
    id: str
    text: str
    org: str | None  # given to the bot (flag / channel), or None
    expect_org: str | None
    kind: Kind
    must_cite: tuple[str, ...] = ()  # any one of these phrases must occur in a cited passage
    right: Right | None = None


_FIELDS = {"id", "text", "org", "expect_org", "kind", "must_cite", "right"}


def parse_golden(lines: Iterable[str], *, source: str = "golden") -> list[GoldenRow]:
    """Rows of a golden JSONL table; ValueError naming the line and the allowed values when one is malformed."""
    rows: list[GoldenRow] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: malformed JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise ValueError(f"{where}: each line must be a JSON object with fields {sorted(_FIELDS)}")
        row = _row(item, where)
        if row.id in seen:
            raise ValueError(f"{where}: duplicate id {row.id!r}; ids must be unique")
        seen.add(row.id)
        rows.append(row)
    return rows


def _row(item: Mapping[str, object], where: str) -> GoldenRow:
    unknown = set(item) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_FIELDS)}")
    ident, text, kind = item.get("id"), item.get("text"), item.get("kind")
    if not isinstance(ident, str) or not ident:
        raise ValueError(f"{where}: 'id' must be a non-empty string")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: 'text' must be a non-empty string")
    if kind not in set(Kind):
        raise ValueError(f"{where}: 'kind' is {kind!r}; allowed: {', '.join(Kind)}")
    org, expect = item.get("org"), item.get("expect_org", item.get("org"))
    for name, value in (("org", org), ("expect_org", expect)):
        if value is not None and (not isinstance(value, str) or not value):
            raise ValueError(f"{where}: {name!r} must be an organisation id or null")
    cite = item.get("must_cite")
    phrases = (cite,) if isinstance(cite, str) else tuple(cite) if isinstance(cite, list) else ()
    if cite is not None and (not phrases or not all(isinstance(p, str) and p.strip() for p in phrases)):
        raise ValueError(f"{where}: 'must_cite' must be a phrase, a list of phrases, or null")
    right_value = item.get("right")
    if right_value is not None and right_value not in set(Right):
        raise ValueError(f"{where}: 'right' is {right_value!r}; allowed: {', '.join(Right)} or null")
    row = GoldenRow(ident, text, org if isinstance(org, str) else None, expect if isinstance(expect, str) else None,
                    Kind(str(kind)), tuple(str(p) for p in phrases),
                    Right(str(right_value)) if right_value is not None else None)
    if row.kind is Kind.ANSWER and not row.must_cite:
        raise ValueError(f"{where}: an 'answer' row needs 'must_cite' (a phrase of the passage that answers it)")
    if row.kind is Kind.REQUEST and row.right is None:
        raise ValueError(f"{where}: a 'request' row needs 'right'; allowed: {', '.join(Right)}")
    if row.kind is Kind.ASK_ORG and (row.org is not None or row.expect_org is not None):
        raise ValueError(f"{where}: an 'ask_org' row has 'org' and 'expect_org' null")
    if row.kind is not Kind.ASK_ORG and row.expect_org is None:
        raise ValueError(f"{where}: 'expect_org' is required unless kind is 'ask_org'")
    return row


@dataclass(frozen=True, slots=True)
class Ratio:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.hits}/{self.total})" if self.total else "n/a (0 rows)"


@dataclass(frozen=True, slots=True)
class Failure:
    row_id: str
    metric: str  # "hit@1", "hit@3", "abstention", "request", "false_request", "org", "error"
    detail: str


@dataclass(frozen=True, slots=True)
class Report:
    rows: int
    hit1: Ratio
    hit3: Ratio
    abstention: Ratio  # silent rows abstained + answerable rows not abstained
    abstained_when_silent: Ratio
    answered_when_answerable: Ratio
    requests: Ratio  # request rows recognised with the right right
    false_requests: int  # rows that are not requests but got one
    non_request_rows: int
    org: Ratio
    errors: int
    failures: tuple[Failure, ...] = field(default=())
    # Per organisation: (org, hit@3 over its answer rows, abstentions over its silent rows).
    per_org: tuple[tuple[str, Ratio, Ratio], ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        def ratio(r: Ratio) -> dict[str, object]:
            return {"value": round(r.value, 4), "hits": r.hits, "total": r.total}

        return {
            "rows": self.rows, "hit@1": ratio(self.hit1), "hit@3": ratio(self.hit3),
            "abstention": ratio(self.abstention), "abstained_when_silent": ratio(self.abstained_when_silent),
            "answered_when_answerable": ratio(self.answered_when_answerable), "requests": ratio(self.requests),
            "false_requests": self.false_requests, "non_request_rows": self.non_request_rows,
            "org": ratio(self.org), "errors": self.errors,
            "failures": [{"id": f.row_id, "metric": f.metric, "detail": f.detail} for f in self.failures],
            "per_org": {org: {"hit@3": ratio(hits), "abstained_when_silent": ratio(silent)}
                        for org, hits, silent in self.per_org},
        }


_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", normalise(text)).strip()


def _citations(answer: Mapping[str, object]) -> list[Mapping[str, object]]:
    cited = answer.get("citations")
    return [c for c in cited if isinstance(c, Mapping)] if isinstance(cited, list) else []


def _cites(citation: Mapping[str, object], phrases: Sequence[str], org: str | None) -> bool:
    text = citation.get("text")
    if not isinstance(text, str) or (org is not None and citation.get("org") != org):
        return False
    flat = _norm(text)
    return any(_norm(p) in flat for p in phrases)


def _shown(citations: Sequence[Mapping[str, object]]) -> str:
    if not citations:
        return "no citations"
    parts = []
    for c in citations[:3]:
        snippet = _SPACE.sub(" ", str(c.get("text", ""))).strip()
        parts.append(f"{c.get('passage_id')}: {snippet[:70]!r}")
    return "; ".join(parts)


def score(rows: Sequence[GoldenRow], answers: Sequence[Mapping[str, object]]) -> Report:
    """Score ``answers[i]`` (an ``Answer.to_json()`` object, or ``{"error": ...}``) against ``rows[i]``."""
    if len(rows) != len(answers):
        raise ValueError(f"{len(rows)} golden rows but {len(answers)} answers")
    failures: list[Failure] = []
    hit1 = hit3 = n_answer = silent_ok = n_silent = answerable_ok = 0
    req_ok = n_req = false_req = n_nonreq = org_ok = errors = 0
    by_org: dict[str, list[int]] = {}  # org -> [hit@3 hits, answer rows, silent ok, silent rows]
    for row, answer in zip(rows, answers, strict=True):
        if "error" in answer:
            errors += 1
            failures.append(Failure(row.id, "error", str(answer["error"])))
        answered = answer.get("answered") is True
        request = answer.get("request")
        got_right = request.get("right") if isinstance(request, Mapping) else None
        cited = _citations(answer)
        if row.kind is Kind.ANSWER:
            n_answer += 1
            answerable_ok += answered
            first = answered and bool(cited) and _cites(cited[0], row.must_cite, row.expect_org)
            top3 = answered and any(_cites(c, row.must_cite, row.expect_org) for c in cited[:3])
            hit1 += first
            hit3 += top3
            tally = by_org.setdefault(row.expect_org or "-", [0, 0, 0, 0])
            tally[0] += top3
            tally[1] += 1
            if not answered:
                failures.append(Failure(row.id, "abstention", f"abstained on an answerable question: "
                                        f"{_shown(cited)}"))
            elif not top3:
                failures.append(Failure(row.id, "hit@3", f"{row.must_cite[0]!r} not cited; got {_shown(cited)}"))
            elif not first:
                failures.append(Failure(row.id, "hit@1", f"{row.must_cite[0]!r} cited but not first; "
                                        f"got {_shown(cited[:1])}"))
        elif row.kind is Kind.ABSTAIN:
            n_silent += 1
            silent_ok += not answered
            tally = by_org.setdefault(row.expect_org or "-", [0, 0, 0, 0])
            tally[2] += not answered
            tally[3] += 1
            if answered:
                failures.append(Failure(row.id, "abstention", f"answered though the policy is silent: "
                                        f"{_shown(cited)}"))
        if row.kind is Kind.REQUEST:
            n_req += 1
            ok = got_right == (row.right.value if row.right else None)
            req_ok += ok
            if not ok:
                failures.append(Failure(row.id, "request", f"expected {row.right}, got {got_right or 'no request'}"))
        elif row.right is None:
            n_nonreq += 1
            if request is not None:
                false_req += 1
                failures.append(Failure(row.id, "false_request", f"a question taken for a {got_right} request"))
        org_good = (answer.get("org") is None and not answered) if row.kind is Kind.ASK_ORG \
            else answer.get("org") == row.expect_org
        org_ok += org_good
        if not org_good:
            wanted = "to be asked which organisation" if row.kind is Kind.ASK_ORG else repr(row.expect_org)
            failures.append(Failure(row.id, "org", f"expected {wanted}, got org={answer.get('org')!r} "
                                    f"answered={answer.get('answered')!r}"))
    return Report(
        rows=len(rows), hit1=Ratio(hit1, n_answer), hit3=Ratio(hit3, n_answer),
        abstention=Ratio(silent_ok + answerable_ok, n_silent + n_answer),
        abstained_when_silent=Ratio(silent_ok, n_silent), answered_when_answerable=Ratio(answerable_ok, n_answer),
        requests=Ratio(req_ok, n_req), false_requests=false_req, non_request_rows=n_nonreq,
        org=Ratio(org_ok, len(rows)), errors=errors, failures=tuple(failures),
        per_org=tuple((org, Ratio(t[0], t[1]), Ratio(t[2], t[3])) for org, t in sorted(by_org.items())))


def format_report(report: Report, *, verbose: bool = False) -> str:
    """The figures as aligned text lines; with ``verbose`` every failing row too."""
    lines = [
        f"golden rows          {report.rows}",
        f"hit@1                {report.hit1}",
        f"hit@3                {report.hit3}",
        f"abstention accuracy  {report.abstention}: abstained when silent {report.abstained_when_silent}, "
        f"answered when answerable {report.answered_when_answerable}",
        f"request accuracy     {report.requests}",
        f"false requests       {report.false_requests} (of {report.non_request_rows} rows that are not requests)",
        f"org accuracy         {report.org}",
    ]
    if report.errors:
        lines.append(f"errors               {report.errors}")
    if verbose:
        lines.append("per organisation     hit@3 | abstained when silent")
        lines.extend(f"  {org:<18} {hits} | {silent}" for org, hits, silent in report.per_org)
        lines.append(f"failures             {len(report.failures)}")
        lines.extend(f"  {f.row_id:<28} {f.metric:<13} {f.detail}" for f in report.failures)
    return "\n".join(lines)

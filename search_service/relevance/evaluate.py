"""Run judged queries through the search service's own code path and score the rankings."""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from search_service.catalog.search.query_string import parse_search
from search_service.catalog.search.service import CatalogSearch
from search_service.lib.errors import UsageError
from search_service.relevance.metrics import RELEVANT, ndcg, precision, reciprocal_rank

Judgments = dict[str, dict[str, int]]


JUDGMENT_COLUMNS = ("query", "docid", "rating")


def read_judgments(path: Path) -> Judgments:
    """``query,docid,rating`` CSV (the format relevance tools exchange).

    Raises:
        UsageError: the file is not such a CSV (naming the line), or judges nothing.
    """
    judged: Judgments = defaultdict(dict)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in JUDGMENT_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise UsageError(f"{path}: a CSV with the columns query,docid,rating")
            for row in reader:
                query, doc, rating = (row[c] for c in JUDGMENT_COLUMNS)
                if not query or not doc or not (rating or "").strip().isdigit():
                    raise UsageError(
                        f"{path}, line {reader.line_num}: a query, a document id and a"
                        " rating (a whole number) on every line"
                    )
                judged[query][doc] = int(rating)
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    if not judged:
        raise UsageError(f"{path}: no judgments (query,docid,rating lines)")
    return dict(judged)


def write_judgments(judged: Judgments, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["query", "docid", "rating"])
        for query, grades in judged.items():
            for doc, grade in grades.items():
                writer.writerow([query, doc, grade])


SPLITS = ("tune", "heldout")


@dataclass(frozen=True, slots=True)
class Judged:
    """What a judged query is: its kind, and its split (``tune``: ranking work may look at
    it; ``heldout``: nothing is tuned on it, it tells whether a change generalises)."""

    kind: str
    split: str = "tune"


def read_kinds(path: Path) -> dict[str, Judged]:
    """``query,kind,split`` CSV (``split`` defaults to ``tune``)."""
    with path.open(newline="", encoding="utf-8") as f:
        return {
            row["query"]: Judged(row["kind"], row.get("split") or "tune")
            for row in csv.DictReader(f)
        }


@dataclass
class QueryResult:
    query: str
    kind: str
    ranked: list[str]
    ndcg: float
    mrr: float
    p5: float
    split: str = "tune"


@dataclass
class Report:
    results: list[QueryResult] = field(default_factory=list)

    def mean(self, metric: str, kind: str | None = None, split: str | None = None) -> float:
        values = [
            getattr(r, metric)
            for r in self.results
            if kind in (None, r.kind) and split in (None, r.split)
        ]
        return statistics.fmean(values) if values else 0.0

    def count(self, kind: str | None = None, split: str | None = None) -> int:
        return sum(1 for r in self.results if kind in (None, r.kind) and split in (None, r.split))

    @property
    def kinds(self) -> list[str]:
        return sorted({r.kind for r in self.results})

    def without_hit_in_top10(self, judged: Judgments) -> list[str]:
        return [
            r.query
            for r in self.results
            if not any(judged[r.query].get(d, 0) >= RELEVANT for d in r.ranked[:10])
        ]

    def _scores(self, split: str | None) -> dict[str, object]:
        return {
            "overall": {m: round(self.mean(m, None, split), 4) for m in ("ndcg", "mrr", "p5")},
            "kinds": {
                k: {m: round(self.mean(m, k, split), 4) for m in ("ndcg", "mrr", "p5")}
                for k in self.kinds
                if self.count(k, split)
            },
        }

    def as_dict(self) -> dict[str, object]:
        return {
            **self._scores(None),
            "splits": {split: self._scores(split) for split in SPLITS},
            "queries": [
                {
                    "query": r.query,
                    "kind": r.kind,
                    "split": r.split,
                    "ndcg": round(r.ndcg, 4),
                    "top10": r.ranked[:10],
                }
                for r in self.results
            ],
        }


async def evaluate(
    catalog: CatalogSearch,
    judged: Judgments,
    kinds: dict[str, Judged],
    split: str | None = None,
) -> Report:
    """Each query as a search request (the API's parser and service), scored at 10; only the
    queries of ``split`` when given."""
    report = Report()
    for query, grades in judged.items():
        about = kinds.get(query, Judged("other"))
        if split is not None and about.split != split:
            continue
        request = parse_search(parse_qs(query, keep_blank_values=True))
        response = await catalog.search(request)
        ranked = [hit.slug for hit in response.hits]
        report.results.append(
            QueryResult(
                query=query,
                kind=about.kind,
                split=about.split,
                ranked=ranked,
                ndcg=ndcg(ranked, grades),
                mrr=reciprocal_rank(ranked, grades),
                p5=precision(ranked, grades),
            )
        )
    return report


def render(report: Report, judged: Judgments, worst: int = 10) -> str:
    """The scores, overall and per kind, on each split and on both; then the worst queries
    with what outranked them."""
    lines = [
        f"{'kind':14} {'queries':>7} {'NDCG@10':>8} {'MRR':>6} {'P@5':>6}   "
        f"{'tune':>11} {'held-out':>11}"
    ]

    def split_cell(kind: str | None, split: str) -> str:
        count = report.count(kind, split)
        return f"{report.mean('ndcg', kind, split):.3f} ({count:>2})" if count else " " * 10

    for kind in [*report.kinds, None]:
        lines.append(
            f"{kind or 'overall':14} {report.count(kind):>7} {report.mean('ndcg', kind):>8.3f} "
            f"{report.mean('mrr', kind):>6.3f} {report.mean('p5', kind):>6.3f}   "
            f"{split_cell(kind, 'tune'):>11} {split_cell(kind, 'heldout'):>11}"
        )
    lines.append("")
    lines.append(f"worst {worst} queries:")
    for r in sorted(report.results, key=lambda r: r.ndcg)[:worst]:
        grades = judged[r.query]
        best = max(grades, key=lambda d: grades[d])
        top = ", ".join(f"{d}({grades.get(d, 0)})" for d in r.ranked[:5])
        lines.append(
            f"  {r.ndcg:.3f} [{r.kind}] {r.query}\n        top: {top}\n"
            f"        best judged: {best}({grades[best]})"
        )
    return "\n".join(lines)

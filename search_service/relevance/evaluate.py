"""Run judged queries through the search service's own code path and score the rankings."""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from search_service.catalog.params import parse_search
from search_service.catalog.service import CatalogSearch
from search_service.relevance.metrics import RELEVANT, ndcg, precision, reciprocal_rank

Judgments = dict[str, dict[str, int]]


def read_judgments(path: Path) -> Judgments:
    """``query,docid,rating`` CSV (the format relevance tools exchange)."""
    judged: Judgments = defaultdict(dict)
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            judged[row["query"]][row["docid"]] = int(row["rating"])
    return dict(judged)


def write_judgments(judged: Judgments, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["query", "docid", "rating"])
        for query, grades in judged.items():
            for doc, grade in grades.items():
                writer.writerow([query, doc, grade])


def read_kinds(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as f:
        return {row["query"]: row["kind"] for row in csv.DictReader(f)}


@dataclass
class QueryResult:
    query: str
    kind: str
    ranked: list[str]
    ndcg: float
    mrr: float
    p5: float


@dataclass
class Report:
    results: list[QueryResult] = field(default_factory=list)

    def mean(self, metric: str, kind: str | None = None) -> float:
        values = [getattr(r, metric) for r in self.results if kind in (None, r.kind)]
        return statistics.fmean(values) if values else 0.0

    @property
    def kinds(self) -> list[str]:
        return sorted({r.kind for r in self.results})

    def without_hit_in_top10(self, judged: Judgments) -> list[str]:
        return [
            r.query
            for r in self.results
            if not any(judged[r.query].get(d, 0) >= RELEVANT for d in r.ranked[:10])
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "overall": {m: round(self.mean(m), 4) for m in ("ndcg", "mrr", "p5")},
            "kinds": {
                k: {m: round(self.mean(m, k), 4) for m in ("ndcg", "mrr", "p5")} for k in self.kinds
            },
            "queries": [
                {"query": r.query, "kind": r.kind, "ndcg": round(r.ndcg, 4), "top10": r.ranked[:10]}
                for r in self.results
            ],
        }


async def evaluate(catalog: CatalogSearch, judged: Judgments, kinds: dict[str, str]) -> Report:
    """Each query as a search request (the API's parser and service), scored at 10."""
    report = Report()
    for query, grades in judged.items():
        request = parse_search(parse_qs(query, keep_blank_values=True))
        response = await catalog.search(request)
        ranked = [hit.slug for hit in response.hits]
        report.results.append(
            QueryResult(
                query=query,
                kind=kinds.get(query, "other"),
                ranked=ranked,
                ndcg=ndcg(ranked, grades),
                mrr=reciprocal_rank(ranked, grades),
                p5=precision(ranked, grades),
            )
        )
    return report


def render(report: Report, judged: Judgments, worst: int = 10) -> str:
    """The scores, overall and per kind, then the worst queries with what outranked them."""
    lines = [f"{'kind':14} {'queries':>7} {'NDCG@10':>8} {'MRR':>6} {'P@5':>6}"]
    for kind in [*report.kinds, None]:
        count = sum(1 for r in report.results if kind in (None, r.kind))
        lines.append(
            f"{kind or 'overall':14} {count:>7} {report.mean('ndcg', kind):>8.3f} "
            f"{report.mean('mrr', kind):>6.3f} {report.mean('p5', kind):>6.3f}"
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

"""Why multi-valued facets are counted through a single-valued twin (``VALUE_SETS`` in
``search/tantivy/schema.py``): tantivy's terms aggregation over each field, every course.

Usage: python -m benchmarks.value_sets [--rounds 50]

Uses the configured tantivy index (SKILLSPRING_*; seed and reindex first): prints, for each
multi-valued facet field and its twin, the time of one aggregation over all documents and the
ratio between them.
"""

from __future__ import annotations

import argparse
import time

import tantivy

from search_service.search.tantivy.execute import FACET_SIZE, SET_BUCKETS
from search_service.search.tantivy.schema import VALUE_SETS
from search_service.search.tantivy.store import TantivyStore
from search_service.settings import load_settings


def _timed(searcher: tantivy.Searcher, field: str, size: int, rounds: int) -> float:
    query = tantivy.Query.all_query()
    request = {field: {"terms": {"field": field, "size": size}}}
    searcher.aggregate(query, request)  # warm the column
    started = time.perf_counter()
    for _ in range(rounds):
        searcher.aggregate(query, request)
    return (time.perf_counter() - started) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50, help="aggregations timed per field")
    args = parser.parse_args()
    settings = load_settings()
    _, index = TantivyStore(settings.tantivy_dir / settings.search.index_name).open_live()
    searcher = index.searcher()
    print(f"{searcher.num_docs:,} documents")
    for multi, twin in VALUE_SETS.items():
        slow = _timed(searcher, multi, FACET_SIZE, args.rounds)
        fast = _timed(searcher, twin, SET_BUCKETS, args.rounds)
        print(f"{multi}: {slow * 1e3:.2f} ms | {twin}: {fast * 1e3:.2f} ms | {slow / fast:.1f}x")


if __name__ == "__main__":
    main()

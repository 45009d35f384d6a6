"""The engine floors, in process: what a search costs before any HTTP or shaping.

Usage: python benchmarks/floors.py --paths FILE --out FILE [--warm FILE] [--rounds 1]

For each search path in FILE (a JSON list), parsed exactly as the API parses it, after
warming up on the paths in ``--warm`` (other requests: each measured request is seen for the
first time, as the server sees it):

- ``engine``: the port's ``search`` — the call the service makes (hits decoded, highlights,
  facets), with the result cache off;
- ``engine_cpu``: the CPU time of the process (every thread: the ranking's and the facet
  counting's) per engine search, over the same requests;
- ``index`` (tantivy only): the index work alone — the query and filters built, the page
  collected with an exact count, and every facet counted once over the matches — the
  least any implementation must ask tantivy to do;
- ``index_page`` (tantivy only): the same and the page's stored documents read (not
  decoded), with ``index_page_cpu``, its CPU time per request: what a search must cost at
  the least before it is shaped, encoded or sent.

Self-contained (imports only ``search_service``), so it can measure another checkout
(``PYTHONPATH=<checkout>``). Writes ``{"engine": [ms...], "engine_cpu": [ms], "index":
[ms...], "index_cpu": [ms], "index_page": [ms...], "index_page_cpu": [ms]}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# Floors are measured with every cache off: each request costs what it costs the first time.
os.environ["SKILLSPRING_SEARCH_CACHE_ENTRIES"] = "0"

from search_service.catalog.search.query_string import parse_search
from search_service.search.factory import make_engine
from search_service.settings import load_settings


def _requests(paths: list[str]) -> list[Any]:
    return [parse_search(parse_qs(urlsplit(p).query)) for p in paths]


async def engine_times(paths: list[str], rounds: int, warm: list[str]) -> tuple[list[float], float]:
    """Each search's wall time (ms), and the process's CPU time per search (ms)."""
    engine = make_engine(load_settings())
    requests = _requests(paths)
    for request in _requests(warm):
        await engine.search(request)
    times = []
    cpu_started = time.process_time()
    for _ in range(rounds):
        for request in requests:
            started = time.perf_counter()
            await engine.search(request)
            times.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu_started) * 1000 / max(1, len(times))
    await engine.close()
    return times, cpu


def index_times(paths: list[str], rounds: int, warm: list[str]) -> dict[str, list[float]]:
    """Only tantivy's own work for each request (see the module docstring)."""
    import tantivy

    from search_service.search.request import conditions, flatten
    from search_service.search.tantivy.plan import QueryBuilder
    from search_service.search.tantivy.store import TantivyStore
    from search_service.search.text import plan
    from search_service.search.vocabulary import FACET_FIELDS, SORTS

    settings = load_settings()
    store = TantivyStore(settings.tantivy_dir / settings.search.index_name)
    _, index = store.open_live()
    searcher = index.searcher()
    builder = QueryBuilder(store.schema, store.analyzers)
    try:  # typo variants as plain terms, as the engine searches them (not in older checkouts)
        from search_service.search.tantivy.schema import MATCH_PREFIX, MATCH_STEM
        from search_service.search.tantivy.variants import Variants

        variants = Variants(searcher, MATCH_STEM, MATCH_PREFIX, set())
        builder = QueryBuilder(store.schema, store.analyzers, variants=variants)
    except ImportError:
        pass
    aggregation = {f: {"terms": {"field": f, "size": 200}} for f in FACET_FIELDS}

    def prepared(paths: list[str]) -> list[tuple[Any, Any]]:
        work = []
        for request in _requests(paths):
            groups = plan(request.q)
            text = builder.text(groups) if groups else None
            work.append((request, builder.combine(text, flatten(conditions(request)))))
        return work

    work = prepared(paths)

    def once(request: Any, query: Any, read: bool) -> None:
        if request.sort in SORTS:
            field, descending = SORTS[request.sort]
            order = tantivy.Order.Desc if descending else tantivy.Order.Asc
            result = searcher.search(
                query,
                request.per_page,
                count=True,
                order_by_field=field,
                order=order,
                offset=request.offset,
            )
        else:
            result = searcher.search(query, request.per_page, count=True, offset=request.offset)
        searcher.aggregate(query, aggregation)
        if read:
            for _, address in result.hits:
                searcher.doc(address)

    for request, query in prepared(warm):
        once(request, query, True)
    figures: dict[str, list[float]] = {}
    for name, read in (("index", False), ("index_page", True)):
        times = []
        cpu_started = time.process_time()
        for _ in range(rounds):
            for request, query in work:
                started = time.perf_counter()
                once(request, query, read)
                times.append((time.perf_counter() - started) * 1000)
        figures[name] = times
        figures[name + "_cpu"] = [(time.process_time() - cpu_started) * 1000 / len(times)]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=Path, required=True, help="JSON list of search paths")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--warm", type=Path, help="JSON list of other paths to warm up on")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    paths = json.loads(args.paths.read_text())
    warm = json.loads(args.warm.read_text()) if args.warm else []
    times, cpu = asyncio.run(engine_times(paths, args.rounds, warm))
    figures = {"engine": times, "engine_cpu": [cpu]}
    if load_settings().search.engine == "tantivy":
        figures.update(index_times(paths, args.rounds, warm))
    args.out.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

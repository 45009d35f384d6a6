"""Choose the hybrid search's constants on the tuning split of the judged queries only.

Usage: python -m benchmarks.tune_hybrid [--ratios 0.2,0.35,0.5] [--floors 0.1,0.15]
       [--neighbours 20,50] [--json FILE]

Loads the judged fixture catalog once (as ``skillspring relevance`` does) and scores every
combination on the ``tune`` split: NDCG@10 overall and per kind. The ``heldout`` split is never
read here; ``skillspring relevance`` reports both once the constants are chosen
(``docs/relevance.md`` has the table this printed).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
from pathlib import Path

from search_service.catalog.search.service import CatalogSearch, Meaning
from search_service.db.connection import check_reachable, database_url
from search_service.relevance.evaluate import evaluate, read_judgments, read_kinds
from search_service.relevance.scratch import scratch_catalog
from search_service.search.tantivy import execute
from search_service.seed.judged import FIXTURE_DIR
from search_service.settings import load_settings


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",") if v]


async def _tune(url: str, args: argparse.Namespace) -> list[dict[str, object]]:
    judged = read_judgments(FIXTURE_DIR / "judgments.csv")
    kinds = read_kinds(FIXTURE_DIR / "queries.csv")
    rows: list[dict[str, object]] = []
    async with scratch_catalog(url) as catalog:
        embedder = catalog.meaning.embedder if catalog.meaning else None
        assert embedder is not None
        grid = itertools.product(
            _floats(args.ratios),
            _floats(args.floors),
            [int(n) for n in _floats(args.neighbours)],
            _floats(args.ceilings),
        )
        for ratio, floor, neighbours, ceiling in grid:
            execute.SIMILARITY_FLOOR, execute.NEIGHBOURS = floor, neighbours
            execute.MEANING_CEILING = ceiling
            tuned = CatalogSearch(
                catalog.engine, catalog.categories, meaning=Meaning(embedder, ratio)
            )
            report = await evaluate(tuned, judged, kinds, split="tune")
            row: dict[str, object] = {
                "ratio": ratio,
                "floor": floor,
                "neighbours": neighbours,
                "ceiling": ceiling,
                "overall": round(report.mean("ndcg"), 4),
                **{k: round(report.mean("ndcg", k), 4) for k in report.kinds},
            }
            rows.append(row)
            settings = ("ratio", "floor", "neighbours", "ceiling", "overall")
            lexical = [v for k, v in row.items() if k not in (*settings, "semantic")]
            worst = min(lexical, key=float)  # type: ignore[arg-type]
            kind = next(k for k, v in row.items() if v == worst and k not in settings)
            print(
                f"ratio {ratio:.2f} floor {floor:.2f} neighbours {neighbours:3d} "
                f"ceiling {ceiling:.2f}: "
                f"overall {row['overall']:.3f} semantic {row.get('semantic', 0):.3f} "
                f"lowest lexical {kind} {worst:.3f}",
                flush=True,
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratios", default="0.2,0.35,0.5")
    parser.add_argument("--floors", default="0.06,0.1,0.14")
    parser.add_argument("--neighbours", default="20,40")
    parser.add_argument("--ceilings", default="0.5,0.7")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings = load_settings()
    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        rows = asyncio.run(_tune(url, args))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

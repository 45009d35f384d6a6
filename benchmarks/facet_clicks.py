"""Whether a facet value's count is what clicking it finds, for hybrid searches.

Usage: python -m benchmarks.facet_clicks [--show] [QUERY ...]

Against the configured catalog (SKILLSPRING_*; seed and reindex first), in process: for each
query, every unselected level, language and duration value of its facets is clicked (the
same search with that value), and its count compared with the click's ``total``. Prints how
many values were checked and how many differ (``--show`` lists them). They differ where the
click lets in neighbours by meaning that the search without it did not count
(docs/relevance.md, "Which courses a hybrid search returns").
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import httpx

from search_service.app import create_app
from search_service.db.connection import database_url
from search_service.settings import load_settings

QUERIES = (
    "marketing",
    "guitar",
    "photoshop",
    "accounting",
    "speaking skills",
    "python",
    "excel",
    "take better pictures",
    "kubernetes",
)
GROUPS = ("level", "language", "duration")


async def _search(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    answer = await client.get("/api/v1/search", params={"per_page": 1, **params})
    answer.raise_for_status()
    return answer.json()  # type: ignore[no-any-return]


async def _run(url: str, queries: list[str], show: bool) -> None:
    app = create_app(load_settings(), database_url=url)
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://b") as c:
        checked = differ = 0
        for q in queries:
            found = await _search(c, q=q)
            for group in GROUPS:
                for value in found["facets"].get(group, []):
                    if value.get("selected"):
                        continue
                    clicked = await _search(c, q=q, **{group: value["value"]})
                    checked += 1
                    if clicked["total"] != value["count"]:
                        differ += 1
                        if show:
                            print(
                                f"{q!r} {group}={value['value']}: {value['count']} → "
                                f"{clicked['total']}"
                            )
        print(f"facet values checked {checked}, differ from their click's total {differ}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("queries", nargs="*", default=list(QUERIES), metavar="QUERY")
    parser.add_argument("--show", action="store_true", help="list the values that differ")
    args = parser.parse_args()
    with database_url(load_settings()) as url:
        asyncio.run(_run(url, args.queries, args.show))


if __name__ == "__main__":
    main()

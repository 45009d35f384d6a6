"""The Meilisearch adapter, proven without a server: every request it sends validates against
the official OpenAPI spec, and it reads the engine's recorded responses."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from search_service.lib.errors import SearchUnavailable
from search_service.search.document import CourseDocument
from search_service.search.meilisearch.engine import MeilisearchEngine
from search_service.search.meilisearch.protocol import (
    condition_filter,
    document_payload,
    facet_counts,
    index_settings,
    multi_search_queries,
    quote,
    total_of,
)
from search_service.search.request import AnyOf, IsTrue, Range, SearchRequest
from tests.meili.openapi import validate
from tests.meili.shared import recorded, requires_shared
from tests.meili.stub import MeiliStub
from tests.support.documents import row


def documents(count: int) -> list[CourseDocument]:
    import uuid

    from indexer.documents import build_document

    return [
        build_document(
            row(id=uuid.UUID(int=i + 10), slug=f"course-{i}", level=("beginner", "advanced")[i % 2])
        )
        for i in range(count)
    ]


# --- filter strings: every value quoted and escaped (no server needed) -----------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("AND", '"AND"'),
        ("a OR b", '"a OR b"'),
        ("🚀", '"🚀"'),
        ("tab\there", '"tab\there"'),
    ],
)
def test_values_are_quoted_and_escaped(value: str, expected: str) -> None:
    assert quote(value) == expected


def test_conditions_in_the_filter_grammar() -> None:
    assert condition_filter(AnyOf("level", ("beginner", 'x" OR level = "y'))) == (
        'level IN ["beginner", "x\\" OR level = \\"y"]'
    )
    assert condition_filter(IsTrue("is_free", True)) == "is_free = true"
    assert condition_filter(Range("effective_price_cents", 100, 5000)) == (
        "effective_price_cents >= 100 AND effective_price_cents <= 5000"
    )
    assert condition_filter(Range("rating", 4.5, None, integer=False)) == "rating >= 4.5"


def test_disjunctive_facets_use_one_query_per_selected_group() -> None:
    request = SearchRequest(q="python", level=["beginner"], language=["en", "fr"])
    main, level_query, language_query = multi_search_queries("courses", request)
    assert main["filter"] == ['level IN ["beginner"]', 'language_code IN ["en", "fr"]']
    assert "level" not in main["facets"] and "language_code" not in main["facets"]
    assert level_query == {
        "indexUid": "courses",
        "q": "python",
        "filter": ['language_code IN ["en", "fr"]'],
        "facets": ["level"],
        "limit": 0,
        "matchingStrategy": "all",
    }
    assert language_query["filter"] == ['level IN ["beginner"]']
    assert language_query["facets"] == ["language_code"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("relevance", None),
        ("price_asc", ["effective_price_cents:asc"]),
        ("newest", ["last_updated_at:desc"]),
        ("popular", ["popularity:desc"]),
        ("highest_rated", ["rating_lower_bound:desc", "popularity:desc"]),
    ],
)
def test_sorts(sort: str, expected: list[str] | None) -> None:
    main = multi_search_queries("courses", SearchRequest(sort=sort))[0]  # type: ignore[arg-type]
    assert main.get("sort") == expected


# --- requests validated against the official spec -------------------------------------------


@pytest.fixture
def stub() -> Iterator[MeiliStub]:
    with MeiliStub() as server:
        yield server


@pytest.fixture
async def engine(stub: MeiliStub) -> AsyncIterator[MeilisearchEngine]:
    engine = MeilisearchEngine(stub.url, "test-master-key-0123456789", "courses")
    yield engine
    await engine.close()


def assert_all_valid(stub: MeiliStub) -> None:
    assert stub.requests(), "the adapter sent nothing"
    for request in stub.requests():
        validate(request.method, request.path, request.query, request.headers, request.body)
        if request.path != "/health":
            assert request.headers.get("authorization") == "Bearer test-master-key-0123456789"


@requires_shared
def test_settings_body_validates() -> None:
    validate(
        "PATCH",
        "/indexes/courses/settings",
        "",
        {"content-type": "application/json", "authorization": "Bearer k"},
        json.dumps(index_settings()).encode(),
    )


@requires_shared
async def test_apply_settings_creates_index_then_waits(
    stub: MeiliStub, engine: MeilisearchEngine
) -> None:
    await engine.apply_settings()
    calls = [(r.method, r.path) for r in stub.requests()]
    assert calls[:2] == [("GET", "/indexes/courses"), ("POST", "/indexes")]
    assert ("PATCH", "/indexes/courses/settings") in calls
    assert sum(1 for m, p in calls if p.startswith("/tasks/")) == 2, "each write is awaited"
    assert stub.requests("POST", "/indexes")[0].json() == {"uid": "courses", "primaryKey": "id"}
    assert_all_valid(stub)


@requires_shared
async def test_upsert_delete_and_search(stub: MeiliStub, engine: MeilisearchEngine) -> None:
    await engine.apply_settings()
    docs = documents(5)
    await engine.upsert(docs)
    await engine.delete([docs[0].id])
    add = stub.requests("POST", "/indexes/courses/documents")[0]
    assert add.query == "primaryKey=id"
    assert add.json()[1] == document_payload(docs[1])
    assert stub.requests("POST", "/indexes/courses/documents/delete-batch")[0].json() == [
        docs[0].id
    ]
    result = await engine.search(
        SearchRequest(q='ja"va\\ AND', level=["beginner"], price="paid", rating_min=4.0)
    )
    assert result.total == 4
    assert {h.document.id for h in result.hits} == {d.id for d in docs[1:]}
    assert result.hits[0].highlights.title is not None
    assert result.facets["level"] == {"beginner": 2, "advanced": 2}
    assert_all_valid(stub)
    search = stub.requests("POST", "/multi-search")[0].json()
    assert len(search["queries"]) == 4  # main + level + price + rating
    assert search["queries"][0]["q"] == 'ja"va\\ AND'


@requires_shared
async def test_rebuild_swaps_and_deletes_the_old_index(
    stub: MeiliStub, engine: MeilisearchEngine
) -> None:
    await engine.apply_settings()
    rebuild = await engine.rebuild()
    await rebuild.add(documents(3))
    assert await rebuild.count() == 3
    await rebuild.switch()
    assert await engine.document_count() == 3
    swap = stub.requests("POST", "/swap-indexes")[0].json()
    assert swap[0]["indexes"][0] == "courses" and swap[0]["indexes"][1].startswith("courses_")
    assert stub.requests("DELETE")[0].path == f"/indexes/{swap[0]['indexes'][1]}"
    assert_all_valid(stub)


@requires_shared
async def test_failed_task_is_an_error(stub: MeiliStub, engine: MeilisearchEngine) -> None:
    await engine.apply_settings()
    stub.state.fail_tasks = True
    with pytest.raises(SearchUnavailable, match="failed: missing_document_id"):
        await engine.upsert(documents(1))


async def test_unreachable_engine_is_search_unavailable() -> None:
    engine = MeilisearchEngine("http://127.0.0.1:1", None, "courses")
    try:
        with pytest.raises(SearchUnavailable, match="unreachable"):
            await engine.health()
        with pytest.raises(SearchUnavailable):
            await engine.search(SearchRequest(q="x"))
    finally:
        await engine.close()


# --- recorded engine responses parse --------------------------------------------------------


@requires_shared
def test_recorded_totals_in_both_pagination_modes() -> None:
    assert total_of(recorded("search-page-mode.json")) == 1
    assert (
        total_of(recorded("search-offset-mode.json"))
        == recorded("search-offset-mode.json")["estimatedTotalHits"]
    )
    for result in recorded("multi-search.json")["results"]:
        assert total_of(result) >= 0


@requires_shared
def test_recorded_facet_distribution_with_numeric_keys() -> None:
    raw: dict[str, Any] = recorded("search-facets.json")
    counts = facet_counts([raw])
    assert counts and all(isinstance(v, int) for c in counts.values() for v in c.values())
    numeric = next(f for f in raw["facetDistribution"] if f.endswith("age"))
    assert set(counts[numeric]) == set(raw["facetDistribution"][numeric])


@requires_shared
async def test_engine_errors_keep_their_code(stub: MeiliStub, engine: MeilisearchEngine) -> None:
    with pytest.raises(SearchUnavailable, match="index_not_found"):
        await engine.health()


@requires_shared
@pytest.mark.parametrize(
    "query",
    [
        {"indexUid": "courses", "q": "x", "hitsPerpage": 5},  # misspelt key
        {"indexUid": "courses", "q": "x", "page": "one"},  # wrong type
        {"indexUid": "courses", "q": "x", "matchingStrategy": "some"},  # not in the enum
    ],
)
def test_the_validator_rejects_bad_requests(query: dict[str, Any]) -> None:
    with pytest.raises(AssertionError):
        validate(
            "POST",
            "/multi-search",
            "",
            {"content-type": "application/json", "authorization": "Bearer k"},
            json.dumps({"queries": [query]}).encode(),
        )


@requires_shared
@pytest.mark.system
def test_reindex_command_against_the_stub(stub: MeiliStub, catalog_url: str, tmp_path: Any) -> None:
    from tests.support.processes import skillspring

    env = {
        "SKILLSPRING_DATABASE_URL": catalog_url,
        "SKILLSPRING_DATA_DIR": str(tmp_path),
        "SKILLSPRING_SEARCH_ENGINE": "meilisearch",
        "SKILLSPRING_MEILI_URL": stub.url,
        "SKILLSPRING_MEILI_API_KEY": "test-master-key-0123456789",
    }
    result = skillspring("reindex", env=env)
    assert result.returncode == 0, result.stderr
    assert stub.requests("POST", "/swap-indexes")
    assert_all_valid(stub)
    assert len(stub.state.indexes["courses"]) == int(result.stdout.split()[1].replace(",", ""))


@pytest.mark.system
def test_reindex_with_meilisearch_down_is_one_line(catalog_url: str, tmp_path: Any) -> None:
    from tests.support.processes import assert_one_line_error, skillspring

    env = {
        "SKILLSPRING_DATABASE_URL": catalog_url,
        "SKILLSPRING_DATA_DIR": str(tmp_path),
        "SKILLSPRING_SEARCH_ENGINE": "meilisearch",
        "SKILLSPRING_MEILI_URL": "http://127.0.0.1:1",
    }
    assert_one_line_error(skillspring("reindex", env=env), "search engine", "unreachable")
    assert_one_line_error(skillspring("sync", env=env), "search engine", "unreachable")


@requires_shared
async def test_scoped_keys_are_made_once_with_least_privilege(
    stub: MeiliStub, engine: MeilisearchEngine
) -> None:
    keys = await engine.scoped_keys()
    assert set(keys) == {"search", "indexer"} and keys["search"] != keys["indexer"]
    made = {body["name"]: body for body in (r.json() for r in stub.requests("POST", "/keys"))}
    search = next(b for n, b in made.items() if "search" in n)
    indexer = next(b for n, b in made.items() if "indexer" in n)
    assert search["actions"] == ["search", "indexes.get"] and search["indexes"] == ["courses"]
    assert "courses_*" in indexer["indexes"] and "*" not in indexer["indexes"]
    assert not {a for a in indexer["actions"] if a == "*" or a.startswith("keys")}
    assert_all_valid(stub)
    # A second deploy finds the same keys and makes none.
    assert await engine.scoped_keys() == keys
    assert len(stub.requests("POST", "/keys")) == 2


@requires_shared
@pytest.mark.system
def test_search_keys_command_writes_each_key_to_its_file(stub: MeiliStub, tmp_path: Any) -> None:
    from tests.support.processes import skillspring

    env = {
        "SKILLSPRING_DATA_DIR": str(tmp_path),
        "SKILLSPRING_SEARCH_ENGINE": "meilisearch",
        "SKILLSPRING_MEILI_URL": stub.url,
        "SKILLSPRING_MEILI_API_KEY": "test-master-key-0123456789",
    }
    result = skillspring("search", "keys", "--out", str(tmp_path / "keys"), env=env)
    assert result.returncode == 0, result.stderr
    written = {p.name: p.read_text().strip() for p in (tmp_path / "keys").iterdir()}
    assert set(written) == {"search.key", "indexer.key"}
    views = {v["key"]: v for v in stub.state.keys.values()}
    assert views[written["search.key"]]["actions"] == ["search", "indexes.get"]


@requires_shared
async def test_merchandising_rules_on_meilisearch(
    stub: MeiliStub, engine: MeilisearchEngine
) -> None:
    """The rules apply above the port: over the Meilisearch adapter, pins come first in order,
    the hidden course is neither shown nor counted, and every request is a valid one."""
    from search_service.merchandising.rules import ActiveRule, MerchandisedEngine, RuleBook

    await engine.apply_settings()
    docs = documents(6)
    await engine.upsert(docs)
    book = RuleBook(None)  # type: ignore[arg-type]  # rules set by hand: no database here
    rule = ActiveRule(
        query="java",
        category=None,
        starts_at=None,
        ends_at=None,
        pin=(docs[5].id, docs[3].id),
        hide=(docs[0].id,),
    )
    book.use([rule])
    shop = MerchandisedEngine(engine, book)
    plain = await engine.search(SearchRequest(q="java"))
    ruled = await shop.search(SearchRequest(q="  Java "))
    assert [h.document.id for h in ruled.hits][:2] == [docs[5].id, docs[3].id]
    assert docs[0].id not in [h.document.id for h in ruled.hits]
    assert ruled.total == plain.total - 1 == 5
    assert sum(ruled.facets["level"].values()) == sum(plain.facets["level"].values()) - 1
    second = await shop.search(SearchRequest(q="java", page=2, per_page=3))
    first = await shop.search(SearchRequest(q="java", page=1, per_page=3))
    shown = [h.document.id for h in first.hits + second.hits]
    assert len(shown) == len(set(shown)) == 5
    untouched = await shop.search(SearchRequest(q="python"))
    assert untouched.total == plain.total
    assert_all_valid(stub)
    filters = [
        q["filter"] for r in stub.requests("POST", "/multi-search") for q in r.json()["queries"]
    ]
    assert any(f"id IN [{json.dumps(docs[5].id)}, {json.dumps(docs[3].id)}]" in f for f in filters)


# --- hybrid search: our vectors in, the engine's hybrid merge out ---------------------------


def _vector(seed: int) -> bytes:
    import numpy as np

    from search_service.semantic.embedder import normalised, pack

    rng = np.random.default_rng(seed)
    return pack(normalised(rng.normal(size=(1, 256)).astype(np.float32))[0])


@requires_shared
def test_the_index_declares_our_embedder() -> None:
    settings = index_settings(256)
    assert settings["embedders"] == {"skillspring": {"source": "userProvided", "dimensions": 256}}
    assert index_settings()["embedders"] == {}
    headers = {"content-type": "application/json", "authorization": "Bearer k"}
    validate("PATCH", "/indexes/courses/settings", "", headers, json.dumps(settings).encode())


def test_documents_carry_their_vector_under_vectors() -> None:
    import msgspec

    doc = msgspec.structs.replace(documents(1)[0], vector=_vector(1))
    payload = document_payload(doc)
    assert len(payload["_vectors"]["skillspring"]) == 256 and "vector" not in payload
    assert document_payload(documents(1)[0])["_vectors"] == {"skillspring": None}


@requires_shared
async def test_a_hybrid_search_sends_the_vector_and_the_ratio(
    stub: MeiliStub, engine: MeilisearchEngine
) -> None:
    await engine.apply_settings()
    await engine.upsert(documents(3))
    request = SearchRequest(q="java", semantic_ratio=0.35, vector=_vector(2), level=["beginner"])
    await engine.search(request)
    assert_all_valid(stub)
    queries = [q for r in stub.requests("POST", "/multi-search") for q in r.json()["queries"]]
    hybrid = [q for q in queries if "hybrid" in q]
    assert hybrid, "the page is asked for with the engine's hybrid search"
    assert all(q["hybrid"]["embedder"] == "skillspring" for q in hybrid)
    assert all(0.35 <= q["hybrid"]["semanticRatio"] <= 1 for q in hybrid)
    assert all(len(q["vector"]) == 256 for q in hybrid)
    # The page's query keeps the shopper's filter (the level facet's own query leaves it out,
    # as disjunctive facets do).
    assert hybrid[0]["filter"] == ['level IN ["beginner"]']
    lexical = SearchRequest(q="java", semantic_ratio=0.0, vector=b"")
    before = len(stub.requests("POST", "/multi-search"))
    await engine.search(lexical)
    sent = [q for r in stub.requests("POST", "/multi-search")[before:] for q in r.json()["queries"]]
    assert all("hybrid" not in q and "vector" not in q for q in sent)  # ratio 0: lexical, exactly

"""The tantivy engine for real: filters, disjunctive facets, sorts, pages, text matching."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import asyncpg
import msgspec
import pytest
import tantivy

from indexer import source
from indexer.documents import build_document
from search_service.db.connection import asyncpg_dsn
from search_service.search.document import CourseDocument
from search_service.search.request import SearchRequest
from search_service.search.tantivy.engine import TantivyEngine
from search_service.search.tantivy.execute import run_search
from search_service.search.tantivy.plan import QueryBuilder
from search_service.search.tantivy.reader import Reader
from search_service.search.tantivy.schema import MATCH_PREFIX, MATCH_STEM
from search_service.search.tantivy.store import TantivyStore
from search_service.search.tantivy.variants import Dictionary, Variants
from search_service.search.text import words
from search_service.seed.courses import slugify
from search_service.seed.vocab_categories import CATEGORY_TREE
from tests.support.catalogs import Catalog
from tests.support.documents import titled

Predicate = Callable[[CourseDocument], bool]


@pytest.fixture(scope="module")
def engine(template: Catalog) -> TantivyEngine:
    """The template's index, read only (every test here only searches it)."""
    return TantivyEngine(template.index)


@pytest.fixture(scope="module")
def documents(template: Catalog) -> list[CourseDocument]:
    """Every published course as the indexer builds it: the ground truth for filters."""

    async def load() -> list[CourseDocument]:
        conn = await asyncpg.connect(asyncpg_dsn(template.url))
        try:
            async with conn.transaction():
                return [
                    build_document(r) async for rows in source.stream_published(conn) for r in rows
                ]
        finally:
            await conn.close()

    return asyncio.run(load())


async def all_ids(engine: TantivyEngine, **filters: object) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        result = await engine.search(
            SearchRequest(page=page, per_page=100, with_facets=False, **filters)
        )  # type: ignore[arg-type]
        ids.extend(h.document.id for h in result.hits)
        if not result.hits:
            return ids
        page += 1


async def test_index_holds_exactly_the_published_courses(
    engine: TantivyEngine, documents: list[CourseDocument], template: Catalog
) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(template.url))
    expected = await conn.fetchval(
        "SELECT count(*) FROM courses WHERE status = 'published' AND deleted_at IS NULL"
    )
    hidden = await conn.fetchval(
        "SELECT count(*) FROM courses WHERE status <> 'published' OR deleted_at IS NOT NULL"
    )
    await conn.close()
    assert hidden > 0
    assert await engine.document_count() == expected == len(documents)
    result = await engine.search(SearchRequest())
    assert result.total == expected


DEVELOPMENT = {"development", *(slugify(sub) for sub in CATEGORY_TREE["Development"])}
FILTERS: list[tuple[str, dict[str, object], Predicate]] = [
    ("one level", {"level": ("beginner",)}, lambda d: d.level == "beginner"),
    (
        "two levels (OR)",
        {"level": ("beginner", "advanced")},
        lambda d: d.level in ("beginner", "advanced"),
    ),
    ("language", {"language": ("es", "de")}, lambda d: d.language_code in ("es", "de")),
    (
        "root category selects its subcategories",
        {"category": ("development",)},
        # The deepest category is the subcategory (or a root the course sits in directly).
        lambda d: d.category_slugs[0] in DEVELOPMENT,
    ),
    (
        "subcategory",
        {"category": ("web-development",)},
        lambda d: d.category_slugs[0] == "web-development",
    ),
    ("free", {"price": "free"}, lambda d: d.is_free),
    ("paid", {"price": "paid"}, lambda d: not d.is_free),
    (
        "price range",
        {"price_min": 2000, "price_max": 5000},
        lambda d: 2000 <= d.effective_price_cents <= 5000,
    ),
    ("rating 4 and up", {"rating_min": 4.0}, lambda d: d.rating >= 4.0),
    ("duration", {"duration": ("0-1h", "17h+")}, lambda d: d.duration_bucket in ("0-1h", "17h+")),
    (
        "features (OR)",
        {"features": ("quizzes", "downloads")},
        lambda d: "quizzes" in d.features or "downloads" in d.features,
    ),
    ("bestseller", {"bestseller": True}, lambda d: d.is_bestseller),
    (
        "AND across facets",
        {"level": ("beginner", "all"), "price": "paid", "rating_min": 3.5},
        lambda d: d.level in ("beginner", "all") and not d.is_free and d.rating >= 3.5,
    ),
]


@pytest.mark.parametrize(("name", "filters", "predicate"), FILTERS, ids=[f[0] for f in FILTERS])
async def test_filters_match_ground_truth(
    engine: TantivyEngine,
    documents: list[CourseDocument],
    name: str,
    filters: dict[str, object],
    predicate: Predicate,
) -> None:
    expected = {d.id for d in documents if predicate(d)}
    assert expected, f"the fixture catalog should have courses for {name}"
    assert set(await all_ids(engine, **filters)) == expected
    result = await engine.search(SearchRequest(**filters))  # type: ignore[arg-type]
    assert result.total == len(expected)


async def test_facet_counts_are_disjunctive(
    engine: TantivyEngine, documents: list[CourseDocument]
) -> None:
    result = await engine.search(SearchRequest(level=["beginner"], language=["en"]))
    # The level group ignores its own selection but keeps the language filter...
    english = [d for d in documents if d.language_code == "en"]
    expected_levels = {
        lvl: sum(d.level == lvl for d in english) for lvl in {d.level for d in english}
    }
    assert result.facets["level"] == expected_levels
    # ...and the language group ignores the language selection but keeps the level filter.
    beginners = [d for d in documents if d.level == "beginner"]
    expected_languages = {
        lang: sum(d.language_code == lang for d in beginners)
        for lang in {d.language_code for d in beginners}
    }
    assert result.facets["language"] == expected_languages
    # Unselected groups are counted over the fully filtered result.
    both = [d for d in beginners if d.language_code == "en"]
    assert sum(result.facets["bestseller"].values()) == len(both) == result.total


@pytest.mark.parametrize(
    ("sort", "key", "descending"),
    [
        ("price_asc", "effective_price_cents", False),
        ("price_desc", "effective_price_cents", True),
        ("newest", "last_updated_at", True),
        ("most_reviewed", "review_count", True),
        ("highest_rated", "rating_lower_bound", True),
        ("popular", "popularity", True),
    ],
)
async def test_sorts(engine: TantivyEngine, sort: str, key: str, descending: bool) -> None:
    result = await engine.search(SearchRequest(sort=sort, per_page=100))  # type: ignore[arg-type]
    values = [getattr(h.document, key) for h in result.hits]
    assert values == sorted(values, reverse=descending)


async def test_highest_rated_breaks_ties_on_popularity(engine: TantivyEngine) -> None:
    result = await engine.search(SearchRequest(sort="highest_rated", per_page=100))
    keys = [(h.document.rating_lower_bound, h.document.popularity) for h in result.hits]
    assert keys == sorted(keys, reverse=True)


async def test_browse_relevance_is_rating_then_popularity(engine: TantivyEngine) -> None:
    result = await engine.search(SearchRequest(per_page=100))
    keys = [(h.document.rating_lower_bound, h.document.popularity) for h in result.hits]
    assert keys == sorted(keys, reverse=True)


async def test_pages_cover_every_result_once(
    engine: TantivyEngine, documents: list[CourseDocument]
) -> None:
    seen: list[str] = []
    for page in range(1, 100):
        result = await engine.search(SearchRequest(page=page, per_page=7, sort="newest"))
        assert result.total == len(documents)
        if not result.hits:
            break
        seen.extend(h.document.id for h in result.hits)
    assert sorted(seen) == sorted(d.id for d in documents)


def _titles(result: object) -> list[str]:
    return [h.document.title.lower() for h in result.hits]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("javascript", "javascript"),
        ("javscript", "javascript"),  # one typo (9+ letters allow two)
        ("kubernets", "kubernetes"),
        ("kubern", "kubernetes"),  # as-you-type prefix
        ("k8s", "kubernetes"),  # synonym
        ("ml", "machine learning"),  # synonym to a phrase
        ("machine learning", "machine learning"),
        ("PHOTOSHOP", "photoshop"),  # case folding
        ("débutants", "débutants"),  # accents kept in titles, folded for matching
        ("debutants", "débutants"),
    ],
)
async def test_text_matching(
    engine: TantivyEngine, documents: list[CourseDocument], query: str, word: str
) -> None:
    assert any(word in d.title.lower() for d in documents), "fixture catalog lacks the word"
    result = await engine.search(SearchRequest(q=query, per_page=5))
    assert result.total > 0, query
    assert word in _titles(result)[0]


async def test_synonyms_work_both_ways(engine: TantivyEngine) -> None:
    short = await engine.search(SearchRequest(q="k8s", per_page=100))
    long = await engine.search(SearchRequest(q="kubernetes", per_page=100))
    assert short.total == long.total > 0


async def test_highlights_mark_matched_words(engine: TantivyEngine) -> None:
    result = await engine.search(SearchRequest(q="kubernetes"))
    assert "<mark>" in (result.hits[0].highlights.title or "")


async def test_unmatched_words_are_dropped_from_the_end(engine: TantivyEngine) -> None:
    result = await engine.search(SearchRequest(q="kubernetes zzqqxx"))
    strict = await engine.search(SearchRequest(q="kubernetes"))
    assert result.total > 0
    assert [h.document.id for h in result.hits] == [h.document.id for h in strict.hits]
    # The facets count what was searched: the kept words, not every word typed.
    assert result.facets == strict.facets and result.total == strict.total


@pytest.mark.parametrize(
    "query",
    [
        '"quoted"',
        "back\\slash",
        "a AND b OR NOT c TO d",
        "🚀 emoji ✨",
        "ctrl\x00\x07\x1b",
        "'; DROP TABLE courses; --",
        "*",
        "(unbalanced",
        "title:react",
        "\\",
        "🙂" * 50,
        "",
    ],
)
async def test_hostile_text_is_searched_safely(
    engine: TantivyEngine, documents: list[CourseDocument], query: str
) -> None:
    """Query syntax, SQL and control characters are inert: the search is the same as for the
    plain words in the text, and text without words browses everything."""
    result = await engine.search(SearchRequest(q=query))
    plain = " ".join(words(query))
    if plain:
        same = await engine.search(SearchRequest(q=plain))
        assert result.total == same.total
        assert [h.document.id for h in result.hits] == [h.document.id for h in same.hits]
    else:
        assert result.total == len(documents)


def _searcher(index: Path) -> tuple[str, tantivy.Index, tantivy.Searcher]:
    name, opened = TantivyStore(index).open_live()
    return name, opened, opened.searcher()


@pytest.mark.parametrize("distance", [1, 2])
def test_typo_variants_match_what_tantivys_fuzzy_query_matches(
    template: Catalog, documents: list[CourseDocument], distance: int
) -> None:
    """The variants found once per reader (``variants.py``) are exactly the terms tantivy's
    fuzzy query would match: the same documents for typos, transpositions, missing and extra
    letters, and for the words themselves."""
    _, index, searcher = _searcher(template.index)
    schema = index.schema
    stems = Dictionary(searcher, MATCH_STEM, set())
    words_ = sorted({w for d in documents[:40] for w in words(d.title.lower()) if len(w) >= 5})
    typos = (
        [s[1] + s[0] + s[2:] for s in words_] + [s[:-1] for s in words_] + [s + "x" for s in words_]
    )
    for term in [*words_, *typos, "zzzzzzzz"]:
        fuzzy = tantivy.Query.fuzzy_term_query(schema, MATCH_STEM, term, distance=distance)
        found = stems.variants(term, distance)
        assert found is not None
        union = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, MATCH_STEM, t)) for t in found]
        )
        limit = len(documents)
        expected = {(a.segment_ord, a.doc) for _, a in searcher.search(fuzzy, limit).hits}
        got = {(a.segment_ord, a.doc) for _, a in searcher.search(union, limit).hits}
        assert got == expected, term


def test_typo_searches_are_the_same_without_the_variants(template: Catalog) -> None:
    """With a dictionary too large to scan (or none), queries keep tantivy's fuzzy query: the
    same hits, scores, totals and facets."""
    name, index, searcher = _searcher(template.index)
    store = TantivyStore(template.index)
    builder = QueryBuilder(store.schema, store.analyzers)
    with_variants = Reader(
        name, index, searcher, (0,), Variants(searcher, MATCH_STEM, MATCH_PREFIX, set())
    )
    too_large = Variants(searcher, MATCH_STEM, MATCH_PREFIX, {MATCH_STEM, MATCH_PREFIX})
    assert too_large.stems.terms() is None and too_large.words.terms() is None
    without = [Reader(name, index, searcher, (0,), too_large), Reader(name, index, searcher, (0,))]
    typed = ("pyhton", "javscript basics", "kubernets", "desing", "python dat", "machine learnin")
    for q in typed:
        expected = run_search(with_variants, builder, SearchRequest(q=q))
        assert expected.total > 0
        for reader in without:
            got = run_search(reader, builder, SearchRequest(q=q))
            assert got.total == expected.total
            assert [(h.document.id, h.score) for h in got.hits] == [
                (h.document.id, h.score) for h in expected.hits
            ]
            assert got.facets == expected.facets


@pytest.mark.parametrize("distance", [0, 1])
def test_completions_match_what_tantivys_prefix_query_matches(
    template: Catalog, documents: list[CourseDocument], distance: int
) -> None:
    """The same for an unfinished last word: the completions found once per reader are the
    terms tantivy's fuzzy prefix query matches (or None when there are too many: the fuzzy
    query is used then)."""
    _, index, searcher = _searcher(template.index)
    schema = index.schema
    completions = Dictionary(searcher, MATCH_PREFIX, set())
    titles = sorted({w for d in documents[:40] for w in words(d.title.lower()) if len(w) >= 4})
    starts = {w[:n] for w in titles for n in (2, 3, 5)} | {w[1] + w[0] + w[2:4] for w in titles}
    checked = 0
    for start in sorted(starts):
        found = completions.variants(start, distance, prefix=True)
        if found is None:
            continue
        checked += 1
        fuzzy = tantivy.Query.fuzzy_term_query(
            schema, MATCH_PREFIX, start, distance=distance, prefix=True
        )
        union = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(schema, MATCH_PREFIX, t))
                for t in found
            ]
        )
        limit = len(documents)
        expected = {(a.segment_ord, a.doc) for _, a in searcher.search(fuzzy, limit).hits}
        got = {(a.segment_ord, a.doc) for _, a in searcher.search(union, limit).hits}
        assert got == expected, start
    assert checked > len(starts) // 2


async def test_the_engines_builder_forgets_words_past_its_bound(template: Catalog) -> None:
    """Respelling reads words with the engine's own builder, which lives as long as the
    engine: hostile traffic of ever-new words must not grow it without end, and what it
    forgot it reads again the same."""
    store = TantivyStore(template.index)
    builder = QueryBuilder(store.schema, store.analyzers, remember=50)
    before = builder.stems("tutorials")
    grown = 0
    for n in range(200):
        word = "".join("abcdefghij"[int(d)] for d in str(n))
        builder.stems(f"zq{word}x")
        grown = max(grown, builder.remembered)
    assert 40 <= grown <= 50
    assert builder.stems("tutorials") == before


def test_searches_on_many_threads_count_their_own_facets(engine: TantivyEngine) -> None:
    """A search's facets are counted on a thread of their own while its ranking is made:
    searches from many threads at once each get their own counts, hits and totals, the same
    as one at a time (disjunctive passes and relaxed searches among them)."""
    from concurrent.futures import ThreadPoolExecutor

    requests = [
        SearchRequest(q="python"),
        SearchRequest(q="web development", level=["beginner"]),
        SearchRequest(q="design", language=["en", "es"], level=["advanced"]),
        SearchRequest(q="kubernetes zzqqxx"),
        SearchRequest(level=["intermediate"], sort="newest"),
        SearchRequest(q="pyhton", price="free"),  # type: ignore[arg-type]
        SearchRequest(q="marketing", sort="price_asc", features=["quizzes"]),
    ]

    def run(request: SearchRequest) -> tuple[int, list[str], object]:
        result = asyncio.run(engine.search(request))
        return result.total, [h.document.id for h in result.hits], result.facets

    alone = [run(r) for r in requests]
    assert all(total and facets for total, _, facets in alone)
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(run, requests * 6))
    assert together == alone * 6


async def test_a_word_the_index_lacked_is_found_once_indexed(
    documents: list[CourseDocument], tmp_path: Path
) -> None:
    """A word asked before it was indexed is found after the commit that indexes it (the
    reader that said it was missing is not asked again)."""
    engine = TantivyEngine(tmp_path / "courses")
    await engine.apply_settings()
    await engine.upsert(documents[:20])
    assert (await engine.search(SearchRequest(q="quixotrix"))).total == 0
    changed = msgspec.structs.replace(documents[0], title=f"{documents[0].title} quixotrix")
    await engine.upsert([changed])
    found = await engine.search(SearchRequest(q="quixotrix"))
    assert [h.document.id for h in found.hits] == [changed.id]


@pytest.mark.parametrize("query", [".net", ".NET Core", "asp.net", "dotnet"])
async def test_dot_net_is_searched_as_itself(
    documents: list[CourseDocument], tmp_path: Path, query: str
) -> None:
    """ ".net" was the word "net": Network Fundamentals came first, and "asp.net" was respelled
    "as net". Spelled "dotnet", as the catalog tags .NET courses."""
    engine = TantivyEngine(tmp_path / "courses")
    await engine.apply_settings()
    base = documents[0]
    dotnet = msgspec.structs.replace(
        base, id="dotnet", slug="dotnet", title="ASP.NET Core and .NET 8 from Scratch", tags=[]
    )
    network = msgspec.structs.replace(
        documents[1], id="network", slug="network", title="Network Fundamentals", tags=["net"]
    )
    await engine.upsert([dotnet, network])
    found = await engine.search(SearchRequest(q=query))
    assert [h.document.id for h in found.hits] == ["dotnet"]
    assert await engine.correct(query) is None


@pytest.mark.parametrize(
    ("typed", "respelled"),
    [
        ("cocina", None),  # two edits from "colin", a mentor's name: a word of its own
        ("cookng", "cooking"),
        ("pyhton", "python"),  # a transposition is one edit
        ("phyton", "python"),  # two edits, but the same letters: one slip of the fingers
        ("photograpy", "photography"),
        ("photogarpyh", "photography"),  # two edits: a long word
        ("mak music", None),  # "mak": three letters, an abbreviation as often as a typo
    ],
)
async def test_a_respelling_is_one_edit_away_below_eight_letters(
    tmp_path: Path, typed: str, respelled: str | None
) -> None:
    engine = TantivyEngine(tmp_path / "courses")
    await engine.apply_settings()
    titles = ["Cooking Basics", "Python for Data", "Photography Basics", "Make Music"]
    mentor = {"first_name": "Colin", "last_name": "Lefebvre"}
    await engine.upsert([titled(n, title, **mentor) for n, title in enumerate(titles)])
    assert await engine.correct(typed) == respelled


async def _courses_titled(
    titles: list[str], documents: list[CourseDocument], tmp_path: Path
) -> TantivyEngine:
    """An index of one course per title (ids c0, c1, …), the rest of each from the catalog."""
    engine = TantivyEngine(tmp_path / "courses")
    await engine.apply_settings()
    await engine.upsert(
        [
            msgspec.structs.replace(documents[n], id=f"c{n}", slug=f"c{n}", title=title)
            for n, title in enumerate(titles)
        ]
    )
    return engine


async def test_a_word_some_course_holds_is_not_matched_by_its_typos(
    documents: list[CourseDocument], tmp_path: Path
) -> None:
    """ "baking" is the stem "bake", one edit from "take" and "make": a search for the word,
    which courses hold, matched a thousand courses that only take or make something."""
    titles = ["Baking Bread at Home", "Take Better Notes", "Make Music Today"]
    engine = await _courses_titled(titles, documents, tmp_path)
    assert [h.document.id for h in (await engine.search(SearchRequest(q="baking"))).hits] == ["c0"]
    # A word no course holds is still a typo of one that does.
    found = await engine.search(SearchRequest(q="bakinng"))
    assert [h.document.id for h in found.hits][:1] == ["c0"]


async def test_a_short_stem_takes_the_typos_of_a_word_its_length(
    documents: list[CourseDocument], tmp_path: Path
) -> None:
    """Typos are counted on the word as typed and on its stem, as a word of the stem's length
    takes them: "welding" is the stem "weld", one edit from "well" (Wellness), and
    "knitting" is "knit", one from "unit": neither matched is a typo of what was typed."""
    titles = ["Wellness for Busy People", "Unit Testing in Python", "Running for Beginners"]
    engine = await _courses_titled(titles, documents, tmp_path)

    async def found(q: str) -> list[str]:
        result = await engine.search(SearchRequest(q=q, semantic_ratio=0.0))
        return sorted(h.document.id for h in result.hits)

    assert await found("welding") == []
    assert await found("knitting") == []
    assert await found("wellnes") == ["c0"]  # typos of the word itself still match
    assert await found("pyhton") == ["c1"]
    assert await found("runing") == ["c2"]

"""As-you-type suggestions: query completions (popular past searches, then phrases from the
matching courses' titles and tags), categories, course titles and mentors (prefix and typo
tolerant)."""

from __future__ import annotations

import msgspec

from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.schemas import SuggestItem, SuggestResponse
from search_service.catalog.search.understanding import understand
from search_service.catalog.urls import category_url, course_url, instructor_url, search_url
from search_service.catalog.zero_results import nearest_categories
from search_service.insights.service import PopularSearches
from search_service.search.engine import SearchEngine
from search_service.search.request import SearchRequest
from search_service.search.text import matches_word, typed, typo_budget, unspell_symbols, words

MAX_ITEMS = 8
MAX_CATEGORIES = 2
MAX_MENTORS = 2
MAX_QUERIES = 3  # completions of either kind
JOINING = frozenset(
    ["a", "an", "and", "by", "for", "from", "in", "of", "on", "the", "to", "with", "your"]
)


def completions(query: str, phrases: list[str], limit: int) -> list[str]:
    """Phrases that complete ``query``: its words, the last one finished as a word of a
    matching title or tag, and that word's successor; the most frequent first."""
    typed = words(query)
    if not typed:
        return []
    head, last = typed[:-1], typed[-1]
    counts: dict[str, int] = {}
    for phrase in phrases:
        seen = set()
        ws = words(phrase)
        for i in range(len(head), len(ws)):
            if ws[i - len(head) : i] != head or not ws[i].startswith(last):
                continue
            stem = [*head, ws[i]]
            candidates = [" ".join(stem)]
            # The next word, through one joining word ("python for beginners").
            after = (
                ws[i + 1 : i + 3]
                if ws[i + 1 : i + 2] and ws[i + 1] in JOINING
                else ws[i + 1 : i + 2]
            )
            if after and after[-1] not in JOINING:
                candidates.append(" ".join([*stem, *after]))
            for candidate in candidates:
                if candidate != " ".join(typed) and candidate not in seen:
                    seen.add(candidate)
                    counts[candidate] = counts.get(candidate, 0) + 1
    ranked = sorted(counts, key=lambda c: (-counts[c], len(c), c))
    # As shoppers write them: "c# deep", not the engines' "csharp deep".
    return [unspell_symbols(c) for c in ranked[:limit]]


def _typed_filters_ahead(query: str) -> tuple[str, SearchRequest]:
    """Filters typed ahead of the words being typed ("free py", "beginner jav"): their text,
    and the request of the words with those filters, so completions and courses are those of
    the words under the filters ("free python"); otherwise nothing, and the query as typed."""
    explicit = understand(SearchRequest(q=query)).explicit
    tokens, rest = query.split(), explicit.q.split()
    if not rest or rest == tokens or tokens[len(tokens) - len(rest) :] != rest:
        return "", SearchRequest(q=query)
    return " ".join(tokens[: len(tokens) - len(rest)]) + " ", explicit


class Suggester:
    def __init__(
        self,
        engine: SearchEngine,
        categories: CategoryDirectory,
        popular: PopularSearches | None = None,
    ) -> None:
        self.engine = engine
        self.categories = categories
        self.popular = popular

    async def suggest(self, q: str) -> SuggestResponse:
        query = typed(q)
        if not words(query):
            return SuggestResponse(query=query, items=[])
        tree = await self.categories.tree()
        ahead, asked = _typed_filters_ahead(query)
        result = await self.engine.search(
            msgspec.structs.replace(
                asked, per_page=MAX_ITEMS, with_facets=False, with_highlights=False
            )
        )
        past = await self.popular.completing(query, MAX_QUERIES) if self.popular else []
        phrases = [t for h in result.hits for t in (h.document.title, *h.document.tags)]
        vocabulary = [
            ahead + c for c in completions(asked.q, phrases, MAX_QUERIES) if ahead + c not in past
        ]
        items: list[SuggestItem] = [
            SuggestItem(type="query", label=q, url=search_url([("q", q)])) for q in past
        ] + [
            SuggestItem(type="completion", label=q, url=search_url([("q", q)]))
            for q in vocabulary[: MAX_QUERIES - len(past)]
        ]
        for slug in nearest_categories(query, tree, MAX_CATEGORIES):
            node = tree.nodes[slug]
            url = category_url(node.parent, slug) if node.parent else category_url(slug)
            items.append(SuggestItem(type="category", label=node.name, url=url))
        last = words(query)[-1]
        mentors: dict[str, str] = {}  # name -> their page
        titles: set[str] = set()
        courses: list[SuggestItem] = []
        for hit in result.hits:
            doc = hit.document
            if doc.title not in titles:
                titles.add(doc.title)
                courses.append(
                    SuggestItem(type="course", label=doc.title, url=course_url(doc.slug))
                )
            name_words = words(doc.mentor_name)
            if (
                doc.mentor_name not in mentors
                and len(mentors) < MAX_MENTORS
                and any(matches_word(last, w, typo_budget(last)) for w in name_words)
            ):
                mentors[doc.mentor_name] = instructor_url(doc.mentor_id, doc.mentor_name)
        room = MAX_ITEMS - len(items) - len(mentors)
        people = [SuggestItem(type="mentor", label=name, url=url) for name, url in mentors.items()]
        # Words that name an instructor, as on the results page (every word, of 3 letters or
        # more, a whole word of the name): the instructor before their courses. "mar" is
        # marketing as much as Maria.
        said = set(words(query))
        named = all(len(w) >= 3 for w in said) and any(said <= set(words(name)) for name in mentors)
        items += [*people, *courses[:room]] if named else [*courses[:room], *people]
        return SuggestResponse(query=query, items=items[:MAX_ITEMS])

"""As-you-type suggestions: popular past searches that complete what was typed, categories,
course titles and mentors (prefix and typo tolerant)."""

from __future__ import annotations

from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.schemas import SuggestItem, SuggestResponse
from search_service.catalog.suggestions import nearest_categories
from search_service.catalog.urls import category_url, course_url, search_url
from search_service.insights.service import PopularSearches
from search_service.search.engine import SearchEngine
from search_service.search.fuzzy import matches_word
from search_service.search.request import SearchRequest
from search_service.search.text import typo_budget, words

MAX_ITEMS = 8
MAX_CATEGORIES = 2
MAX_MENTORS = 2
MAX_QUERIES = 3


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
        query = " ".join(q.split())
        if not words(query):
            return SuggestResponse(query=query, items=[])
        tree = await self.categories.tree()
        result = await self.engine.search(
            SearchRequest(q=query, per_page=MAX_ITEMS, with_facets=False, with_highlights=False)
        )
        items: list[SuggestItem] = [
            SuggestItem(type="query", label=past, url=search_url([("q", past)]))
            for past in (await self.popular.completing(query, MAX_QUERIES) if self.popular else [])
        ]
        for slug in nearest_categories(query, tree, MAX_CATEGORIES):
            node = tree.nodes[slug]
            url = category_url(node.parent, slug) if node.parent else category_url(slug)
            items.append(SuggestItem(type="category", label=node.name, url=url))
        last = words(query)[-1]
        mentors: list[str] = []
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
                mentors.append(doc.mentor_name)
        room = MAX_ITEMS - len(items) - len(mentors)
        items += courses[:room]
        items += [
            SuggestItem(type="mentor", label=name, url=search_url([("q", name)]))
            for name in mentors
        ]
        return SuggestResponse(query=query, items=items[:MAX_ITEMS])

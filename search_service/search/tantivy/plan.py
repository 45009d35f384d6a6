"""A search planned once: its words, filters and semantic part, and the tantivy queries every
step of ``execute.py`` runs (built once each, the first time a step asks)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import tantivy
from rapidfuzz import process
from rapidfuzz.distance import OSA
from tantivy import Occur, Query

from search_service.search.request import (
    AnyOf,
    Condition,
    Conditions,
    IsTrue,
    NoneOf,
    Range,
    SearchRequest,
    conditions,
    flatten,
    selected_groups,
    without,
)
from search_service.search.tantivy.reader import Known, Reader, unknown
from search_service.search.tantivy.schema import (
    FOLD,
    MATCH_PREFIX,
    MATCH_STEM,
    PREFIX_WEIGHTS,
    SITE,
    STEMMED_LANGUAGES,
    TEXT_WEIGHTS,
    stemmed_language,
)
from search_service.search.tantivy.variants import Dictionary, Variants
from search_service.search.text import WordGroup, is_abbreviation, is_cjk, plan, typo_budget
from search_service.search.vocabulary import FACETS, FacetGroup, facet_key

FUZZY_FACTOR = 0.3  # a typo match scores well below the exact word
PREFIX_FACTOR = 0.6  # so does an unfinished word
SYNONYM_FACTOR = 0.9
VARIANT_FACTOR = 0.5  # a word's reading in a further language
ABBREVIATION_FACTOR = 0.3  # "javascript" → "js": Node.js is JavaScript, but less so
PHRASE_BOOST = 4.0
# An unfinished last word of one letter is a word: as a prefix it would match nearly every
# course, at the cost of expanding every term that starts with it.
MIN_PREFIX = 2
STEMS_KEPT = 50_000  # words whose readings a builder remembers


class QueryBuilder:
    """Builds queries against one schema with the index's own analyzers, for query words in
    any of ``languages`` (codes of ``STEMMED_LANGUAGES``: a word's reading in each may
    match)."""

    def __init__(
        self,
        schema: tantivy.Schema,
        analyzers: dict[str, tantivy.TextAnalyzer],
        languages: Sequence[str] = tuple(STEMMED_LANGUAGES),
        known: Known | None = None,
        variants: Variants | None = None,
        remember: int = STEMS_KEPT,
    ):
        self.schema = schema
        self.analyzers = analyzers
        self.fold = analyzers[FOLD]
        self.languages = tuple(languages)
        self.site = analyzers[SITE]
        self.known = known
        self.variants = variants
        self.remember = remember
        # Words read and queries matched, as long as the builder lives (one search, but for
        # the engine's own builder, which respells).
        self._stems: dict[tuple[str, bool], list[str]] = {}
        self._matches: dict[tuple[WordGroup, ...], Query | None] = {}

    def for_search(
        self, codes: Sequence[str], known: Known, variants: Variants | None = None
    ) -> QueryBuilder:
        """A builder for one search: query words in the languages it filters on (all stemmed
        languages when it filters on none of them), ``known`` telling which words the index
        holds, ``variants`` which terms a typo of a stem may be."""
        wanted = tuple(
            dict.fromkeys(base for c in codes if (base := c.split("-")[0]) in STEMMED_LANGUAGES)
        )
        languages = wanted or tuple(STEMMED_LANGUAGES)
        return QueryBuilder(self.schema, self.analyzers, languages, known, variants)

    def _fuzzy(self, field: str, word: str, distance: int, prefix: bool = False) -> Query:
        """``word`` and the terms within ``distance`` edits of it in ``field`` (as a
        ``prefix``: the terms starting so), each match scoring a constant 1 as tantivy's
        fuzzy query scores: the reader's variants as plain terms when it has them (every
        stemmed field's terms are among ``MATCH_STEM``'s, every unstemmed field's among
        ``MATCH_PREFIX``'s), else tantivy's fuzzy query."""
        dictionary: Dictionary | None = None
        if self.variants is not None:
            unstemmed = field == MATCH_PREFIX or field in dict(PREFIX_WEIGHTS)
            dictionary = self.variants.words if unstemmed else self.variants.stems
        found = dictionary.variants(word, distance, prefix) if dictionary is not None else None
        if found is None:
            return Query.fuzzy_term_query(
                self.schema, field, word, distance=distance, prefix=prefix
            )
        if not found:
            return Query.empty_query()
        terms = [Query.term_query(self.schema, field, term) for term in found]
        return Query.const_score_query(terms[0] if len(terms) == 1 else _any(terms), 1.0)

    # -- text -------------------------------------------------------------------------------
    def stems(self, word: str, unfinished: bool = False) -> list[str]:
        """The word as the text fields may hold it (``tantivy_schema.analysed``): read in
        the first language, then in the others (an ``unfinished`` word, the last one typed,
        only when some course has it as typed: "tablea" read as Spanish would be "table").
        Empty when it has no letters or digits."""
        found = self._stems.get((word, unfinished))
        if found is not None:
            return found
        folded = self.folded(word)
        everywhere = (
            not unfinished
            or self.known is None
            or bool(folded and self.known(MATCH_PREFIX, folded))
        )
        out: list[str] = []
        for code in self.languages if everywhere else self.languages[:1]:
            language = stemmed_language(code)
            inner = [word] if language is None else self.analyzers[f"sk_{language}"].analyze(word)
            tokens = self.site.analyze(inner[0]) if inner else []
            if not tokens or tokens[0] in out:
                continue
            # A further reading no course holds would only cost its clauses.
            if out and self.known is not None and not self.known(MATCH_STEM, tokens[0]):
                continue
            out.append(tokens[0])
        if len(self._stems) >= self.remember:  # the engine's own builder lives on: bounded
            self._stems.clear()
        self._stems[(word, unfinished)] = out
        return out

    @property
    def remembered(self) -> int:
        """How many words' readings the builder holds (at most ``remember``)."""
        return len(self._stems)

    def stemmed(self, word: str) -> str | None:
        """The word's stem in the first language (the site's, unless a filter says)."""
        stems = self.stems(word)
        return stems[0] if stems else None

    def folded(self, word: str) -> str | None:
        """The word as the unstemmed (prefix) fields hold it."""
        tokens = self.fold.analyze(word)
        return tokens[0] if tokens else None

    def _word(self, word: str, typos: bool, prefix: bool, known: Known) -> Query | None:
        stems = self.stems(word, unfinished=prefix)
        clauses: list[Query] = []
        # A word the index knows was most likely typed as meant, and is searched as that
        # word first: its typo variants and completions still match (``match`` finds them),
        # but only the word itself scores ("tech" ranks Tech courses above Techniques ones).
        if any(known(MATCH_STEM, stem) for stem in stems):
            typos = False
            prefix = False
        budget = typo_budget(word) if typos else 0
        stem_budget = stem_typos(budget, stems)
        for field, weight in TEXT_WEIGHTS:
            for index, stem in enumerate(stems):
                # Another language's stem is rarer than the first language's (fewer courses
                # hold it) and would outscore it on its rarity alone.
                factor = 1.0 if index == 0 else VARIANT_FACTOR
                exact = Query.term_query(self.schema, field, stem)
                clauses.append(Query.boost_query(exact, weight * factor))
            if stem_budget:
                # Typos of the first stem only: each stem's variants would cost as much again.
                fuzzy = self._fuzzy(field, stems[0], stem_budget)
                clauses.append(Query.boost_query(fuzzy, weight * FUZZY_FACTOR))
        if prefix and long_enough(word):
            folded = self.fold.analyze(word)
            if folded:
                distance = min(budget, 1)
                for field, weight in PREFIX_WEIGHTS:
                    partial = self._fuzzy(field, folded[0], distance, prefix=True)
                    clauses.append(Query.boost_query(partial, weight * PREFIX_FACTOR))
        if not clauses:
            return None
        return Query.disjunction_max_query(clauses, tie_breaker=0.1)

    def _words(
        self, words: Sequence[str], typos: bool, prefix_last: bool, known: Known
    ) -> Query | None:
        parts = []
        for index, word in enumerate(words):
            clause = self._word(word, typos, prefix_last and index == len(words) - 1, known)
            if clause is None:
                return None
            parts.append((Occur.Must, clause))
        return Query.boolean_query(parts) if len(parts) > 1 else parts[0][1]

    def _group(self, group: WordGroup, known: Known) -> Query | None:
        own = self._words(group.words, typos=group.typos, prefix_last=group.last, known=known)
        alternatives = [own] if own is not None else []
        for synonym in group.synonyms:
            clause = self._words(synonym, typos=False, prefix_last=False, known=known)
            if clause is not None:
                short = len(synonym) == 1 and is_abbreviation(synonym[0])
                factor = ABBREVIATION_FACTOR if short else SYNONYM_FACTOR
                alternatives.append(Query.boost_query(clause, factor))
        if not alternatives:
            return None
        return (
            alternatives[0] if len(alternatives) == 1 else Query.disjunction_max_query(alternatives)
        )

    def text(self, groups: Sequence[WordGroup], known: Known = unknown) -> Query | None:
        """The documents ``match`` finds, scored: each word by the best field it is in, a typo
        or an unfinished word below the word itself, the words in order in the title extra.

        ``known(field, term)`` says whether the index holds a term (see ``_word``)."""
        matched = self.match(groups)
        if matched is None:
            return None
        clauses = [(Occur.Must, Query.const_score_query(matched, 0.0))]
        scored = (self._group(g, known) for g in groups)
        clauses += [(Occur.Should, q) for q in scored if q is not None]
        words = [w for g in groups for w in g.words]
        stems: list[str | tuple[int, str]] = [s for s in map(self.stemmed, words) if s]
        if len(stems) > 1:
            phrase = Query.phrase_query(self.schema, "title", stems, slop=1)
            clauses.append((Occur.Should, Query.boost_query(phrase, PHRASE_BOOST)))
        return Query.boolean_query(clauses)

    def all_known(self, groups: Sequence[WordGroup], known: Known) -> bool:
        """Every word is in the index as typed: ``text`` then scores no typo variants."""
        return all(
            not (stems := self.stems(word)) or any(known(MATCH_STEM, s) for s in stems)
            for group in groups
            for word in group.words
        )

    # -- the same matches, without scores ---------------------------------------------------
    def _match_word(self, word: str, typos: bool, prefix: bool) -> Query | None:
        stems = self.stems(word, unfinished=prefix)
        # A word some course holds as typed is no typo: its stem's variants would match
        # other words ("baking" is "bake", one edit from "take" and "make").
        as_typed = self.folded(word)
        held = self.known is not None and bool(as_typed and self.known(MATCH_PREFIX, as_typed))
        budget = typo_budget(word) if typos and not held else 0
        clauses: list[Query] = [Query.term_query(self.schema, MATCH_STEM, s) for s in stems]
        if budget and stems:
            # Typos of the word as typed, as Meilisearch counts them; and of its stem, as
            # many as the stem's own length allows: "welding" is "weld", and one typo would
            # make it "well" ("wellness"), as "knitting" would be "unit".
            if stem_budget := stem_typos(budget, stems):
                clauses[0] = self._fuzzy(MATCH_STEM, stems[0], stem_budget)
            if as_typed and not prefix:  # an unfinished word's typos: its completions'
                clauses.append(self._fuzzy(MATCH_PREFIX, as_typed, budget))
        if prefix and long_enough(word) and as_typed:
            clauses.append(self._fuzzy(MATCH_PREFIX, as_typed, min(budget, 1), prefix=True))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else _any(clauses)

    def _match_words(self, words: Sequence[str], typos: bool, prefix_last: bool) -> Query | None:
        parts = []
        for index, word in enumerate(words):
            clause = self._match_word(word, typos, prefix_last and index == len(words) - 1)
            if clause is None:
                return None
            parts.append(clause)
        return parts[0] if len(parts) == 1 else _all(parts)

    def match(self, groups: Sequence[WordGroup]) -> Query | None:
        """Exactly the documents ``text(groups)`` matches, as a query that scores nothing:
        one field per word instead of every weighted field, for counting facets. Built once
        per builder: a search asks again for its ranking, its counts and each facet pass."""
        key = tuple(groups)
        if key not in self._matches:
            self._matches[key] = self._match(key)
        return self._matches[key]

    def _match(self, groups: Sequence[WordGroup]) -> Query | None:
        if not groups:
            return None
        parts = []
        for group in groups:
            alternatives = [
                q
                for q in (
                    self._match_words(group.words, typos=group.typos, prefix_last=group.last),
                    *(self._match_words(s, typos=False, prefix_last=False) for s in group.synonyms),
                )
                if q is not None
            ]
            if not alternatives:
                return Query.empty_query()
            parts.append(alternatives[0] if len(alternatives) == 1 else _any(alternatives))
        return parts[0] if len(parts) == 1 else _all(parts)

    def highlight_terms(self, groups: Sequence[WordGroup]) -> list[str]:
        """The words to mark in snippets, as each language's analyzer makes them."""
        out = []
        for group in groups:
            for word in (*group.words, *(w for alt in group.synonyms for w in alt)):
                out += self.stems(word)
        return out

    # -- filters ----------------------------------------------------------------------------
    def condition(self, condition: Condition) -> Query:
        """One engine-neutral condition as a tantivy query."""
        if isinstance(condition, AnyOf):
            # Term queries read their postings lazily, skipping to the documents the rest of
            # the query matches; a term set would collect every document of every value first.
            terms = [
                Query.term_query(self.schema, condition.field, value)
                for value in dict.fromkeys(condition.values)
            ]
            return terms[0] if len(terms) == 1 else _any(terms)
        if isinstance(condition, NoneOf):
            terms = [
                Query.term_query(self.schema, condition.field, value)
                for value in dict.fromkeys(condition.values)
            ]
            return Query.boolean_query(
                [(Occur.Must, Query.all_query()), (Occur.MustNot, _any(terms))]
            )
        if isinstance(condition, IsTrue):
            return Query.term_query(
                self.schema, condition.field, facet_key(condition.field, condition.value)
            )
        return self._range(condition)

    def _range(self, condition: Range) -> Query:
        cast = int if condition.integer else float
        kind = tantivy.FieldType.Integer if condition.integer else tantivy.FieldType.Float
        low = cast(condition.low) if condition.low is not None else None
        high = cast(condition.high) if condition.high is not None else None
        return Query.range_query(self.schema, condition.field, kind, low, high)

    def combine(self, text: Query | None, conditions: Sequence[Condition]) -> Query:
        """Text AND every condition; everything when there is neither."""
        parts = [(Occur.Must, self.condition(c)) for c in conditions]
        if text is not None:
            parts.insert(0, (Occur.Must, text))
        if not parts:
            return Query.all_query()
        if text is None:
            # Filters alone: constant score, so browse order comes from the sort field.
            return Query.const_score_query(Query.boolean_query(parts), 1.0)
        return Query.boolean_query(parts)


def long_enough(word: str) -> bool:
    """Whether an unfinished word is matched as a prefix: one CJK character is a word."""
    return len(word) >= MIN_PREFIX or is_cjk(word[0])


def _any(queries: Sequence[Query]) -> Query:
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def _all(queries: Sequence[Query]) -> Query:
    return Query.boolean_query([(Occur.Must, q) for q in queries])


def ids_query(schema: tantivy.Schema, ids: Sequence[str]) -> Query:
    """The documents with these ids: one term query each, as ``condition`` builds an
    ``AnyOf`` (a term set walks the id dictionary: docs/performance.md)."""
    return _any([Query.term_query(schema, "id", doc_id) for doc_id in dict.fromkeys(ids)])


# One facet counting pass: the conditions it counts under and the groups it counts.
Pass = tuple[list[Condition], list[FacetGroup]]


class SearchPlan:
    """One search, planned once: its word groups (with synonyms and the unfinished last word),
    the words the index holds, its filters grouped by facet, its query vector, and the
    queries each step runs, built the first time a step asks for them."""

    def __init__(self, reader: Reader, builder: QueryBuilder, request: SearchRequest) -> None:
        self.reader = reader
        self.request = request
        self.groups = plan(request.q, literal=request.literal)
        self.builder = builder.for_search(request.language, reader.known, reader.variants)
        self.selected: Conditions = conditions(request)
        self.filters = flatten(self.selected)
        self.vector = (
            np.frombuffer(request.vector, dtype="<f4").astype(np.float32)
            if request.hybrid and self.groups
            else None
        )
        self._text: dict[int, Query | None] = {}

    @property
    def words(self) -> int:
        """How many word groups the query has (the levels count from here down)."""
        return len(self.groups)

    @property
    def ratio(self) -> float:
        """How much meaning counts (0 for a lexical search)."""
        return float(self.request.semantic_ratio or 0) if self.vector is not None else 0.0

    def kept(self, size: int) -> list[WordGroup]:
        """The first ``size`` word groups."""
        return self.groups[:size]

    def all_known(self) -> bool:
        """Every word is in the index as typed (the ranking then scores no typo variants)."""
        return self.builder.all_known(self.groups, self.reader.known)

    def matching(
        self, size: int, conds: Sequence[Condition] | None = None, also: Sequence[str] = ()
    ) -> Query:
        """The documents with the first ``size`` word groups (or, with ``also``, one of those
        ids) passing ``conds`` (the search's filters by default): unscored."""
        words = self.builder.match(self.kept(size)) if size else None
        if also:
            extra = ids_query(self.builder.schema, also)
            words = extra if words is None else _any([words, extra])
        return self.builder.combine(words, self.filters if conds is None else conds)

    def lacking(self, size: int, ids: Sequence[str]) -> Query:
        """The documents among ``ids`` without the first ``size`` word groups, passing the
        filters: unscored (none for no words: every document has them all)."""
        words = self.builder.match(self.kept(size))
        if words is None:
            return Query.empty_query()
        found = Query.boolean_query(
            [(Occur.Must, ids_query(self.builder.schema, ids)), (Occur.MustNot, words)]
        )
        return self.builder.combine(found, self.filters)

    def scored(self, size: int, filtered: bool = True) -> Query:
        """The documents with the first ``size`` word groups passing the filters (or any,
        not ``filtered``), scored: each word by the best field it is in, typos and
        completions below the word itself, the words in order in the title extra."""
        if size not in self._text:
            self._text[size] = self.builder.text(self.kept(size), self.reader.known)
        return self.builder.combine(self._text[size], self.filters if filtered else [])

    def browse(self) -> Query:
        """Every document passing the filters (no words: the sort field orders them)."""
        return self.builder.combine(None, self.filters)

    def passes(self) -> list[Pass]:
        """Disjunctive facet counts: the unselected groups over every condition, each
        selected group over every condition but its own."""
        out: list[Pass] = [(self.filters, [g for g in FACETS if g not in self.selected])]
        out += [(without(self.selected, g), [g]) for g in selected_groups(self.selected)]
        return out

    def highlight_terms(self) -> list[str]:
        """The index words the query matched, as snippets mark them: its words, and for a
        word the index does not hold, the typo variants and completions it matched
        (``pyhton`` marks ``python``, ``kube`` marks ``kubernetes``)."""
        searcher = self.reader.searcher
        out = self.builder.highlight_terms(self.groups)
        for group in self.groups:
            for index, word in enumerate(group.words):
                stem = self.builder.stemmed(word)
                if stem and self.reader.known(MATCH_STEM, stem):
                    continue
                budget = typo_budget(word) if group.typos else 0
                folded = self.builder.folded(word)
                variants = self.reader.variants
                # The very terms the query matched; for a dictionary too large to scan (the
                # query used tantivy's fuzzy query), the nearest sharing the start.
                if stem and (stem_budget := stem_typos(budget, [stem])):
                    found = variants.stems.variants(stem, stem_budget) if variants else None
                    out += (
                        _nearest(searcher, MATCH_STEM, stem, stem_budget)
                        if found is None
                        else found
                    )
                last = group.last and index == len(group.words) - 1
                if stem and folded and budget and not last:
                    found = variants.words.variants(folded, budget) if variants else None
                    typed = (
                        _nearest(searcher, MATCH_PREFIX, folded, budget) if found is None else found
                    )
                    out += [s for term in typed for s in self.builder.stems(term)]
                if last and folded and long_enough(word):
                    completions = searcher.terms_with_prefix(
                        MATCH_PREFIX, folded, limit=HIGHLIGHT_VARIANTS
                    )
                    out += [s for term, _ in completions for s in self.builder.stems(term)]
        return out


HIGHLIGHT_VARIANTS = 5  # index words marked for one typo or one unfinished word
VARIANT_CANDIDATES = 1000  # indexed words (sharing the first letters) a typo is matched to


def stem_typos(budget: int, stems: Sequence[str]) -> int:
    """The typos allowed on a word's first stem: the word's, but no more than a word of the
    stem's length has (a short stem is one edit from many others)."""
    return min(budget, typo_budget(stems[0])) if budget and stems else 0


def _nearest(searcher: tantivy.Searcher, field: str, word: str, budget: int) -> list[str]:
    """The terms of ``field`` nearest ``word`` within ``budget`` edits, among those sharing
    its first letters (the ones a fuzzy query of that distance matched)."""
    start = word[:2] if len(word) >= 5 else word[:1]
    terms = searcher.terms_with_prefix(field, start, limit=VARIANT_CANDIDATES)
    found = process.extract(
        word,
        [t for t, _ in terms],
        scorer=OSA.distance,
        score_cutoff=budget,
        limit=HIGHLIGHT_VARIANTS,
    )
    return [term for term, _, _ in found]

"""Search requests as tantivy queries: weighted text clauses, filters, relaxation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import tantivy
from tantivy import Occur, Query

from search_service.search.request import AnyOf, Condition, IsTrue, NoneOf, Range
from search_service.search.tantivy_schema import (
    FOLD,
    MATCH_PREFIX,
    MATCH_STEM,
    PREFIX_WEIGHTS,
    SITE,
    STEMMED_LANGUAGES,
    TEXT_WEIGHTS,
    stemmed_language,
)
from search_service.search.tantivy_variants import Dictionary, Variants
from search_service.search.text import WordGroup, is_abbreviation, is_cjk, typo_budget
from search_service.search.vocabulary import facet_key

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


Known = Callable[[str, str], bool]


def _unknown(field: str, term: str) -> bool:
    return False


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
    ):
        self.schema = schema
        self.analyzers = analyzers
        self.fold = analyzers[FOLD]
        self.languages = tuple(languages)
        self.site = analyzers[SITE]
        self.known = known
        self.variants = variants
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
        stemmed field's terms are among ``MATCH_STEM``'s, every prefix field's among
        ``MATCH_PREFIX``'s)."""
        dictionary: Dictionary | None = None
        if self.variants is not None:
            dictionary = self.variants.words if prefix else self.variants.stems
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
        if len(self._stems) >= STEMS_KEPT:  # the engine's own builder lives on: bounded
            self._stems.clear()
        self._stems[(word, unfinished)] = out
        return out

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
        # A word the index knows was most likely typed as meant: its typo and prefix variants
        # still match (``match`` finds them), but only the word itself scores. Expanding
        # variants field by field is most of a query's cost.
        if any(known(MATCH_STEM, stem) for stem in stems):
            typos = False
            folded = self.fold.analyze(word)
            prefix = prefix and not (folded and known(MATCH_PREFIX, folded[0]))
        budget = typo_budget(word) if typos else 0
        for field, weight in TEXT_WEIGHTS:
            for index, stem in enumerate(stems):
                # Another language's stem is rarer than the first language's (fewer courses
                # hold it) and would outscore it on its rarity alone.
                factor = 1.0 if index == 0 else VARIANT_FACTOR
                exact = Query.term_query(self.schema, field, stem)
                clauses.append(Query.boost_query(exact, weight * factor))
            if budget and stems:
                # Typos of the first stem only: each stem's variants would cost as much again.
                fuzzy = self._fuzzy(field, stems[0], budget)
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

    def text(self, groups: Sequence[WordGroup], known: Known = _unknown) -> Query | None:
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
        budget = typo_budget(word) if typos else 0
        clauses: list[Query] = [Query.term_query(self.schema, MATCH_STEM, s) for s in stems]
        if budget and stems:
            clauses[0] = self._fuzzy(MATCH_STEM, stems[0], budget)
        if prefix and long_enough(word):
            folded = self.fold.analyze(word)
            if folded:
                clauses.append(self._fuzzy(MATCH_PREFIX, folded[0], min(budget, 1), prefix=True))
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

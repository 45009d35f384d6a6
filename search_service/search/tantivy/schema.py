"""The tantivy index layout: analyzers, fields, and a search document as a tantivy document."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

import msgspec
import tantivy

from search_service.search.document import DOCUMENT_ENCODER, CourseDocument
from search_service.search.signals import rank_weight
from search_service.search.text import segment
from search_service.search.vocabulary import (
    FACET_FIELDS,
    FLAG_FIELDS,
    RANGE_FIELDS,
    SEARCHABLE,
    SORTABLE,
    facet_key,
)

FOLD = "sk_fold"
# Bumped whenever the fields or analyzers change: a generation written with another format
# is not opened (``skillspring reindex`` writes a current one).
FORMAT = "10"

# Searchable text fields (stemmed) carry the vocabulary's names and weights.
TEXT_WEIGHTS: tuple[tuple[str, float], ...] = SEARCHABLE
# Unstemmed copies for as-you-type prefixes of the last word (tantivy only).
PREFIX_WEIGHTS: tuple[tuple[str, float], ...] = (("title_prefix", 10.0), ("meta_prefix", 3.0))
# Every searchable word in one field each way, for the match alone (no scores): counting
# facets over one field per word is several times cheaper than over the weighted fields.
MATCH_STEM = "match_stem"
MATCH_PREFIX = "match_prefix"
# Multi-valued facet fields are counted through a single-valued twin holding the document's
# whole set of values ("data-science|python"): tantivy counts a single-valued column several
# times faster (docs/performance.md, "Facet value sets"), and the sets are few (a course has
# one or two categories, and five features make at most 32 sets). Filters use the
# multi-valued field itself.
VALUE_SETS: dict[str, str] = {"category_slugs": "category_slug_set", "features": "feature_set"}
SET_SEPARATOR = "|"
# Exact-value fields used for filters and facet counts.
KEYWORD_FIELDS = (*FACET_FIELDS, *FLAG_FIELDS)
# Numeric fast fields: the vocabulary's sort and range fields, plus the engine's own.
FLOAT_FIELDS = ("rating", "rating_weighted", "rating_lower_bound", "rank_weight")
INTEGER_FIELDS = tuple(
    dict.fromkeys(f for f in (*SORTABLE, *RANGE_FIELDS, "relevance_key") if f not in FLOAT_FIELDS)
)


# Course languages read with their own stemmer (tantivy's Snowball stemmers) before the
# site's analysis, by the base of their language code; any other language gets the site's
# analysis only (``analysed``). Query words are read for every language they could be in (all
# of these, or the languages a search filters on), English first.
STEMMED_LANGUAGES: dict[str, str] = {
    "en": "english",
    "es": "spanish",
    "pt": "portuguese",
    "de": "german",
    "fr": "french",
    "it": "italian",
}


def _folding() -> tantivy.TextAnalyzerBuilder:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(
        tantivy.Filter.lowercase()
    )


SITE = "sk_en"  # the text fields' own analyzer: the site's language


def stemmed_language(code: str) -> str | None:
    """The stemmed language a course in ``code`` is analysed in first (``pt-BR`` as ``pt``),
    None for English and for languages without a stemmer (the fields' own analysis only)."""
    base = code.split("-")[0].lower()
    return base if base in STEMMED_LANGUAGES and f"sk_{base}" != SITE else None


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """The analyzers every Index object must register, writer and reader alike: the folding
    one (the prefix fields), and one per stemmed language (accents folded, then stemmed; the
    site's language is the text fields' own). Stop words stay in the index, so
    names made of them still match ("No-Code", "IT Support"); they are taken out of queries
    (``catalog/understanding.py``), in every catalog language."""
    out = {FOLD: _folding().filter(tantivy.Filter.ascii_fold()).build()}
    for code, language in STEMMED_LANGUAGES.items():
        out[f"sk_{code}"] = (
            _folding()
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer(language))
            .build()
        )
    return out


@functools.cache
def _analysis() -> dict[str, tantivy.TextAnalyzer]:
    return analyzers()


def _as_is(text: str) -> str:
    return text


def reading(code: str) -> Callable[[str], str]:
    """How segmented text (``text.segment``) of a course in language ``code`` is handed to
    the index: in a stemmed language other than the site's, every word already stemmed in
    it; otherwise as it is. The text fields then apply the site's analyzer (English) to
    everything: an English course costs nothing more, and a term is the same function of a
    word on both sides (a Spanish course's "cursos" is english(spanish("cursos")), as a
    Spanish reading of the query is)."""
    language = stemmed_language(code)
    if language is None:
        return _as_is
    stem = _analysis()[f"sk_{language}"].analyze
    return lambda text: " ".join(stem(text))


def analysed(text: str, code: str) -> str:
    """``text`` as it is handed to the index for a course in language ``code``."""
    return reading(code)(segment(text))


def terms_of(text: str, code: str) -> list[str]:
    """The index terms of ``text``'s words, in order, for a course in language ``code``."""
    return _analysis()[SITE].analyze(analysed(text, code))


def build_schema() -> tantivy.Schema:
    """Fields of the course index."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=False, tokenizer_name="raw")
    # The id as a number a search can read for many hits at once (``doc_key``).
    builder.add_unsigned_field(KEY, stored=False, indexed=False, fast=True)
    # Text fields hold each course's words analysed in its language (``analysed``), then as
    # the site's language.
    for field, _ in TEXT_WEIGHTS:
        builder.add_text_field(field, stored=False, tokenizer_name=SITE)
    for field, _ in PREFIX_WEIGHTS:
        builder.add_text_field(field, stored=False, tokenizer_name=FOLD)
    builder.add_text_field(MATCH_STEM, stored=False, tokenizer_name=SITE, index_option="freq")
    builder.add_text_field(MATCH_PREFIX, stored=False, tokenizer_name=FOLD, index_option="basic")
    for field in (*KEYWORD_FIELDS, *VALUE_SETS.values()):
        builder.add_text_field(field, stored=False, tokenizer_name="raw", fast=True)
    for field in INTEGER_FIELDS:
        builder.add_integer_field(field, stored=False, indexed=True, fast=True)
    for field in FLOAT_FIELDS:
        builder.add_float_field(field, stored=False, indexed=True, fast=True)
    builder.add_bytes_field("source", stored=True, indexed=False)
    return builder.build()


KEY = "key"


def doc_key(doc_id: str) -> int:
    """A document id as an unsigned 64-bit number (the first 8 bytes of its hash): searches
    read it from a fast field to join hits with their vectors."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big")


def relevance_key(doc: CourseDocument) -> int:
    """Browse order without a query, and "highest rated": the rating's lower confidence
    bound first, then popularity."""
    return round(doc.rating_lower_bound * 1000) * 10_000_000 + min(doc.popularity, 9_999_999)


def _texts(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def to_tantivy(doc: CourseDocument, schema: tantivy.Schema) -> tantivy.Document:
    """The tantivy document of a search document; the whole document is stored as JSON."""
    fields: dict[str, Any] = {"id": doc.id, KEY: doc_key(doc.id)}
    texts = {name: [segment(v) for v in _texts(getattr(doc, name))] for name, _ in TEXT_WEIGHTS}
    read = reading(doc.language_code)
    for name, _ in TEXT_WEIGHTS:
        # A mentor's name is a name in every language: read as the site's language only.
        fields[name] = texts[name] if name == "mentor_name" else [read(v) for v in texts[name]]
    fields["title_prefix"] = texts["title"]
    fields["meta_prefix"] = [
        *texts["tags"],
        *texts["mentor_name"],
        *texts["category_names"],
        *texts["subtitle"],
    ]
    fields[MATCH_STEM] = [value for name, _ in TEXT_WEIGHTS for value in fields[name]]
    fields[MATCH_PREFIX] = [*fields["title_prefix"], *fields["meta_prefix"]]
    for name in KEYWORD_FIELDS:
        value = getattr(doc, name)
        fields[name] = (
            [facet_key(name, v) for v in value]
            if isinstance(value, list)
            else facet_key(name, value)
        )
    for name, twin in VALUE_SETS.items():
        fields[twin] = SET_SEPARATOR.join(sorted(fields[name]))
    for name in INTEGER_FIELDS:
        if name != "relevance_key":
            fields[name] = int(getattr(doc, name))
    fields["relevance_key"] = relevance_key(doc)
    fields["rank_weight"] = float(rank_weight(doc))
    fields["rating"] = float(doc.rating)
    fields["rating_weighted"] = float(doc.rating_weighted)
    fields["rating_lower_bound"] = float(doc.rating_lower_bound)
    # The vector lives in the generation's vector store (``vectors.py``), not in every hit read.
    fields["source"] = DOCUMENT_ENCODER.encode(msgspec.structs.replace(doc, vector=b""))
    return tantivy.Document.from_dict(fields, schema)

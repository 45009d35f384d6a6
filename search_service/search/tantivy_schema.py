"""The tantivy index layout: analyzers, fields, and a search document as a tantivy document."""

from __future__ import annotations

import math

import tantivy

from search_service.search.document import DOCUMENT_ENCODER, CourseDocument

STEM = "sk_stem"
FOLD = "sk_fold"

# Searchable text fields (stemmed), weighted title > tags > subtitle = mentor = category >
# description: the field order the issue and Meilisearch's searchableAttributes share.
TEXT_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("title", 10.0),
    ("tags_text", 5.0),
    ("subtitle", 3.0),
    ("mentor_text", 3.0),
    ("category_text", 3.0),
    ("description", 1.0),
)
# Unstemmed copies for as-you-type prefixes of the last word.
PREFIX_WEIGHTS: tuple[tuple[str, float], ...] = (("title_prefix", 10.0), ("meta_prefix", 3.0))
# Exact-value fields used for filters and facet counts.
KEYWORD_FIELDS = (
    "level",
    "language_code",
    "category_slugs",
    "is_free",
    "price_band",
    "rating_floor",
    "duration_bucket",
    "features",
    "is_bestseller",
)
INTEGER_FIELDS = (
    "effective_price_cents",
    "review_count",
    "popularity",
    "last_updated_at",
    "relevance_key",
)
FLOAT_FIELDS = ("rating", "rank_weight")


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """The analyzers every Index object must register, writer and reader alike."""
    folding = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    return {
        STEM: folding.filter(tantivy.Filter.stemmer("english")).build(),
        FOLD: (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build()
        ),
    }


def build_schema() -> tantivy.Schema:
    """Fields of the course index."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=False, tokenizer_name="raw")
    for field, _ in TEXT_WEIGHTS:
        builder.add_text_field(field, stored=False, tokenizer_name=STEM)
    for field, _ in PREFIX_WEIGHTS:
        builder.add_text_field(field, stored=False, tokenizer_name=FOLD)
    for field in KEYWORD_FIELDS:
        builder.add_text_field(field, stored=False, tokenizer_name="raw", fast=True)
    for field in INTEGER_FIELDS:
        builder.add_integer_field(field, stored=False, indexed=True, fast=True)
    for field in FLOAT_FIELDS:
        builder.add_float_field(field, stored=False, indexed=True, fast=True)
    builder.add_bytes_field("source", stored=True, indexed=False)
    return builder.build()


SITE_LANGUAGE = "en"
RANK_BASE = 2.0


def rank_weight(doc: CourseDocument) -> float:
    """Business signals as a score multiplier (tantivy multiplies by log2(2 + weight)).

    Courses in the site's language, popular courses and well-rated courses move up among
    comparable text matches. The multiplier runs from log2(2 + RANK_BASE) to
    log2(9.5 + RANK_BASE), at most about 1.8×: less than the gap between a title match and a
    subtitle match (3.3×) or between an exact word and a typo (3.3×).
    """
    language = 4.0 if doc.language_code.split("-")[0] == SITE_LANGUAGE else 0.0
    popularity = min(3.0, math.log10(1 + doc.popularity)) * 0.5
    rating = max(0.0, doc.rating - 3.0)
    return RANK_BASE + language + popularity + rating


def relevance_key(doc: CourseDocument) -> int:
    """Browse order without a query: rating first, then popularity."""
    return round(doc.rating * 100) * 10_000_000 + min(doc.popularity, 9_999_999)


def keyword(value: bool | float | str) -> str:
    """How a facet value is written in a keyword field."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}"
    return value


def to_tantivy(doc: CourseDocument, schema: tantivy.Schema) -> tantivy.Document:
    """The tantivy document of a search document; the whole document is stored as JSON."""
    meta = [*doc.tags, doc.mentor_name, *doc.category_names, doc.subtitle]
    fields = dict(
        id=doc.id,
        title=doc.title,
        tags_text=doc.tags,
        subtitle=doc.subtitle,
        mentor_text=doc.mentor_name,
        category_text=doc.category_names,
        description=doc.description,
        title_prefix=doc.title,
        meta_prefix=meta,
        level=doc.level,
        language_code=doc.language_code,
        category_slugs=doc.category_slugs,
        is_free=keyword(doc.is_free),
        price_band=doc.price_band,
        rating_floor=keyword(doc.rating_floor),
        duration_bucket=doc.duration_bucket,
        features=doc.features,
        is_bestseller=keyword(doc.is_bestseller),
        effective_price_cents=doc.effective_price_cents,
        review_count=doc.review_count,
        popularity=doc.popularity,
        last_updated_at=doc.last_updated_at,
        relevance_key=relevance_key(doc),
        rank_weight=float(rank_weight(doc)),
        rating=float(doc.rating),
        source=DOCUMENT_ENCODER.encode(doc),
    )
    return tantivy.Document.from_dict(fields, schema)

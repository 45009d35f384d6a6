"""The search document: one per published, non-deleted course."""

from __future__ import annotations

import msgspec


class CourseDocument(msgspec.Struct, kw_only=True, frozen=True):
    """Everything search needs about a course: searched, filtered, counted, sorted and shown.

    Field names are the vocabulary's (``vocabulary.py``).
    """

    id: str
    slug: str
    title: str
    subtitle: str = ""
    description: str = ""
    language_code: str
    level: str
    mentor_id: str
    mentor_name: str
    mentor_headline: str = ""
    category_slugs: list[str] = []
    category_names: list[str] = []
    tags: list[str] = []
    list_price_cents: int
    sale_price_cents: int | None = None
    effective_price_cents: int
    currency: str
    is_free: bool
    discount_percent: int
    price_band: str
    rating: float
    rating_floor: float
    rating_weighted: float = 0.0  # shrunk towards a prior (``vocabulary.weighted_rating``)
    rating_lower_bound: float = 0.0  # what "highest rated" orders by (``vocabulary``)
    rank_tier: int = 0  # business signals in half steps (``signals.rank_tier``)
    review_count: int
    popularity: int
    total_duration_minutes: int
    duration_bucket: str
    lecture_count: int
    features: list[str] = []
    is_bestseller: bool
    last_updated_at: int
    thumbnail_url: str | None = None
    # The course's meaning (``semantic/``): little-endian float32, empty when not embedded.
    # Engines keep it beside the document (tantivy's vector store, Meilisearch's _vectors),
    # never in the stored document itself.
    vector: bytes = b""


DOCUMENT_DECODER = msgspec.json.Decoder(CourseDocument)
DOCUMENT_ENCODER = msgspec.json.Encoder()

"""What shoppers read for facet values and filters (the vocabulary's values are codes)."""

from __future__ import annotations

LANGUAGE_LABELS = {
    "en": "English",
    "es": "Español",
    "de": "Deutsch",
    "fr": "Français",
    "pt": "Português",
    "ja": "日本語",
    "it": "Italiano",
    "zh": "中文",
}
# Facet group -> value -> label (groups whose values are codes).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "level": {
        "beginner": "Beginner",
        "intermediate": "Intermediate",
        "advanced": "Advanced",
        "all": "All levels",
    },
    "duration": {
        "0-1h": "0–1 hour",
        "1-3h": "1–3 hours",
        "3-6h": "3–6 hours",
        "6-17h": "6–17 hours",
        "17h+": "17+ hours",
    },
    "features": {
        "quizzes": "Quizzes",
        "assignments": "Assignments",
        "downloads": "Downloadable resources",
        "articles": "Articles",
        "previews": "Free previews",
    },
    "price": {
        "free": "Free",
        "paid": "Paid",
        "under-20": "Under $20",
        "20-50": "$20 – $50",
        "50-100": "$50 – $100",
        "100-plus": "$100 and more",
    },
    "bestseller": {"true": "Bestseller", "false": "Not bestseller"},
}
GROUP_LABELS = {
    "category": "Category",
    "rating": "Rating",
    "level": "Level",
    "language": "Language",
    "duration": "Duration",
    "price": "Price",
    "features": "Features",
    "bestseller": "Bestseller",
}


def language_label(code: str) -> str:
    return LANGUAGE_LABELS.get(code.split("-")[0], code)


def value_label(group: str, value: str) -> str:
    """The label of a facet value (languages by name, codes through ``VALUE_LABELS``)."""
    if group == "language":
        return language_label(value)
    return VALUE_LABELS.get(group, {}).get(value, value)


def rating_label(step: float) -> str:
    return f"{step:.1f} & up"

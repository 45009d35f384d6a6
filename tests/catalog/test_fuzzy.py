"""String distance used by suggestions."""

from __future__ import annotations

import pytest

from search_service.search.text import distance, matches_word


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("python", "python", 0),
        ("pyhton", "python", 1),
        ("pythn", "python", 1),
        ("kubernets", "kubernetes", 1),
        ("adbe", "adobe", 1),
        ("abc", "xyz", 3),
        ("short", "muchlongerword", 4),
    ],
)
def test_distance(a: str, b: str, expected: int) -> None:
    assert distance(a, b, 3) == expected


@pytest.mark.parametrize(
    ("typed", "word", "budget", "expected"),
    [
        ("dev", "development", 0, True),
        ("devl", "development", 0, False),
        ("develpment", "development", 1, True),
        ("edvelopment", "development", 1, True),
        ("xevelopment", "development", 1, False),
        ("photo", "photography", 1, True),
        ("", "anything", 1, True),
        ("web", "", 1, False),
    ],
)
def test_matches_word(typed: str, word: str, budget: int, expected: bool) -> None:
    assert matches_word(typed, word, budget) is expected

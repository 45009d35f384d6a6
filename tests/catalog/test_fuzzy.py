"""String distance used by suggestions."""

from __future__ import annotations

import pytest

from search_service.search.text import distance, matches_word, typo_budget, unspell_symbols, words


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c++", ["cpp"]),
        ("C++17 features", ["cpp", "17", "features"]),
        ("C++入門", ["cpp", "入門"]),  # Japanese writes no space before the next word
        ("Learn C# and .NET", ["learn", "csharp", "and", "dotnet"]),
        (".NET Core", ["dotnet", "core"]),
        ("ASP.NET MVC", ["dotnet", "mvc"]),
        ("VB.NET", ["vb", "dotnet"]),
        ("Learn ASP.NET.", ["learn", "dotnet"]),
        (".NET入門", ["dotnet", "入門"]),
        (".NET8", ["dotnet", "8"]),
        ("C#.NET", ["csharp", "dotnet"]),
        ("the .network tab, my.net.work", ["the", "network", "tab", "my", "net", "work"]),
        ("F# for fun", ["fsharp", "for", "fun"]),
        ("notc++", ["notc"]),
        ("a+b", ["a", "b"]),
    ],
)
def test_names_written_with_symbols_are_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_spelled_symbol_names_take_no_typos_and_read_back_as_typed() -> None:
    assert typo_budget("fsharp") == 0, "one edit from csharp: F# would find C#"
    assert typo_budget("pythons") == 1
    assert unspell_symbols("cpp tutorial csharp cppx") == "c++ tutorial c# cppx"
    assert unspell_symbols("dotnet core") == ".net core"

"""Query understanding: what a shopper's words mean, before either engine sees them.

Engine-neutral, so both engines search for the same thing:

- filters typed into the box (``free``, ``beginner``, ``in spanish``, ``under $20``) become
  the request's own filters, shown as chips that undo them (the chip's URL is the search
  without those words and without the filter);
- stop words and filler (``i want to``, ``how do i``, ``help me``, ``best course for``) are
  not searched for: they neither match on their own nor drive ranking. A query made only of
  them is searched as typed.

``literal=true`` turns all of this off (and respelling, and typo tolerance).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import msgspec

from search_service.search.request import MAX_CENTS, SearchRequest
from search_service.search.text import words

# Function words of the catalog's languages (folded, as ``words`` gives them). Words that are
# also subjects are not here: "it", "us", "no" (no-code), "c", "r", "go"; nor, among the
# filler, "class", "online", "learning" (machine learning), "study", "show".
_FUNCTION_WORDS = {
    "en": "a an the to of for in on at with and or is are be am as by from into onto about "
    "what which who whom that this these those there their them they you your yours we our "
    "i me my mine myself some any all very so just than then too also up out over",
    "es": "de del la las el los un una unos unas y o con en para por desde al lo",
    "pt": "de do da dos das um uma e com na nas nos em para pelo pela ao",
    "fr": "le la les des du de et au aux pour avec dans sur une un en",
    "de": "der die das den dem des ein eine einer einen und oder mit fur zum zur im vom von auf",
    "it": "il di per gli la le con del della e in un una",
}
FUNCTION_WORDS = {code: frozenset(text.split()) for code, text in _FUNCTION_WORDS.items()}
STOP_WORDS = frozenset().union(*FUNCTION_WORDS.values())
MAX_GUESSED_LANGUAGES = 2  # "de" alone could be four languages: no guess
# Words that state a need rather than its subject.
_FILLER = (
    "want wanna would like need needs how do does can could should help teach tell learn "
    "understand know become get getting got start starting started begin easy easily way "
    "ways best good great course courses tutorial tutorials lesson lessons please where "
    "find looking make build create first take better pass job jobs"
)
# The same in the catalog's other languages (folded): filler that also says which language
# the shopper reads ("aprender python" searched "aprender" and ranked "Aprende Data
# Visualization" first). Not "lernen" (maschinelles Lernen) nor "aprendizaje".
_NEED_WORDS = {
    "es": "aprender aprende aprenda quiero quisiera",
    "pt": "aprender aprenda quero gostaria",
    "fr": "apprendre apprends apprenez veux voudrais",
    "de": "mochte",
    "it": "imparare impara voglio vorrei",
}
NEED_WORDS = {code: frozenset(text.split()) for code, text in _NEED_WORDS.items()}
ENGLISH_FILLER = frozenset(_FILLER.split())
FILLER_WORDS = ENGLISH_FILLER.union(*NEED_WORDS.values())
# What a word says of the language of a query: its function words, and its need words.
LANGUAGE_WORDS = {
    code: FUNCTION_WORDS[code] | NEED_WORDS.get(code, frozenset()) for code in FUNCTION_WORDS
}

# A course for all levels is for beginners too.
LEVEL_WORDS = {
    "beginner": ("beginner", "all"),
    "beginners": ("beginner", "all"),
    "intermediate": ("intermediate",),
    "advanced": ("advanced",),
}
LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "german": "de",
    "french": "fr",
    "portuguese": "pt",
    "japanese": "ja",
    "italian": "it",
    "chinese": "zh",
}
# Language names in the language itself, after a preposition of that language.
NATIVE_LANGUAGE = {
    ("en", "espanol"): "es",
    ("auf", "deutsch"): "de",
    ("en", "francais"): "fr",
    ("em", "portugues"): "pt",
    ("in", "italiano"): "it",
}
PRICE_WORDS = (("under",), ("below",), ("less", "than"), ("cheaper", "than"), ("up", "to"))
_AMOUNT = re.compile(r"^\$?(\d{1,7})(?:[.,](\d{1,2}))?\$?$")
_CURRENCY_WORDS = frozenset({"dollars", "dollar", "usd", "bucks", "euros", "euro"})


@dataclass
class _Token:
    raw: str  # as typed
    word: str  # folded, punctuation stripped ("" for punctuation alone)
    used: bool = False  # taken by a typed filter


@dataclass
class Understanding:
    """What the search runs, and what it made of the words."""

    explicit: SearchRequest  # typed filters as filters, their words removed from ``q``
    searched: SearchRequest  # ``explicit`` with only the words that are searched for
    auto: dict[str, list[str]] = field(default_factory=dict)  # parameter -> values typed
    ignored: list[str] = field(default_factory=list)  # stop words and filler


def _tokens(text: str) -> list[_Token]:
    return [_Token(raw, " ".join(words(raw))) for raw in text.split()]


def _amount(tokens: Sequence[_Token], start: int) -> tuple[int, int] | None:
    """Cents of the price written at ``start`` and the tokens it takes ("$20", "20 dollars")."""
    if start >= len(tokens):
        return None
    found = _AMOUNT.match(tokens[start].raw.strip(",.;!?"))
    if not found:
        return None
    cents = int(found[1]) * 100 + int((found[2] or "0").ljust(2, "0"))
    if cents > MAX_CENTS:
        return None
    used = 1
    if start + 1 < len(tokens) and tokens[start + 1].word in _CURRENCY_WORDS:
        used = 2
    if "$" not in tokens[start].raw and used == 1:
        return None  # "under 20" alone may be anything ("under 20 minutes"); "$20" is a price
    return cents, used


def _take(tokens: list[_Token], start: int, count: int) -> None:
    for token in tokens[start : start + count]:
        token.used = True


def _typed_filters(tokens: list[_Token], request: SearchRequest) -> dict[str, list[str]]:
    """Filters written as words, for groups the request does not filter already."""
    found: dict[str, list[str]] = {}
    index = 0
    while index < len(tokens):
        word = tokens[index].word
        after = tokens[index + 1].word if index + 1 < len(tokens) else ""
        # "free" beside a chosen minimum price would contradict it: the word stays.
        if (
            word == "free"
            and request.price is None
            and not request.price_min
            and "price" not in found
        ):
            found["price"] = ["free"]
            _take(tokens, index, 1)
        elif word in LEVEL_WORDS and not request.level:
            found.setdefault("level", []).extend(LEVEL_WORDS[word])
            start = index - 1 if index and tokens[index - 1].word == "for" else index
            _take(tokens, start, index - start + 1)
        elif (word, after) in NATIVE_LANGUAGE and not request.language:
            found.setdefault("language", []).append(NATIVE_LANGUAGE[(word, after)])
            _take(tokens, index, 2)
            index += 1
        elif word == "in" and after in LANGUAGE_NAMES and not request.language:
            found.setdefault("language", []).append(LANGUAGE_NAMES[after])
            _take(tokens, index, 2)
            index += 1
        elif request.price_max is None and request.price is None and "price_max" not in found:
            for phrase in PRICE_WORDS:
                size = len(phrase)
                if tuple(t.word for t in tokens[index : index + size]) != phrase:
                    continue
                amount = _amount(tokens, index + size)
                # A typed bound below the minimum chosen is not a filter (the words stay).
                low = request.price_min
                if amount is not None and (low is None or amount[0] >= low):
                    found["price_max"] = [str(amount[0])]
                    start = index - 1 if index and tokens[index - 1].word == "for" else index
                    _take(tokens, start, index - start + size + amount[1])
                    index += size + amount[1] - 1
                break
        index += 1
    return {name: list(dict.fromkeys(values)) for name, values in found.items()}


def _typed_language(tokens: list[_Token], request: SearchRequest) -> list[str]:
    """The languages a query is written in, when its function words say so unambiguously:
    "python für einsteiger" is German, "excel para iniciantes" Spanish or Portuguese. An
    English word (or filler) anywhere, a language filter already chosen, or a word shared by
    more than two languages: no guess. The function words are taken as the filter's."""
    if request.language:
        return []
    guess: set[str] | None = None
    used = []
    for token in tokens:
        if token.used or not token.word:
            continue
        if token.word in FUNCTION_WORDS["en"] or token.word in ENGLISH_FILLER:
            return []
        languages = {c for c, found in LANGUAGE_WORDS.items() if c != "en" and token.word in found}
        if languages:
            guess = languages if guess is None else guess & languages
            used.append(token)
    if not guess or len(guess) > MAX_GUESSED_LANGUAGES:
        return []
    for token in used:
        token.used = True
    return [code for code in FUNCTION_WORDS if code in guess]


def _with_filters(request: SearchRequest, typed: dict[str, list[str]]) -> SearchRequest:
    changes: dict[str, object] = {}
    for name, values in typed.items():
        if name in ("level", "language"):
            changes[name] = [*getattr(request, name), *values]
        elif name == "price_max":
            changes[name] = int(values[0])
        else:
            changes[name] = values[0]
    return msgspec.structs.replace(request, **changes)


def understand(request: SearchRequest) -> Understanding:
    """The request as the search understands it (unchanged when ``literal``)."""
    if request.literal or not request.q:
        return Understanding(request, request)
    tokens = _tokens(request.q)
    typed = _typed_filters(tokens, request)
    if "language" not in typed and (language := _typed_language(tokens, request)):
        typed["language"] = language
    left = [t for t in tokens if not t.used]
    explicit = _with_filters(
        msgspec.structs.replace(request, q=" ".join(t.raw for t in left)), typed
    )
    if not any(t.word for t in left):
        # No letter or digit left to search for ("😀", "!!!"): the filters alone, the text
        # said as ignored, so the page does not claim every course matched it.
        unsearchable = [t.raw for t in left]
        return Understanding(explicit, msgspec.structs.replace(explicit, q=""), typed, unsearchable)
    content = [t for t in left if t.word and not _is_filler(t.word)]
    if not content:
        # Nothing but function words: search for them as typed.
        return Understanding(explicit, explicit, typed, [])
    ignored = [t.word for t in left if t.word and _is_filler(t.word)]
    searched = msgspec.structs.replace(explicit, q=" ".join(t.raw for t in content))
    return Understanding(explicit, searched, typed, ignored)


def only_filler(text: str) -> bool:
    """Every word of ``text`` is a stop word or filler (a respelling of nothing to search)."""
    return all(_is_filler(word) for word in words(text))


def _is_filler(word: str) -> bool:
    parts = word.split()
    return all(p in STOP_WORDS or p in FILLER_WORDS for p in parts)

"""Marking matched words in titles, subtitles and description snippets.

Each word of the text is analysed as its course was indexed (its language's stemmer), and a
word is marked when its term is one the query matched: "Learning" under ``learn``, never
"JavaScript" under ``java``. tantivy's own snippet generator cannot do this per language (it
analyses with a field's one tokenizer, and drops terms no document holds in that field).

CJK text is segmented into bigrams in the index (``text.segment``), so words and terms do not
line up one to one; there every occurrence of a matched term is marked, the text folded
character by character so each match maps back to the characters typed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from markupsafe import escape

from search_service.search.document import CourseDocument
from search_service.search.results import Highlights
from search_service.search.tantivy.schema import terms_of
from search_service.search.text import WORD, fold, has_cjk, is_cjk
from search_service.search.vocabulary import HIGHLIGHTED

_SPECIAL = re.compile("[&<>\"']")


def _escape(text: str) -> str:
    """``markupsafe.escape`` as a plain string; text with nothing to escape, as it is."""
    return str(escape(text)) if _SPECIAL.search(text) else text


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    return fold(ch)


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the one it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for folded in _fold_char(ch):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _spans(folded: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """Matched spans of the folded text: a CJK term wherever it occurs, any other term at the
    start of a word and on to the word's end (terms are stems: ``learn`` marks ``learning``)."""
    spans: list[tuple[int, int]] = []
    for term in (t for t in terms if t):
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            if is_cjk(term[0]):
                spans.append((start, end))
            elif start == 0 or not folded[start - 1].isalnum() or is_cjk(folded[start - 1]):
                while end < len(folded) and folded[end].isalnum() and not is_cjk(folded[end]):
                    end += 1
                spans.append((start, end))
            start = folded.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: Sequence[tuple[int, int]], window: int | None) -> str | None:
    """``text`` HTML-escaped with ``spans`` in ``<mark>``; with ``window``, only that many
    characters around the first span (None when there is none)."""
    if window is None:
        first, last = 0, len(text)
    elif not spans:
        return None
    else:
        first = max(0, spans[0][0] - window // 4)
        last = min(len(text), first + window)
        # Whole words at both ends.
        while first > 0 and text[first - 1].isalnum():
            first -= 1
        while last < len(text) and text[last].isalnum():
            last += 1
    out: list[str] = ["…" if first > 0 else ""]
    cursor = first
    for start, end in spans:
        if start >= last:
            break
        start, end = max(start, cursor), min(end, last)
        if start >= end:
            continue
        out.append(_escape(text[cursor:start]))
        out.append(f"<mark>{_escape(text[start:end])}</mark>")
        cursor = end
    out.append(_escape(text[cursor:last]))
    out.append("…" if last < len(text) else "")
    return "".join(out) or None


def mark(text: str, terms: Collection[str], window: int | None = None) -> str | None:
    """CJK text: every occurrence of a term marked (see the module's docstring)."""
    folded, origin = _folded(text)
    spans = [(origin[s], origin[e - 1] + 1) for s, e in _spans(folded, terms)]
    return _render(text, spans, window)


def mark_words(
    text: str, terms: Collection[str], tokens: Sequence[str], window: int | None = None
) -> str | None:
    """``text`` with the words whose index term (``tokens``, one per word, in order) is in
    ``terms`` marked (see the module's docstring); with ``window``, a snippet around the first
    one, None when none matched."""
    spans = [m.span() for m in WORD.finditer(text)]
    if len(tokens) != len(spans):  # a character the two split differently: mark by prefix
        return mark(text, terms, window)
    matched = [span for span, token in zip(spans, tokens, strict=True) if token in terms]
    if not matched and window is not None:
        return None
    return _render(text, matched, window)


@functools.lru_cache(maxsize=1024)
def _probes(terms: frozenset[str]) -> tuple[str, ...]:
    """What the words to analyse start with: each term give or take its last letter (a stem
    is a prefix of the words it comes from but for that letter: ``happi`` of ``happy``),
    leaving out a probe that starts with another one (its words are found already)."""
    probes = sorted({term[:-1] or term for term in terms if term})
    kept: list[str] = []
    for probe in probes:  # in order, so a probe's own prefixes come before it
        if not any(probe.startswith(shorter) for shorter in kept):
            kept.append(probe)
    return tuple(kept)


def _candidates(folded: str, probes: Sequence[str]) -> list[tuple[int, int]]:
    """The words of ``folded`` that start with one of ``probes``, in order: the only ones
    whose term can be one the query matched."""
    found: set[tuple[int, int]] = set()
    for probe in probes:
        start = folded.find(probe)
        while start != -1:
            if start == 0 or not folded[start - 1].isalnum():
                word = WORD.match(folded, start)
                found.add((start, word.end() if word else start + len(probe)))
            start = folded.find(probe, start + 1)
    return sorted(found)


def mark_found(
    text: str,
    terms: Collection[str],
    term_of: Callable[[str], Sequence[str]],
    window: int | None = None,
) -> str | None:
    """``text`` with the words whose index term (``term_of`` one word) is in ``terms`` marked,
    as ``mark_words`` does, but only the few words that could match are analysed (see
    ``_probes``); with ``window``, a snippet around the first one, None when none matched.

    Text whose folding changes its length (a ligature, a sharp s) is analysed whole."""
    folded = text.lower() if text.isascii() else fold(text)
    if len(folded) != len(text):
        return mark_words(text, terms, term_of(text), window)
    matched = [
        (start, end)
        for start, end in _candidates(folded, _probes(frozenset(terms)))
        if any(term in terms for term in term_of(folded[start:end]))
    ]
    if not matched and window is not None:
        return None
    return _render(text, matched, window)


SNIPPET_CHARS = 180


@functools.lru_cache(maxsize=65_536)
def _word_terms(word: str, code: str) -> tuple[str, ...]:
    """The index terms of one word (or a whole text) of a course in language ``code``:
    words recur across courses and searches, so each is analysed once."""
    return tuple(terms_of(word, code))


@dataclass(frozen=True, slots=True)
class Marker:
    """The terms one query marks. Each field's words that could match (``mark_found``) are
    analysed as their course was indexed, in its own language; CJK text is marked character
    by character. tantivy's snippet generator is not used: it reads a field with one
    analyzer, and builds a document per field per hit."""

    terms: frozenset[str]

    def highlights(self, document: CourseDocument) -> Highlights:
        marked = {}
        code = document.language_code

        def term_of(text: str) -> tuple[str, ...]:
            return _word_terms(text, code)

        for field in HIGHLIGHTED:
            text = getattr(document, field)
            window = SNIPPET_CHARS if field == "description" else None
            # The description is a snippet (None where no word matched); the rest are whole.
            if has_cjk(text):
                marked[field] = mark(text, self.terms, window)
            else:
                marked[field] = mark_found(text, self.terms, term_of, window)
        return Highlights(**marked)

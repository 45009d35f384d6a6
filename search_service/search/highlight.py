"""Marking matched words in text the engine's snippets cannot segment (CJK runs).

tantivy's snippet generator splits text with the field's tokenizer, which keeps a run such as
``Python入門`` whole; the index holds it as ``python`` and the bigram ``入門``
(``text.segment``). Here the text is folded character by character, so every match maps back
to the characters typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import escape

from search_service.search.text import fold, is_cjk


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the one it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for folded in fold(ch):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _spans(folded: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Matched spans of the folded text: a CJK term wherever it occurs, any other term at the
    start of a word and on to the word's end (terms are stems: ``learn`` marks ``learning``)."""
    spans: list[tuple[int, int]] = []
    for term in dict.fromkeys(t for t in terms if t):
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


def mark(text: str, terms: Sequence[str], window: int | None = None) -> str | None:
    """``text`` HTML-escaped with matches in ``<mark>``; with ``window``, only that many
    characters around the first match (None when nothing matched)."""
    folded, origin = _folded(text)
    spans = [(origin[s], origin[e - 1] + 1) for s, e in _spans(folded, terms)]
    if window is None:
        first, last = 0, len(text)
    elif not spans:
        return None
    else:
        first = max(0, spans[0][0] - window // 4)
        last = min(len(text), first + window)
    out: list[str] = []
    cursor = first
    for start, end in spans:
        if start >= last:
            break
        start, end = max(start, cursor), min(end, last)
        if start >= end:
            continue
        out.append(str(escape(text[cursor:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(str(escape(text[cursor:last])))
    return "".join(out) or None

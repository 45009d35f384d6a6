"""Links to the pages of a long list: Previous, the first and last pages, the current one with
two on each side (gaps shown as "…"), Next."""

from __future__ import annotations

from collections.abc import Callable

# (label, address or None for a gap, whether it is the page shown)
PageLink = tuple[str, str | None, bool]


def page_links(current: int, total_pages: int, url: Callable[[int], str]) -> list[PageLink]:
    """The pager of page ``current`` of ``total_pages`` (none for a single page); ``url``
    gives page n's address."""
    if total_pages <= 1:
        return []
    nearby = range(max(1, current - 2), min(total_pages, current + 2) + 1)
    window = sorted({1, total_pages, *nearby})
    links: list[PageLink] = []
    if current > 1:
        links.append(("Previous", url(current - 1), False))
    previous = 0
    for n in window:
        if n - previous > 1:
            links.append(("…", None, False))
        links.append((str(n), url(n), n == current))
        previous = n
    if current < total_pages:
        links.append(("Next", url(current + 1), False))
    return links

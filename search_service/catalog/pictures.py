"""A picture for every course: its own image when it has one, else one drawn for it.

The drawn picture is an SVG in its category's colour, with the category's sign and the
course's title, so cards of different subjects look different at a glance. It depends only
on the title and the category, so it is cached like a static file.
"""

from __future__ import annotations

import hashlib
import textwrap
from urllib.parse import quote

from markupsafe import escape

from search_service.lib.safe_urls import safe_url

# The demo's one placeholder for every course: no picture of the course itself.
PLACEHOLDER = "/static/thumbnail.svg"
AVATAR_PLACEHOLDER = "/static/avatar.svg"  # a silhouette: shown as the initials instead


def avatar_url(url: str | None) -> str | None:
    """A person's own picture (None for none, or the silhouette: pages draw initials)."""
    return (safe_url(url) or None) if url and url != AVATAR_PLACEHOLDER else None


WIDTH, HEIGHT = 480, 270
# Root categories: (background, accent, sign). Other slugs get a colour from their hash.
ROOTS: dict[str, tuple[str, str, str]] = {
    "development": ("#1e3a8a", "#60a5fa", "</>"),
    "it-software": ("#134e4a", "#5eead4", ">_"),
    "business": ("#7c2d12", "#fdba74", "↗"),
    "finance-accounting": ("#14532d", "#86efac", "$"),
    "office-productivity": ("#3f3f46", "#d4d4d8", "▦"),
    "personal-development": ("#581c87", "#d8b4fe", "★"),
    "design": ("#9d174d", "#f9a8d4", "✎"),
    "marketing": ("#9a3412", "#fed7aa", "◎"),
    "lifestyle": ("#854d0e", "#fde68a", "☕"),
    "photography-video": ("#1f2937", "#fca5a5", "◉"),
    "health-fitness": ("#065f46", "#a7f3d0", "♥"),
    "music": ("#4c1d95", "#c4b5fd", "♪"),
    "teaching-academics": ("#1e40af", "#bfdbfe", "∑"),
    "language-learning": ("#0f766e", "#99f6e4", "Aa"),
    "test-prep": ("#334155", "#cbd5e1", "✓"),
}


def picture_url(slug: str, thumbnail_url: str | None) -> str:
    """Where a course's picture is: its own image, or the one drawn for it."""
    own = safe_url(thumbnail_url) if thumbnail_url and thumbnail_url != PLACEHOLDER else None
    return own or f"/courses/{quote(slug)}/picture.svg"


def _colours(category: str | None) -> tuple[str, str, str]:
    if category in ROOTS:
        return ROOTS[category]
    hue = int(hashlib.sha256((category or "").encode()).hexdigest()[:4], 16) % 360
    return (f"hsl({hue} 55% 28%)", f"hsl({hue} 80% 80%)", "◆")


# The title's lines: at most LINE_CHARS characters each, so a line fits the picture in the
# widest common sans-serif (DejaVu Sans Bold averages about 0.7 em a character), at most
# MAX_LINES of them, the last ending in "…" when the title is longer.
FONT_SIZE, LINE_HEIGHT, LINE_CHARS, MAX_LINES = 28, 36, 21, 3


def title_lines(title: str) -> list[str]:
    """The lines of ``title`` as the picture shows them."""
    lines = textwrap.wrap(title, LINE_CHARS) or [""]
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        lines = [*lines[: MAX_LINES - 1], last[: LINE_CHARS - 1].rstrip() + "…"]
    return lines


def drawn(title: str, category: str | None) -> str:
    """The SVG picture of a course titled ``title`` in the root category ``category``."""
    background, accent, sign = _colours(category)
    lines = title_lines(title)
    text = "".join(
        f'<tspan x="32" dy="{0 if i == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{background}"/>'
        f'<circle cx="{WIDTH - 40}" cy="40" r="150" fill="{accent}" opacity="0.18"/>'
        f'<circle cx="{WIDTH - 20}" cy="{HEIGHT}" r="90" fill="{accent}" opacity="0.12"/>'
        f'<text x="{WIDTH - 36}" y="92" text-anchor="end" font-family="Georgia, serif" '
        f'font-size="64" fill="{accent}">{escape(sign)}</text>'
        f'<text x="32" y="{HEIGHT - 40 - LINE_HEIGHT * (len(lines) - 1)}" font-family="system-ui, '
        f'sans-serif" font-size="{FONT_SIZE}" font-weight="700" fill="#ffffff">{text}</text>'
        "</svg>"
    )

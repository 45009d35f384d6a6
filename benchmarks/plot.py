"""A small SVG of how cost grows with the catalog: latency and throughput against size.

Two panels over a logarithmic size axis: search p50 and p99 at a steady rate beside the
in-process engine p50 (the floor, dashed), and saturation on the distinct mix and the Zipf
stream beside the same server's ``/health`` (dashed). Plain SVG text, so the benchmark needs
no plotting library and the file diffs as text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

WIDTH, HEIGHT = 400, 260  # one panel
LEFT, RIGHT, TOP, BOTTOM = 56, 36, 28, 60
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")

Series = tuple[str, str, bool]  # (figure key, legend, dashed)

LATENCY: Sequence[Series] = (
    ("search_p50_ms", "search p50", False),
    ("search_p99_ms", "search p99", False),
    ("engine_p50_ms", "engine p50 (floor)", True),
)
THROUGHPUT: Sequence[Series] = (
    ("search_rps", "distinct mix", False),
    ("zipf_rps", "Zipf stream", False),
    ("health_rps", "/health (floor)", True),
)


def _nice_top(value: float) -> float:
    if value <= 0 or not math.isfinite(value):
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def _panel(
    results: Mapping[int, Mapping[str, float]],
    series: Sequence[Series],
    title: str,
    x0: float,
    log: bool = False,
) -> list[str]:
    sizes = sorted(results)
    values = [
        results[s][key] for s in sizes for key, _, _ in series if math.isfinite(results[s][key])
    ]
    top = _nice_top(max(values, default=1.0))
    bottom = 10 ** math.floor(math.log10(max(min(values, default=1.0), 1e-9))) if log else 0.0
    low, high = math.log10(min(sizes)), math.log10(max(sizes))
    span = (high - low) or 1.0
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(size: int) -> float:
        if len(sizes) == 1:
            return x0 + LEFT + inner_w / 2
        return x0 + LEFT + (math.log10(size) - low) / span * inner_w

    def y(value: float) -> float:
        if log:
            share = (math.log10(value) - math.log10(bottom)) / (
                math.log10(top) - math.log10(bottom) or 1.0
            )
        else:
            share = value / top
        return TOP + inner_h - share * inner_h

    if log:
        decades = range(round(math.log10(bottom)), math.ceil(math.log10(top)) + 1)
        ticks = [10.0**d for d in decades]
    else:
        ticks = [top * tick / 4 for tick in range(5)]

    out = [
        f'<text x="{x0 + WIDTH / 2}" y="16" text-anchor="middle" font-weight="bold">'
        f"{escape(title)}</text>",
        f'<line x1="{x0 + LEFT}" y1="{TOP + inner_h}" x2="{x0 + WIDTH - RIGHT}" '
        f'y2="{TOP + inner_h}" stroke="#333"/>',
        f'<line x1="{x0 + LEFT}" y1="{TOP}" x2="{x0 + LEFT}" y2="{TOP + inner_h}" stroke="#333"/>',
    ]
    for value in ticks:
        out.append(
            f'<text x="{x0 + LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
        out.append(
            f'<line x1="{x0 + LEFT}" y1="{y(value):.1f}" x2="{x0 + WIDTH - RIGHT}" '
            f'y2="{y(value):.1f}" stroke="#eee"/>'
        )
    for size in sizes:
        out.append(
            f'<text x="{x(size):.1f}" y="{TOP + inner_h + 16}" text-anchor="middle">{size:,}</text>'
        )
    out.append(
        f'<text x="{x0 + LEFT + inner_w / 2}" y="{TOP + inner_h + 32}" '
        f'text-anchor="middle">courses</text>'
    )
    for index, (key, legend, dashed) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = [(x(s), y(results[s][key])) for s in sizes if math.isfinite(results[s][key])]
        dash = ' stroke-dasharray="5,4"' if dashed else ""
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        out.extend(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>' for px, py in points
        )
        lx, ly = x0 + 12 + index * (WIDTH - 12) / len(series), HEIGHT - 12
        out.append(
            f'<line x1="{lx:.1f}" y1="{ly}" x2="{lx + 18:.1f}" y2="{ly}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{lx + 22:.1f}" y="{ly + 4}">{escape(legend)}</text>')
    return out


def svg(results: Mapping[int, Mapping[str, float]], caption: str) -> str:
    """Both panels side by side, with ``caption`` (command and date) underneath."""
    body = [
        *_panel(results, LATENCY, "search latency (ms)", 0),
        *_panel(results, THROUGHPUT, "saturation (req/s, log scale)", WIDTH, log=True),
        f'<text x="{WIDTH}" y="{HEIGHT + 14}" text-anchor="middle" fill="#555">'
        f"{escape(caption)}</text>",
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * WIDTH}" height="{HEIGHT + 22}" '
        f'font-family="sans-serif" font-size="11">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n"
    )

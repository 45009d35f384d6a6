"""Server-rendered SVG charts for the insights page (no chart library, nothing from a CDN)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28


def _frame(label: str, ticks: Sequence[tuple[float, str]], y_of: object) -> list[str]:
    inner_w = WIDTH - LEFT - RIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" class="chart">',
        f"<title>{escape(label)}</title>",
    ]
    for value, text in ticks:
        y = y_of(value)  # type: ignore[operator]
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + inner_w}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(text)}</text>"
        )
    return out


LABEL_HALF = 16  # half a day's label ("12-07" at 11 px)


def _x_labels(days: Sequence[str], x_of: object) -> list[str]:
    step = max(1, len(days) // 8)
    out = []
    for i, day in enumerate(days):
        if i % step:
            continue
        x = x_of(i)  # type: ignore[operator]
        # A label at an edge is drawn inward, not cut by it.
        anchor = "end" if x + LABEL_HALF > WIDTH else "start" if x < LABEL_HALF else "middle"
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" font-size="11">'
            f"{escape(day[5:])}</text>"
        )
    return out


def bars(label: str, days: Sequence[str], values: Sequence[int]) -> str:
    """A bar per day (searches per day)."""
    top = max([*values, 1])
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(1, len(values))

    def y(value: float) -> float:
        return TOP + inner_h - value / top * inner_h

    ticks = [(float(v), f"{v:,}") for v in sorted({0, round(top / 2), top})]
    out = _frame(label, ticks, y)
    for i, value in enumerate(values):
        out.append(
            f'<rect x="{LEFT + i * slot + slot * 0.15:.1f}" y="{y(value):.1f}" '
            f'width="{slot * 0.7:.1f}" height="{TOP + inner_h - y(value):.1f}" fill="#1f5fbf">'
            f"<title>{escape(days[i])}: {value:,}</title></rect>"
        )
    out.extend(_x_labels(days, lambda i: LEFT + i * slot + slot / 2))
    out.append("</svg>")
    return "\n".join(out)


def lines(label: str, days: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> str:
    """Rates (0 to 1) per day, one line each, with a legend."""
    colours = ("#b3261e", "#1f7a3a")
    legend = 20  # the legend sits above the plot
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM - legend

    def x(i: int) -> float:
        return LEFT + (i / max(1, len(days) - 1)) * inner_w if len(days) > 1 else LEFT + inner_w / 2

    def y(value: float) -> float:
        return TOP + legend + inner_h - value * inner_h

    out = _frame(label, [(f, f"{round(f * 100)}%") for f in (0, 0.5, 1)], y)
    for n, (name, values) in enumerate(series):
        colour = colours[n % len(colours)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(days[i])}: {escape(name)} {v:.0%}</title></circle>"
            )
        out.append(
            f'<text x="{LEFT + 8 + n * 160}" y="{TOP + 4}" font-size="12" fill="{colour}">'
            f"■ {escape(name)}</text>"
        )
    out.extend(_x_labels(days, x))
    out.append("</svg>")
    return "\n".join(out)

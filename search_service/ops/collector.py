"""The garbage collector tuned for a long-running server process.

Python's cyclic collector walks every tracked object of the generation it collects, and a
worker holds many from its imports and app (modules, classes, the OpenAPI schema): a full
collection walked them all, a pause in whatever search was running. They are frozen once the
app is built, never walked again, never freed by the collector (they live as long as the
process anyway), and the youngest generation is collected less often, since one search
allocates thousands of short-lived objects that reference counting frees by itself. Kept
while the trial in ``docs/performance.md`` shows it pays.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000  # allocations between collections of the youngest generation (700)


def settle() -> None:
    """Freeze what exists now and space out collections; call once the app is built."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)

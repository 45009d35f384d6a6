"""Argument types that name the range they accept: argparse's usage line and one error line."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def whole(low: int, high: int, what: str) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high`` ("a port from 1 to 65,535, not '0'")."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} {low} to {high:,}, not {text!r}")
        return value

    return parse


def seconds(low: float, high: float) -> Callable[[str], float]:
    """A number of seconds from ``low`` to ``high`` (not NaN, not infinite)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:  # NaN compares false
            raise argparse.ArgumentTypeError(f"seconds from {low:g} to {high:,g}, not {text!r}")
        return value

    return parse

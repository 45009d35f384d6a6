"""Ranking metrics over graded judgments (0–3): NDCG@10, MRR and P@5."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

RELEVANT = 2  # a grade of 2 (relevant) or 3 (perfect) counts as a hit for MRR and P@5


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain with exponential gains (2^grade − 1)."""
    dcg = sum((2 ** grades.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    for i, doc in enumerate(ranked[:k]):
        if grades.get(doc, 0) >= RELEVANT:
            return 1 / (i + 1)
    return 0.0


def precision(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    return sum(grades.get(doc, 0) >= RELEVANT for doc in ranked[:k]) / k

"""Relevance evaluation: a judged fixture catalog, NDCG@10 / MRR / P@5 per query kind."""

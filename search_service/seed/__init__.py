"""Deterministic demo catalog: categories, mentors, courses and engagement, bulk loaded."""

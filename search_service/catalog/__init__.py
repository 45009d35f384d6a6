"""Catalog search: the search, suggestion and category endpoints."""

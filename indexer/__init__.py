"""Indexer: PostgreSQL rows to search documents, kept in step with the engine."""

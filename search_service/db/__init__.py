"""Database access: models, engine/session factory, embedded PostgreSQL, migrations."""

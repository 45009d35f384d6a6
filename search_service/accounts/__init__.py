"""Accounts: registration, log-in with argon2id passwords, bearer tokens, who am I."""

"""Review writes: create, edit, delete, vote, report."""

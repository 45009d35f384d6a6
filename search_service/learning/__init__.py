"""My learning: the courses a student owns, with their progress."""

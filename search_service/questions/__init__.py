"""Questions and answers: enrolled students ask, the mentor answers, a solution resolves."""

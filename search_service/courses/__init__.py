"""Course detail: the course page API and its reviews, questions and related courses."""

"""Course lifecycle as the data model describes it: archive courses, then their media."""

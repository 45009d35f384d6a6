"""Server-rendered pages (Jinja2): home, search, category browsing, course detail."""

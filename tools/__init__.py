"""The repository's own tools, run from a checkout and never shipped with sib: the generators of
docs/scenario-reference.md and docs/sources.md (``make docs``), the dashboard served with a
headless browser for the end-to-end tests and ``make screenshots``. They may use what only the
tests install (playwright)."""

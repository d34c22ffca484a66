"""The dashboard's and the reports' figures, one small module per figure.

Each function takes a `Scope`, the `Filters` and what it needs besides,
runs a fixed number of set-based queries (GROUP BY in the database, never
a loop of queries) and returns plain rows (dicts), so the page, the
exports and the reports share one source of numbers."""

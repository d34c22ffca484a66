"""Settings, split by where the portal runs: base (shared, from environment),
local (make run), test (pytest) and production (check --deploy clean)."""

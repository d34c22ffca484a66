"""一键取号: the service hall's queue. Owns service types (the letters on the
kiosk), windows, tickets and their append-only event log, the daily number
series, the kiosk / hall display / clerk desk pages and the waiting and
serving statistics for supervision. Depends on `stages` (jurisdictions,
stages, staff postings) and `portal` (users); nothing depends on it."""

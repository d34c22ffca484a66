"""The versioned REST API (`/api/v1/`), its OpenAPI schema and docs, and the
API tokens department systems and applicants' own software authenticate
with: token model and admin, Bearer authentication, per-action scopes and
per-token rate limits.

The API is another face of the same work: every change goes through
`approvals.services`, and every read is scoped by the same querysets
(`visible_to`, `for_reviewer`) as the pages. It imports `approvals`,
`stages` and `portal`; nothing imports it."""

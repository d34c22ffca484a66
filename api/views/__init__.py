"""API views, one module per resource. Each reads through the same scoped
querysets as the pages and changes state only through `approvals.services`;
an object the caller may not see answers 404, an action it may not take 403."""

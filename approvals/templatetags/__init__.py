"""Template tags of the approvals pages."""

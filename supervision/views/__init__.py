"""Supervisors' pages: the dashboard, exports, 督办, reports."""

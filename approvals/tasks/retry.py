"""Retry policy shared by tasks that talk to the outside world."""

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 8,
}

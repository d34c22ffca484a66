"""Webhooks: outside systems subscribe to state changes and receive them as
signed JSON. Owns the subscribers, the outbox of deliveries written in the
transaction of the state change, the Celery task that POSTs them with
retries, and their admin. Listens to `approvals` (every TransitionLog row is
a state change); nothing imports it."""

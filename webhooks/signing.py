"""How a delivery is signed, Stripe-style: `X-Portal-Timestamp: <unix
seconds>` and `X-Portal-Signature: sha256=<hex>`, the HMAC-SHA256 with the
subscriber's secret of `"<timestamp>.<raw body>"`. Because the timestamp is
signed, a receiver that also refuses timestamps older than a few minutes
cannot be fed a captured delivery again later (a replay). Each attempt is
signed afresh with its own timestamp; the body is the same bytes on every
attempt."""

import hashlib
import hmac
import json
import time

SIGNATURE_HEADER = "X-Portal-Signature"
TIMESTAMP_HEADER = "X-Portal-Timestamp"
# What we suggest receivers accept between our clock and theirs.
DEFAULT_TOLERANCE_SECONDS = 300


def body(payload):
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret, timestamp, raw_body):
    signed = f"{timestamp}.".encode() + raw_body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secret, raw_body, timestamp, header_value, tolerance=DEFAULT_TOLERANCE_SECONDS, now=None
):
    """A receiver's check, in Python (the README shows it standalone): the
    signature matches and the timestamp is within `tolerance` seconds."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, sent, raw_body), header_value or "")

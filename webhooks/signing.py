"""How a delivery is signed: `X-Portal-Signature: sha256=<hex>` is the
HMAC-SHA256 of the exact request body with the subscriber's secret — the
scheme GitHub and Stripe receivers already know how to check. The body is
the same bytes on every attempt, so is the signature."""

import hashlib
import hmac
import json

SIGNATURE_HEADER = "X-Portal-Signature"


def body(payload):
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret, raw_body):
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret, raw_body, header_value):
    """For receivers written in Python, and for the tests' documentation."""
    return hmac.compare_digest(signature(secret, raw_body), header_value or "")

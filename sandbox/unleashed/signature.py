"""Unleashed's request signature: base64(HMAC-SHA256(api key, raw query string))."""

import base64
import hashlib
import hmac


def unleashed_signature(api_key: str, raw_query: str) -> str:
    """The `api-auth-signature` value for a query string exactly as sent (without the leading `?`)."""
    digest = hmac.new(api_key.encode("utf-8"), raw_query.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_matches(api_key: str, raw_query: str, presented: str) -> bool:
    """Constant-time comparison of a presented signature with the expected one."""
    expected = unleashed_signature(api_key, raw_query)
    return hmac.compare_digest(expected.encode("ascii"), presented.strip().encode("utf-8", "replace"))

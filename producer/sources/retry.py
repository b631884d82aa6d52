"""Waiting between attempts at an upstream: exponential backoff with jitter, unless the upstream said how long."""

import random


def backoff_delay(base_seconds: float, attempt: int) -> float:
    """`base × 2^(attempt-1)`, plus up to half of that again at random so that retries do not march in step."""
    base: float = base_seconds * 2 ** (attempt - 1)
    return base + random.uniform(0, base / 2)


def retry_after_seconds(value: str | None) -> float | None:
    """A `Retry-After` header given in seconds; None when absent or not a number."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None

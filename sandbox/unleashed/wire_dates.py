"""Unleashed's JSON dates (`/Date(ms)/`, UTC) and its ISO `modifiedSince` filter values."""

import re
from datetime import UTC, datetime

_WIRE_DATE = re.compile(r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")
_FILTER_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d")


def to_wire_date(moment: datetime) -> str:
    """`/Date(1378686019420)/`: milliseconds since the Unix epoch."""
    return f"/Date({int(moment.timestamp() * 1000)})/"


def wire_date_millis(value: object) -> int | None:
    """Milliseconds of a `/Date(ms)/` value; None for anything else (records may be malformed)."""
    if not isinstance(value, str):
        return None
    match = _WIRE_DATE.match(value)
    return int(match.group(1)) if match else None


def parse_filter_date(value: str) -> datetime | None:
    """A `modifiedSince` value (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`, UTC); None if it is neither."""
    for date_format in _FILTER_FORMATS:
        try:
            return datetime.strptime(value, date_format).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None

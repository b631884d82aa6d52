"""Reading raw upstream records: the small checks every resource needs, and the error that skips a record."""

from decimal import Decimal, InvalidOperation
from typing import Any


class InvalidRecord(ValueError):
    """A source record we skip and report; the rest of the run goes on."""

    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(f"{reference}: {reason}")
        self.reference = reference
        self.reason = reason


def decimal_field(value: Any, field: str, reference: str, *, required: bool) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise InvalidRecord(reference, f"{field} is missing")
        return None
    if isinstance(value, bool):
        raise InvalidRecord(reference, f"{field} is not a number: {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidRecord(reference, f"{field} is not a number: {value!r}") from None
    if not number.is_finite():
        raise InvalidRecord(reference, f"{field} is not a finite number: {value!r}")
    return number


def name_of(value: Any, key: str) -> str | None:
    """`{"GroupName": "Apparel"}` → "Apparel"; anything else → None."""
    if isinstance(value, dict):
        name = value.get(key)
        return str(name).strip() or None if name is not None else None
    return None


def flag(raw: dict[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key)
    return default if value is None else bool(value)


def text(raw: dict[str, Any], key: str) -> str | None:
    """A trimmed string field, None when missing or blank."""
    value = raw.get(key)
    if value is None:
        return None
    cleaned = str(value).strip()
    return cleaned or None

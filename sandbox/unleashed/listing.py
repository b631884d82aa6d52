"""Filtering, ordering and paging of Unleashed list endpoints, on raw records served verbatim."""

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sandbox.unleashed.wire_dates import parse_filter_date, wire_date_millis

Record = dict[str, Any]

DEFAULT_PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000


class ListingError(ValueError):
    """A request Unleashed would refuse with 400 and `{"Message": ...}`."""


def flag(query: Mapping[str, str], name: str) -> bool:
    """A boolean query parameter: only `true` (any case) counts as set."""
    return query.get(name, "").strip().lower() == "true"


def page_size_of(query: Mapping[str, str]) -> int:
    raw = query.get("pageSize")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError as error:
        raise ListingError(f"The value '{raw}' is not valid for pageSize.") from error
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ListingError(f"pageSize must be between 1 and {MAX_PAGE_SIZE}.")
    return size


def page_number_of(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    try:
        number = int(raw)
    except ValueError as error:
        raise ListingError(f"The page number '{raw}' is not valid.") from error
    if number < 1:
        raise ListingError("Page number must be 1 or greater.")
    return number


def paged_envelope(items: list[Record], page_number: int, page_size: int) -> dict[str, Any]:
    """Unleashed's list envelope for one page of already filtered and ordered records."""
    start = (page_number - 1) * page_size
    return {
        "Pagination": {
            "NumberOfItems": len(items),
            "PageSize": page_size,
            "PageNumber": page_number,
            "NumberOfPages": math.ceil(len(items) / page_size),
        },
        "Items": items[start : start + page_size],
    }


def _text(record: Record, key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _modified_since_filter(query: Mapping[str, str]) -> Callable[[Record], bool]:
    raw = query.get("modifiedSince")
    if raw is None:
        return lambda _record: True
    since = parse_filter_date(raw)
    if since is None:
        raise ListingError(f"The value '{raw}' is not a valid date for modifiedSince (use YYYY-MM-DD).")
    threshold = int(since.timestamp() * 1000)

    def modified_after(record: Record) -> bool:
        millis = wire_date_millis(record.get("LastModifiedOn"))
        return millis is not None and millis >= threshold

    return modified_after


def _starts_with_filter(query: Mapping[str, str], param: str, key: str) -> Callable[[Record], bool]:
    prefix = query.get(param)
    if not prefix:
        return lambda _record: True
    folded = prefix.casefold()
    return lambda record: _text(record, key).casefold().startswith(folded)


def _select(
    records: Iterable[Record], filters: list[Callable[[Record], bool]], order_keys: tuple[str, ...]
) -> list[Record]:
    chosen = [record for record in records if all(keep(record) for keep in filters)]
    chosen.sort(key=lambda record: tuple(_text(record, key) for key in order_keys))
    return chosen


def _obsolete_filter(query: Mapping[str, str]) -> Callable[[Record], bool]:
    if flag(query, "includeObsolete"):
        return lambda _record: True
    return lambda record: record.get("Obsolete") is not True


def select_products(records: Iterable[Record], query: Mapping[str, str]) -> list[Record]:
    """Products by ProductCode; obsolete and attribute sets only when asked for."""
    filters = [
        _obsolete_filter(query),
        _modified_since_filter(query),
        _starts_with_filter(query, "productCode", "ProductCode"),
    ]
    if flag(query, "excludeComponents"):
        filters.append(lambda record: record.get("IsComponent") is not True)
    chosen = _select(records, filters, ("ProductCode",))
    if flag(query, "includeAttributes"):
        return chosen
    return [{key: value for key, value in record.items() if key != "AttributeSet"} for record in chosen]


def select_warehouses(records: Iterable[Record], query: Mapping[str, str]) -> list[Record]:
    filters = [
        _obsolete_filter(query),
        _modified_since_filter(query),
        _starts_with_filter(query, "warehouseCode", "WarehouseCode"),
        _starts_with_filter(query, "warehouseName", "WarehouseName"),
    ]
    return _select(records, filters, ("WarehouseCode",))


def select_customers(records: Iterable[Record], query: Mapping[str, str]) -> list[Record]:
    filters = [
        _obsolete_filter(query),
        _modified_since_filter(query),
        _starts_with_filter(query, "customerCode", "CustomerCode"),
    ]
    return _select(records, filters, ("CustomerCode",))


def select_stock_on_hand(records: Iterable[Record], query: Mapping[str, str]) -> list[Record]:
    filters = [
        _modified_since_filter(query),
        _starts_with_filter(query, "warehouseCode", "WarehouseCode"),
    ]
    return _select(records, filters, ("ProductCode", "WarehouseCode"))

"""Bulk operations as GraphQL objects, and the `bulkOperations(query:, sortKey:, reverse:)` listing.

`objectCount`, `rootObjectCount` and `fileSize` are `UnsignedInt64`, which Shopify prints as strings.
`completedAt` is set when an operation ends, however it ends. `url` is the result file (set once
`COMPLETED`, kept when it reads `EXPIRED`: fetching it then answers an expired-URL error); `partialDataUrl`
what a `FAILED` or `CANCELED` operation wrote before it stopped (null when nothing). `query` is the document
the operation was started with, the mutation's for a bulk mutation.

`bulkOperations` lists the app's operations newest first (`sortKey: CREATED_AT`, the default; `COMPLETED_AT`
puts operations that have not ended first), `reverse: true` oldest first; its `query` filters on
`status:` (`canceled`, `canceling`, `completed`, `created`, `expired`, `failed`, `running`), `operation_type:`
(`query`, `mutation`), `id:` (`1234`, `>=1234`, a gid) and `created_at:` (`>`, `>=`, `<`, `<=` or equal to an
ISO date or date-time; a date alone means that whole day). Other fields are ignored with a search warning,
like Shopify (its guide's `type:MUTATION` is not a filter of the schema).
"""

import re
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError

from sandbox.shopify.bulk_operations import BulkOperation, ShopBulkOperations
from sandbox.shopify.connections import PageRequest, connection
from sandbox.shopify.metafield_objects import GraphObject
from sandbox.shopify.search_filters import any_of, group_matches, id_matches
from sandbox.shopify.search_query import SearchTerm

BULK_OPERATION_FIELDS = frozenset({"status", "operation_type", "id", "created_at"})
_COMPARISON = re.compile(r"^(>=|<=|>|<|=)?\s*['\"]?([^'\"]+)['\"]?$")


def operation_object(operation: BulkOperation, now: float) -> GraphObject:
    result = operation.result_file
    return {
        "__typename": "BulkOperation",
        "id": operation.gid,
        "status": operation.status(now),
        "errorCode": operation.error_code,
        "createdAt": operation.created_at,
        "completedAt": operation.completed_at,
        "objectCount": str(operation.object_count),
        "rootObjectCount": str(operation.root_object_count),
        "fileSize": None if result is None else str(len(result.data)),
        "url": operation.file_url(result),
        "partialDataUrl": operation.file_url(operation.partial_file),
        "query": operation.query,
        "type": operation.type,
    }


def _parse_time(text: str) -> tuple[float, float] | None:
    """[start, end) of a date (the whole day) or a date-time (that second)."""
    try:
        if len(text) == 10:
            day = datetime.fromisoformat(text).replace(tzinfo=UTC)
            return day.timestamp(), day.timestamp() + 86400
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp(), moment.timestamp() + 1


def created_at_matches(term: SearchTerm, created_ts: float) -> bool:
    found = _COMPARISON.match(term.value.strip())
    bounds = None if found is None else _parse_time(found.group(2).strip())
    if found is None or bounds is None:
        raise GraphQLError(f"Invalid value for created_at: '{term.value}'")
    start, end = bounds
    operator = found.group(1) or "="
    if operator == ">":
        return created_ts >= end
    if operator == ">=":
        return created_ts >= start
    if operator == "<":
        return created_ts < start
    if operator == "<=":
        return created_ts < end
    return start <= created_ts < end


def _term_matches(operation: BulkOperation, term: SearchTerm, now: float) -> bool:
    field = term.field
    if field == "status":
        return any_of(term, [operation.status(now)])
    if field == "operation_type":
        return any_of(term, [operation.type])
    if field == "id":
        return id_matches(term, operation.number)
    if field == "created_at":
        return created_at_matches(term, operation.created_ts)
    return True  # unknown fields are ignored (with a search warning)


def list_operations(
    operations: ShopBulkOperations, groups: list[list[SearchTerm]], args: dict[str, Any], now: float
) -> GraphObject:
    page = PageRequest.from_args(args)

    def test(operation: BulkOperation, term: SearchTerm) -> bool:
        return _term_matches(operation, term, now)

    chosen = [
        op
        for op in operations.operations.values()
        if not groups or any(group_matches(op, group, test) for group in groups)
    ]
    if args.get("sortKey") == "COMPLETED_AT":
        chosen.sort(key=lambda op: (op.completed_ts if op.completed_ts is not None else float("inf"), op.number))
    numbers = [op.number for op in reversed(chosen)]  # newest first unless `reverse`
    return connection(numbers, page, lambda n: operation_object(operations.operations[n], now), ascending=False)

"""Relay-style cursor pagination (`first`/`last`/`after`/`before`/`reverse`) over ordered record numbers.

Inside a bulk query (`unbounded_pages`) a connection returns every node: its pagination arguments are
ignored, its filters (`query`, `sortKey`, `reverse`) are not.
"""

import base64
import binascii
import contextlib
import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

MAX_PAGE_SIZE = 250
_EVERYTHING = 2**62
_UNBOUNDED: ContextVar[bool] = ContextVar("sandbox_unbounded_pages", default=False)


@contextlib.contextmanager
def unbounded_pages() -> Iterator[None]:
    """While inside, every connection resolved in this context returns all its nodes (a bulk query)."""
    token = _UNBOUNDED.set(True)
    try:
        yield
    finally:
        _UNBOUNDED.reset(token)


def encode_cursor(number: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"last_id": number}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        number = json.loads(base64.urlsafe_b64decode(padded.encode()))["last_id"]
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise GraphQLError(f"Invalid cursor '{cursor}' for current pagination sort.") from error
    if not isinstance(number, int):
        raise GraphQLError(f"Invalid cursor '{cursor}' for current pagination sort.")
    return number


@dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    last: int | None = None
    after: str | None = None
    before: str | None = None
    reverse: bool = False

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> "PageRequest":
        if _UNBOUNDED.get():
            return cls(first=_EVERYTHING, reverse=bool(args.get("reverse")))
        first, last = args.get("first"), args.get("last")
        if first is None and last is None:
            raise GraphQLError("you must provide one of first or last")
        if first is not None and last is not None:
            raise GraphQLError("providing both first and last is not supported")
        size = first if first is not None else last
        assert size is not None
        if size < 0 or size > MAX_PAGE_SIZE:
            which = "first" if first is not None else "last"
            raise GraphQLError(f"The '{which}' argument must be between 0 and {MAX_PAGE_SIZE}")
        return cls(first, last, args.get("after"), args.get("before"), bool(args.get("reverse")))


def _positions(ordered: Sequence[int], ascending: bool, page: PageRequest) -> tuple[int, int]:
    """[start, end) of the slice between the `after` and `before` cursors."""
    start, end = 0, len(ordered)
    for cursor, is_after in ((page.after, True), (page.before, False)):
        if cursor is None:
            continue
        number = decode_cursor(cursor)
        if ascending:
            index = bisect_right(ordered, number) if is_after else bisect_left(ordered, number)
        else:
            try:
                index = list(ordered).index(number) + (1 if is_after else 0)
            except ValueError as error:
                raise GraphQLError(f"Invalid cursor '{cursor}' for current pagination sort.") from error
        start, end = (max(start, index), end) if is_after else (start, min(end, index))
    return start, max(start, end)


def connection(
    numbers: Sequence[int], page: PageRequest, to_node: Callable[[int], dict[str, Any]], ascending: bool = True
) -> dict[str, Any]:
    """A `…Connection` object: `nodes`, `edges{cursor node}` and `pageInfo`.

    `numbers` is the full ordered list; `ascending=True` promises it is sorted (then cursors are found by
    bisection, and a cursor whose record was deleted still works).
    """
    if page.reverse:
        numbers = [-number for number in reversed(numbers)] if ascending else list(reversed(numbers))
        sign = -1 if ascending else 1
        page = PageRequest(
            page.first,
            page.last,
            encode_cursor(sign * decode_cursor(page.after)) if page.after else None,
            encode_cursor(sign * decode_cursor(page.before)) if page.before else None,
        )
    else:
        sign = 1
    start, end = _positions(numbers, ascending, page)
    if page.first is not None:
        chosen_start, chosen_end = start, min(end, start + page.first)
    else:
        assert page.last is not None
        chosen_start, chosen_end = max(start, end - page.last), end
    chosen = [sign * number for number in numbers[chosen_start:chosen_end]]
    nodes = [to_node(number) for number in chosen]
    cursors = [encode_cursor(number) for number in chosen]
    return {
        "nodes": nodes,
        "edges": [{"cursor": cursor, "node": node} for cursor, node in zip(cursors, nodes, strict=True)],
        "pageInfo": {
            "hasNextPage": chosen_end < len(numbers),
            "hasPreviousPage": chosen_start > 0,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }

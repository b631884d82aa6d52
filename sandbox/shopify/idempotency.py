"""The `@idempotent(key:)` directive: required from API version 2026-04 on the mutations that document it.

The schema does not mark the directive as required; Shopify refuses at run time. Without it the field
answers a top-level `BAD_REQUEST` error (its data is null) and changes nothing. With it:

- a new key runs the mutation and remembers its answer, per shop;
- the same key with the same arguments (and the same mutation) answers the remembered payload again and
  changes nothing twice;
- the same key with other arguments, or on another mutation, is refused with the mutation's
  `IDEMPOTENCY_KEY_PARAMETER_MISMATCH` user error.

A mutation whose enum has `IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED` (inventorySetQuantities) answers that to a
replay of a key whose first attempt ended in user errors; the others replay the first answer, errors and
all. The directive on a mutation that does not document idempotency is refused with `BAD_REQUEST`.
Keys are kept for the life of the shop (Shopify keeps them for a limited window).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo
from graphql.execution.values import get_directive_values

GraphObject = dict[str, Any]

IDEMPOTENT_FIELDS = frozenset({"locationActivate", "locationDeactivate", "inventoryActivate", "inventorySetQuantities"})
REQUIRED_FROM_VERSION = "2026-04"


def _bad_request(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_REQUEST"})


def directive_key(info: GraphQLResolveInfo) -> str | None:
    """The key of the `@idempotent` directive on the field being resolved, or None when there is none."""
    directive = info.schema.get_directive("idempotent")
    if directive is None:
        return None
    values = get_directive_values(directive, info.field_nodes[0], info.variable_values)
    return None if values is None else str(values["key"])


def refuse_unsupported_directive(info: GraphQLResolveInfo) -> None:
    if info.field_name not in IDEMPOTENT_FIELDS and directive_key(info) is not None:
        raise _bad_request(f"The @idempotent directive is not supported for the {info.field_name} mutation.")


@dataclass(frozen=True)
class IdempotentCall:
    """One call of an idempotent mutation: its key (None when absent and allowed) and argument fingerprint."""

    key: str | None
    fingerprint: str

    @classmethod
    def of(cls, info: GraphQLResolveInfo, args: dict[str, Any], version: str) -> "IdempotentCall":
        """Raises the top-level error Shopify answers for a missing or blank key."""
        key = directive_key(info)
        if key is None and version >= REQUIRED_FROM_VERSION:
            raise _bad_request(
                f"The @idempotent directive is required for this mutation as of API version {REQUIRED_FROM_VERSION}."
            )
        if key is not None and not key.strip():
            raise _bad_request("The idempotency key cannot be an empty string or whitespace only.")
        fingerprint = json.dumps({"field": info.field_name, "arguments": args}, sort_keys=True, default=str)
        return cls(key, fingerprint)


@dataclass(frozen=True)
class _Answer:
    fingerprint: str
    payload: GraphObject
    failed: bool


@dataclass(frozen=True)
class Refusals:
    """The payloads a mutation answers when a key is misused, in its own payload shape."""

    mismatch: Callable[[], GraphObject]
    previous_attempt_failed: Callable[[], GraphObject] | None = None


class IdempotencyKeys:
    """One shop's remembered answers, by idempotency key."""

    def __init__(self) -> None:
        self._answers: dict[str, _Answer] = {}

    def run(
        self, call: IdempotentCall, apply: Callable[[], tuple[GraphObject, bool]], refusals: Refusals
    ) -> GraphObject:
        """`apply` runs the mutation and says (payload, ended in user errors?)."""
        if call.key is None:
            return apply()[0]
        known = self._answers.get(call.key)
        if known is not None:
            if known.fingerprint != call.fingerprint:
                return refusals.mismatch()
            if known.failed and refusals.previous_attempt_failed is not None:
                return refusals.previous_attempt_failed()
            return known.payload
        payload, failed = apply()
        self._answers[call.key] = _Answer(call.fingerprint, payload, failed)
        return payload


MISMATCH_MESSAGE = "The same idempotency key cannot be used with different operation parameters."
PREVIOUS_FAILED_MESSAGE = "A previous request with this idempotency key failed. Retry with a new idempotency key."


def key_error(message: str, code: str | None) -> dict[str, Any]:
    """A user error about the key itself: no input field caused it, so `field` is null."""
    error: dict[str, Any] = {"field": None, "message": message}
    if code is not None:
        error["code"] = code
    return error

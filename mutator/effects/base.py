"""What an effect is: a document, its cost in the shop's budget, and a reader from its answer to mirror rows."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from shared.models import MirrorRow, MutationJob
from shared.shopify_client import ErrorClass, ShopifyPermanentError

MUTATION_COST = 10.0

Payload = dict[str, Any]
# A lookup a recovery may make (one query, never a mutation): document name and variables → data.
Lookup = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


class UserErrors(Exception):
    """Shopify refused the input (userErrors): permanent, with Shopify's own message."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e.get('field') or []))}: {e.get('message')}" for e in errors))
        self.errors = errors

    @property
    def codes(self) -> set[str]:
        return {str(e.get("code")) for e in self.errors if e.get("code")}


@dataclass(frozen=True)
class Effect:
    document: str
    read: Callable[[MutationJob, Payload], list[MirrorRow]]
    cost: float = MUTATION_COST
    # An effect that is more than one document and its answer (a bulk operation's stages): the job is done by
    # `perform(deps, job)`, which sends its one mutation itself and returns the mirror rows; `read` is unused.
    perform: Callable[[Any, MutationJob], Awaitable[list[MirrorRow]]] | None = None
    # Called with the userErrors of an answer before they dead-letter the job: may find that the change is in
    # fact there (a create whose first answer was lost) and return the mirror rows, or None.
    recover: Callable[[MutationJob, UserErrors, Lookup], Awaitable[list[MirrorRow] | None]] | None = None


def mutation_payload(data: dict[str, Any]) -> Payload:
    """The one root field's payload; its userErrors (whatever the payload calls them) raise UserErrors."""
    (payload,) = data.values()
    if not isinstance(payload, dict):
        raise ShopifyPermanentError(ErrorClass.INVALID_PAYLOAD, "mutation answered with no payload")
    errors = [e for key, value in payload.items() if key.endswith("serErrors") for e in value or []]
    if errors:
        raise UserErrors(errors)
    return payload


def rows_with(
    job: MutationJob, shopify_id: str, *, status: str | None = None, details: dict[str, Any] | None = None
) -> list[MirrorRow]:
    """The job's expected mirror rows with the id Shopify gave (rows that name another entity keep its id), and
    what else the answer told."""
    return [
        row.model_copy(
            update={
                "shopify_id": row.shopify_id or shopify_id,
                "status": status or row.status,
                "details": {**row.details, **(details or {})},
            }
        )
        for row in job.writes
    ]


def require_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ShopifyPermanentError(ErrorClass.INVALID_PAYLOAD, f"Shopify returned no {what} id")
    return value

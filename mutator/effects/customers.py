"""Customers: `customerSet` (by id, or upserting by the customer code), and the code's metafield definition."""

from typing import Any

from mutator.effects.base import Effect, Lookup, Payload, UserErrors, require_id, rows_with
from shared.models import EntityKind, MirrorRow, MutationAction, MutationJob


def customer_written(job: MutationJob, payload: Payload) -> list[MirrorRow]:
    customer: dict[str, Any] = payload.get("customer") or {}
    return rows_with(job, require_id(customer.get("id") or job.shopify_id, "customer"))


def definition_written(job: MutationJob, payload: Payload) -> list[MirrorRow]:
    created: dict[str, Any] = payload.get("createdDefinition") or {}
    return rows_with(job, require_id(created.get("id"), "metafield definition"))


async def defined_before(job: MutationJob, errors: UserErrors, lookup: Lookup) -> list[MirrorRow] | None:
    """TAKEN: the definition is there already (made by a first attempt whose answer was lost, or by hand)."""
    if "TAKEN" not in errors.codes:
        return None
    definition = job.variables["definition"]
    data = await lookup("CustomerCodeDefinitions", {"namespace": definition["namespace"], "key": definition["key"]})
    nodes = data["metafieldDefinitions"]["nodes"]
    return rows_with(job, nodes[0]["id"]) if nodes else None


CUSTOMER_EFFECTS = {
    (EntityKind.CUSTOMER, MutationAction.CREATE): Effect("CustomerSet", customer_written),
    (EntityKind.CUSTOMER, MutationAction.UPDATE): Effect("CustomerSet", customer_written),
    (EntityKind.CUSTOMER_CODE_DEFINITION, MutationAction.CREATE): Effect(
        "CustomerCodeDefinition", definition_written, recover=defined_before
    ),
}

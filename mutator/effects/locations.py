"""Locations: `locationAdd`, `locationEdit`, `locationActivate`, `locationDeactivate`.

A `locationAdd` whose first answer was lost meets Shopify's unique location names on the retry: the location
it made is found by name (and our warehouse code) and recorded, not added twice.
"""

from typing import Any

from mutator.effects.base import Effect, Lookup, Payload, UserErrors, require_id, rows_with
from shared.models import EntityKind, MirrorRow, MutationAction, MutationJob


def location_written(job: MutationJob, payload: Payload) -> list[MirrorRow]:
    location: dict[str, Any] = payload.get("location") or {}
    return rows_with(job, require_id(location.get("id") or job.shopify_id, "location"))


async def added_before(job: MutationJob, errors: UserErrors, lookup: Lookup) -> list[MirrorRow] | None:
    """TAKEN on the name: if that location carries this warehouse's code, it is the one we added."""
    if "TAKEN" not in errors.codes:
        return None
    name = job.variables["input"]["name"]
    data = await lookup("LocationsPage", {"first": 5, "after": None, "query": f'name:"{name}"'})
    for node in data["locations"]["nodes"]:
        if (
            node["name"].casefold() == name.casefold()
            and (node.get("warehouseCode") or {}).get("value") == job.entity_key
        ):
            return rows_with(job, node["id"])
    return None


LOCATION_EFFECTS = {
    (EntityKind.LOCATION, MutationAction.CREATE): Effect("LocationAdd", location_written, recover=added_before),
    (EntityKind.LOCATION, MutationAction.UPDATE): Effect("LocationEdit", location_written),
    (EntityKind.LOCATION, MutationAction.ACTIVATE): Effect("LocationActivate", location_written),
    (EntityKind.LOCATION, MutationAction.DEACTIVATE): Effect("LocationDeactivate", location_written),
}

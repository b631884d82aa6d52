"""Inventory: stocking an item at new locations, and setting many `available` quantities in one call."""

from typing import Any

from mutator.effects.base import Effect, Payload, require_id
from shared.models import EntityKind, MirrorRow, MutationAction, MutationJob


def item_stocked(job: MutationJob, payload: Payload) -> list[MirrorRow]:
    item: dict[str, Any] = payload.get("inventoryItem") or {}
    require_id(item.get("id") or job.shopify_id, "inventory item")
    return []  # the levels are recorded by the quantities set after it


def quantities_set(job: MutationJob, _payload: Payload) -> list[MirrorRow]:
    """Every level of the batch, as planned (an adjustment group is null when nothing had to change)."""
    return list(job.writes)


INVENTORY_EFFECTS = {
    (EntityKind.INVENTORY_ITEM, MutationAction.ACTIVATE): Effect("InventoryActivate", item_stocked),
    (EntityKind.INVENTORY_LEVELS, MutationAction.UPDATE): Effect("InventorySetQuantities", quantities_set),
}

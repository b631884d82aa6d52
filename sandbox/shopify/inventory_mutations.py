"""`inventoryBulkToggleActivation`, `inventoryActivate` and `inventorySetQuantities`, with Shopify's user errors.

Locations that are inactive count as not found: a deactivated location can neither stock items nor receive
quantities. Every mutation here is all or nothing: any user error leaves the inventory as it was.

`inventorySetQuantities` takes at most 250 quantities: more is refused before anything runs with a
top-level `MAX_INPUT_SIZE_EXCEEDED` error, worded like Shopify's input-array limit. From API version
2026-04 each quantity must carry `changeFromQuantity` (an explicit null skips the compare-and-swap check);
the schema's enum has no code for a missing one, so the sandbox answers `COMPARE_QUANTITY_REQUIRED`, the
code of the field it replaced. Setting a quantity to what it already is changes nothing; when nothing at
all changes no adjustment group is made and `inventoryAdjustmentGroup` is null.
"""

import re
from typing import Any

from graphql import GraphQLError

from sandbox.shopify.catalog import parse_gid
from sandbox.shopify.idempotency import (
    MISMATCH_MESSAGE,
    PREVIOUS_FAILED_MESSAGE,
    REQUIRED_FROM_VERSION,
    IdempotentCall,
    Refusals,
    key_error,
)
from sandbox.shopify.input_rules import user_error
from sandbox.shopify.inventory import InventoryLevel
from sandbox.shopify.metafield_objects import GraphObject
from sandbox.shopify.shop import Shop
from sandbox.shopify.stock_objects import adjustment_group_object, inventory_item_object, inventory_level_object

MAX_QUANTITIES = 250
QUANTITY_LIMIT = 1_000_000_000
SETTABLE_NAMES = ("available", "on_hand")
REASONS = frozenset(
    {
        "correction",
        "cycle_count_available",
        "damaged",
        "movement_created",
        "movement_updated",
        "movement_received",
        "movement_canceled",
        "other",
        "promotion",
        "quality_control",
        "received",
        "reservation_created",
        "reservation_deleted",
        "reservation_updated",
        "restock",
        "safety_stock",
        "shrinkage",
    }
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_GID_URI = re.compile(r"^gid://[^/\s]+/[^/\s]+/[^/\s]+$")

UserErrors = list[dict[str, Any]]


def _item_id(shop: Shop, item_gid: str) -> int | None:
    number = parse_gid(item_gid, "InventoryItem")
    return number if number is not None and shop.inventory.knows_item(number) else None


def inventory_bulk_toggle_activation(shop: Shop, item_gid: str, updates: list[dict[str, Any]]) -> GraphObject:
    """Stock (`activate: true`) or unstock the item at each location; an item keeps at least one location."""
    item_id = _item_id(shop, item_gid)
    variant = None if item_id is None else shop.catalog.variant_of_item(item_id)
    if item_id is None or variant is None:
        missing = [user_error(["inventoryItemId"], "The inventory item was not found.", "INVENTORY_ITEM_NOT_FOUND")]
        return {"inventoryItem": None, "inventoryLevels": None, "userErrors": missing}
    stocked = {level.location_id for level in shop.inventory.levels_of_item(item_id)}
    errors: UserErrors = []
    planned: list[tuple[int, bool]] = []
    for index, update in enumerate(updates):
        path: list[str | int] = ["inventoryItemUpdates", index, "locationId"]
        location = shop.locations.find_active(update["locationId"])
        if location is None:
            errors.append(user_error(path, "The location was not found.", "LOCATION_NOT_FOUND"))
            continue
        if update["activate"]:
            stocked.add(location.id)
        elif stocked == {location.id}:
            message = "Cannot unstock an inventory item from the only location at which it is stocked."
            errors.append(user_error(path, message, "CANNOT_DEACTIVATE_FROM_ONLY_LOCATION"))
            continue
        else:
            stocked.discard(location.id)
        planned.append((location.id, bool(update["activate"])))
    if errors:
        return {"inventoryItem": None, "inventoryLevels": None, "userErrors": errors}
    activated: dict[int, InventoryLevel] = {}
    for location_id, activate in planned:
        level = shop.inventory.active_level(item_id, location_id)
        if activate:
            activated[location_id] = shop.inventory.stock(item_id, location_id)
        elif level is not None:
            shop.inventory.unstock(level)
            activated.pop(location_id, None)
    levels = [inventory_level_object(shop, level) for level in activated.values() if level.is_active]
    return {"inventoryItem": inventory_item_object(shop, variant), "inventoryLevels": levels, "userErrors": []}


def _activation(shop: Shop, args: dict[str, Any]) -> tuple[GraphObject, bool]:
    item_id = _item_id(shop, args["inventoryItemId"])
    if item_id is None:
        return {
            "inventoryLevel": None,
            "userErrors": [user_error(["inventoryItemId"], "Inventory item not found", None)],
        }, True
    location = shop.locations.find_active(args["locationId"])
    if location is None:
        return {"inventoryLevel": None, "userErrors": [user_error(["locationId"], "Location not found", None)]}, True
    available, on_hand = args.get("available"), args.get("onHand")
    if available is not None and on_hand is not None and on_hand < available:
        message = "On hand quantity must be greater than or equal to available quantity"
        return {"inventoryLevel": None, "userErrors": [user_error(["onHand"], message, None)]}, True
    level = shop.inventory.active_level(item_id, location.id)
    if level is None:
        level = shop.inventory.stock(item_id, location.id)
        level.available = available if available is not None else (on_hand or 0)
        level.on_hand = on_hand if on_hand is not None else level.available
    return {"inventoryLevel": inventory_level_object(shop, level), "userErrors": []}, False


def inventory_activate(shop: Shop, call: IdempotentCall, args: dict[str, Any]) -> GraphObject:
    """Stock one item at one active location with optional starting quantities (already stocked: unchanged)."""
    refusals = Refusals(lambda: {"inventoryLevel": None, "userErrors": [key_error(MISMATCH_MESSAGE, None)]})
    return shop.idempotency.run(call, lambda: _activation(shop, args), refusals)


def _input_problems(given: dict[str, Any]) -> UserErrors:
    errors: UserErrors = []
    if given["name"] not in SETTABLE_NAMES:
        message = "The quantity name must be either 'available' or 'on_hand'."
        errors.append(user_error(["input", "name"], message, "INVALID_NAME"))
    if given["reason"] not in REASONS:
        errors.append(user_error(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON"))
    uri = given.get("referenceDocumentUri")
    if uri is not None and (not _URI.match(uri) or (uri.startswith("gid:") and not _GID_URI.match(uri))):
        message = "The specified reference document is invalid."
        errors.append(user_error(["input", "referenceDocumentUri"], message, "INVALID_REFERENCE_DOCUMENT"))
    return errors


def _quantity_problem(
    shop: Shop, quantity: dict[str, Any], path: list[str | int], name: str, version: str
) -> tuple[InventoryLevel | None, dict[str, Any] | None]:
    item_id = _item_id(shop, quantity["inventoryItemId"])
    if item_id is None:
        message = "The specified inventory item could not be found."
        return None, user_error([*path, "inventoryItemId"], message, "INVALID_INVENTORY_ITEM")
    location = shop.locations.find_active(quantity["locationId"])
    if location is None:
        return None, user_error([*path, "locationId"], "The specified location could not be found.", "INVALID_LOCATION")
    level = shop.inventory.active_level(item_id, location.id)
    if level is None:
        message = "The specified inventory item is not stocked at the location."
        return None, user_error([*path, "locationId"], message, "INVALID_LOCATION")
    value = quantity["quantity"]
    if value < -QUANTITY_LIMIT:
        message = "The total quantity can't be lower than -1,000,000,000."
        return None, user_error([*path, "quantity"], message, "INVALID_QUANTITY_TOO_LOW")
    if value > QUANTITY_LIMIT:
        message = "The total quantity can't be higher than 1,000,000,000."
        return None, user_error([*path, "quantity"], message, "INVALID_QUANTITY_TOO_HIGH")
    if "changeFromQuantity" not in quantity and version >= REQUIRED_FROM_VERSION:
        message = "The changeFromQuantity argument is required for each quantity; pass null to skip the check."
        return None, user_error([*path, "changeFromQuantity"], message, "COMPARE_QUANTITY_REQUIRED")
    expected = quantity.get("changeFromQuantity")
    if expected is not None and name in SETTABLE_NAMES and expected != level.quantity(name):
        message = "The changeFromQuantity value does not match persisted value."
        return None, user_error([*path, "changeFromQuantity"], message, "CHANGE_FROM_QUANTITY_STALE")
    return level, None


def _set_quantities(shop: Shop, given: dict[str, Any], version: str) -> tuple[GraphObject, bool]:
    errors = _input_problems(given)
    planned: list[tuple[InventoryLevel, int]] = []
    seen: set[tuple[int, int]] = set()
    for index, quantity in enumerate(given["quantities"]):
        path: list[str | int] = ["input", "quantities", index]
        level, problem = _quantity_problem(shop, quantity, path, given["name"], version)
        if level is not None and (level.item_id, level.location_id) in seen:
            message = "The combination of inventoryItemId and locationId must be unique."
            problem = user_error(path, message, "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR")
        if problem is not None:
            errors.append(problem)
        elif level is not None:
            seen.add((level.item_id, level.location_id))
            planned.append((level, quantity["quantity"]))
    if errors:
        return {"inventoryAdjustmentGroup": None, "userErrors": errors}, True
    changes = [
        change for level, value in planned for change in shop.inventory.set_quantity(level, given["name"], value)
    ]
    if not changes:
        return {"inventoryAdjustmentGroup": None, "userErrors": []}, False
    group = shop.inventory.record_group(given["reason"], given.get("referenceDocumentUri"), changes)
    return {"inventoryAdjustmentGroup": adjustment_group_object(shop, group), "userErrors": []}, False


def inventory_set_quantities(shop: Shop, call: IdempotentCall, given: dict[str, Any], version: str) -> GraphObject:
    if len(given["quantities"]) > MAX_QUANTITIES:
        size = len(given["quantities"])
        raise GraphQLError(
            f"The input array size of {size} is greater than the maximum allowed of {MAX_QUANTITIES}.",
            extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"},
        )

    def refused(message: str, code: str) -> GraphObject:
        return {"inventoryAdjustmentGroup": None, "userErrors": [key_error(message, code)]}

    refusals = Refusals(
        lambda: refused(MISMATCH_MESSAGE, "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"),
        lambda: refused(PREVIOUS_FAILED_MESSAGE, "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED"),
    )
    return shop.idempotency.run(call, lambda: _set_quantities(shop, given, version), refusals)

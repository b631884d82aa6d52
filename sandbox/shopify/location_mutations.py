"""`locationAdd`, `locationEdit`, `locationActivate` and `locationDeactivate`, with Shopify's user errors.

- Names: required, at most 100 characters, unique per shop ignoring case among all locations, active or not
  (`TAKEN`, "Name has already been taken").
- Addresses: the country comes from the `CountryCode` enum (the schema enforces it); a `provinceCode` must
  be one of the country's provinces where the sandbox knows them (see `regions`), else `INVALID`; a US ZIP
  code must look like one (`INVALID_US_ZIPCODE`).
- At least one active location must fulfil online orders (`CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT`).
- Deactivation never deletes. The primary location cannot be deactivated. A location that still stocks
  inventory needs a `destinationLocationId`: its levels move there (as Shopify's own example of
  `HAS_ACTIVE_INVENTORY_ERROR` shows); its own levels stay, inactive.

Any user error leaves everything as it was, and so does an edit that sets what is already there.
Activation and deactivation go through the shop's idempotency keys (see `idempotency`).
"""

import copy
import re
from typing import Any

from sandbox.shopify.catalog import now_iso, parse_gid
from sandbox.shopify.idempotency import (
    MISMATCH_MESSAGE,
    IdempotentCall,
    Refusals,
    key_error,
)
from sandbox.shopify.input_rules import metafield_problems, replaced_metafields, upserted_metafields, user_error
from sandbox.shopify.locations import Location, LocationAddress
from sandbox.shopify.metafield_objects import GraphObject
from sandbox.shopify.regions import normalised_province
from sandbox.shopify.shop import Shop
from sandbox.shopify.stock_objects import location_object

MAX_NAME_LENGTH = 100
_US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_ADDRESS_FIELDS = ("address1", "address2", "city", "zip", "phone")

UserErrors = list[dict[str, Any]]


def _name_problems(shop: Shop, name: object, own_id: int | None) -> UserErrors:
    path = ["input", "name"]
    if not isinstance(name, str) or not name.strip():
        return [user_error(path, "Name can't be blank", "BLANK")]
    if len(name.strip()) > MAX_NAME_LENGTH:
        return [user_error(path, f"Name is too long (maximum is {MAX_NAME_LENGTH} characters)", "TOO_LONG")]
    holder = shop.locations.name_holder(name)
    if holder is not None and holder.id != own_id:
        return [user_error(path, "Name has already been taken", "TAKEN")]
    return []


def _planned_address(given: dict[str, Any], current: LocationAddress, errors: UserErrors) -> LocationAddress:
    """The address after the given fields replace the current ones; problems go to `errors`."""
    path = ["input", "address"]
    country = given.get("countryCode") or current.country_code
    planned = LocationAddress(country_code=country)
    for name in _ADDRESS_FIELDS:
        setattr(planned, name, given[name] if name in given else getattr(current, name))
    if "provinceCode" in given:
        province, valid = normalised_province(country, given["provinceCode"])
        if not valid:
            errors.append(user_error([*path, "provinceCode"], "Province code is not valid for the country", "INVALID"))
        planned.province_code = province
    elif country == current.country_code:
        planned.province_code = current.province_code
    if country == "US" and planned.zip and not _US_ZIP.match(planned.zip):
        errors.append(user_error([*path, "zip"], "The ZIP code is not a valid US ZIP code.", "INVALID_US_ZIPCODE"))
    return planned


def _last_online_fulfiller(shop: Shop, location: Location) -> bool:
    others = [loc for loc in shop.locations.by_id.values() if loc.is_active and loc.id != location.id]
    return location.fulfills_online_orders and not any(loc.fulfills_online_orders for loc in others)


def location_add(shop: Shop, given: dict[str, Any]) -> GraphObject:
    errors = _name_problems(shop, given.get("name"), None)
    address = _planned_address(given["address"], LocationAddress(), errors)
    metafields = given.get("metafields") or []
    errors.extend(metafield_problems(metafields, [], ["input", "metafields"], "INVALID"))
    if errors:
        return {"location": None, "userErrors": errors}
    now = now_iso()
    location = Location(
        id=shop.locations.ids.next_id("Location"),
        name=str(given["name"]).strip(),
        address=address,
        created_at=now,
        updated_at=now,
        fulfills_online_orders=given.get("fulfillsOnlineOrders") is not False,
        metafields=replaced_metafields(shop.locations.ids, metafields, []),
    )
    shop.locations.put(location)
    return {"location": location_object(shop, location), "userErrors": []}


def location_edit(shop: Shop, location_gid: str, given: dict[str, Any]) -> GraphObject:
    location = shop.locations.find(location_gid)
    if location is None:
        return {"location": None, "userErrors": [user_error(["id"], "Location not found.", "NOT_FOUND")]}
    errors = _name_problems(shop, given["name"], location.id) if given.get("name") is not None else []
    address = _planned_address(given.get("address") or {}, location.address, errors)
    if given.get("fulfillsOnlineOrders") is False and _last_online_fulfiller(shop, location):
        message = "At least one location must fulfill online orders."
        errors.append(user_error(["input", "fulfillsOnlineOrders"], message, "CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT"))
    metafields = given.get("metafields") or []
    errors.extend(metafield_problems(metafields, location.metafields, ["input", "metafields"], "INVALID"))
    if errors:
        return {"location": None, "userErrors": errors}
    edited = copy.deepcopy(location)
    if given.get("name") is not None:
        edited.name = str(given["name"]).strip()
    edited.address = address
    if given.get("fulfillsOnlineOrders") is not None:
        edited.fulfills_online_orders = bool(given["fulfillsOnlineOrders"])
    if metafields:
        edited.metafields = upserted_metafields(shop.locations.ids, metafields, location.metafields)
    if edited != location:  # an edit that sets what is already there changes nothing
        edited.updated_at = now_iso()
        shop.locations.put(edited)
    return {"location": location_object(shop, edited), "userErrors": []}


def location_activate(shop: Shop, call: IdempotentCall, location_gid: str) -> GraphObject:
    def apply() -> tuple[GraphObject, bool]:
        location = shop.locations.find(location_gid)
        if location is None:
            errors = [user_error(["locationId"], "Location not found.", "LOCATION_NOT_FOUND")]
            return {"location": None, "locationActivateUserErrors": errors}, True
        if not location.is_active:
            location.is_active, location.deactivated_at, location.updated_at = True, None, now_iso()
            shop.locations.put(location)
        return {"location": location_object(shop, location), "locationActivateUserErrors": []}, False

    mismatch = [key_error(MISMATCH_MESSAGE, "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")]
    refusals = Refusals(lambda: {"location": None, "locationActivateUserErrors": mismatch})
    return shop.idempotency.run(call, apply, refusals)


def _deactivation_problems(shop: Shop, location: Location, destination_gid: str | None) -> UserErrors:
    if location.is_primary:
        message = "The primary location cannot be deactivated."
        return [user_error(["locationId"], message, "PERMANENTLY_BLOCKED_FROM_DEACTIVATION_ERROR")]
    if destination_gid is not None:
        destination = shop.locations.find_active(destination_gid)
        if parse_gid(destination_gid, "Location") == location.id:
            message = "Destination location is the same as the location to be deactivated."
            return [user_error(["destinationLocationId"], message, "DESTINATION_LOCATION_IS_THE_SAME_LOCATION")]
        if destination is None:
            message = "Destination location is not found or inactive."
            return [user_error(["destinationLocationId"], message, "DESTINATION_LOCATION_NOT_FOUND_OR_INACTIVE")]
    elif shop.inventory.levels_at(location.id):
        message = (
            "Location could not be deactivated without specifying where to relocate inventory stocked at the location."
        )
        return [user_error(["locationId"], message, "HAS_ACTIVE_INVENTORY_ERROR")]
    if _last_online_fulfiller(shop, location):
        message = "At least one location must fulfill online orders."
        return [user_error(["locationId"], message, "CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT")]
    return []


def location_deactivate(
    shop: Shop, call: IdempotentCall, location_gid: str, destination_gid: str | None
) -> GraphObject:
    def apply() -> tuple[GraphObject, bool]:
        location = shop.locations.find(location_gid)
        if location is None:
            errors = [user_error(["locationId"], "Location not found.", "LOCATION_NOT_FOUND")]
            return {"location": None, "locationDeactivateUserErrors": errors}, True
        errors = _deactivation_problems(shop, location, destination_gid) if location.is_active else []
        if not errors and location.is_active:
            destination = shop.locations.find_active(destination_gid)
            if destination is not None:
                shop.inventory.relocate(location.id, destination.id)
            now = now_iso()
            location.is_active, location.deactivated_at, location.updated_at = False, now, now
            shop.locations.put(location)
        return {"location": location_object(shop, location), "locationDeactivateUserErrors": errors}, bool(errors)

    mismatch = [key_error(MISMATCH_MESSAGE, "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")]
    refusals = Refusals(lambda: {"location": None, "locationDeactivateUserErrors": mismatch})
    return shop.idempotency.run(call, apply, refusals)

"""Locations, inventory items, inventory levels and adjustment groups as GraphQL objects, and as inspection JSON.

They live together because they refer to each other: a location lists its levels, a level names its item
and its location. Like `graph_objects`, nested connections are callables resolved only when selected.
"""

from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from sandbox.shopify.catalog import Variant, gid, parse_gid
from sandbox.shopify.connections import PageRequest, connection
from sandbox.shopify.inventory import QUANTITY_NAMES, AdjustmentGroup, InventoryChange, InventoryLevel
from sandbox.shopify.locations import Location
from sandbox.shopify.metafield_objects import GraphObject, metafield_resolvers, metafields_json
from sandbox.shopify.regions import country_name, province_name
from sandbox.shopify.shop import Shop


def level_gid(level: InventoryLevel) -> str:
    return f"{gid('InventoryLevel', level.id)}?inventory_item_id={level.item_id}"


def parse_level_gid(value: object) -> int | None:
    """The level number in `gid://shopify/InventoryLevel/N?inventory_item_id=M` (the query part is optional)."""
    return parse_gid(value.split("?", 1)[0], "InventoryLevel") if isinstance(value, str) else None


def _levels_connection(shop: Shop, levels: list[InventoryLevel], args: dict[str, Any]) -> GraphObject:
    by_id = {level.id: level for level in levels}
    return connection(sorted(by_id), PageRequest.from_args(args), lambda n: inventory_level_object(shop, by_id[n]))


def location_address_object(location: Location) -> GraphObject:
    address = location.address
    area = " ".join(part for part in (address.city, address.province_code, address.zip) if part)
    country = country_name(address.country_code)
    return {
        "__typename": "LocationAddress",
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "zip": address.zip,
        "province": province_name(address.country_code, address.province_code),
        "provinceCode": address.province_code,
        "country": country,
        "countryCode": address.country_code,
        "phone": address.phone,
        "latitude": None,
        "longitude": None,
        "formatted": [line for line in (address.address1, address.address2, area, country) if line],
    }


def location_object(shop: Shop, location: Location) -> GraphObject:
    def inventory_levels(_info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        levels = shop.inventory.levels_at(location.id, bool(args.get("includeInactive")))
        return _levels_connection(shop, levels, args)

    def inventory_level(
        _info: GraphQLResolveInfo, inventoryItemId: str, includeInactive: bool = False
    ) -> GraphObject | None:
        level = shop.inventory.level(parse_gid(inventoryItemId, "InventoryItem") or -1, location.id)
        if level is None or not (level.is_active or includeInactive):
            return None
        return inventory_level_object(shop, level)

    return {
        "__typename": "Location",
        "id": gid("Location", location.id),
        "legacyResourceId": str(location.id),
        "name": location.name,
        "isActive": location.is_active,
        "isPrimary": location.is_primary,
        "activatable": True,
        "deactivatable": location.is_active and not location.is_primary,
        "deletable": not location.is_active and not location.is_primary,
        "fulfillsOnlineOrders": location.fulfills_online_orders,
        "hasActiveInventory": lambda _info: bool(shop.inventory.levels_at(location.id)),
        "hasUnfulfilledOrders": False,
        "isFulfillmentService": False,
        "shipsInventory": True,
        "addressVerified": False,
        "fulfillmentService": None,
        "localPickupSettingsV2": None,
        "suggestedAddresses": [],
        "address": location_address_object(location),
        "createdAt": location.created_at,
        "updatedAt": location.updated_at,
        "deactivatedAt": location.deactivated_at,
        "inventoryLevels": inventory_levels,
        "inventoryLevel": inventory_level,
        **metafield_resolvers(location.metafields, "LOCATION"),
    }


def inventory_item_object(shop: Shop, variant: Variant) -> GraphObject:
    item_id = variant.inventory_item_id
    weight = None if variant.weight is None else {"value": variant.weight.value, "unit": variant.weight.unit}

    def inventory_levels(_info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        levels = shop.inventory.levels_of_item(item_id, bool(args.get("includeInactive")))
        return _levels_connection(shop, levels, args)

    def inventory_level(
        _info: GraphQLResolveInfo, locationId: str, includeInactive: bool = False
    ) -> GraphObject | None:
        level = shop.inventory.level(item_id, parse_gid(locationId, "Location") or -1)
        if level is None or not (level.is_active or includeInactive):
            return None
        return inventory_level_object(shop, level)

    def duplicate_sku_count(_info: GraphQLResolveInfo) -> int:
        return max(0, len(shop.catalog.variants_with_sku(variant.sku)) - 1) if variant.sku else 0

    return {
        "__typename": "InventoryItem",
        "id": gid("InventoryItem", item_id),
        "legacyResourceId": str(item_id),
        "sku": variant.sku,
        "tracked": variant.tracked,
        "trackedEditable": {"locked": False, "reason": None},
        "requiresShipping": True,
        "createdAt": variant.created_at,
        "updatedAt": variant.updated_at,
        "duplicateSkuCount": duplicate_sku_count,
        "measurement": {
            "__typename": "InventoryItemMeasurement",
            "id": gid("InventoryItemMeasurement", item_id),
            "weight": weight,
        },
        "locationsCount": lambda _info: {"count": len(shop.inventory.levels_of_item(item_id)), "precision": "EXACT"},
        "countryCodeOfOrigin": None,
        "provinceCodeOfOrigin": None,
        "harmonizedSystemCode": None,
        "unitCost": None,
        "inventoryHistoryUrl": None,
        "inventoryLevels": inventory_levels,
        "inventoryLevel": inventory_level,
    }


def inventory_level_object(shop: Shop, level: InventoryLevel) -> GraphObject:
    def quantities(_info: GraphQLResolveInfo, names: list[str]) -> list[GraphObject]:
        unknown = [name for name in names if name not in QUANTITY_NAMES]
        if unknown:
            raise GraphQLError(f"'{unknown[0]}' is not a valid inventory quantity name.")
        return [
            {
                "__typename": "InventoryQuantity",
                "id": f"{gid('InventoryQuantity', level.id)}?inventory_item_id={level.item_id}&name={name}",
                "name": name,
                "quantity": level.quantity(name),
                "updatedAt": level.updated_at,
            }
            for name in names
        ]

    def item(_info: GraphQLResolveInfo) -> GraphObject | None:
        variant = shop.catalog.variant_of_item(level.item_id)
        return None if variant is None else inventory_item_object(shop, variant)

    return {
        "__typename": "InventoryLevel",
        "id": level_gid(level),
        "isActive": level.is_active,
        "canDeactivate": lambda _info: level.is_active and len(shop.inventory.levels_of_item(level.item_id)) > 1,
        "deactivationAlert": None,
        "createdAt": level.created_at,
        "updatedAt": level.updated_at,
        "quantities": quantities,
        "item": item,
        "location": lambda _info: location_object(shop, shop.locations.by_id[level.location_id]),
    }


def _change_object(shop: Shop, change: InventoryChange) -> GraphObject:
    variant = shop.catalog.variant_of_item(change.item_id)
    return {
        "__typename": "InventoryChange",
        "name": change.name,
        "delta": change.delta,
        "quantityAfterChange": change.quantity_after,
        "ledgerDocumentUri": None,
        "item": None if variant is None else inventory_item_object(shop, variant),
        "location": location_object(shop, shop.locations.by_id[change.location_id]),
    }


def adjustment_group_object(shop: Shop, group: AdjustmentGroup) -> GraphObject:
    def changes(
        _info: GraphQLResolveInfo,
        inventoryItemIds: list[str] | None = None,
        locationIds: list[str] | None = None,
        quantityNames: list[str] | None = None,
    ) -> list[GraphObject]:
        items = None if inventoryItemIds is None else {parse_gid(v, "InventoryItem") for v in inventoryItemIds}
        places = None if locationIds is None else {parse_gid(v, "Location") for v in locationIds}
        return [
            _change_object(shop, change)
            for change in group.changes
            if (items is None or change.item_id in items)
            and (places is None or change.location_id in places)
            and (quantityNames is None or change.name in quantityNames)
        ]

    return {
        "__typename": "InventoryAdjustmentGroup",
        "id": gid("InventoryAdjustmentGroup", group.id),
        "createdAt": group.created_at,
        "reason": group.reason,
        "referenceDocumentUri": group.reference_document_uri,
        "app": None,
        "staffMember": None,
        "changes": changes,
    }


def locations_json(shop: Shop) -> list[dict[str, Any]]:
    """Every location with its address and metafields, for `GET /_sandbox/shops/{shop}/locations`."""
    rows = []
    for location in shop.locations.by_id.values():
        address = {
            k: v
            for k, v in location_address_object(location).items()
            if k not in ("__typename", "latitude", "longitude")
        }
        rows.append(
            {
                "id": gid("Location", location.id),
                "name": location.name,
                "isActive": location.is_active,
                "isPrimary": location.is_primary,
                "fulfillsOnlineOrders": location.fulfills_online_orders,
                "address": address,
                "metafields": metafields_json(location.metafields),
                "createdAt": location.created_at,
                "updatedAt": location.updated_at,
                "deactivatedAt": location.deactivated_at,
            }
        )
    return rows


def inventory_json(shop: Shop) -> list[dict[str, Any]]:
    """Every inventory level, active or not, for `GET /_sandbox/shops/{shop}/inventory`."""
    rows = []
    for level in shop.inventory.all_levels():
        variant = shop.catalog.variant_of_item(level.item_id)
        location = shop.locations.by_id[level.location_id]
        rows.append(
            {
                "id": level_gid(level),
                "inventoryItemId": gid("InventoryItem", level.item_id),
                "variantId": None if variant is None else gid("ProductVariant", variant.id),
                "sku": None if variant is None else variant.sku,
                "locationId": gid("Location", location.id),
                "locationName": location.name,
                "isActive": level.is_active,
                "available": level.available,
                "on_hand": level.on_hand,
            }
        )
    return rows

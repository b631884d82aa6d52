"""The emulated Admin API's inventory: stocking at locations, setting quantities idempotently, and the reads."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from shared.shopify_documents import ALL_DOCUMENTS
from tests.sandbox_shopify_helpers import SHOP, TOKEN, Client, apparel_input, gql, product_set, sandbox_client

INVENTORY_ACTIVATE = ALL_DOCUMENTS["InventoryActivate"]
SET_QUANTITIES = ALL_DOCUMENTS["InventorySetQuantities"]
PRIMARY = "gid://shopify/Location/1"
ITEM_QUERY = """query($id: ID!) { inventoryItem(id: $id) { id sku tracked
  inventoryLevels(first: 10) { nodes { id location { id }
    quantities(names: ["available", "on_hand", "committed"]) { name quantity } } } } }"""


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with sandbox_client() as test_client:
        yield test_client


async def gql_at(client: Client, version: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(
        f"/{SHOP}/admin/api/{version}/graphql.json",
        json={"query": query, "variables": variables},
        headers={"X-Shopify-Access-Token": TOKEN},
    )
    body: dict[str, Any] = await response.json()
    return body


async def add_location(client: Client, name: str) -> str:
    query = "mutation($input: LocationAddInput!) { locationAdd(input: $input) { location { id } } }"
    body = await gql(client, query, {"input": {"name": name, "address": {"countryCode": "NZ"}}})
    location_id: str = body["data"]["locationAdd"]["location"]["id"]
    return location_id


async def hoodie_items(client: Client, sizes: tuple[str, ...] = ("S", "M")) -> dict[str, str]:
    """Inventory item ids by SKU of a new product."""
    created = await product_set(client, apparel_input(sizes=sizes))
    return {node["sku"]: node["inventoryItem"]["id"] for node in created["product"]["variants"]["nodes"]}


async def toggle(client: Client, item: str, *updates: tuple[str, bool]) -> dict[str, Any]:
    variables = {"inventoryItemId": item, "updates": [{"locationId": loc, "activate": on} for loc, on in updates]}
    result: dict[str, Any] = (await gql(client, INVENTORY_ACTIVATE, variables))["data"]["inventoryBulkToggleActivation"]
    return result


def quantity(item: str, location: str, value: int, change_from: Any = None) -> dict[str, Any]:
    return {"inventoryItemId": item, "locationId": location, "quantity": value, "changeFromQuantity": change_from}


async def set_quantities(
    client: Client, key: str, *quantities: dict[str, Any], name: str = "available", reason: str = "correction"
) -> dict[str, Any]:
    given = {"name": name, "reason": reason, "quantities": list(quantities)}
    body = await gql(client, SET_QUANTITIES, {"input": given, "idempotencyKey": key})
    result: dict[str, Any] = body["data"]["inventorySetQuantities"]
    return result


async def levels(client: Client) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (await (await client.get(f"/_sandbox/shops/{SHOP}/inventory")).json())["inventory"]
    return rows


async def applied(client: Client) -> int:
    count: int = (await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json())["mutations_applied"]
    return count


async def test_a_new_variant_is_stocked_at_the_primary_location_only(client: Client) -> None:
    items = await hoodie_items(client)
    await add_location(client, "Depot")
    body = await gql(client, ITEM_QUERY, {"id": items["HOOD-S"]})
    item = body["data"]["inventoryItem"]
    assert item["sku"] == "HOOD-S" and item["tracked"] is True
    [level] = item["inventoryLevels"]["nodes"]
    assert level["location"] == {"id": PRIMARY}
    assert level["id"].startswith("gid://shopify/InventoryLevel/")
    assert level["quantities"] == [
        {"name": "available", "quantity": 0},
        {"name": "on_hand", "quantity": 0},
        {"name": "committed", "quantity": 0},
    ]
    rows = await levels(client)
    assert [(row["sku"], row["locationName"], row["available"], row["on_hand"]) for row in rows] == [
        ("HOOD-S", "Shop location", 0, 0),
        ("HOOD-M", "Shop location", 0, 0),
    ]
    missing = await gql(client, ITEM_QUERY, {"id": "gid://shopify/InventoryItem/999"})
    assert missing["data"]["inventoryItem"] is None


async def test_bulk_toggle_stocks_and_unstocks(client: Client) -> None:
    items = await hoodie_items(client)
    depot = await add_location(client, "Depot")
    stocked = await toggle(client, items["HOOD-S"], (depot, True))
    assert stocked == {"inventoryItem": {"id": items["HOOD-S"]}, "userErrors": []}
    before = await applied(client)
    assert (await toggle(client, items["HOOD-S"], (depot, True)))["userErrors"] == []
    assert await applied(client) == before
    full = """mutation($item: ID!, $updates: [InventoryBulkToggleActivationInput!]!) {
      inventoryBulkToggleActivation(inventoryItemId: $item, inventoryItemUpdates: $updates) {
        inventoryLevels { location { id } isActive } userErrors { field code } } }"""
    only = await gql(client, full, {"item": items["HOOD-S"], "updates": [{"locationId": PRIMARY, "activate": False}]})
    assert only["data"]["inventoryBulkToggleActivation"] == {"inventoryLevels": [], "userErrors": []}
    last = await toggle(client, items["HOOD-S"], (depot, False))
    assert last["inventoryItem"] is None
    assert last["userErrors"] == [
        {
            "field": ["inventoryItemUpdates", "0", "locationId"],
            "message": "Cannot unstock an inventory item from the only location at which it is stocked.",
            "code": "CANNOT_DEACTIVATE_FROM_ONLY_LOCATION",
        }
    ]
    both = await gql(client, full, {"item": items["HOOD-M"], "updates": [{"locationId": depot, "activate": True}]})
    assert both["data"]["inventoryBulkToggleActivation"]["inventoryLevels"] == [
        {"location": {"id": depot}, "isActive": True}
    ]
    rows = {(row["sku"], row["locationName"]): row["isActive"] for row in await levels(client)}
    assert rows == {
        ("HOOD-S", "Shop location"): False,
        ("HOOD-S", "Depot"): True,
        ("HOOD-M", "Shop location"): True,
        ("HOOD-M", "Depot"): True,
    }


async def test_bulk_toggle_user_errors(client: Client) -> None:
    items = await hoodie_items(client)
    unknown_item = await toggle(client, "gid://shopify/InventoryItem/404", (PRIMARY, True))
    assert unknown_item["userErrors"][0]["code"] == "INVENTORY_ITEM_NOT_FOUND"
    depot = await add_location(client, "Depot")
    deactivate = """mutation($id: ID!) { locationDeactivate(locationId: $id) @idempotent(key: "d") {
      locationDeactivateUserErrors { code } } }"""
    await gql(client, deactivate, {"id": depot})
    for location in ("gid://shopify/Location/404", depot):
        refused = await toggle(client, items["HOOD-S"], (PRIMARY, True), (location, True))
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
            (["inventoryItemUpdates", "1", "locationId"], "LOCATION_NOT_FOUND")
        ]
    assert len(await levels(client)) == 2


async def test_set_quantities_moves_available_and_on_hand(client: Client) -> None:
    items = await hoodie_items(client)
    depot = await add_location(client, "Depot")
    await toggle(client, items["HOOD-S"], (depot, True))
    result = await set_quantities(
        client, "job-1", quantity(items["HOOD-S"], PRIMARY, 4, 0), quantity(items["HOOD-S"], depot, 6)
    )
    assert result["userErrors"] == [] and result["inventoryAdjustmentGroup"]["id"]
    details = """query($id: ID!, $loc: ID!) {
      inventoryItem(id: $id) { inventoryLevels(first: 5) { nodes { location { id }
        quantities(names: ["available", "on_hand"]) { quantity } } } }
      productVariants(first: 5) { nodes { sku inventoryQuantity product { totalInventory } } }
      location(id: $loc) { inventoryLevels(first: 5) { nodes { item { sku } quantities(names: ["available"]) {
        quantity } } } } }"""
    body = (await gql(client, details, {"id": items["HOOD-S"], "loc": depot}))["data"]
    assert [
        (n["location"]["id"], [q["quantity"] for q in n["quantities"]])
        for n in body["inventoryItem"]["inventoryLevels"]["nodes"]
    ] == [(PRIMARY, [4, 4]), (depot, [6, 6])]
    assert body["productVariants"]["nodes"] == [
        {"sku": "HOOD-S", "inventoryQuantity": 10, "product": {"totalInventory": 10}},
        {"sku": "HOOD-M", "inventoryQuantity": 0, "product": {"totalInventory": 10}},
    ]
    assert body["location"]["inventoryLevels"]["nodes"] == [
        {"item": {"sku": "HOOD-S"}, "quantities": [{"quantity": 6}]}
    ]
    on_hand = await set_quantities(client, "job-2", quantity(items["HOOD-S"], depot, 10, 6), name="on_hand")
    assert on_hand["userErrors"] == []
    row = next(r for r in await levels(client) if r["locationId"] == depot)
    assert (row["available"], row["on_hand"]) == (10, 10)


async def test_set_quantities_payload_and_replays(client: Client) -> None:
    items = await hoodie_items(client)
    group = """mutation($input: InventorySetQuantitiesInput!, $key: String!) {
      inventorySetQuantities(input: $input) @idempotent(key: $key) {
        inventoryAdjustmentGroup { id createdAt reason referenceDocumentUri
          changes { name delta quantityAfterChange item { id } location { id } } }
        userErrors { code } } }"""
    given = {
        "name": "available",
        "reason": "cycle_count_available",
        "referenceDocumentUri": "gid://commerce-sync/SyncJob/42",
        "quantities": [quantity(items["HOOD-M"], PRIMARY, 7)],
    }
    first = (await gql(client, group, {"input": given, "key": "k"}))["data"]["inventorySetQuantities"]
    adjustment = first["inventoryAdjustmentGroup"]
    assert adjustment["reason"] == "cycle_count_available"
    assert adjustment["referenceDocumentUri"] == "gid://commerce-sync/SyncJob/42"
    assert adjustment["changes"] == [
        {
            "name": "available",
            "delta": 7,
            "quantityAfterChange": 7,
            "item": {"id": items["HOOD-M"]},
            "location": {"id": PRIMARY},
        },
        {
            "name": "on_hand",
            "delta": 7,
            "quantityAfterChange": 7,
            "item": {"id": items["HOOD-M"]},
            "location": {"id": PRIMARY},
        },
    ]
    count = await applied(client)
    again = (await gql(client, group, {"input": given, "key": "k"}))["data"]["inventorySetQuantities"]
    assert again == first
    assert await applied(client) == count
    other = {**given, "quantities": [quantity(items["HOOD-M"], PRIMARY, 8)]}
    mismatch = (await gql(client, group, {"input": other, "key": "k"}))["data"]["inventorySetQuantities"]
    assert mismatch == {
        "inventoryAdjustmentGroup": None,
        "userErrors": [{"code": "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"}],
    }
    same_value = (await gql(client, group, {"input": given, "key": "k2"}))["data"]["inventorySetQuantities"]
    assert same_value == {"inventoryAdjustmentGroup": None, "userErrors": []}
    assert await applied(client) == count
    assert next(r for r in await levels(client) if r["sku"] == "HOOD-M")["available"] == 7


async def test_set_quantities_needs_the_directive_and_change_from_quantity(client: Client) -> None:
    items = await hoodie_items(client)
    bare = SET_QUANTITIES.replace(" @idempotent(key: $idempotencyKey)", "").replace(", $idempotencyKey: String!", "")
    without_compare = {
        "name": "available",
        "reason": "correction",
        "quantities": [{"inventoryItemId": items["HOOD-S"], "locationId": PRIMARY, "quantity": 3}],
    }
    refused = await gql_at(client, "2026-04", bare, {"input": without_compare})
    assert refused["data"] == {"inventorySetQuantities": None}
    assert refused["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    keyed = await gql_at(client, "2026-10", SET_QUANTITIES, {"input": without_compare, "idempotencyKey": "a"})
    [error] = keyed["data"]["inventorySetQuantities"]["userErrors"]
    assert error["field"] == ["input", "quantities", "0", "changeFromQuantity"]
    assert error["code"] == "COMPARE_QUANTITY_REQUIRED"
    older = await gql_at(client, "2026-01", bare, {"input": without_compare})
    assert older["data"]["inventorySetQuantities"]["userErrors"] == []
    assert next(r for r in await levels(client) if r["sku"] == "HOOD-S")["available"] == 3


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"name": "committed"}, ["input", "name"], "INVALID_NAME"),
        ({"reason": "because"}, ["input", "reason"], "INVALID_REASON"),
        ({"referenceDocumentUri": "gid://app/Thing"}, ["input", "referenceDocumentUri"], "INVALID_REFERENCE_DOCUMENT"),
        ({"quantity": 1_000_000_001}, ["input", "quantities", "1", "quantity"], "INVALID_QUANTITY_TOO_HIGH"),
        ({"quantity": -1_000_000_001}, ["input", "quantities", "1", "quantity"], "INVALID_QUANTITY_TOO_LOW"),
        ({"changeFromQuantity": 5}, ["input", "quantities", "1", "changeFromQuantity"], "CHANGE_FROM_QUANTITY_STALE"),
        (
            {"inventoryItemId": "gid://shopify/InventoryItem/9"},
            ["input", "quantities", "1", "inventoryItemId"],
            "INVALID_INVENTORY_ITEM",
        ),
        ({"locationId": "gid://shopify/Location/9"}, ["input", "quantities", "1", "locationId"], "INVALID_LOCATION"),
        ({"inventoryItemId": "FIRST"}, ["input", "quantities", "1"], "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR"),
    ],
)
async def test_set_quantities_user_errors_apply_nothing(
    client: Client, change: dict[str, Any], field: list[str], code: str
) -> None:
    items = await hoodie_items(client)
    top_level = {key: change[key] for key in ("name", "reason", "referenceDocumentUri") if key in change}
    second = {**quantity(items["HOOD-M"], PRIMARY, 5), **{k: v for k, v in change.items() if k not in top_level}}
    if second["inventoryItemId"] == "FIRST":
        second["inventoryItemId"] = items["HOOD-S"]
    given = {"name": "available", "reason": "correction", **top_level}
    given["quantities"] = [quantity(items["HOOD-S"], PRIMARY, 2), second]
    body = await gql(client, SET_QUANTITIES, {"input": given, "idempotencyKey": f"key-{code}"})
    result = body["data"]["inventorySetQuantities"]
    assert result["inventoryAdjustmentGroup"] is None
    assert [(error["field"], error["code"]) for error in result["userErrors"]] == [(field, code)]
    assert all(row["available"] == 0 for row in await levels(client))
    retried = await gql(client, SET_QUANTITIES, {"input": given, "idempotencyKey": f"key-{code}"})
    assert retried["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED"


async def test_quantities_need_an_active_stocked_location(client: Client) -> None:
    items = await hoodie_items(client, sizes=("S",))
    depot = await add_location(client, "Depot")
    not_stocked = await set_quantities(client, "a", quantity(items["HOOD-S"], depot, 5))
    assert not_stocked["userErrors"] == [
        {
            "field": ["input", "quantities", "0", "locationId"],
            "message": "The specified inventory item is not stocked at the location.",
            "code": "INVALID_LOCATION",
        }
    ]
    await toggle(client, items["HOOD-S"], (depot, True))
    move = """mutation($id: ID!, $to: ID) { locationDeactivate(locationId: $id, destinationLocationId: $to)
      @idempotent(key: "m") { locationDeactivateUserErrors { code } } }"""
    moved = await gql(client, move, {"id": depot, "to": PRIMARY})
    assert moved["data"]["locationDeactivate"]["locationDeactivateUserErrors"] == []
    inactive = await set_quantities(client, "b", quantity(items["HOOD-S"], depot, 5))
    assert inactive["userErrors"][0]["message"] == "The specified location could not be found."
    readable = """query($loc: ID!) { location(id: $loc) { isActive
      all: inventoryLevels(first: 5, includeInactive: true) { nodes { isActive } }
      active: inventoryLevels(first: 5) { nodes { isActive } } } }"""
    location = (await gql(client, readable, {"loc": depot}))["data"]["location"]
    assert location == {"isActive": False, "all": {"nodes": [{"isActive": False}]}, "active": {"nodes": []}}


async def test_more_than_250_quantities_is_a_top_level_error(client: Client) -> None:
    items = await hoodie_items(client, sizes=("S",))
    many = [quantity(items["HOOD-S"], PRIMARY, n) for n in range(251)]
    body = await gql(
        client,
        SET_QUANTITIES,
        {"input": {"name": "available", "reason": "correction", "quantities": many}, "idempotencyKey": "big"},
    )
    assert body["data"] == {"inventorySetQuantities": None}
    assert body["errors"][0]["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"
    assert "251" in body["errors"][0]["message"]


async def test_inventory_activate_one_location_with_quantities(client: Client) -> None:
    items = await hoodie_items(client, sizes=("S",))
    depot = await add_location(client, "Depot")
    query = """mutation($item: ID!, $loc: ID!, $available: Int) {
      inventoryActivate(inventoryItemId: $item, locationId: $loc, available: $available) @idempotent(key: $key) {
        inventoryLevel { location { id } quantities(names: ["available", "on_hand"]) { quantity } }
        userErrors { field message } } }""".replace("$available: Int)", "$available: Int, $key: String!)")
    activated = await gql(client, query, {"item": items["HOOD-S"], "loc": depot, "available": 12, "key": "i1"})
    assert activated["data"]["inventoryActivate"] == {
        "inventoryLevel": {"location": {"id": depot}, "quantities": [{"quantity": 12}, {"quantity": 12}]},
        "userErrors": [],
    }
    unknown = await gql(client, query, {"item": "gid://shopify/InventoryItem/9", "loc": depot, "key": "i2"})
    assert unknown["data"]["inventoryActivate"]["userErrors"][0]["field"] == ["inventoryItemId"]
    bare = query.replace(" @idempotent(key: $key)", "").replace(", $key: String!", "")
    refused = await gql(client, bare, {"item": items["HOOD-S"], "loc": depot})
    assert refused["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_removed_variants_take_their_levels_and_tracked_is_kept(client: Client) -> None:
    created = await product_set(client, apparel_input(sizes=("S", "M")))
    assert len(await levels(client)) == 2
    smaller = apparel_input(sizes=("S",))
    smaller["variants"][0]["inventoryItem"]["tracked"] = False
    await product_set(client, smaller, identifier={"id": created["product"]["id"]})
    rows = await levels(client)
    assert [row["sku"] for row in rows] == ["HOOD-S"]
    body = await gql(client, ITEM_QUERY, {"id": rows[0]["inventoryItemId"]})
    assert body["data"]["inventoryItem"]["tracked"] is False

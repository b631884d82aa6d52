"""The emulated Admin API's locations: the primary one, add/edit rules, idempotent (de)activation, listing."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from shared.shopify_documents import ALL_DOCUMENTS, LOCATIONS_PAGE
from tests.sandbox_shopify_helpers import SHOP, TOKEN, Client, apparel_input, gql, product_set, sandbox_client

LOCATION_ADD = ALL_DOCUMENTS["LocationAdd"]
LOCATION_EDIT = ALL_DOCUMENTS["LocationEdit"]
LOCATION_ACTIVATE = ALL_DOCUMENTS["LocationActivate"]
LOCATION_DEACTIVATE = ALL_DOCUMENTS["LocationDeactivate"]
PRIMARY = "gid://shopify/Location/1"
WAREHOUSE_CODE = {"namespace": "unleashed", "key": "warehouse_code", "type": "single_line_text_field"}


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with sandbox_client() as test_client:
        yield test_client


async def gql_at(client: Client, version: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await client.post(
        f"/{SHOP}/admin/api/{version}/graphql.json",
        json={"query": query, "variables": variables or {}},
        headers={"X-Shopify-Access-Token": TOKEN},
    )
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


def location_input(name: str, code: str, **address: Any) -> dict[str, Any]:
    return {
        "name": name,
        "address": {"countryCode": "NZ", "address1": "12 Carbine Road", "city": "Auckland", **address},
        "metafields": [{**WAREHOUSE_CODE, "value": code}],
    }


async def add_location(client: Client, name: str, code: str, **address: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await gql(client, LOCATION_ADD, {"input": location_input(name, code, **address)}))[
        "data"
    ]["locationAdd"]
    return result


async def inspected_locations(client: Client) -> list[dict[str, Any]]:
    body = await (await client.get(f"/_sandbox/shops/{SHOP}/locations")).json()
    locations: list[dict[str, Any]] = body["locations"]
    return locations


async def stats(client: Client) -> dict[str, Any]:
    body: dict[str, Any] = await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json()
    return body


async def deactivate(client: Client, location_id: str, key: str, version: str = "2026-10") -> dict[str, Any]:
    body = await gql_at(client, version, LOCATION_DEACTIVATE, {"locationId": location_id, "idempotencyKey": key})
    result: dict[str, Any] = body["data"]["locationDeactivate"]
    return result


async def test_every_shop_starts_with_its_primary_location(client: Client) -> None:
    query = "{ location { id name isActive isPrimary deactivatable address { countryCode country } } }"
    body = await gql(client, query)
    assert body["data"]["location"] == {
        "id": PRIMARY,
        "name": "Shop location",
        "isActive": True,
        "isPrimary": True,
        "deactivatable": False,
        "address": {"countryCode": "NZ", "country": "New Zealand"},
    }
    page = await gql(client, LOCATIONS_PAGE, {"first": 10})
    assert page["data"]["locations"]["nodes"] == [
        {"id": PRIMARY, "name": "Shop location", "isActive": True, "isPrimary": True, "warehouseCode": None}
    ]


async def test_location_add_stores_address_and_metafields(client: Client) -> None:
    result = await add_location(client, "Auckland Depot", "AKL", provinceCode="auk", zip="1060", phone="+6495550100")
    assert result["userErrors"] == []
    assert result["location"]["name"] == "Auckland Depot" and result["location"]["isActive"] is True
    new_id = result["location"]["id"]
    query = """query($id: ID!) { location(id: $id) { legacyResourceId fulfillsOnlineOrders isPrimary
      address { address1 city zip province provinceCode country countryCode phone formatted }
      metafield(namespace: "unleashed", key: "warehouse_code") { value type }
      metafields(first: 5) { nodes { namespace key value } } } }"""
    location = (await gql(client, query, {"id": new_id}))["data"]["location"]
    assert location["legacyResourceId"] == new_id.rsplit("/", 1)[1]
    assert location["fulfillsOnlineOrders"] is True and location["isPrimary"] is False
    assert location["address"] == {
        "address1": "12 Carbine Road",
        "city": "Auckland",
        "zip": "1060",
        "province": "Auckland",
        "provinceCode": "AUK",
        "country": "New Zealand",
        "countryCode": "NZ",
        "phone": "+6495550100",
        "formatted": ["12 Carbine Road", "Auckland AUK 1060", "New Zealand"],
    }
    assert location["metafield"] == {"value": "AKL", "type": "single_line_text_field"}
    [_, stored] = await inspected_locations(client)
    assert stored["metafields"][0]["value"] == "AKL" and stored["address"]["provinceCode"] == "AUK"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"name": "   "}, ["input", "name"], "BLANK"),
        ({"name": "x" * 101}, ["input", "name"], "TOO_LONG"),
        ({"name": "auckland depot "}, ["input", "name"], "TAKEN"),
        ({"name": "Shop Location"}, ["input", "name"], "TAKEN"),
        ({"address": {"countryCode": "AU", "provinceCode": "AUK"}}, ["input", "address", "provinceCode"], "INVALID"),
        (
            {"address": {"countryCode": "US", "provinceCode": "CA", "zip": "9021"}},
            ["input", "address", "zip"],
            "INVALID_US_ZIPCODE",
        ),
    ],
)
async def test_location_add_user_errors_change_nothing(
    client: Client, change: dict[str, Any], field: list[str], code: str
) -> None:
    await add_location(client, "Auckland Depot", "AKL")
    before = await stats(client)
    given = {**location_input("Another", "ANO"), **change}
    result = (await gql(client, LOCATION_ADD, {"input": given}))["data"]["locationAdd"]
    assert result["location"] is None
    assert [(error["field"], error["code"]) for error in result["userErrors"]] == [(field, code)]
    if code == "TAKEN":
        assert result["userErrors"][0]["message"] == "Name has already been taken"
    assert len(await inspected_locations(client)) == 2
    after = await stats(client)
    assert after["mutations"] == before["mutations"] + 1
    assert after["mutations_applied"] == before["mutations_applied"]


async def test_a_deactivated_location_still_holds_its_name(client: Client) -> None:
    added = await add_location(client, "Old Store", "OLD")
    assert (await deactivate(client, added["location"]["id"], "k-old"))["locationDeactivateUserErrors"] == []
    again = await add_location(client, "OLD STORE", "OLD2")
    assert again["userErrors"][0]["code"] == "TAKEN"


async def test_location_edit_replaces_given_fields_and_upserts_metafields(client: Client) -> None:
    location_id = (await add_location(client, "Auckland Depot", "AKL", provinceCode="AUK"))["location"]["id"]
    await add_location(client, "Sydney Store", "SYD")
    missing = await gql(client, LOCATION_EDIT, {"id": "gid://shopify/Location/99", "input": {"name": "X"}})
    assert missing["data"]["locationEdit"] == {
        "location": None,
        "userErrors": [{"field": ["id"], "message": "Location not found.", "code": "NOT_FOUND"}],
    }
    taken = await gql(client, LOCATION_EDIT, {"id": location_id, "input": {"name": "sydney store"}})
    assert taken["data"]["locationEdit"]["userErrors"][0]["code"] == "TAKEN"
    own_name = await gql(client, LOCATION_EDIT, {"id": location_id, "input": {"name": "AUCKLAND DEPOT"}})
    assert own_name["data"]["locationEdit"]["userErrors"] == []
    change = {
        "address": {"city": "Manukau", "zip": "2104"},
        "metafields": [{**WAREHOUSE_CODE, "value": "AKL2"}, {**WAREHOUSE_CODE, "key": "region", "value": "North"}],
    }
    edited = await gql(client, LOCATION_EDIT, {"id": location_id, "input": change})
    assert edited["data"]["locationEdit"]["userErrors"] == []
    stored = next(loc for loc in await inspected_locations(client) if loc["id"] == location_id)
    assert stored["name"] == "AUCKLAND DEPOT"
    assert stored["address"]["city"] == "Manukau" and stored["address"]["address1"] == "12 Carbine Road"
    assert stored["address"]["provinceCode"] == "AUK" and stored["address"]["zip"] == "2104"
    assert {(m["key"], m["value"]) for m in stored["metafields"]} == {("warehouse_code", "AKL2"), ("region", "North")}
    before = await stats(client)
    unchanged = await gql(client, LOCATION_EDIT, {"id": location_id, "input": change})
    assert unchanged["data"]["locationEdit"]["userErrors"] == []
    assert (await stats(client))["mutations_applied"] == before["mutations_applied"]


async def test_activation_needs_the_idempotent_directive_from_2026_04(client: Client) -> None:
    location_id = (await add_location(client, "Depot", "DEP"))["location"]["id"]
    bare = "mutation($id: ID!) { locationDeactivate(locationId: $id) { location { isActive } } }"
    for version in ("2026-04", "2026-07", "2026-10"):
        body = await gql_at(client, version, bare, {"id": location_id})
        assert body["data"] == {"locationDeactivate": None}
        [error] = body["errors"]
        assert error["message"] == "The @idempotent directive is required for this mutation as of API version 2026-04."
        assert error["extensions"]["code"] == "BAD_REQUEST"
    assert all(loc["isActive"] for loc in await inspected_locations(client))
    older = await gql_at(client, "2026-01", bare, {"id": location_id})
    assert older["data"]["locationDeactivate"]["location"]["isActive"] is False
    blank = await deactivate(client, location_id, "  ")
    assert blank is None


async def test_deactivate_then_activate_with_replays_and_mismatches(client: Client) -> None:
    location_id = (await add_location(client, "Depot", "DEP"))["location"]["id"]
    first = await deactivate(client, location_id, "key-1")
    assert first == {
        "location": {"id": location_id, "name": "Depot", "isActive": False},
        "locationDeactivateUserErrors": [],
    }
    applied = (await stats(client))["mutations_applied"]
    assert await deactivate(client, location_id, "key-1") == first
    assert (await stats(client))["mutations_applied"] == applied
    no_op = await deactivate(client, location_id, "key-2")
    assert no_op["locationDeactivateUserErrors"] == [] and no_op["location"]["isActive"] is False
    assert (await stats(client))["mutations_applied"] == applied
    activate = await gql(client, LOCATION_ACTIVATE, {"locationId": location_id, "idempotencyKey": "key-1"})
    assert activate["data"]["locationActivate"]["location"] is None
    [mismatch] = activate["data"]["locationActivate"]["locationActivateUserErrors"]
    assert mismatch["code"] == "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
    activated = await gql(client, LOCATION_ACTIVATE, {"locationId": location_id, "idempotencyKey": "key-3"})
    assert activated["data"]["locationActivate"]["location"]["isActive"] is True
    again = await gql(client, LOCATION_ACTIVATE, {"locationId": location_id, "idempotencyKey": "key-4"})
    assert again["data"]["locationActivate"]["locationActivateUserErrors"] == []
    stored = next(loc for loc in await inspected_locations(client) if loc["id"] == location_id)
    assert stored["isActive"] is True and stored["deactivatedAt"] is None


async def test_deactivation_user_errors(client: Client) -> None:
    primary = await deactivate(client, PRIMARY, "p")
    assert primary["locationDeactivateUserErrors"][0]["code"] == "PERMANENTLY_BLOCKED_FROM_DEACTIVATION_ERROR"
    assert primary["location"]["isActive"] is True
    unknown = await deactivate(client, "gid://shopify/Location/404", "u")
    assert unknown == {
        "location": None,
        "locationDeactivateUserErrors": [
            {"field": ["locationId"], "message": "Location not found.", "code": "LOCATION_NOT_FOUND"}
        ],
    }
    activate = await gql(client, LOCATION_ACTIVATE, {"locationId": "gid://shopify/Location/404", "idempotencyKey": "a"})
    assert activate["data"]["locationActivate"]["locationActivateUserErrors"][0]["code"] == "LOCATION_NOT_FOUND"


async def test_a_location_with_stock_needs_a_destination(client: Client) -> None:
    location_id = (await add_location(client, "Depot", "DEP"))["location"]["id"]
    created = await product_set(client, apparel_input(sizes=("S",)))
    item = created["product"]["variants"]["nodes"][0]["inventoryItem"]["id"]
    activate = ALL_DOCUMENTS["InventoryActivate"]
    await gql(client, activate, {"inventoryItemId": item, "updates": [{"locationId": location_id, "activate": True}]})
    set_quantity = """mutation($item: ID!, $loc: ID!) { inventorySetQuantities(input: {name: "available",
      reason: "correction", quantities: [{inventoryItemId: $item, locationId: $loc, quantity: 5,
      changeFromQuantity: null}]}) @idempotent(key: "q1") { userErrors { code } } }"""
    await gql(client, set_quantity, {"item": item, "loc": location_id})
    refused = await deactivate(client, location_id, "d1")
    assert refused["location"]["isActive"] is True
    assert refused["locationDeactivateUserErrors"] == [
        {
            "field": ["locationId"],
            "message": "Location could not be deactivated without specifying where to relocate inventory stocked "
            "at the location.",
            "code": "HAS_ACTIVE_INVENTORY_ERROR",
        }
    ]
    move = """mutation($id: ID!, $to: ID) { locationDeactivate(locationId: $id, destinationLocationId: $to)
      @idempotent(key: $key) { location { isActive } locationDeactivateUserErrors { code } } }""".replace(
        "$to: ID)", "$to: ID, $key: String!)"
    )
    same = await gql(client, move, {"id": location_id, "to": location_id, "key": "d2"})
    assert same["data"]["locationDeactivate"]["locationDeactivateUserErrors"] == [
        {"code": "DESTINATION_LOCATION_IS_THE_SAME_LOCATION"}
    ]
    gone = await gql(client, move, {"id": location_id, "to": "gid://shopify/Location/77", "key": "d3"})
    assert gone["data"]["locationDeactivate"]["locationDeactivateUserErrors"][0]["code"] == (
        "DESTINATION_LOCATION_NOT_FOUND_OR_INACTIVE"
    )
    moved = await gql(client, move, {"id": location_id, "to": PRIMARY, "key": "d4"})
    assert moved["data"]["locationDeactivate"] == {"location": {"isActive": False}, "locationDeactivateUserErrors": []}
    levels = (await (await client.get(f"/_sandbox/shops/{SHOP}/inventory")).json())["inventory"]
    by_location = {level["locationId"]: level for level in levels}
    assert by_location[PRIMARY]["available"] == 5 and by_location[PRIMARY]["isActive"] is True
    assert by_location[location_id]["isActive"] is False and by_location[location_id]["available"] == 0


async def test_locations_listing_order_filters_and_pages(client: Client) -> None:
    for name, code in (("Wellington Store", "WLG"), ("Auckland Depot", "AKL"), ("Christchurch Depot", "CHC")):
        await add_location(client, name, code)
    wellington = "gid://shopify/Location/2"
    await deactivate(client, wellington, "w")
    page = await gql(client, LOCATIONS_PAGE, {"first": 10})
    names = [node["name"] for node in page["data"]["locations"]["nodes"]]
    assert names == ["Auckland Depot", "Christchurch Depot", "Shop location", "Wellington Store"]
    active_only = await gql(client, "{ locations(first: 10, sortKey: ID) { nodes { name } } }")
    assert [n["name"] for n in active_only["data"]["locations"]["nodes"]] == [
        "Shop location",
        "Auckland Depot",
        "Christchurch Depot",
    ]
    seen, after, pages = [], None, 0
    while True:
        body = await gql(client, LOCATIONS_PAGE, {"first": 3, "after": after})
        connection = body["data"]["locations"]
        seen += [node["warehouseCode"]["value"] if node["warehouseCode"] else None for node in connection["nodes"]]
        pages += 1
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert pages == 2 and seen == ["AKL", "CHC", None, "WLG"]
    exact = await gql(client, LOCATIONS_PAGE, {"first": 10, "query": 'name:"auckland depot"'})
    assert [n["name"] for n in exact["data"]["locations"]["nodes"]] == ["Auckland Depot"]
    prefix_only = await gql(client, LOCATIONS_PAGE, {"first": 10, "query": "name:auckland"})
    assert prefix_only["data"]["locations"]["nodes"] == []
    free_text = await gql(client, LOCATIONS_PAGE, {"first": 10, "query": "depot"})
    assert len(free_text["data"]["locations"]["nodes"]) == 2
    warned = await gql(client, LOCATIONS_PAGE, {"first": 10, "query": "colour:red"})
    assert warned["extensions"]["search"][0]["warnings"][0]["field"] == "colour"


async def test_idempotent_directive_on_an_undocumented_mutation_is_refused(client: Client) -> None:
    query = """mutation { locationAdd(input: {name: "X", address: {countryCode: NZ}}) @idempotent(key: "k") {
      location { id } userErrors { code } } }"""
    body = await gql(client, query)
    assert body["data"] == {"locationAdd": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert len(await inspected_locations(client)) == 1


async def test_location_mutations_need_write_access(client: Client) -> None:
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"write_access": False})
    body = await gql(client, LOCATION_ADD, {"input": location_input("Depot", "DEP")})
    assert body["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
    assert "write_locations" in body["errors"][0]["message"]

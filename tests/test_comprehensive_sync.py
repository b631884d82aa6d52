"""A comprehensive sync on real processes: locations, products and customers at once, inventory once the
products and locations of the same sync have ended; the exact state; nothing on an idle re-sync; exactly the
changed entities after a change set; adoption without duplicates; bad records reported while the rest syncs."""

from typing import Any

from devtools.infra import Infra
from devtools.stack_client import StackClient
from tests.conftest import Merchant, make_merchant
from tests.resource_expectations import assert_exact_shop

COMPREHENSIVE = "comprehensive-sync"


async def synced(client: StackClient, merchant: Merchant, within_seconds: float = 120) -> dict[str, Any]:
    status = await client.wait_for_sync(
        await client.start_sync(merchant.domain, route=COMPREHENSIVE), within_seconds=within_seconds
    )
    assert status["state"] == "completed", status
    assert status["totals"]["progress"]["failed"] == 0, [e for e in status["errors"] if e["kind"] == "mutation_failed"]
    return status


def planned(status: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {name: step["planned"] for name, step in status["steps"].items()}


async def assert_idle_resync(client: StackClient, merchant: Merchant) -> None:
    mutations = (await client.shop_stats(merchant.shop))["mutations"]
    again = await synced(client, merchant)
    assert sum(again["totals"]["planned"].values()) == 0, planned(again)
    assert (await client.shop_stats(merchant.shop))["mutations"] == mutations


async def test_a_comprehensive_sync_leaves_every_resource_exact_and_an_idle_resync_sends_nothing(
    client: StackClient, infra: Infra
) -> None:
    merchant = await make_merchant(client, infra, size=150, seed=71)
    status = await synced(client, merchant)
    assert set(status["steps"]) == {"products", "locations", "customers", "inventory"}
    assert status["steps"]["inventory"]["dependsOn"] == ["products", "locations"]
    assert all(step["state"] == "completed" for step in status["steps"].values())
    counts = await assert_exact_shop(client, merchant)
    assert counts["levels"] > 200, counts  # stock was set for the products created in this same sync
    assert counts["customers"] >= 15 and counts["locations"] >= 4
    await assert_idle_resync(client, merchant)


async def test_after_a_change_set_exactly_the_changed_entities_are_mutated(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=80, seed=73)
    await synced(client, merchant)
    api_id = merchant.api_id
    product = next(p for p in await client.unleashed_products(api_id) if not p.get("Obsolete") and p["IsSellable"])
    await client.put_unleashed_record(api_id, "products", product["ProductCode"], {**product, "DefaultSellPrice": 999})
    warehouse = next(w for w in await client.unleashed_records(api_id, "warehouses") if not w["Obsolete"])
    renamed = {**warehouse, "WarehouseName": warehouse["WarehouseName"] + " (renamed)"}
    await client.put_unleashed_record(api_id, "warehouses", warehouse["WarehouseCode"], renamed)
    customer = next(c for c in await client.unleashed_records(api_id, "customers") if c.get("Email"))
    moved = {**customer, "Email": "moved." + customer["Email"]}
    await client.put_unleashed_record(api_id, "customers", customer["CustomerCode"], moved)
    row = (await client.unleashed_records(api_id, "stock"))[0]
    stock_key = f"{row['ProductCode']}/{row['WarehouseCode']}"
    await client.put_unleashed_record(api_id, "stock", stock_key, {**row, "AvailableQty": row["AvailableQty"] + 5})

    status = await synced(client, merchant)
    one_update = {"creates": 0, "updates": 1, "archives": 0}
    assert planned(status) == {name: one_update for name in ("products", "locations", "customers", "inventory")}
    assert status["steps"]["inventory"]["counts"]["levels_changed"] == 1
    await assert_exact_shop(client, merchant)
    await assert_idle_resync(client, merchant)


async def test_an_obsolete_warehouse_is_deactivated_and_one_back_from_obsolete_activated(
    client: StackClient, infra: Infra
) -> None:
    merchant = await make_merchant(client, infra, size=60, seed=75)
    await synced(client, merchant)
    warehouses = await client.unleashed_records(merchant.api_id, "warehouses")
    closing = next(w for w in warehouses if not w["Obsolete"] and not w["IsDefault"])
    code = closing["WarehouseCode"]
    await client.put_unleashed_record(merchant.api_id, "warehouses", code, {**closing, "Obsolete": True})
    status = await synced(client, merchant)
    assert status["steps"]["locations"]["planned"] == {"creates": 0, "updates": 0, "archives": 1}
    await assert_exact_shop(client, merchant)  # inactive, never deleted; stock moved away and set again
    await assert_idle_resync(client, merchant)

    await client.put_unleashed_record(merchant.api_id, "warehouses", code, closing)
    status = await synced(client, merchant)
    assert status["steps"]["locations"]["planned"] == {"creates": 0, "updates": 1, "archives": 0}
    await assert_exact_shop(client, merchant)  # active again, its items stocked there again
    await assert_idle_resync(client, merchant)


LOCATION_ADD = """mutation($input: LocationAddInput!) {
  locationAdd(input: $input) { location { id } userErrors { message } } }"""
CUSTOMER_CREATE = """mutation($input: CustomerSetInput!) {
  customerSet(input: $input) { customer { id } userErrors { message } } }"""


async def test_existing_locations_and_customers_are_adopted_not_duplicated(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=40, seed=77)
    warehouse = next(w for w in await client.unleashed_records(merchant.api_id, "warehouses") if not w["Obsolete"])
    customer = next(c for c in await client.unleashed_records(merchant.api_id, "customers") if c.get("Email"))
    made = await client.shop_graphql(
        merchant.shop,
        merchant.shopify_token,
        LOCATION_ADD,
        {"input": {"name": warehouse["WarehouseName"], "address": {"countryCode": "NZ"}}},
    )
    location_id = made["locationAdd"]["location"]["id"]
    made = await client.shop_graphql(
        merchant.shop,
        merchant.shopify_token,
        CUSTOMER_CREATE,
        {"input": {"email": customer["Email"].lower(), "firstName": "Merchant-made"}},
    )
    customer_id = made["customerSet"]["customer"]["id"]

    status = await synced(client, merchant)
    assert status["steps"]["locations"]["counts"]["adopted"] == 1
    assert status["steps"]["customers"]["counts"]["adopted"] == 1
    await assert_exact_shop(client, merchant)
    locations = {loc["name"]: loc["id"] for loc in await client.shop_records(merchant.shop, "locations")}
    assert locations[warehouse["WarehouseName"]] == location_id
    customers = {c["email"]: c["id"] for c in await client.shop_records(merchant.shop, "customers") if c["email"]}
    assert customers[customer["Email"].lower()] == customer_id
    await assert_idle_resync(client, merchant)


async def test_bad_records_are_reported_and_the_rest_syncs(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=40, seed=79)
    api_id = merchant.api_id
    warehouse = (await client.unleashed_records(api_id, "warehouses"))[0]
    nowhere = {**warehouse, "WarehouseCode": "NOWHERE", "WarehouseName": "Lost City", "Country": "Atlantis"}
    await client.put_unleashed_record(api_id, "warehouses", "NOWHERE", nowhere)
    customer = (await client.unleashed_records(api_id, "customers"))[0]
    bad_phone = {**customer, "CustomerCode": "BADPHONE", "Email": "badphone@example.com", "PhoneNumber": "call me"}
    await client.put_unleashed_record(api_id, "customers", "BADPHONE", bad_phone)
    row = (await client.unleashed_records(api_id, "stock"))[0]
    stock_key = f"{row['ProductCode']}/{row['WarehouseCode']}"
    await client.put_unleashed_record(api_id, "stock", stock_key, {**row, "AvailableQty": "lots"})

    status = await synced(client, merchant)
    reasons = {(e["kind"], e["reference"]): e["reason"] for e in status["errors"] if "reference" in e}
    assert "Atlantis" in reasons[("skipped_record", "warehouse 'NOWHERE'")]
    assert "not a valid phone number" in reasons[("record_warning", "customer 'BADPHONE'")]
    assert "AvailableQty is not a number" in reasons[("skipped_record", f"stock of {row['ProductCode']!r} at "
                                                                       f"{row['WarehouseCode']!r}")]  # fmt: skip
    await client.delete_unleashed_record(api_id, "stock", stock_key)  # the expectation cannot read "lots" either
    await assert_exact_shop(client, merchant)
    emails = [c["email"] for c in await client.shop_records(merchant.shop, "customers")]
    assert "badphone@example.com" in emails, "the customer with a bad phone still syncs"


async def test_a_failed_or_empty_pull_archives_and_deactivates_nothing(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=40, seed=81)
    await synced(client, merchant)
    before = (await client.shop_stats(merchant.shop))["mutations"]
    for warehouse in await client.unleashed_records(merchant.api_id, "warehouses"):
        await client.delete_unleashed_record(merchant.api_id, "warehouses", warehouse["WarehouseCode"])
    status = await client.wait_for_sync(await client.start_sync(merchant.domain, route="sync-locations"))
    assert status["state"] == "failed"
    (refusal,) = [e for e in status["errors"] if e["kind"] == "implausible_pull"]
    assert "came back empty" in refusal["message"]

    url = f"{client.sandbox_url}/_sandbox/unleashed/accounts/{merchant.api_id}/faults"
    async with client.session.post(url, json={"status": 503, "count": 1000, "retry_after": 0}) as response:
        assert response.status == 200
    status = await client.wait_for_sync(await client.start_sync(merchant.domain, route=COMPREHENSIVE))
    assert status["state"] == "failed"
    assert {e["step"] for e in status["errors"] if e["kind"] == "pull_failed"} == {
        "products", "locations", "customers", "inventory"
    }  # fmt: skip
    assert (await client.shop_stats(merchant.shop))["mutations"] == before
    assert all(location["isActive"] for location in await client.shop_records(merchant.shop, "locations")
               if location["name"] != "Old Wellington Store")  # fmt: skip

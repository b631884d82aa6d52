"""The emulated Shopify Admin GraphQL API: cost, throttling, access, stats and plans."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from shared.shopify_documents import PRODUCT_ARCHIVE, PRODUCT_SET
from tests.sandbox_shopify_helpers import (
    ENDPOINT,
    EXPENSIVE_QUERY,
    FIND_PRODUCTS_BY_SKU,
    SHOP,
    TOKEN,
    Client,
    apparel_input,
    gql,
    inspected_products,
    product_set,
    sandbox_client,
)


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with sandbox_client() as test_client:
        yield test_client


async def test_unimplemented_root_field_is_a_graphql_error(client: Client) -> None:
    body = await gql(client, "{ orders(first: 1) { nodes { id } } }")
    assert "not implemented by the sandbox" in body["errors"][0]["message"]
    assert "cost" in body["extensions"]


async def test_max_cost_exceeded_before_execution(client: Client) -> None:
    body = await gql(client, EXPENSIVE_QUERY)
    assert "data" not in body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert error["extensions"]["cost"] == 2 + 250 * (1 + 1 + 2 + 10) and error["extensions"]["maxCost"] == 1000
    assert error["message"].startswith("Query cost is 3502, which exceeds the single query max cost limit (1000).")
    cheaper = await gql(client, EXPENSIVE_QUERY.replace("first: 250", "first: 50"))
    assert cheaper["extensions"]["cost"]["requestedQueryCost"] == 2 + 50 * 14


def assert_throttled_shape(body: dict[str, Any]) -> None:
    assert "data" not in body
    assert body["errors"] == [
        {
            "message": "Throttled",
            "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"},
        }
    ]
    cost = body["extensions"]["cost"]
    assert cost["actualQueryCost"] is None
    assert set(cost["throttleStatus"]) == {"maximumAvailable", "currentlyAvailable", "restoreRate"}


async def test_standard_plan_throttles_after_its_bucket_is_spent(client: Client) -> None:
    changed = await client.patch(f"/_sandbox/shops/{SHOP}", json={"plan": "standard"})
    assert (await changed.json())["throttle_status"]["maximumAvailable"] == 2000.0
    archive = {"product": {"id": "gid://shopify/Product/1", "status": "ARCHIVED"}}
    throttled = None
    sent = 0
    while throttled is None and sent < 600:
        sent += 1
        body = await gql(client, PRODUCT_ARCHIVE, archive)
        if "errors" in body:
            throttled = body
    assert throttled is not None
    assert sent > 200  # 2000 points / 10 per mutation, plus what refilled meanwhile
    assert_throttled_shape(throttled)
    status = throttled["extensions"]["cost"]["throttleStatus"]
    assert status["maximumAvailable"] == 2000.0 and status["restoreRate"] == 100.0
    assert status["currentlyAvailable"] < 10
    assert throttled["extensions"]["cost"]["requestedQueryCost"] == 10
    stats = await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json()
    assert stats["throttled"] == 1 and stats["mutations"] == sent - 1
    await asyncio.sleep(0.15)  # 100 points/s refill: one more mutation fits again
    assert "errors" not in await gql(client, PRODUCT_ARCHIVE, archive)


async def test_drained_bucket_throttles_queries_by_requested_cost(client: Client) -> None:
    drained = await client.put(f"/_sandbox/shops/{SHOP}/bucket", json={"currently_available": 30})
    assert drained.status == 200
    body = await gql(client, FIND_PRODUCTS_BY_SKU, {"query": "sku:X", "first": 25})  # requests 52 points
    assert_throttled_shape(body)
    assert body["extensions"]["cost"]["requestedQueryCost"] == 52
    cheap = await gql(client, "{ shop { name } }")
    assert cheap["data"]["shop"]["name"]


async def test_actual_cost_is_refunded(client: Client) -> None:
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"plan": "standard"})
    await client.put(f"/_sandbox/shops/{SHOP}/bucket", json={"currently_available": 1000})
    body = await gql(client, FIND_PRODUCTS_BY_SKU, {"query": "sku:NONE", "first": 25})
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 52 and cost["actualQueryCost"] == 2
    # 1000 - 52 + 50 refunded, plus whatever refilled at 100 points/s meanwhile
    assert 995 <= cost["throttleStatus"]["currentlyAvailable"] <= 1040


async def test_read_only_shop_denies_mutations(client: Client) -> None:
    await client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN, "write_access": False})
    body = await gql(client, PRODUCT_SET, {"input": apparel_input()})
    assert body["data"] == {"productSet": None}
    error = body["errors"][0]
    assert error["message"] == "Access denied for productSet field. Required access: `write_products` access scope."
    assert error["extensions"]["code"] == "ACCESS_DENIED"
    assert error["path"] == ["productSet"]
    assert "cost" in body["extensions"]
    assert await inspected_products(client) == []
    reads = await gql(client, FIND_PRODUCTS_BY_SKU, {"query": "sku:HOOD-S", "first": 25})
    assert reads["data"]["productVariants"]["nodes"] == []
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"write_access": True})
    assert (await product_set(client, apparel_input()))["userErrors"] == []


async def test_reregistering_keeps_data_and_changes_token(client: Client) -> None:
    await product_set(client, apparel_input())
    again = await client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": "new-token", "plan": "advanced"})
    assert again.status == 200 and (await again.json())["plan"] == "advanced"
    old = await client.post(ENDPOINT, json={"query": "{shop{name}}"}, headers={"X-Shopify-Access-Token": TOKEN})
    assert old.status == 401
    assert len(await inspected_products(client)) == 1


async def test_stats_count_and_reset(client: Client) -> None:
    await product_set(client, apparel_input())
    await gql(client, FIND_PRODUCTS_BY_SKU, {"query": "sku:HOOD-S", "first": 25})
    await gql(client, "{ shop { nope } }")
    stats = await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json()
    assert stats["requests"] == 3 and stats["mutations"] == 1 and stats["mutations_applied"] == 1
    assert stats["by_root_field"] == {"productSet": 1, "productVariants": 1}
    assert stats["points_used"] == 10 + 2 + 1 * 2
    await client.post(f"/_sandbox/shops/{SHOP}/stats/reset")
    reset = await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json()
    no_faults = dict.fromkeys(("http_502", "http_503", "http_429", "internal_error", "slow", "applied_then_dropped"), 0)
    assert reset == {
        "requests": 0,
        "mutations": 0,
        "mutations_applied": 0,
        "throttled": 0,
        "points_used": 0,
        "by_root_field": {},
        "faults": no_faults,
    }


async def test_mutations_that_change_nothing_are_not_applied(client: Client) -> None:
    await product_set(client, apparel_input(title="x" * 300))  # userErrors: title too long
    await client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN, "write_access": False})
    await product_set(client, apparel_input())  # ACCESS_DENIED
    stats = await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json()
    assert stats["mutations"] == 2 and stats["mutations_applied"] == 0


@pytest.mark.parametrize("how", ["register", "patch"])
async def test_custom_plan_sets_restore_rate_and_bucket_exactly(client: Client, how: str) -> None:
    plan = {"restore_rate": 200, "bucket": 4000}
    if how == "register":
        changed = await client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN, "plan": plan})
    else:
        changed = await client.patch(f"/_sandbox/shops/{SHOP}", json={"plan": plan})
    assert changed.status == 200
    answer = await changed.json()
    assert answer["plan"] == {"restore_rate": 200.0, "bucket": 4000.0}
    assert answer["throttle_status"]["maximumAvailable"] == 4000.0
    body = await gql(client, "{ shop { plan { displayName } } }")
    status = body["extensions"]["cost"]["throttleStatus"]
    assert status["maximumAvailable"] == 4000.0 and status["restoreRate"] == 200.0
    assert 3990 <= status["currentlyAvailable"] <= 4000
    assert body["data"]["shop"]["plan"]["displayName"] == "Custom"
    back = await client.patch(f"/_sandbox/shops/{SHOP}", json={"plan": "standard"})
    assert (await back.json())["throttle_status"]["restoreRate"] == 100.0


@pytest.mark.parametrize(
    "plan", [{"restore_rate": 0, "bucket": 10}, {"restore_rate": 10}, {"restore_rate": 1, "bucket": 1, "x": 1}]
)
async def test_custom_plan_must_be_complete_and_positive(client: Client, plan: dict[str, Any]) -> None:
    assert (await client.patch(f"/_sandbox/shops/{SHOP}", json={"plan": plan})).status == 422


async def test_admin_api_validates_bodies_and_reports_process(client: Client) -> None:
    assert (await client.post("/_sandbox/shops", json={"shop": SHOP})).status == 422
    assert (await client.post("/_sandbox/shops", data=b"nope")).status == 400
    assert (await client.patch(f"/_sandbox/shops/{SHOP}", json={"plan": "gold"})).status == 422
    assert (await client.get("/_sandbox/shops/unknown.myshopify.com/stats")).status == 404
    usage = await (await client.get("/_sandbox/process")).json()
    assert usage["cpu_seconds"] > 0 and usage["rss_bytes"] > 0


async def test_pagination_arguments_are_checked(client: Client) -> None:
    no_size = await gql(client, "{ productVariants { nodes { id } } }")
    assert no_size["errors"][0]["message"] == "you must provide one of first or last"
    negative = await gql(client, "{ productVariants(first: -1) { nodes { id } } }")
    assert negative["errors"] and negative["extensions"]["cost"]["requestedQueryCost"] >= 0
    bad_cursor = await gql(client, '{ productVariants(first: 1, after: "???") { nodes { id } } }')
    assert "Invalid cursor" in bad_cursor["errors"][0]["message"]

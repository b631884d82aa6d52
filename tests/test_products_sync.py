"""A products sync end to end on real processes: Unleashed (sandbox) → producer → arq → mutator → Shopify."""

from collections import Counter
from typing import Any

from devtools.infra import Infra
from devtools.stack_client import StackClient
from tests.conftest import make_merchant
from tests.expectations import (
    assert_exact_products,
    assert_one_live_variant_per_sku,
    expected_products,
    live_singles,
    products_by_skus,
)

SYNC_SIZE = 300


def planned_total(status: dict[str, Any]) -> int:
    return sum(status["totals"]["planned"].values())


async def test_products_sync_leaves_exactly_the_expected_products(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=SYNC_SIZE, seed=7)
    records = await client.unleashed_products(merchant.api_id)
    expected = expected_products(records)
    assert len(expected) > 100  # the seeded catalogue is big enough to mean something

    status = await client.wait_for_sync(await client.start_sync(merchant.domain), within_seconds=180)
    assert status["state"] == "completed", status
    products_step = status["steps"]["products"]
    assert products_step["planned"]["creates"] == len(expected)
    assert products_step["progress"] == {"succeeded": len(expected), "failed": 0, "pending": 0}

    shop_products = await client.shop_products(merchant.shop)
    assert len(shop_products) == len(expected)
    assert_exact_products(shop_products, records)
    grouped = [p for p in shop_products if len(p["variants"]) > 1]
    assert grouped, "products sharing a ProductTitle must be grouped"
    for product in grouped:
        combos = [tuple((o["name"], o["value"]) for o in v["selectedOptions"]) for v in product["variants"]]
        assert all(combos) and len(set(combos)) == len(combos), product["title"]
        assert product["options"], product["title"]

    # A second sync with no change at the source plans and sends nothing.
    mutations_before = (await client.shop_stats(merchant.shop))["mutations"]
    again = await client.wait_for_sync(await client.start_sync(merchant.domain), within_seconds=120)
    assert again["state"] == "completed"
    assert planned_total(again) == 0
    assert again["totals"]["progress"] == {"succeeded": 0, "failed": 0, "pending": 0}
    assert (await client.shop_stats(merchant.shop))["mutations"] == mutations_before


async def test_obsolete_and_removed_products_end_archived_never_deleted(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=40, seed=11)
    assert (await client.wait_for_sync(await client.start_sync(merchant.domain)))["state"] == "completed"
    records = await client.unleashed_products(merchant.api_id)
    made_obsolete, price_changed, *_ = live_singles(records)
    await client.put_unleashed_product(
        merchant.api_id, made_obsolete["ProductCode"], {**made_obsolete, "Obsolete": True}
    )
    await client.put_unleashed_product(
        merchant.api_id, price_changed["ProductCode"], {**price_changed, "DefaultSellPrice": 123.455}
    )
    before = products_by_skus(await client.shop_products(merchant.shop))

    status = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert status["state"] == "completed"
    assert status["totals"]["planned"] == {"creates": 0, "updates": 2, "archives": 0}

    shop_products = await client.shop_products(merchant.shop)
    assert_exact_products(shop_products, await client.unleashed_products(merchant.api_id))
    after = products_by_skus(shop_products)
    assert len(after) == len(before), "nothing is deleted"
    obsolete_product = after[frozenset([made_obsolete["ProductCode"]])]
    assert obsolete_product["status"] == "ARCHIVED"
    assert obsolete_product["id"] == before[frozenset([made_obsolete["ProductCode"]])]["id"]
    assert after[frozenset([price_changed["ProductCode"]])]["variants"][0]["price"] in ("123.46", "123.460")


async def test_malformed_records_are_skipped_and_reported_and_the_rest_syncs(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=30, seed=3)
    records = await client.unleashed_products(merchant.api_id)
    template = live_singles(records)[0]
    no_code = {key: value for key, value in template.items() if key != "ProductCode"}
    no_code["Guid"] = "00000000-0000-0000-0000-00000000bad1"
    await client.put_unleashed_product(merchant.api_id, "ZZZ-NO-CODE", no_code)
    await client.put_unleashed_product(
        merchant.api_id, "ZZZ-BAD-PRICE", {**template, "ProductCode": "ZZZ-BAD-PRICE", "DefaultSellPrice": "abc"}
    )
    records = await client.unleashed_products(merchant.api_id)
    good = [r for r in records if r.get("ProductCode") and r.get("ProductCode") != "ZZZ-BAD-PRICE"]
    expected = expected_products(good)

    status = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert status["state"] == "completed"
    skipped = [e for e in status["errors"] if e["kind"] == "skipped_record"]
    reasons = " | ".join(f"{e['reference']}: {e['reason']}" for e in skipped)
    assert "ProductCode is missing" in reasons
    assert "'ZZZ-BAD-PRICE'" in reasons and "DefaultSellPrice is not a number" in reasons
    assert status["steps"]["products"]["skipped"] == 2
    actual = assert_exact_products(await client.shop_products(merchant.shop), good)
    assert set(actual) == set(expected)


async def test_existing_product_with_same_sku_is_adopted_and_foreign_products_untouched(
    client: StackClient, infra: Infra, http: Any
) -> None:
    merchant = await make_merchant(client, infra, size=20, seed=5)
    records = await client.unleashed_products(merchant.api_id)
    single = live_singles(records)[0]
    url = f"{client.sandbox_url}/{merchant.shop}/admin/api/2026-10/graphql.json"
    headers = {"X-Shopify-Access-Token": merchant.shopify_token}
    create = (
        """mutation($input: ProductSetInput!) { productSet(input: $input) { product { id } userErrors { message } } }"""
    )

    async def merchant_creates(title: str, sku: str) -> str:
        variables = {
            "input": {
                "title": title,
                "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
                "variants": [
                    {"sku": sku, "price": "1.00", "optionValues": [{"optionName": "Title", "name": "Default Title"}]}
                ],
            }
        }
        async with http.post(url, json={"query": create, "variables": variables}, headers=headers) as response:
            body = await response.json()
        product_id: str = body["data"]["productSet"]["product"]["id"]
        return product_id

    adopted_id = await merchant_creates("Made by the merchant", single["ProductCode"])
    foreign_id = await merchant_creates("Not ours", "MERCHANT-OWN-1")

    status = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert status["state"] == "completed"
    shop_products = await client.shop_products(merchant.shop)
    assert_one_live_variant_per_sku(shop_products)
    skus = Counter(v["sku"] for p in shop_products for v in p["variants"])
    assert skus[single["ProductCode"]] == 1
    by_id = {p["id"]: p for p in shop_products}
    assert by_id[adopted_id]["title"] == single["ProductDescription"][:255].rstrip()
    assert by_id[foreign_id]["title"] == "Not ours" and by_id[foreign_id]["status"] == "ACTIVE"

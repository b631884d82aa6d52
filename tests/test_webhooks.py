"""Shopify webhooks on real processes: signed deliveries from the emulated shop repair drift with one mutation
on the priority lane (a price edited in the admin, a product we created deleted); our own mutations' echoes
cause none; a bad HMAC is refused and changes nothing; a repeated webhook id is processed once."""

import asyncio
import json
import time
import uuid
from typing import Any

from devtools.infra import Infra
from devtools.stack_client import StackClient, provision_tenant
from producer.api.webhooks import shopify_hmac
from tests.conftest import Merchant, make_merchant

SECRET = "whsec-test-secret"


async def webhook_merchant(client: StackClient, infra: Infra, size: int, seed: int) -> Merchant:
    merchant = await make_merchant(client, infra, size=size, seed=seed)
    await provision_tenant(
        infra.redis_url, merchant.domain, shop=merchant.shop, shopify_token=merchant.shopify_token,
        unleashed_api_id=merchant.api_id, unleashed_api_key=merchant.api_key, shopify_webhook_secret=SECRET,
    )  # fmt: skip
    return merchant


async def post_webhook(
    client: StackClient, shop: str, topic: str, body: dict[str, Any], *, webhook_id: str | None = None,
    signature: str | None = None,
) -> tuple[int, Any]:  # fmt: skip
    raw = json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        "X-Shopify-Hmac-Sha256": signature if signature is not None else shopify_hmac(SECRET, raw),
        "X-Shopify-API-Version": "2026-10",
    }
    async with client.session.post(f"{client.producer_url}/webhooks/shopify", data=raw, headers=headers) as answer:
        return answer.status, await answer.json(content_type=None)


async def webhook_log(client: StackClient, domain: str) -> list[dict[str, Any]]:
    status, body = await client.call("GET", f"/api/v2/webhooks?domain={domain}", [domain])
    assert status == 200, body
    items: list[dict[str, Any]] = body["items"]
    return items


async def processed_log(client: StackClient, domain: str, count: int, within: float = 20) -> list[dict[str, Any]]:
    deadline = time.monotonic() + within
    while True:
        items = await webhook_log(client, domain)
        if len(items) >= count and all(item["state"] in ("processed", "failed") for item in items):
            return items
        if time.monotonic() > deadline:
            raise AssertionError(f"webhooks not processed: {items}")
        await asyncio.sleep(0.1)


async def test_a_bad_hmac_an_unknown_shop_and_a_body_that_is_not_json_are_refused_and_change_nothing(
    client: StackClient, infra: Infra
) -> None:
    merchant = await webhook_merchant(client, infra, size=10, seed=91)
    body = {"id": 1, "title": "x"}
    status, answer = await post_webhook(client, merchant.shop, "products/update", body, signature="AAAA")
    assert status == 401 and answer["error"]["code"] == "invalid_hmac"
    status, answer = await post_webhook(client, merchant.shop, "products/update", body, signature="")
    assert status == 401
    status, answer = await post_webhook(client, "nobody.myshopify.com", "products/update", body)
    assert status == 404 and answer["error"]["code"] == "unknown_shop"
    raw = b"not json"
    async with client.session.post(
        f"{client.producer_url}/webhooks/shopify",
        data=raw,
        headers={"X-Shopify-Topic": "products/update", "X-Shopify-Shop-Domain": merchant.shop,
                 "X-Shopify-Webhook-Id": "w-1", "X-Shopify-Hmac-Sha256": shopify_hmac(SECRET, raw)},
    ) as response:  # fmt: skip
        assert response.status == 400 and (await response.json())["error"]["code"] == "invalid_json"
    assert await webhook_log(client, merchant.domain) == [], "nothing refused was recorded"


async def test_a_repeated_webhook_id_is_recorded_and_processed_once(client: StackClient, infra: Infra) -> None:
    merchant = await webhook_merchant(client, infra, size=10, seed=93)
    body = {"id": 424242, "title": "not ours"}
    first = await post_webhook(client, merchant.shop, "products/update", body, webhook_id="same-id")
    second = await post_webhook(client, merchant.shop, "products/update", body, webhook_id="same-id")
    assert first == (200, {"received": True, "duplicate": False})
    assert second == (200, {"received": True, "duplicate": True})
    (item,) = await processed_log(client, merchant.domain, 1)
    assert (
        item["id"] == "same-id" and item["attempts"] == 1 and item["outcome"] == "not a product we manage; left alone"
    )


async def subscribed_merchant(client: StackClient, infra: Infra, size: int, seed: int) -> Merchant:
    """A synced merchant whose shop signs with the tenant's secret and is subscribed through our API."""
    merchant = await webhook_merchant(client, infra, size=size, seed=seed)
    async with client.session.patch(
        f"{client.sandbox_url}/_sandbox/shops/{merchant.shop}", json={"webhook_secret": SECRET}
    ) as response:
        assert response.status == 200, await response.text()
    status = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert status["state"] == "completed", status["errors"][:3]
    status, body = await client.call("POST", "/api/v2/webhooks/subscribe", [merchant.domain],
                                      json={"domain": merchant.domain})  # fmt: skip
    assert status == 200 and "PRODUCTS_UPDATE" in body["created"], body
    again = await client.call("POST", "/api/v2/webhooks/subscribe", [merchant.domain], json={"domain": merchant.domain})
    assert again[0] == 200 and again[1]["created"] == [] and set(again[1]["kept"]) == set(body["topics"])
    return merchant


async def merchant_edit(client: StackClient, method: str, path: str, body: dict[str, Any] | None = None) -> None:
    async with client.session.request(method, f"{client.sandbox_url}/_sandbox/shops/{path}", json=body) as response:
        assert response.status in (200, 204), await response.text()


async def until(condition: Any, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError("not within the time allowed")
        await asyncio.sleep(0.1)


async def test_a_price_edited_in_the_admin_is_set_back_with_one_mutation_and_its_echo_causes_none(
    client: StackClient, infra: Infra
) -> None:
    merchant = await subscribed_merchant(client, infra, size=20, seed=95)
    product = next(p for p in await client.shop_products(merchant.shop) if p["status"] == "ACTIVE")
    variant = product["variants"][0]
    before = (await client.shop_stats(merchant.shop))["mutations"]
    await merchant_edit(client, "PATCH", f"{merchant.shop}/products/{product['id']}",
                        {"variants": [{"sku": variant["sku"], "price": "999.99"}]})  # fmt: skip

    async def price_back() -> bool:
        now = {p["id"]: p for p in await client.shop_products(merchant.shop)}[product["id"]]
        return next(v for v in now["variants"] if v["sku"] == variant["sku"])["price"] == variant["price"]

    await until(price_back)
    await asyncio.sleep(2)  # the echo of our repair arrives and is processed
    items = await processed_log(client, merchant.domain, 2)
    assert (await client.shop_stats(merchant.shop))["mutations"] == before + 1, items
    repaired = [item for item in items if item["repairSyncId"]]
    assert len(repaired) == 1 and "price differed" in repaired[0]["outcome"], items
    assert all(item["repairSyncId"] is None for item in items if item is not repaired[0]), "the echo: no mutation"
    status = await client.sync_status(repaired[0]["repairSyncId"])
    assert status["kind"] == "repair" and status["state"] == "completed"


async def test_a_product_we_created_and_the_merchant_deleted_is_created_again(
    client: StackClient, infra: Infra
) -> None:
    merchant = await subscribed_merchant(client, infra, size=20, seed=97)
    product = next(p for p in await client.shop_products(merchant.shop) if p["status"] == "ACTIVE")
    skus = {v["sku"] for v in product["variants"]}
    await merchant_edit(client, "DELETE", f"{merchant.shop}/products/{product['id']}")

    async def back() -> bool:
        holders = [p for p in await client.shop_products(merchant.shop) if {v["sku"] for v in p["variants"]} & skus]
        return len(holders) == 1 and holders[0]["id"] != product["id"]

    await until(back)
    (again,) = [p for p in await client.shop_products(merchant.shop) if {v["sku"] for v in p["variants"]} & skus]
    assert again["title"] == product["title"] and {v["sku"] for v in again["variants"]} == skus
    assert [(v["sku"], v["price"]) for v in again["variants"]] == [(v["sku"], v["price"]) for v in product["variants"]]
    # An idle sync afterwards: the re-created product is what the mirror holds, nothing to send.
    sent = (await client.shop_stats(merchant.shop))["mutations"]
    status = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert sum(status["totals"]["planned"].values()) == 0, status["steps"]["products"]
    assert (await client.shop_stats(merchant.shop))["mutations"] == sent


async def test_our_own_sync_writes_come_back_as_webhooks_and_cause_no_mutation(
    client: StackClient, infra: Infra
) -> None:
    merchant = await subscribed_merchant(client, infra, size=30, seed=99)
    records = await client.unleashed_products(merchant.api_id)
    changed = [r for r in records if not r.get("Obsolete") and r["IsSellable"] and not r.get("IsComponent")][:5]
    for record in changed:
        await client.put_unleashed_record(merchant.api_id, "products", record["ProductCode"],
                                          {**record, "DefaultSellPrice": 777})  # fmt: skip
    before = (await client.shop_stats(merchant.shop))["mutations"]
    status = await client.wait_for_sync(await client.start_sync(merchant.domain))
    jobs = status["totals"]["progress"]["succeeded"]
    assert status["state"] == "completed" and jobs >= 1
    await asyncio.sleep(3)
    items = await processed_log(client, merchant.domain, 1)
    assert all(item["repairSyncId"] is None for item in items), items
    assert (await client.shop_stats(merchant.shop))["mutations"] == before + jobs

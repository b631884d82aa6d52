"""Permanent failures become dead letters with a reason; replay puts them back and they count again."""

import asyncio

from redis.asyncio import Redis

from devtools.infra import Infra
from devtools.stack_client import StackClient, provision_tenant
from tests.conftest import make_merchant


async def test_access_denied_is_dead_lettered_without_retries_and_replay_after_fixing_the_token(
    client: StackClient, infra: Infra
) -> None:
    read_only = await make_merchant(client, infra, size=30, seed=21)
    healthy = await make_merchant(client, infra, size=30, seed=22)
    await client.register_shop(read_only.shop, read_only.shopify_token, write_access=False)

    denied_sync, other_sync = await client.start_sync(read_only.domain), await client.start_sync(healthy.domain)
    denied = await client.wait_for_sync(denied_sync)
    other = await client.wait_for_sync(other_sync)

    planned = denied["totals"]["planned"]["creates"]
    assert planned > 0
    assert denied["state"] == "completed"  # every job ended, failed ones included
    assert denied["totals"]["progress"] == {"succeeded": 0, "failed": planned, "pending": 0}
    assert any(e.get("errorClass") == "access_denied" for e in denied["errors"])
    assert other["state"] == "completed" and other["totals"]["progress"]["failed"] == 0
    assert other["totals"]["progress"]["succeeded"] == other["totals"]["planned"]["creates"] > 0

    status, listing = await client.call("GET", f"/api/v2/dead-letters?domain={read_only.domain}", [read_only.domain])
    assert status == 200
    items = listing["items"]
    assert len(items) == planned
    assert {item["errorClass"] for item in items} == {"access_denied"}
    assert {item["attempts"] for item in items} == {1}, "access denied is permanent: one try"
    assert {item["syncId"] for item in items} == {denied_sync}
    assert set(items[0]) >= {"id", "queue", "syncId", "errorClass", "message", "attempts", "createdAt"}
    assert await client.shop_products(read_only.shop) == []

    # The merchant installs a token with the write scope; the tenant hash gets it; replay.
    new_token = read_only.shopify_token + "-with-write-scope"
    await client.register_shop(read_only.shop, new_token, write_access=True)
    await provision_tenant(
        infra.redis_url, read_only.domain, shop=read_only.shop, shopify_token=new_token,
        unleashed_api_id=read_only.api_id, unleashed_api_key=read_only.api_key,
    )  # fmt: skip
    status, body = await client.call(
        "POST", "/api/v2/dead-letters/replay", [read_only.domain], json={"domain": read_only.domain, "all": True}
    )
    assert status == 202 and body == {"replayed": planned}
    replayed = await client.wait_for_sync(denied_sync)
    assert replayed["state"] == "completed"
    assert replayed["totals"]["progress"] == {"succeeded": planned, "failed": 0, "pending": 0}
    status, listing = await client.call("GET", f"/api/v2/dead-letters?domain={read_only.domain}", [read_only.domain])
    assert listing["items"] == []
    assert len(await client.shop_products(read_only.shop)) == planned


async def test_replay_takes_chosen_ids_and_checks_its_body(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=15, seed=23)
    await client.register_shop(merchant.shop, merchant.shopify_token, write_access=False)
    await client.wait_for_sync(await client.start_sync(merchant.domain))
    _, listing = await client.call("GET", f"/api/v2/dead-letters?domain={merchant.domain}", [merchant.domain])
    chosen = [item["id"] for item in listing["items"][:2]]
    await client.register_shop(merchant.shop, merchant.shopify_token, write_access=True)
    status, body = await client.call(
        "POST", "/api/v2/dead-letters/replay", [merchant.domain], json={"domain": merchant.domain, "ids": chosen}
    )
    assert status == 202 and body == {"replayed": 2}
    for bad in ({"domain": merchant.domain}, {"domain": merchant.domain, "all": True, "ids": chosen}):
        status, body = await client.call("POST", "/api/v2/dead-letters/replay", [merchant.domain], json=bad)
        assert status == 422, body
    status, body = await client.call(
        "POST", "/api/v2/dead-letters/replay", ["other.example"], json={"domain": merchant.domain, "all": True}
    )
    assert status == 403
    status, body = await client.call("GET", "/api/v2/dead-letters", [merchant.domain])
    assert status == 422


async def test_a_wrong_shopify_token_fails_the_sync_at_the_pull(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=10, seed=24)
    await provision_tenant(
        infra.redis_url, merchant.domain, shop=merchant.shop, shopify_token="shpat_wrong",
        unleashed_api_id=merchant.api_id, unleashed_api_key=merchant.api_key,
    )  # fmt: skip
    status = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert status["state"] == "failed"
    assert any("refused the access token" in e["message"] for e in status["errors"]), status["errors"]
    assert "shpat_wrong" not in str(status)


async def test_a_tenant_removed_mid_run_dead_letters_its_jobs_with_a_clear_reason(
    client: StackClient, infra: Infra
) -> None:
    merchant = await make_merchant(client, infra, size=120, seed=25, plan="standard")
    sync_id = await client.start_sync(merchant.domain)
    while (await client.sync_status(sync_id))["state"] == "pulling":
        await asyncio.sleep(0.05)
    async with client.session.put(
        f"{client.sandbox_url}/_sandbox/shops/{merchant.shop}/bucket", json={"currently_available": 0}
    ) as response:
        assert response.status == 200
    redis_client = Redis.from_url(infra.redis_url)
    try:
        await redis_client.delete(f"tenant:{merchant.domain}")  # the operator removes the tenant
    finally:
        await redis_client.aclose()
    status = await client.wait_for_sync(sync_id, within_seconds=120)
    assert status["state"] == "completed"  # no endless retry
    _, listing = await client.call("GET", f"/api/v2/dead-letters?domain={merchant.domain}", [merchant.domain])
    missing = [item for item in listing["items"] if item["errorClass"] == "missing_credentials"]
    assert missing, listing["items"][:3]
    assert all(f"tenant:{merchant.domain}" in item["message"] for item in missing)
    assert all(item["attempts"] == 1 for item in missing)
    assert status["totals"]["progress"]["failed"] == len(listing["items"])

"""Two changes of the same product queued one after the other: even when the older one runs last (a retry,
a deferral), Shopify ends with the newer one."""

import asyncio
import time
from decimal import Decimal
from typing import Any

import aiohttp
import asyncpg
import redis

from devtools.stack import Stack
from devtools.stack_client import StackClient
from tests.conftest import Merchant, make_merchant
from tests.expectations import assert_one_live_variant_per_sku, live_singles, products_by_skus


async def wait_until_queued(client: StackClient, sync_id: str) -> None:
    while (await client.sync_status(sync_id))["state"] not in ("queued", "completed", "failed"):
        await asyncio.sleep(0.05)


async def overlap_with_the_next_sync(stack: Stack, sync_id: str) -> None:
    """One sync per tenant runs at a time, so two plans of one entity now overlap when a drift repair (which
    does not count) meets a sync, or a sync meets jobs a producer re-queued. To test the machinery that keeps
    the newer change, the first sync's record is marked ended here while its jobs still wait."""
    connection = await asyncpg.connect(stack.infra.database_url)
    try:
        await connection.execute(
            "UPDATE syncs SET state = 'completed', finished_at = now() WHERE sync_id = $1", sync_id
        )
    finally:
        await connection.close()


async def every_job_ended(connection: asyncpg.Connection, within_seconds: float = 60) -> None:
    """The marked sync reads as ended at once; its jobs end when they run."""
    deadline = time.monotonic() + within_seconds
    while await connection.fetchval(
        "SELECT count(*) FROM mutation_jobs WHERE outcome IN ('held', 'queued', 'running', 'retrying')"
    ):
        assert time.monotonic() < deadline, "jobs still unfinished"
        await asyncio.sleep(0.1)


async def one_product_merchant(
    stack: Stack, http: aiohttp.ClientSession, seed: int
) -> tuple[StackClient, Merchant, dict[str, Any]]:
    """Sandbox and producer (no mutator yet), a small merchant, and one of its single products."""
    stack.start_sandbox()
    stack.start_producer()
    client = StackClient(http, stack.sandbox_url, stack.producer_url, stack.jwt_secret)
    merchant = await make_merchant(client, stack.infra, size=10, seed=seed)
    return client, merchant, live_singles(await client.unleashed_products(merchant.api_id))[0]


async def test_an_older_change_that_runs_last_does_not_overwrite_a_newer_one(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    client, merchant, record = await one_product_merchant(isolated_stack, http, seed=51)
    code = record["ProductCode"]
    await client.put_unleashed_product(merchant.api_id, code, {**record, "DefaultSellPrice": 11.0})
    older_sync = await client.start_sync(merchant.domain)
    await wait_until_queued(client, older_sync)
    await overlap_with_the_next_sync(isolated_stack, older_sync)
    await client.put_unleashed_product(merchant.api_id, code, {**record, "DefaultSellPrice": 22.0})
    newer_sync = await client.start_sync(merchant.domain)
    await wait_until_queued(client, newer_sync)

    # The older sync's jobs are held back 3 s in the queue, as a retry would hold them.
    connection = await asyncpg.connect(isolated_stack.infra.database_url)
    try:
        older_jobs = [row["job_id"] for row in await connection.fetch(
            "SELECT job_id FROM mutation_jobs WHERE sync_id = $1", older_sync
        )]  # fmt: skip
        queue = redis.Redis.from_url(isolated_stack.infra.redis_url)
        later = int((time.time() + 3) * 1000)
        queue.zadd("product-mutations", dict.fromkeys(older_jobs, later), xx=True)
        queue.close()

        isolated_stack.start_mutator()
        for sync_id in (newer_sync, older_sync):
            assert (await client.wait_for_sync(sync_id, within_seconds=60))["state"] == "completed"
        await every_job_ended(connection)
        shop_products = await client.shop_products(merchant.shop)
        assert_one_live_variant_per_sku(shop_products)
        product = products_by_skus(shop_products)[frozenset([code])]
        assert Decimal(product["variants"][0]["price"]) == Decimal("22.00")
        superseded = await connection.fetchval(
            "SELECT count(*) FROM mutation_jobs WHERE sync_id = $1 AND entity_key = $2"
            " AND error_message LIKE 'superseded%'",
            older_sync,
            f"sku:{code}",
        )
        assert superseded == 1
    finally:
        await connection.close()


async def test_a_change_reverted_before_its_job_ran_is_sent_again(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    """h0 → h1 → h0 at the source with the h1 job still queued when the third sync plans: that sync plans h0
    against what Shopify will hold once h1 ran, so the shop ends at h0, and a re-sync after sends nothing."""
    client, merchant, record = await one_product_merchant(isolated_stack, http, seed=53)
    code = record["ProductCode"]
    mutator = isolated_stack.start_mutator()
    assert (await client.wait_for_sync(await client.start_sync(merchant.domain)))["state"] == "completed"
    h0 = Decimal(str(record["DefaultSellPrice"])).quantize(Decimal("0.01"))
    mutator.stop()
    isolated_stack.mutators.remove(mutator)

    await client.put_unleashed_product(merchant.api_id, code, {**record, "DefaultSellPrice": 77.0})
    to_h1 = await client.start_sync(merchant.domain)
    await wait_until_queued(client, to_h1)
    await overlap_with_the_next_sync(isolated_stack, to_h1)
    await client.put_unleashed_product(merchant.api_id, code, record)
    back_to_h0 = await client.start_sync(merchant.domain)
    await wait_until_queued(client, back_to_h0)
    assert (await client.sync_status(back_to_h0))["totals"]["planned"] == {"creates": 0, "updates": 1, "archives": 0}

    isolated_stack.start_mutator()
    for sync_id in (to_h1, back_to_h0):
        assert (await client.wait_for_sync(sync_id, within_seconds=60))["state"] == "completed"
    connection = await asyncpg.connect(isolated_stack.infra.database_url)
    try:
        await every_job_ended(connection)
    finally:
        await connection.close()
    shop_products = await client.shop_products(merchant.shop)
    assert_one_live_variant_per_sku(shop_products)
    assert Decimal(products_by_skus(shop_products)[frozenset([code])]["variants"][0]["price"]) == h0
    mutations = (await client.shop_stats(merchant.shop))["mutations"]
    idle = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert sum(idle["totals"]["planned"].values()) == 0
    assert (await client.shop_stats(merchant.shop))["mutations"] == mutations

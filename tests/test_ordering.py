"""Two changes of the same product queued one after the other: even when the older one runs last (a retry,
a deferral), Shopify ends with the newer one."""

import asyncio
import time
from decimal import Decimal

import aiohttp
import asyncpg
import redis

from devtools.stack import Stack
from devtools.stack_client import StackClient
from tests.conftest import make_merchant
from tests.expectations import live_singles, products_by_skus


async def wait_until_queued(client: StackClient, sync_id: str) -> None:
    while (await client.sync_status(sync_id))["state"] not in ("queued", "completed", "failed"):
        await asyncio.sleep(0.05)


async def test_an_older_change_that_runs_last_does_not_overwrite_a_newer_one(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    isolated_stack.start_sandbox()
    isolated_stack.start_producer()
    client = StackClient(http, isolated_stack.sandbox_url, isolated_stack.producer_url, isolated_stack.jwt_secret)
    merchant = await make_merchant(client, isolated_stack.infra, size=10, seed=51)
    record = live_singles(await client.unleashed_products(merchant.api_id))[0]
    code = record["ProductCode"]
    await client.put_unleashed_product(merchant.api_id, code, {**record, "DefaultSellPrice": 11.0})
    older_sync = await client.start_sync(merchant.domain)
    await wait_until_queued(client, older_sync)
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
        product = products_by_skus(await client.shop_products(merchant.shop))[frozenset([code])]
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

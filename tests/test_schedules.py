"""Scheduled syncs and one sync per tenant, on real processes: a tenant's `sync_schedule` starts its sync on time
from whichever of two producers gets there first, never twice for one due time; a second sync request while
one runs answers 409 with the running sync's id."""

import asyncio
from datetime import UTC, datetime, timedelta

import aiohttp
import asyncpg

from devtools.infra import Infra, free_loopback_port
from devtools.processes import start_service, wait_until_healthy
from devtools.stack import LOOPBACK, Stack
from devtools.stack_client import StackClient, provision_tenant
from tests.conftest import Merchant, make_merchant
from tests.test_failures import stack_client

EVERY_TEN_SECONDS = "* * * * * */10"  # croniter's sixth field is the second


async def test_a_second_sync_while_one_runs_answers_409_with_the_running_sync(
    client: StackClient, infra: Infra
) -> None:
    merchant = await make_merchant(client, infra, size=40, seed=81)
    first = await client.start_sync(merchant.domain, route="comprehensive-sync")
    status, body = await client.call(
        "POST", "/api/v2/sync-products", [merchant.domain], json={"domain": merchant.domain}
    )
    assert status == 409, body
    assert body["error"]["code"] == "sync_running" and body["syncId"] == first
    assert (await client.wait_for_sync(first))["state"] == "completed"
    second = await client.start_sync(merchant.domain)
    assert (await client.wait_for_sync(second))["state"] == "completed", "a new sync once the first has ended"


async def test_a_scheduled_sync_starts_on_time_once_with_two_producers(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    stack = isolated_stack
    stack.start_sandbox()
    stack.start_producer(SCHEDULE_INTERVAL_SECONDS="0.5")
    port = free_loopback_port()
    env = stack.service_env(PRODUCER_PORT=str(port), SCHEDULE_INTERVAL_SECONDS="0.5")
    other = start_service("producer-2", "producer", env, stack.log_dir)
    try:
        wait_until_healthy(other, f"http://{LOOPBACK}:{port}/health")
        stack.start_mutator()
        client = stack_client(stack, http)
        merchant: Merchant = await make_merchant(client, stack.infra, size=10, seed=83)
        scheduled_at = datetime.now(UTC)
        await provision_tenant(
            stack.infra.redis_url, merchant.domain, shop=merchant.shop, shopify_token=merchant.shopify_token,
            unleashed_api_id=merchant.api_id, unleashed_api_key=merchant.api_key, sync_schedule=EVERY_TEN_SECONDS,
        )  # fmt: skip
        await asyncio.sleep(32)
        await provision_tenant(
            stack.infra.redis_url,
            merchant.domain,
            shop=merchant.shop,
            shopify_token=merchant.shopify_token,
            unleashed_api_id=merchant.api_id,
            unleashed_api_key=merchant.api_key,
        )  # fmt: skip  (no schedule any more)
        await asyncio.sleep(3)
        assert other.alive and stack.producer is not None and stack.producer.alive
    finally:
        other.stop()
    db = await asyncpg.connect(stack.infra.database_url)
    try:
        runs = await db.fetch("SELECT due_at, sync_id, outcome FROM scheduled_runs WHERE domain = $1", merchant.domain)
        syncs = await db.fetch(
            "SELECT sync_id, created_at FROM syncs WHERE domain = $1 AND kind = 'scheduled'", merchant.domain
        )
    finally:
        await db.close()
    assert len(runs) >= 3, runs  # due every 10 s for 32 s
    started = {run["sync_id"]: run["due_at"] for run in runs if run["sync_id"]}
    assert started and len(started) == len(syncs), "one sync per due time, whichever producer started it"
    for sync in syncs:
        due = started[sync["sync_id"]]
        late = sync["created_at"] - due
        # The first run may be for a due time just before the schedule was set (up to the grace period late).
        assert timedelta(0) <= late < timedelta(seconds=3) or due < scheduled_at, (due, late)
    assert all(run["outcome"] == "started" or run["outcome"].startswith("skipped") for run in runs), runs

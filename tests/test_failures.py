"""Failure on real processes: a mutator killed or stopped mid-run, Redis restarted mid-run, producer stopped.

Each test runs its own stack on its own Redis database, with the shop's bucket drained so that the run is
paced at the shop's restore rate (100 points/s) and lasts long enough to be interrupted.
"""

import asyncio
import signal
import time
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
import redis

from devtools.infra import Infra
from devtools.stack import Stack
from devtools.stack_client import StackClient
from tests.conftest import Merchant, make_merchant, redis_url_with_db
from tests.expectations import assert_exact_products, expected_products
from tests.outages import assert_unhealthy_at_once, wait_until_healthy_again
from tests.tcp_proxy import TcpProxy

FAST_RECOVERY = {"MUTATOR_JOB_TIMEOUT_SECONDS": "10", "SHOPIFY_READ_PAGE_SIZE": "50"}


async def queued_sync_on_drained_shop(client: StackClient, stack: Stack, size: int = 200) -> tuple[Merchant, str]:
    merchant = await make_merchant(client, stack.infra, size=size, seed=31, plan="standard")
    sync_id = await client.start_sync(merchant.domain)
    while (await client.sync_status(sync_id))["state"] not in ("queued", "completed", "failed"):
        await asyncio.sleep(0.1)
    async with client.session.put(
        f"{client.sandbox_url}/_sandbox/shops/{merchant.shop}/bucket", json={"currently_available": 0}
    ) as response:
        assert response.status == 200, await response.text()
    return merchant, sync_id


async def wait_for_progress(client: StackClient, sync_id: str, succeeded: int) -> None:
    while (await client.sync_status(sync_id))["totals"]["progress"]["succeeded"] < succeeded:
        await asyncio.sleep(0.1)


async def assert_exact_final_state(client: StackClient, merchant: Merchant, sync_id: str) -> dict[str, Any]:
    status = await client.wait_for_sync(sync_id, within_seconds=180)
    assert status["state"] == "completed", status["errors"][:5]
    records = await client.unleashed_products(merchant.api_id)
    expected = expected_products(records)
    assert status["totals"]["progress"] == {"succeeded": len(expected), "failed": 0, "pending": 0}
    shop_products = await client.shop_products(merchant.shop)
    assert_exact_products(shop_products, records)
    assert len(shop_products) == len(expected), "a product was duplicated"
    return status


def stack_client(stack: Stack, http: aiohttp.ClientSession) -> StackClient:
    return StackClient(http, stack.sandbox_url, stack.producer_url, stack.jwt_secret)


async def paced_run_under_way(stack: Stack, http: aiohttp.ClientSession) -> tuple[StackClient, Merchant, str]:
    """Sandbox, producer and one mutator; a sync paced at 100 points/s that has made some progress."""
    stack.start_sandbox()
    stack.start_producer(**FAST_RECOVERY)
    client = stack_client(stack, http)
    merchant, sync_id = await queued_sync_on_drained_shop(client, stack)
    stack.start_mutator(**FAST_RECOVERY)
    await wait_for_progress(client, sync_id, succeeded=20)
    return client, merchant, sync_id


async def running_job_ids(database_url: str, sync_id: str) -> list[str]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT job_id FROM mutation_jobs WHERE sync_id = $1 AND outcome = 'running'", sync_id
        )
        return [row["job_id"] for row in rows]
    finally:
        await connection.close()


async def test_mutator_killed_mid_run_loses_and_duplicates_nothing(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    client, merchant, sync_id = await paced_run_under_way(isolated_stack, http)
    doomed = isolated_stack.mutators[0]
    database_url = isolated_stack.infra.database_url
    while True:  # freeze it, so that what is running now is what it dies with
        doomed.signal(signal.SIGSTOP)
        if in_flight := await running_job_ids(database_url, sync_id):
            break
        doomed.signal(signal.SIGCONT)
        await asyncio.sleep(0.02)
    doomed.signal(signal.SIGKILL)
    doomed.popen.wait(10)
    isolated_stack.mutators.remove(doomed)
    assert (await client.sync_status(sync_id))["totals"]["progress"]["pending"] > 0, "killed too late to mean much"
    isolated_stack.start_mutator(**FAST_RECOVERY)
    await assert_exact_final_state(client, merchant, sync_id)
    # The jobs the killed worker held were delivered again (arq's in-progress key expired) and succeeded.
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT outcome, attempts FROM mutation_jobs WHERE job_id = ANY($1::text[])", in_flight
        )
    finally:
        await connection.close()
    assert {row["outcome"] for row in rows} == {"succeeded"}
    assert max(row["attempts"] for row in rows) >= 2


async def test_sigterm_finishes_the_mutation_in_flight_exits_0_and_loses_nothing(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    client, merchant, sync_id = await paced_run_under_way(isolated_stack, http)
    stopping = isolated_stack.mutators[0]
    started = time.monotonic()
    stopping.signal(signal.SIGTERM)
    exit_code = await asyncio.to_thread(stopping.popen.wait, 35)
    took = time.monotonic() - started
    isolated_stack.mutators.remove(stopping)
    assert exit_code == 0, stopping.log_tail()
    assert took < 30, f"SIGTERM took {took:.1f}s"
    assert await running_job_ids(isolated_stack.infra.database_url, sync_id) == [], "a job was left half-done"
    assert (await client.sync_status(sync_id))["totals"]["progress"]["pending"] > 0
    isolated_stack.start_mutator(**FAST_RECOVERY)
    await assert_exact_final_state(client, merchant, sync_id)


async def slow_unleashed_pull(client: StackClient, merchant: Merchant, failures: int) -> None:
    """The next `failures` Unleashed requests answer 503 with Retry-After 1 s: the pull takes that long."""
    url = f"{client.sandbox_url}/_sandbox/unleashed/accounts/{merchant.api_id}/faults"
    async with client.session.post(url, json={"status": 503, "count": failures, "retry_after": 1}) as response:
        assert response.status == 200, await response.text()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
async def test_a_producer_stopped_mid_sync_and_started_again_finishes_the_sync(
    isolated_stack: Stack, http: aiohttp.ClientSession, stop_signal: signal.Signals
) -> None:
    """SIGTERM: exit 0 within 30 s (a step under way finishes or is handed back); SIGKILL: its lease runs out.
    Either way the producer started again carries the sync on to `completed`, exact and without duplicate."""
    short_lease = {"PIPELINE_LEASE_SECONDS": "3"}
    isolated_stack.start_sandbox()
    producer = isolated_stack.start_producer(**short_lease)
    client = stack_client(isolated_stack, http)
    merchant = await make_merchant(client, isolated_stack.infra, size=300, seed=33)
    await slow_unleashed_pull(client, merchant, failures=3)
    sync_id = await client.start_sync(merchant.domain)
    while (await client.sync_status(sync_id))["steps"]["products"]["state"] != "pulling":
        await asyncio.sleep(0.05)
    started = time.monotonic()
    producer.signal(stop_signal)
    exit_code = await asyncio.to_thread(producer.popen.wait, 35)
    if stop_signal is signal.SIGTERM:
        assert exit_code == 0, producer.log_tail()
        assert time.monotonic() - started < 30
    connection = await asyncpg.connect(isolated_stack.infra.database_url)
    try:
        step_state = await connection.fetchval("SELECT state FROM sync_steps WHERE sync_id = $1", sync_id)
    finally:
        await connection.close()
    # SIGTERM lets the step it runs finish within the grace period; SIGKILL leaves it mid-pull.
    assert step_state in (("pulling", "queued") if stop_signal is signal.SIGTERM else ("pulling",)), step_state
    isolated_stack.start_producer(**short_lease)
    isolated_stack.start_mutator()
    await assert_exact_final_state(client, merchant, sync_id)


async def test_a_busy_throttled_shop_does_not_starve_another_shop(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    """Shop A has hundreds of mutations paced at 100 points/s; shop B's few mutations, queued after all of
    A's on the same queue and served by the same single mutator, still finish long before A does."""
    isolated_stack.start_sandbox()
    isolated_stack.start_producer(**FAST_RECOVERY)
    client = stack_client(isolated_stack, http)
    busy, busy_sync = await queued_sync_on_drained_shop(client, isolated_stack, size=400)
    isolated_stack.start_mutator(**FAST_RECOVERY)
    await wait_for_progress(client, busy_sync, succeeded=5)
    small = await make_merchant(client, isolated_stack.infra, size=20, seed=35, plan="plus")
    small_status = await client.wait_for_sync(await client.start_sync(small.domain), within_seconds=120)
    assert small_status["state"] == "completed"
    assert small_status["totals"]["progress"]["failed"] == 0
    busy_status = await client.sync_status(busy_sync)
    assert busy_status["totals"]["progress"]["pending"] > 50, "the busy shop was not still busy: no contention"
    busy_stats = await client.shop_stats(busy.shop)
    assert busy_stats["throttled"] == 0, "pacing let requests burst into THROTTLED"


async def test_postgres_unreachable_mid_run_then_back_loses_nothing(
    infra: Infra, own_database: str, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    """Every connection to PostgreSQL is cut for a few seconds mid-run (a proxy between the services and
    the server goes away): /health says 503 at once, every process stays up, the sync ends exact."""
    proxy = TcpProxy(own_database)
    proxy.start()
    redis_url = redis_url_with_db(infra.redis_url, 12)
    redis_client = redis.Redis.from_url(redis_url)
    redis_client.flushdb()
    redis_client.close()
    stack = Stack(infra=Infra(redis_url=redis_url, database_url=proxy.dsn), workdir=tmp_path)
    try:
        client, merchant, sync_id = await paced_run_under_way(stack, http)
        mutator = stack.mutators[0]
        proxy.cut()
        await assert_unhealthy_at_once(http, stack)
        await asyncio.sleep(3)
        proxy.start()
        await wait_until_healthy_again(http, stack, within_seconds=20)
        await assert_exact_final_state(client, merchant, sync_id)
        assert mutator.alive and stack.producer is not None and stack.producer.alive
    finally:
        stack.stop()
        proxy.close()

"""Redis stopped and started again under load: several mutators with many mutations in flight, several
restarts in a row. Every process stays up, every mutator answers /health 200 and takes jobs again within
30 s of Redis coming back, and the sync still ends exact."""

import asyncio
import time
from pathlib import Path

import aiohttp

from devtools.infra import Infra
from devtools.stack import Stack
from tests.conftest import RestartableRedis, make_merchant
from tests.outages import assert_unhealthy_at_once, mutator_health, wait_until_healthy_again
from tests.test_failures import FAST_RECOVERY, assert_exact_final_state, paced_run_under_way, stack_client

RESTARTS = 3
DOWN_SECONDS = 3.0
UP_BETWEEN_SECONDS = 1.5
RECOVERY_SECONDS = 30.0


async def wait_for_jobs_in_flight(http: aiohttp.ClientSession, stack: Stack, restart: int) -> None:
    """Each mutator holds mutations in flight, so Redis dies under them (the case that wedged a worker)."""
    deadline = time.monotonic() + 20
    while not all([(await mutator_health(http, m)).get("inFlight", 0) > 0 for m in stack.mutators]):
        assert time.monotonic() < deadline, f"restart {restart}: a mutator holds no job in flight"
        await asyncio.sleep(0.05)


async def test_redis_restart_mid_run_keeps_every_process_up_and_the_state_exact(
    own_database: str, own_redis: RestartableRedis, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    stack = Stack(infra=Infra(redis_url=own_redis.url, database_url=own_database), workdir=tmp_path)
    try:
        client, merchant, sync_id = await paced_run_under_way(stack, http)
        mutator = stack.mutators[0]
        own_redis.stop()
        await assert_unhealthy_at_once(http, stack)
        await asyncio.sleep(2.5)
        own_redis.start()
        await wait_until_healthy_again(http, stack, within_seconds=15)
        assert stack.producer is not None and stack.producer.alive
        assert mutator.alive, mutator.log_tail()
        await assert_exact_final_state(client, merchant, sync_id)
        assert mutator.alive and stack.producer.alive
    finally:
        stack.stop()


async def test_several_redis_restarts_with_many_jobs_in_flight_leave_every_mutator_working(
    own_database: str, own_redis: RestartableRedis, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    stack = Stack(infra=Infra(redis_url=own_redis.url, database_url=own_database), workdir=tmp_path)
    try:
        stack.start_sandbox()
        # One job per product (no bulk operations), so that the mutators hold many jobs when Redis dies.
        stack.start_producer(**FAST_RECOVERY, BULK_WRITE_MIN_CHANGES="0")
        client = stack_client(stack, http)
        merchant = await make_merchant(client, stack.infra, size=1500, seed=41, plan="unlimited")
        # Every Shopify answer takes 0.4 s, so each mutator holds many mutations in flight when Redis dies.
        async with http.patch(
            f"{client.sandbox_url}/_sandbox/shops/{merchant.shop}",
            json={"faults": {"slow": 1.0, "slow_seconds": 0.4}},
        ) as response:
            assert response.status == 200, await response.text()
        for _ in range(2):
            stack.start_mutator(**FAST_RECOVERY)
        sync_id = await client.start_sync(merchant.domain)
        while (await client.sync_status(sync_id))["totals"]["progress"]["succeeded"] < 100:
            await asyncio.sleep(0.1)

        for restart in range(RESTARTS):
            await wait_for_jobs_in_flight(http, stack, restart)
            own_redis.stop()
            if restart == 0:
                await assert_unhealthy_at_once(http, stack)
            await asyncio.sleep(DOWN_SECONDS)
            own_redis.start()
            await asyncio.sleep(UP_BETWEEN_SECONDS)

        back_at = time.monotonic()
        await asyncio.sleep(8)
        import json

        for m in stack.mutators:
            print(json.dumps(await mutator_health(http, m), indent=1))
        await wait_until_healthy_again(http, stack, within_seconds=RECOVERY_SECONDS)
        # Each mutator takes jobs again: its own count of finished jobs goes up.
        completed = [(await mutator_health(http, m))["completed"] for m in stack.mutators]
        for mutator, before in zip(stack.mutators, completed, strict=True):
            while (await mutator_health(http, mutator))["completed"] <= before:
                assert time.monotonic() - back_at < RECOVERY_SECONDS, f"{mutator.name} takes no job:\n" + (
                    mutator.log_tail()
                )
                await asyncio.sleep(0.2)
        await assert_exact_final_state(client, merchant, sync_id)
        assert all(m.alive for m in stack.mutators) and stack.producer is not None and stack.producer.alive
    finally:
        stack.stop()

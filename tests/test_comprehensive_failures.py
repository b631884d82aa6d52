"""A comprehensive sync through failures on real processes: lost answers and errors from Shopify, a mutator
killed mid-run, a producer killed mid-sync. No duplicate of anything, the exact state at the end."""

import asyncio
import signal

import aiohttp

from devtools.stack import Stack
from tests.conftest import make_merchant
from tests.resource_expectations import assert_exact_shop
from tests.test_comprehensive_sync import COMPREHENSIVE, assert_idle_resync, synced
from tests.test_failures import FAST_RECOVERY, stack_client

LOST_ANSWERS = {"applied_then_dropped": 0.08, "http_503": 0.05, "internal_error": 0.03, "seed": 5}


async def test_lost_answers_and_a_killed_mutator_leave_no_duplicate(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    isolated_stack.start_sandbox()
    isolated_stack.start_producer(**FAST_RECOVERY)
    client = stack_client(isolated_stack, http)
    merchant = await make_merchant(client, isolated_stack.infra, size=150, seed=83)
    async with http.patch(
        f"{client.sandbox_url}/_sandbox/shops/{merchant.shop}", json={"faults": LOST_ANSWERS}
    ) as response:
        assert response.status == 200, await response.text()
    doomed = isolated_stack.start_mutator(**FAST_RECOVERY)
    sync_id = await client.start_sync(merchant.domain, route=COMPREHENSIVE)
    while (await client.sync_status(sync_id))["totals"]["progress"]["succeeded"] < 40:
        await asyncio.sleep(0.05)
    doomed.signal(signal.SIGKILL)
    doomed.popen.wait(10)
    isolated_stack.mutators.remove(doomed)
    isolated_stack.start_mutator(**FAST_RECOVERY)

    status = await client.wait_for_sync(sync_id, within_seconds=180)
    assert status["state"] == "completed", status["errors"][:5]
    assert status["totals"]["progress"]["failed"] == 0, status["errors"][:5]
    stats = (await client.shop_stats(merchant.shop))["faults"]
    assert stats["applied_then_dropped"] > 0, "no answer was lost: the test proves nothing"
    counts = await assert_exact_shop(client, merchant)
    assert counts["levels"] > 0
    async with http.patch(f"{client.sandbox_url}/_sandbox/shops/{merchant.shop}", json={"faults": None}) as response:
        assert response.status == 200
    await assert_idle_resync(client, merchant)


async def test_a_producer_killed_while_inventory_waits_is_carried_on_by_its_restart(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    short_lease = {"PIPELINE_LEASE_SECONDS": "3"}
    isolated_stack.start_sandbox()
    producer = isolated_stack.start_producer(**short_lease)
    client = stack_client(isolated_stack, http)
    merchant = await make_merchant(client, isolated_stack.infra, size=100, seed=85)
    sync_id = await client.start_sync(merchant.domain, route=COMPREHENSIVE)
    while (await client.sync_status(sync_id))["steps"]["products"]["state"] != "queued":
        await asyncio.sleep(0.05)  # no mutator yet: inventory waits on the products' jobs
    assert (await client.sync_status(sync_id))["steps"]["inventory"]["state"] == "waiting"
    producer.signal(signal.SIGKILL)
    producer.popen.wait(10)
    isolated_stack.start_producer(**short_lease)
    isolated_stack.start_mutator()
    status = await client.wait_for_sync(sync_id, within_seconds=120)
    assert status["state"] == "completed", status["errors"][:5]
    await assert_exact_shop(client, merchant)
    await synced(client, merchant)

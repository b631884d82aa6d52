"""Bulk writes and reads on real processes: a large import goes to Shopify as bulk operations (still one job
per mutation: stage, run, collect) and leaves the exact state; a worker killed mid-operation or a lost answer
starts no second operation; lines Shopify refuses are dead letters of their own, replayable one by one; a
failed operation still delivers every change; a large shop is read with a bulk query, or page by page when
that fails."""

import asyncio
import signal
import time
from typing import Any

import aiohttp
import asyncpg

from devtools.infra import Infra
from devtools.stack import Stack
from devtools.stack_client import StackClient
from tests.conftest import Merchant, make_merchant
from tests.expectations import assert_exact_products, assert_one_live_variant_per_sku, expected_products
from tests.test_failures import stack_client

IMPORT_SIZE = 2_000


async def bulk_operations(client: StackClient, shop: str) -> list[dict[str, Any]]:
    async with client.session.get(f"{client.sandbox_url}/_sandbox/shops/{shop}/bulk-operations") as response:
        assert response.status == 200
        operations: list[dict[str, Any]] = (await response.json())["operations"]
        return operations


async def bulk_faults(client: StackClient, shop: str, **fault: Any) -> None:
    async with client.session.post(f"{client.sandbox_url}/_sandbox/shops/{shop}/bulk-faults", json=fault) as answer:
        assert answer.status == 200, await answer.text()


async def batches(database_url: str, sync_id: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetch("SELECT * FROM bulk_batches WHERE sync_id = $1 ORDER BY bulk_id", sync_id)
    finally:
        await connection.close()


async def assert_exact_import(client: StackClient, merchant: Merchant) -> None:
    records = await client.unleashed_products(merchant.api_id)
    shop_products = await client.shop_products(merchant.shop)
    assert_one_live_variant_per_sku(shop_products)
    assert len(shop_products) == len(expected_products(records))
    assert_exact_products(shop_products, records)


async def test_a_large_import_goes_through_bulk_operations_and_is_exact(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=IMPORT_SIZE, seed=101, plan="standard")
    sync_id = await client.start_sync(merchant.domain)
    status = await client.wait_for_sync(sync_id, within_seconds=240)
    assert status["state"] == "completed", status["errors"][:3]
    planned = status["steps"]["products"]["planned"]["creates"]
    assert planned > 1_000 and status["totals"]["progress"] == {"succeeded": planned, "failed": 0, "pending": 0}
    await assert_exact_import(client, merchant)
    recorded = await batches(infra.database_url, sync_id)
    assert len(recorded) == 5 and all(batch["state"] == "completed" for batch in recorded), recorded
    operations = await bulk_operations(client, merchant.shop)
    assert len(operations) == 5 and sum(op["lines_total"] for op in operations) == planned
    # One job per mutation: the three of each batch, not one per product, reached the shop's bucket.
    assert (await client.shop_stats(merchant.shop))["mutations"] <= 5 * 3 + 10
    idle = await client.wait_for_sync(await client.start_sync(merchant.domain), within_seconds=120)
    assert sum(idle["totals"]["planned"].values()) == 0 and len(await bulk_operations(client, merchant.shop)) == 5


async def test_refused_lines_are_dead_letters_replayable_one_by_one_and_a_failed_operation_still_delivers(
    client: StackClient, infra: Infra
) -> None:
    merchant = await make_merchant(client, infra, size=IMPORT_SIZE, seed=103)
    await bulk_faults(client, merchant.shop, mode="reject_lines", after_lines=100, type="MUTATION", count=2)
    await bulk_faults(client, merchant.shop, mode="fail", after_lines=40, type="MUTATION", count=3)
    status = await client.wait_for_sync(await client.start_sync(merchant.domain), within_seconds=240)
    assert status["state"] == "completed"
    failed = [e for e in status["errors"] if e["kind"] == "mutation_failed"]
    assert failed and all("Sandbox fault: this line was refused" in e["message"] for e in failed), failed[:3]
    assert status["totals"]["progress"]["failed"] == len(failed)
    states = sorted(op["status"] for op in await bulk_operations(client, merchant.shop))
    assert states.count("FAILED") == 3 and states.count("COMPLETED") == 2, states
    # The failed operations' changes arrived one by one; the refused lines wait as dead letters.
    status_code, answer = await client.call(
        "POST", "/api/v2/dead-letters/replay", [merchant.domain], json={"domain": merchant.domain, "all": True}
    )
    assert status_code == 202 and answer["replayed"] == len(failed)
    replayed = await client.wait_for_sync(status["syncId"], within_seconds=120)
    assert replayed["totals"]["progress"]["failed"] == 0
    await assert_exact_import(client, merchant)


async def test_a_mutator_killed_mid_operation_and_lost_answers_start_no_second_operation(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    stack = isolated_stack
    stack.start_sandbox()
    stack.start_producer(BULK_WRITE_MIN_CHANGES="200")
    mutator = stack.start_mutator()
    client = stack_client(stack, http)
    merchant = await make_merchant(client, stack.infra, size=600, seed=105)
    # The answer of every bulkOperationRunMutation is lost after Shopify started the operation: the retried run
    # job must find that operation, not start a second one.
    faults = {"applied_then_dropped": 1.0, "only_documents_containing": "bulkOperationRunMutation"}
    async with http.patch(f"{stack.sandbox_url}/_sandbox/shops/{merchant.shop}", json={"faults": faults}) as answer:
        assert answer.status == 200
    sync_id = await client.start_sync(merchant.domain)
    deadline = time.monotonic() + 120
    while not any(batch["operation_id"] for batch in await batches(stack.infra.database_url, sync_id)):
        assert time.monotonic() < deadline, "no bulk operation started"
        await asyncio.sleep(0.1)
    mutator.signal(signal.SIGKILL)
    stack.mutators.remove(mutator)
    stack.start_mutator()
    status = await client.wait_for_sync(sync_id, within_seconds=240)
    assert status["state"] == "completed" and status["totals"]["progress"]["failed"] == 0, status["errors"][:3]
    recorded = await batches(stack.infra.database_url, sync_id)
    operations = await bulk_operations(client, merchant.shop)
    assert len(operations) == len(recorded) == 5, [(op["id"], op["status"]) for op in operations]
    assert {batch["operation_id"] for batch in recorded} == {op["id"] for op in operations}
    assert (await client.shop_stats(merchant.shop))["faults"]["applied_then_dropped"] >= 5, "every run answer lost"
    await assert_exact_import(client, merchant)


async def test_a_large_shop_is_read_with_a_bulk_query_or_page_by_page_when_that_fails(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    stack = isolated_stack
    stack.start_sandbox()
    stack.start_producer(BULK_READ_MIN_PRODUCTS="50")
    stack.start_mutator()
    client = stack_client(stack, http)
    merchant = await make_merchant(client, stack.infra, size=120, seed=107)
    first = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert first["state"] == "completed"
    idle = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert sum(idle["totals"]["planned"].values()) == 0, "the bulk read saw every product"
    assert [op["type"] for op in await bulk_operations(client, merchant.shop)] == ["QUERY"]
    await bulk_faults(client, merchant.shop, mode="fail", type="QUERY")
    paged = await client.wait_for_sync(await client.start_sync(merchant.domain))
    notes = [e["message"] for e in paged["errors"] if e["kind"] == "note"]
    assert paged["state"] == "completed" and sum(paged["totals"]["planned"].values()) == 0
    assert notes and "read page by page" in notes[0], paged["errors"]

"""A bulk operation's life in the emulated Shopify: statuses, planned failures, expiry, cancel, listing and polling."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from tests.sandbox_shopify_helpers import Client, gql, inspected_products
from tests.test_sandbox_bulk_helpers import (
    ADMIN,
    CANCEL,
    LIST,
    bulk_client,
    download,
    inspect_operations,
    jsonl,
    key_of,
    path_of,
    poll,
    product_line,
    run_mutation,
    run_query,
    stage,
    staged_file,
    upload,
    wait_until,
)


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with bulk_client(bulk_lines_per_second=200.0) as test_client:
        yield test_client


async def _plan(client: Client, **fault: Any) -> list[dict[str, Any]]:
    response = await client.post(f"{ADMIN}/bulk-faults", json=fault)
    assert response.status == 200, await response.text()
    faults: list[dict[str, Any]] = (await response.json())["faults"]
    return faults


async def _start(client: Client, lines: int = 10) -> str:
    key = await staged_file(client, [product_line(number) for number in range(lines)])
    started = await run_mutation(client, key)
    assert started["userErrors"] == []
    operation_id: str = started["bulkOperation"]["id"]
    return operation_id


async def test_created_then_running_then_completed() -> None:
    async with bulk_client(bulk_start_delay_seconds=0.3, bulk_lines_per_second=20.0) as client:
        operation_id = await _start(client, 10)
        assert (await poll(client, operation_id))["status"] == "CREATED"
        running = await wait_until(client, operation_id, {"RUNNING"})
        assert running["completedAt"] is None and running["url"] is None
        done = await wait_until(client, operation_id)
        assert done["status"] == "COMPLETED"
        entry = (await inspect_operations(client))["operations"][0]
        assert 0.4 <= entry["seconds_running"] < 2.0  # 10 lines at 20 per second


async def test_fail_after_lines_keeps_what_was_done_as_partial_data(client: Client) -> None:
    assert await _plan(client, mode="fail", after_lines=4, type="MUTATION") == [
        {
            "mode": "fail",
            "after_lines": 4,
            "error_code": "INTERNAL_SERVER_ERROR",
            "seconds_per_line": 1.0,
            "type": "MUTATION",
        }
    ]
    operation = await wait_until(client, await _start(client, 10))
    assert operation["status"] == "FAILED" and operation["errorCode"] == "INTERNAL_SERVER_ERROR"
    assert operation["url"] is None and operation["objectCount"] == "4" and operation["completedAt"] is not None
    partial = await download(client, operation["partialDataUrl"])
    assert sorted(line["__lineNumber"] for line in partial) == [0, 1, 2, 3]
    assert len(await inspected_products(client)) == 4  # the lines before the failure applied
    assert (await (await client.get(f"{ADMIN}/bulk-faults")).json())["faults"] == []
    again = await wait_until(client, await _start(client, 3))
    assert again["status"] == "COMPLETED"  # the fault was for one operation


async def test_fail_at_once_and_timeout_codes(client: Client) -> None:
    await _plan(client, mode="fail")
    await _plan(client, mode="fail", after_lines=2, error_code="TIMEOUT")
    first = await wait_until(client, await _start(client, 5))
    assert first["status"] == "FAILED" and first["partialDataUrl"] is None and first["objectCount"] == "0"
    second = await wait_until(client, await _start(client, 5))
    assert second["status"] == "FAILED" and second["errorCode"] == "TIMEOUT" and second["partialDataUrl"]


async def test_expired_result(client: Client) -> None:
    await _plan(client, mode="expire", count=1)
    operation = await wait_until(client, await _start(client, 3))
    assert operation["status"] == "EXPIRED" and operation["url"] and operation["completedAt"]
    response = await client.get(path_of(client, operation["url"]))
    assert response.status == 400 and "<Code>ExpiredToken</Code>" in await response.text()
    # A completed one expired on demand through the admin route.
    later = await wait_until(client, await _start(client, 3))
    assert later["status"] == "COMPLETED"
    number = later["id"].rsplit("/", 1)[1]
    expired = await client.post(f"{ADMIN}/bulk-operations/{number}/expire")
    assert expired.status == 200 and (await expired.json())["status"] == "EXPIRED"
    assert (await poll(client, later["id"]))["status"] == "EXPIRED"


async def test_query_faults_apply_to_queries(client: Client) -> None:
    await _start(client, 5)
    await _plan(client, mode="fail", after_lines=0, type="QUERY", error_code="ACCESS_DENIED")
    completed = await wait_until(client, await _start(client, 2))
    assert completed["status"] == "COMPLETED"  # a mutation: the query's fault waits
    started = await run_query(client, "{ products { nodes { id } } }")
    failed = await wait_until(client, started["bulkOperation"]["id"])
    assert failed["status"] == "FAILED" and failed["errorCode"] == "ACCESS_DENIED"


async def test_cancel_a_running_operation() -> None:
    async with bulk_client(bulk_lines_per_second=5.0) as client:
        operation_id = await _start(client, 50)
        await wait_until(client, operation_id, {"RUNNING"})
        await asyncio.sleep(0.5)
        cancelled = await gql(client, CANCEL, {"id": operation_id})
        payload = cancelled["data"]["bulkOperationCancel"]
        assert payload["userErrors"] == [] and payload["bulkOperation"]["status"] == "CANCELING"
        operation = await wait_until(client, operation_id)
        assert operation["status"] == "CANCELED" and operation["completedAt"] is not None
        done = int(operation["objectCount"])
        assert 1 <= done < 50
        partial = await download(client, operation["partialDataUrl"])
        assert len(partial) == done == len(await inspected_products(client))
        await asyncio.sleep(0.3)
        assert (await poll(client, operation_id))["objectCount"] == str(done)  # nothing more ran
        again = (await gql(client, CANCEL, {"id": operation_id}))["data"]["bulkOperationCancel"]
        assert again["userErrors"] == [
            {"field": None, "message": "A bulk operation cannot be canceled when it is canceled"}
        ]
        unknown = (await gql(client, CANCEL, {"id": "gid://shopify/BulkOperation/999"}))["data"]["bulkOperationCancel"]
        assert unknown["bulkOperation"] is None and unknown["userErrors"][0]["field"] == ["id"]


async def test_slow_fault_and_cancel_before_start() -> None:
    async with bulk_client(bulk_start_delay_seconds=0.3) as client:
        await _plan(client, mode="slow", seconds_per_line=0.2)
        operation_id = await _start(client, 5)
        cancelled = await gql(client, CANCEL, {"id": operation_id})
        assert cancelled["data"]["bulkOperationCancel"]["bulkOperation"]["status"] == "CANCELING"
        operation = await wait_until(client, operation_id)
        assert operation["status"] == "CANCELED" and operation["objectCount"] == "0"
        assert operation["partialDataUrl"] is None
        entry = (await inspect_operations(client))["operations"][0]
        assert entry["fault"]["mode"] == "slow" and entry["started_at"] is None


async def test_a_staged_file_replaced_mid_run_fails_the_operation() -> None:
    async with bulk_client(bulk_lines_per_second=10.0) as client:
        target = await stage(client)
        assert (await upload(client, target, jsonl([product_line(n) for n in range(20)]))).status == 201
        started = await run_mutation(client, key_of(target))
        await wait_until(client, started["bulkOperation"]["id"], {"RUNNING"})
        assert (await upload(client, target, jsonl([product_line(99)]))).status == 201
        operation = await wait_until(client, started["bulkOperation"]["id"])
        assert operation["status"] == "FAILED" and operation["errorCode"] == "INTERNAL_SERVER_ERROR"


async def test_list_filter_and_current_operation(client: Client) -> None:
    first = await wait_until(client, await _start(client, 2))
    await _plan(client, mode="slow", seconds_per_line=5.0)
    running_id = await _start(client, 2)
    await wait_until(client, running_id, {"RUNNING"})
    query_op = await run_query(client, "{ products { nodes { id } } }")
    await wait_until(client, query_op["bulkOperation"]["id"])

    async def listed(**variables: Any) -> list[str]:
        body = await gql(client, LIST, variables)
        assert "errors" not in body, body
        return [node["id"] for node in body["data"]["bulkOperations"]["nodes"]]

    everything = await listed()
    assert everything == [query_op["bulkOperation"]["id"], running_id, first["id"]]  # newest first
    assert await listed(reverse=True) == everything[::-1]
    assert await listed(query="status:RUNNING operation_type:MUTATION") == [running_id]
    assert await listed(query="operation_type:query") == [query_op["bulkOperation"]["id"]]
    assert await listed(query="status:completed operation_type:mutation") == [first["id"]]
    assert await listed(query=f"created_at:>='{first['createdAt']}'") == everything
    assert await listed(query="created_at:<2020-01-01") == []
    assert await listed(query="created_at:>2020-01-01T00:00:00Z status:running") == [running_id]
    assert (await listed(sortKey="COMPLETED_AT"))[0] == running_id  # not ended: first
    warned = await gql(client, LIST, {"query": "type:MUTATION"})
    assert warned["extensions"]["search"][0]["warnings"][0]["field"] == "type"

    current = await gql(client, "{ currentBulkOperation(type: MUTATION) { id status } }")
    assert current["data"]["currentBulkOperation"] == {"id": running_id, "status": "RUNNING"}
    inspected = await (await client.get(f"{ADMIN}/bulk-operations", params={"status": "running"})).json()
    assert [entry["id"] for entry in inspected["operations"]] == [running_id]
    one = await (await client.get(f"{ADMIN}/bulk-operations/{running_id}")).json()
    assert one["lines_total"] == 2 and one["lines_processed"] == 0 and one["status"] == "RUNNING"
    assert (await client.get(f"{ADMIN}/bulk-operations/12345")).status == 404
    cancelled = await gql(client, CANCEL, {"id": running_id})
    assert cancelled["data"]["bulkOperationCancel"]["userErrors"] == []
    await wait_until(client, running_id, {"CANCELED"})


async def test_polling_costs_one_point(client: Client) -> None:
    operation_id = await _start(client, 1)
    body = await gql(client, "query($id: ID!) { bulkOperation(id: $id) { id status } }", {"id": operation_id})
    assert body["extensions"]["cost"]["requestedQueryCost"] == 1
    missing = await gql(client, '{ bulkOperation(id: "gid://shopify/BulkOperation/404") { id } }')
    assert missing["data"]["bulkOperation"] is None

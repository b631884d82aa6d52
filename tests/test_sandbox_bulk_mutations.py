"""Bulk mutations in the emulated Shopify: every JSONL line through the normal resolver path, results by line number,
idempotent upserts, the concurrency limit, the bucket left alone, webhooks for the changes."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from tests.sandbox_shopify_helpers import SHOP, TOKEN, Client, gql, inspected_products
from tests.test_sandbox_bulk_helpers import (
    ADMIN,
    BULK_PRODUCT_SET,
    CANCEL,
    RUN_MUTATION,
    bulk_client,
    download,
    inspect_operations,
    key_of,
    product_line,
    run_mutation,
    stage,
    staged_file,
    upload,
    wait_until,
)
from tests.test_sandbox_webhooks_helpers import receiver, subscribe


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with bulk_client() as test_client:
        yield test_client


async def _run_to_end(client: Client, key: str) -> dict[str, Any]:
    started = await run_mutation(client, key)
    assert started["userErrors"] == [], started
    return await wait_until(client, started["bulkOperation"]["id"])


async def test_bulk_product_set_creates_fifty_products_matched_by_line_number(client: Client) -> None:
    lines = [product_line(number) for number in range(50)]
    key = await staged_file(client, lines)
    operation = await _run_to_end(client, key)
    assert operation["status"] == "COMPLETED" and operation["errorCode"] is None
    assert operation["objectCount"] == "50" and operation["rootObjectCount"] == "50"
    assert operation["type"] == "MUTATION" and operation["query"].lstrip().startswith("# Create or update one product")
    assert operation["completedAt"] is not None and operation["partialDataUrl"] is None
    results = await download(client, str(operation["url"]))
    assert int(str(operation["fileSize"])) > 0
    assert len(results) == 50
    numbers = [result["__lineNumber"] for result in results]
    assert sorted(numbers) == list(range(50))
    assert numbers != list(range(50))  # the file's order is not the input's: match by __lineNumber
    for result in results:
        payload = result["data"]["productSet"]
        assert payload["userErrors"] == []
        assert payload["product"]["handle"] == f"bulk-product-{result['__lineNumber']}"
        assert [v["sku"] for v in payload["product"]["variants"]["nodes"]] == [
            f"BULK-{result['__lineNumber']}-S",
            f"BULK-{result['__lineNumber']}-M",
        ]
        assert set(result) == {"data", "__lineNumber"}
    products = await inspected_products(client)
    assert len(products) == 50 and {len(p["variants"]) for p in products} == {2}
    inspected = await inspect_operations(client)
    assert inspected["stats"] == {"operations": 1, "lines": 50, "lines_applied": 50}
    entry = inspected["operations"][0]
    assert entry["lines_total"] == 50 and entry["lines_processed"] == 50 and entry["staged_upload_path"] == key
    assert entry["result_url"] == operation["url"] and entry["started_at"] is not None


async def test_lines_with_errors_are_reported_while_the_rest_apply(client: Client) -> None:
    lines: list[object] = [product_line(number) for number in range(6)]
    lines[1] = {"identifier": {"handle": "no-title"}, "input": {"handle": "no-title", "title": ""}}
    lines[3] = {"input": {"title": "Typo", "vendorr": "x"}}
    key = await staged_file(client, lines)
    operation = await _run_to_end(client, key)
    results = {result["__lineNumber"]: result for result in await download(client, str(operation["url"]))}
    assert set(results) == set(range(6))
    blank_title = results[1]["data"]["productSet"]
    assert blank_title["product"] is None and blank_title["userErrors"][0]["field"] == ["input", "title"]
    invalid_variable = results[3]
    assert "data" not in invalid_variable
    error = invalid_variable["errors"][0]
    assert error["extensions"]["code"] == "INVALID_VARIABLE" and "vendorr" in str(error["extensions"]["problems"])
    assert all(results[n]["data"]["productSet"]["userErrors"] == [] for n in (0, 2, 4, 5))
    handles = sorted(p["handle"] for p in await inspected_products(client))
    assert handles == [f"bulk-product-{n}" for n in (0, 2, 4, 5)]


async def test_a_line_that_is_not_json_is_an_error_line(client: Client) -> None:
    target = await stage(client)
    data = b'{"identifier": {"handle": "a"}, "input": {"title": "A"}}\n{not json\n[1, 2]\n\n'
    data += b'{"identifier": {"handle": "b"}, "input": {"title": "B"}}\n'
    assert (await upload(client, target, data)).status == 201
    operation = await _run_to_end(client, key_of(target))
    assert operation["status"] == "COMPLETED" and operation["objectCount"] == "4"
    results = {result["__lineNumber"]: result for result in await download(client, str(operation["url"]))}
    assert set(results) == {0, 1, 2, 4}  # the blank line 3 is no line
    assert results[1]["errors"][0]["message"].startswith("Unexpected file structure - expected JSONL")
    assert "JSON object" in results[2]["errors"][0]["message"]
    assert sorted(p["handle"] for p in await inspected_products(client)) == ["a", "b"]


async def test_the_same_file_twice_changes_nothing_the_second_time() -> None:
    async with bulk_client() as client, receiver() as hook:
        await subscribe(client, "PRODUCTS_UPDATE", hook.url())
        key = await staged_file(client, [product_line(number) for number in range(20)])
        first = await _run_to_end(client, key)
        await hook.wait_for(20, "products/update")
        before = await inspected_products(client)
        second = await _run_to_end(client, key)
        assert first["status"] == second["status"] == "COMPLETED" and first["id"] != second["id"]
        after = await inspected_products(client)
        assert after == before  # same ids, variants, timestamps: upserts by handle found every product
        first_ids = {
            r["__lineNumber"]: r["data"]["productSet"]["product"]["id"]
            for r in await download(client, str(first["url"]))
        }
        second_ids = {
            r["__lineNumber"]: r["data"]["productSet"]["product"]["id"]
            for r in await download(client, str(second["url"]))
        }
        assert first_ids == second_ids
        await asyncio.sleep(0.2)
        assert len(hook.of_topic("products/update")) == 20  # the second run sent no webhook: nothing changed
        assert (await inspect_operations(client))["stats"]["lines"] == 40


async def test_a_sixth_concurrent_operation_is_refused() -> None:
    async with bulk_client(bulk_lines_per_second=1.0) as client:
        key = await staged_file(client, [product_line(number) for number in range(30)])
        started = [await run_mutation(client, key) for _ in range(5)]
        assert all(payload["userErrors"] == [] for payload in started)
        sixth = await run_mutation(client, key)
        assert sixth["bulkOperation"] is None
        assert sixth["userErrors"] == [
            {
                "field": None,
                "message": "Bulk operations limit reached. Please try again later.",
                "code": "LIMIT_REACHED",
            }
        ]
        # Queries have a limit of their own.
        query = await gql(
            client,
            'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") '
            "{ bulkOperation { id } userErrors { code } } }",
        )
        assert query["data"]["bulkOperationRunQuery"]["userErrors"] == []
        # Before 2026-01: one operation of each type at a time, OPERATION_IN_PROGRESS.
        response = await client.post(
            f"/{SHOP}/admin/api/2025-10/graphql.json",
            json={"query": RUN_MUTATION, "variables": {"mutation": BULK_PRODUCT_SET, "stagedUploadPath": key}},
            headers={"X-Shopify-Access-Token": TOKEN},
        )
        old = (await response.json())["data"]["bulkOperationRunMutation"]["userErrors"][0]
        assert (
            old["code"] == "OPERATION_IN_PROGRESS"
            and "already in progress: gid://shopify/BulkOperation/" in old["message"]
        )
        cancelled = await gql(client, CANCEL, {"id": started[0]["bulkOperation"]["id"]})
        assert cancelled["data"]["bulkOperationCancel"]["userErrors"] == []
        await wait_until(client, started[0]["bulkOperation"]["id"], {"CANCELED"})
        assert (await run_mutation(client, key))["userErrors"] == []  # a slot is free again


async def test_bulk_lines_do_not_draw_from_the_bucket() -> None:
    async with bulk_client(bulk_lines_per_second=5000.0) as client:
        changed = await client.patch(f"/_sandbox/shops/{SHOP}", json={"plan": "standard"})
        assert changed.status == 200
        key = await staged_file(client, [product_line(number) for number in range(200)])
        await client.post(f"{ADMIN}/stats/reset")
        await client.put(f"{ADMIN}/bucket", json={"currently_available": 30})
        started = await run_mutation(client, key)  # costs 10, like any mutation
        assert started["userErrors"] == []
        operation = await wait_until(client, started["bulkOperation"]["id"])
        assert operation["status"] == "COMPLETED" and operation["objectCount"] == "200"
        assert len(await inspected_products(client)) == 200
        # 200 productSet requests would cost 2000 points and throttle after the third: the lines took nothing.
        stats = await (await client.get(f"{ADMIN}/stats")).json()
        polls = stats["by_root_field"]["bulkOperation"]
        assert stats["by_root_field"] == {"bulkOperationRunMutation": 1, "bulkOperation": polls}
        assert stats["throttled"] == 0 and stats["mutations"] == 1 and stats["points_used"] == 10 + polls
        shop = await (await client.get(f"/_sandbox/shops/{SHOP}")).json()
        assert shop["throttle_status"]["currentlyAvailable"] >= 30 - stats["points_used"]


async def test_bulk_changes_send_webhooks_like_requests_and_a_finish_webhook() -> None:
    async with bulk_client() as client, receiver() as hook:
        await subscribe(client, "PRODUCTS_CREATE", hook.url("/products"))
        await subscribe(client, "BULK_OPERATIONS_FINISH", hook.url("/bulk"))
        key = await staged_file(client, [product_line(number) for number in range(5)])
        operation = await _run_to_end(client, key)
        created = await hook.wait_for(5, "products/create")
        assert sorted(item.json()["handle"] for item in created) == [f"bulk-product-{n}" for n in range(5)]
        finished = (await hook.wait_for(1, "bulk_operations/finish"))[0].json()
        assert finished == {
            "admin_graphql_api_id": operation["id"],
            "completed_at": operation["completedAt"],
            "created_at": operation["createdAt"],
            "error_code": None,
            "status": "completed",
            "type": "mutation",
        }


async def test_product_set_in_bulk_always_runs_synchronously(client: Client) -> None:
    asynchronous = BULK_PRODUCT_SET.replace("synchronous: true", "synchronous: false")
    assert asynchronous != BULK_PRODUCT_SET
    key = await staged_file(client, [product_line(1)])
    started = await run_mutation(client, key, asynchronous)
    operation = await wait_until(client, started["bulkOperation"]["id"])
    (result,) = await download(client, str(operation["url"]))
    assert result["data"]["productSet"]["product"]["handle"] == "bulk-product-1"


async def test_access_is_checked_per_line() -> None:
    async with bulk_client(bulk_lines_per_second=20.0) as client:
        key = await staged_file(client, [product_line(number) for number in range(40)])
        started = await run_mutation(client, key)
        await asyncio.sleep(0.5)
        revoked = await client.patch(f"/_sandbox/shops/{SHOP}", json={"write_access": False})
        assert revoked.status == 200
        operation = await wait_until(client, started["bulkOperation"]["id"])
        assert operation["status"] == "COMPLETED"  # per-line errors do not fail the operation
        results = {result["__lineNumber"]: result for result in await download(client, str(operation["url"]))}
        denied = sorted(n for n, result in results.items() if "errors" in result)
        assert denied and max(results) == 39 and denied == list(range(min(denied), 40))
        error = results[39]["errors"][0]
        assert error["extensions"]["code"] == "ACCESS_DENIED" and results[39]["data"] == {"productSet": None}
        assert len(await inspected_products(client)) == min(denied)
        # A read-only app can still read in bulk, and cannot start a bulk mutation.
        query = await gql(
            client,
            'mutation { bulkOperationRunQuery(query: "{ products { nodes { id } } }") { userErrors { code } } }',
        )
        assert query["data"]["bulkOperationRunQuery"]["userErrors"] == []
        refused = await gql(client, RUN_MUTATION, {"mutation": BULK_PRODUCT_SET, "stagedUploadPath": key})
        assert refused["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"

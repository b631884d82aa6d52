"""Shared pieces of the sandbox bulk-operation tests (no tests here): a fast sandbox, the documents a client sends,
staging and uploading a JSONL file, starting, polling and downloading operations."""

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from sandbox.app import create_sandbox_app
from sandbox.settings import SandboxSettings
from shared.shopify_documents import PRODUCT_SET
from tests.sandbox_shopify_helpers import SHOP, TOKEN, Client, gql

ADMIN = f"/_sandbox/shops/{SHOP}"

STAGED_UPLOADS_CREATE = """
mutation StagedUploadsCreate($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}
"""

RUN_MUTATION = """
mutation BulkOperationRunMutation($mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath,
                           clientIdentifier: $clientIdentifier) {
    bulkOperation { id status type url createdAt }
    userErrors { field message code }
  }
}
"""

RUN_QUERY = """
mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
    bulkOperation { id status type }
    userErrors { field message code }
  }
}
"""

POLL = """
query BulkOperation($id: ID!) {
  bulkOperation(id: $id) {
    id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query
  }
}
"""

CANCEL = """
mutation BulkOperationCancel($id: ID!) {
  bulkOperationCancel(id: $id) {
    bulkOperation { id status }
    userErrors { field message }
  }
}
"""

LIST = """
query BulkOperations($query: String, $reverse: Boolean, $sortKey: BulkOperationsSortKeys) {
  bulkOperations(first: 50, query: $query, reverse: $reverse, sortKey: $sortKey) {
    nodes { id status type createdAt completedAt }
  }
}
"""

# The document a bulk productSet runs once per JSONL line ($identifier and $input from each line).
BULK_PRODUCT_SET = PRODUCT_SET

TERMINAL = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}


@contextlib.asynccontextmanager
async def bulk_client(**settings: Any) -> AsyncIterator[Client]:
    """An in-process sandbox with SHOP registered, bulk operations starting at once and running fast (unless
    `settings` say otherwise)."""
    chosen = {"bulk_lines_per_second": 2000.0, "bulk_start_delay_seconds": 0.0, **settings}
    app = create_sandbox_app(SandboxSettings(**chosen))
    async with TestClient(TestServer(app)) as client:
        response = await client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN})
        assert response.status == 201
        yield client


def product_line(number: int, handle: str | None = None) -> dict[str, Any]:
    """Variables of one bulk productSet line: a two-variant product upserted by its handle."""
    handle = handle or f"bulk-product-{number}"
    return {
        "identifier": {"handle": handle},
        "input": {
            "title": f"Bulk Product {number}",
            "handle": handle,
            "vendor": "Ridgeline",
            "productOptions": [{"name": "Size", "values": [{"name": "S"}, {"name": "M"}]}],
            "variants": [
                {
                    "optionValues": [{"optionName": "Size", "name": size}],
                    "sku": f"BULK-{number}-{size}",
                    "price": "9.50",
                }
                for size in ("S", "M")
            ],
        },
    }


def jsonl(lines: list[Any]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


async def stage(client: Client, filename: str = "bulk_op_vars.jsonl") -> dict[str, Any]:
    body = await gql(
        client,
        STAGED_UPLOADS_CREATE,
        {
            "input": [
                {
                    "resource": "BULK_MUTATION_VARIABLES",
                    "filename": filename,
                    "mimeType": "text/jsonl",
                    "httpMethod": "POST",
                }
            ]
        },
    )
    payload = body["data"]["stagedUploadsCreate"]
    assert payload["userErrors"] == []
    target: dict[str, Any] = payload["stagedTargets"][0]
    return target


def path_of(client: Client, url: str) -> str:
    """The path (and query) of a URL the sandbox handed out; it must point at the sandbox itself."""
    parts = urlsplit(url)
    assert parts.netloc == f"{client.host}:{client.port}", url
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def upload(client: Client, target: dict[str, Any], data: bytes) -> aiohttp.ClientResponse:
    """POST the target's parameters, then the file last, as a multipart form (like Shopify's CLI)."""
    form = aiohttp.FormData()
    for parameter in target["parameters"]:
        form.add_field(parameter["name"], parameter["value"])
    form.add_field("file", data, filename="bulk_op_vars.jsonl", content_type="text/jsonl")
    return await client.post(path_of(client, target["url"]), data=form)


def key_of(target: dict[str, Any]) -> str:
    return str(next(p["value"] for p in target["parameters"] if p["name"] == "key"))


async def staged_file(client: Client, lines: list[Any]) -> str:
    """Stage and upload a JSONL file of `lines`; its key (the `stagedUploadPath`)."""
    target = await stage(client)
    response = await upload(client, target, jsonl(lines))
    assert response.status == 201, await response.text()
    return key_of(target)


async def run_mutation(client: Client, key: str, mutation: str = BULK_PRODUCT_SET) -> dict[str, Any]:
    body = await gql(client, RUN_MUTATION, {"mutation": mutation, "stagedUploadPath": key})
    payload: dict[str, Any] = body["data"]["bulkOperationRunMutation"]
    return payload


async def run_query(client: Client, query: str, group_objects: bool = False) -> dict[str, Any]:
    body = await gql(client, RUN_QUERY, {"query": query, "groupObjects": group_objects})
    payload: dict[str, Any] = body["data"]["bulkOperationRunQuery"]
    return payload


async def poll(client: Client, operation_id: str) -> dict[str, Any]:
    operation: dict[str, Any] = (await gql(client, POLL, {"id": operation_id}))["data"]["bulkOperation"]
    return operation


async def wait_until(
    client: Client, operation_id: str, statuses: set[str] | None = None, within: float = 15.0
) -> dict[str, Any]:
    """Poll until the operation's status is one of `statuses` (default: any terminal one)."""
    wanted = statuses or TERMINAL
    deadline = time.monotonic() + within
    while True:
        operation = await poll(client, operation_id)
        if operation["status"] in wanted:
            return operation
        assert time.monotonic() < deadline, f"still {operation['status']} after {within} s"
        await asyncio.sleep(0.02)


async def download(client: Client, url: str) -> list[dict[str, Any]]:
    response = await client.get(path_of(client, url))
    assert response.status == 200, await response.text()
    assert response.content_type == "application/jsonl"
    text = await response.text()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


async def inspect_operations(client: Client) -> dict[str, Any]:
    body: dict[str, Any] = await (await client.get(f"{ADMIN}/bulk-operations")).json()
    return body

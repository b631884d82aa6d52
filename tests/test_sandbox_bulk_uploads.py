"""The emulated Shopify's staged uploads for bulk mutations, and the checks `bulkOperationRunMutation` makes first."""

import base64
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest_asyncio

from tests.sandbox_shopify_helpers import Client, gql
from tests.test_sandbox_bulk_helpers import (
    RUN_MUTATION,
    STAGED_UPLOADS_CREATE,
    bulk_client,
    jsonl,
    key_of,
    path_of,
    product_line,
    run_mutation,
    stage,
    staged_file,
    upload,
)

SIMPLE = 'mutation { productSet(input: {title: "x"}) { userErrors { message } } }'


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with bulk_client(bulk_max_upload_bytes=4096) as test_client:
        yield test_client


async def test_staged_upload_round_trip(client: Client) -> None:
    target = await stage(client, "bulk-variables.jsonl")
    assert target["url"].startswith(f"http://{client.host}:{client.port}/_sandbox/staged-uploads/")
    names = [parameter["name"] for parameter in target["parameters"]]
    assert names == [
        "key",
        "Content-Type",
        "success_action_status",
        "acl",
        "policy",
        "x-goog-credential",
        "x-goog-algorithm",
        "x-goog-date",
        "x-goog-signature",
    ]
    key = key_of(target)
    assert key.startswith("tmp/") and "/bulk/" in key and key.endswith("/bulk-variables.jsonl")
    assert target["resourceUrl"] == f"{target['url']}/{key}"
    policy = json.loads(base64.b64decode(next(p["value"] for p in target["parameters"] if p["name"] == "policy")))
    assert ["content-length-range", 1, 4096] in policy["conditions"] and {"key": key} in policy["conditions"]

    data = jsonl([product_line(1), product_line(2)])
    response = await upload(client, target, data)
    assert response.status == 201
    answer = await response.text()
    assert answer.startswith("<?xml") and f"<Key>{key}</Key>" in answer
    stored = await client.get(path_of(client, target["resourceUrl"]))
    assert stored.status == 200 and await stored.read() == data

    started = await run_mutation(client, key)
    assert started["userErrors"] == []
    assert started["bulkOperation"]["status"] == "CREATED" and started["bulkOperation"]["type"] == "MUTATION"
    assert started["bulkOperation"]["id"].startswith("gid://shopify/BulkOperation/")


async def _xml_error(response: aiohttp.ClientResponse) -> str:
    text = await response.text()
    assert response.content_type == "application/xml" and text.startswith("<?xml"), text
    return text


async def test_upload_refusals_answer_like_object_storage(client: Client) -> None:
    target = await stage(client)
    too_large = await upload(client, target, b"x" * 4097)
    assert too_large.status == 400
    text = await _xml_error(too_large)
    assert "<Code>EntityTooLarge</Code>" in text and "<MaxSizeAllowed>4096</MaxSizeAllowed>" in text

    empty = await upload(client, target, b"")
    assert empty.status == 400 and "<Code>EntityTooSmall</Code>" in await _xml_error(empty)

    tampered = {**target, "parameters": [dict(p) for p in target["parameters"]]}
    next(p for p in tampered["parameters"] if p["name"] == "x-goog-signature")["value"] = "0" * 64
    forged = await upload(client, tampered, b"{}\n")
    assert forged.status == 403 and "<Code>SignatureDoesNotMatch</Code>" in await _xml_error(forged)

    other_key = {**target, "parameters": [dict(p) for p in target["parameters"]]}
    next(p for p in other_key["parameters"] if p["name"] == "key")["value"] = "tmp/1/bulk/x/other"
    moved = await upload(client, other_key, b"{}\n")
    assert moved.status == 403 and "<Code>AccessDenied</Code>" in await _xml_error(moved)

    form = aiohttp.FormData()
    form.add_field("file", b"{}\n", filename="vars.jsonl", content_type="text/jsonl")
    for parameter in target["parameters"]:
        form.add_field(parameter["name"], parameter["value"])
    file_first = await client.post(path_of(client, target["url"]), data=form)
    assert file_first.status == 400 and "<Code>InvalidArgument</Code>" in await _xml_error(file_first)

    unknown = await client.post("/_sandbox/staged-uploads/nope", data=aiohttp.FormData({"key": "x"}))
    assert unknown.status == 404 and "<Code>NoSuchBucket</Code>" in await _xml_error(unknown)

    # Nothing was stored by the refused attempts: the key is still not a file.
    missing = await run_mutation(client, key_of(target))
    assert missing["userErrors"][0]["code"] == "NO_SUCH_FILE"


async def test_staged_uploads_create_refuses_put_and_other_resources(client: Client) -> None:
    body = await gql(
        client,
        STAGED_UPLOADS_CREATE,
        {
            "input": [
                {"resource": "BULK_MUTATION_VARIABLES", "filename": "a.jsonl", "mimeType": "text/jsonl"},
                {"resource": "IMAGE", "filename": "a.png", "mimeType": "image/png", "httpMethod": "POST"},
            ]
        },
    )
    payload = body["data"]["stagedUploadsCreate"]
    assert payload["stagedTargets"] is None
    assert [error["field"] for error in payload["userErrors"]] == [
        ["input", "0", "httpMethod"],
        ["input", "1", "resource"],
    ]


async def test_run_mutation_checks_document_and_file_first(client: Client) -> None:
    key = await staged_file(client, [product_line(1)])

    async def refusal(mutation: str, path: str = key) -> dict[str, object]:
        payload = await run_mutation(client, path, mutation)
        assert payload["bulkOperation"] is None
        error: dict[str, object] = payload["userErrors"][0]
        return error

    unknown_field = await refusal('mutation { productSet(input: {title: "x"}) { bogus } }')
    assert unknown_field["code"] == "INVALID_MUTATION" and unknown_field["field"] == ["mutation"]
    assert "bogus" in str(unknown_field["message"])
    assert (await refusal("{ shop { name } }"))["code"] == "INVALID_MUTATION"
    two_fields = 'mutation { a: productSet(input: {title: "a"}) { userErrors { message } } ' + (
        'b: productSet(input: {title: "b"}) { userErrors { message } } }'
    )
    assert (await refusal(two_fields))["code"] == "INVALID_MUTATION"
    nested = (
        'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { userErrors { code } } }'
    )
    assert "cannot be run in a bulk operation" in str((await refusal(nested))["message"])
    assert "not implemented by the sandbox" in str(
        (await refusal("mutation { fileCreate(files: []) { files { id } } }"))["message"]
    )

    no_file = await refusal(SIMPLE, "tmp/1/bulk/nope/x")
    assert no_file["code"] == "NO_SUCH_FILE" and no_file["field"] == ["stagedUploadPath"]
    resource_url = await refusal(SIMPLE, f"http://x/{key}")
    assert resource_url["code"] == "NO_SUCH_FILE"

    blank = await stage(client)
    assert (await upload(client, blank, b"\n  \n")).status == 201
    invalid_file = await refusal(SIMPLE, key_of(blank))
    assert invalid_file["code"] == "INVALID_STAGED_UPLOAD_FILE"


async def test_another_shops_upload_is_no_such_file(client: Client) -> None:
    key = await staged_file(client, [product_line(1)])
    other = await client.post("/_sandbox/shops", json={"shop": "other.myshopify.com", "access_token": "t2"})
    assert other.status == 201
    response = await client.post(
        "/other.myshopify.com/admin/api/2026-10/graphql.json",
        json={"query": RUN_MUTATION, "variables": {"mutation": SIMPLE, "stagedUploadPath": key}},
        headers={"X-Shopify-Access-Token": "t2"},
    )
    payload = (await response.json())["data"]["bulkOperationRunMutation"]
    assert payload["userErrors"][0]["code"] == "NO_SUCH_FILE"

"""Injected faults of the emulated Shopify endpoint: their shapes, their effects, seeding and switching."""

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sandbox.app import create_sandbox_app
from sandbox.settings import SandboxSettings

Client = TestClient[web.Request, web.Application]
SHOP = "faulty.myshopify.com"
TOKEN = "shpat_faulty"
ENDPOINT = f"/{SHOP}/admin/api/2026-10/graphql.json"
HEADERS = {"X-Shopify-Access-Token": TOKEN}
SHOP_QUERY = "{ shop { name } }"
CREATE = """
mutation Create($input: ProductSetInput!) {
  productSet(input: $input, synchronous: true) { product { id title } userErrors { field message } }
}
"""
FAULT_KINDS = ("http_502", "http_503", "http_429", "internal_error", "slow", "applied_then_dropped")


def create_variables(title: str = "Faulty Mug") -> dict[str, Any]:
    return {
        "input": {
            "title": title,
            "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
            "variants": [{"optionValues": [{"optionName": "Title", "name": "Default Title"}], "sku": "MUG-1"}],
        }
    }


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with TestClient(TestServer(create_sandbox_app(SandboxSettings()))) as test_client:
        yield test_client


async def register(client: Client, faults: dict[str, Any] | None, shop: str = SHOP) -> dict[str, Any]:
    response = await client.post("/_sandbox/shops", json={"shop": shop, "access_token": TOKEN, "faults": faults})
    assert response.status in (200, 201)
    answer: dict[str, Any] = await response.json()
    return answer


async def post_graphql(client: Client, query: str, variables: dict[str, Any] | None = None) -> aiohttp.ClientResponse:
    return await client.post(ENDPOINT, json={"query": query, "variables": variables or {}}, headers=HEADERS)


async def stats(client: Client, shop: str = SHOP) -> dict[str, Any]:
    answer: dict[str, Any] = await (await client.get(f"/_sandbox/shops/{shop}/stats")).json()
    return answer


async def products(client: Client) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (await (await client.get(f"/_sandbox/shops/{SHOP}/products")).json())["products"]
    return listed


async def test_http_502_is_a_bad_gateway_page_and_executes_nothing(client: Client) -> None:
    await register(client, {"http_502": 1.0})
    response = await post_graphql(client, CREATE, create_variables())
    assert response.status == 502
    assert response.content_type == "text/html" and "502 Bad Gateway" in await response.text()
    await assert_nothing_executed(client, "http_502")


@pytest.mark.parametrize(("kind", "status"), [("http_503", 503), ("http_429", 429)])
async def test_503_and_429_carry_retry_after_and_execute_nothing(client: Client, kind: str, status: int) -> None:
    await register(client, {kind: 1.0, "retry_after_seconds": 7})
    response = await post_graphql(client, CREATE, create_variables())
    assert response.status == status
    assert response.headers["Retry-After"] == "7"
    assert isinstance((await response.json())["errors"], str)
    await assert_nothing_executed(client, kind)


async def test_internal_error_is_a_200_with_shopify_s_error_shape(client: Client) -> None:
    await register(client, {"internal_error": 1.0})
    response = await post_graphql(client, CREATE, create_variables())
    assert response.status == 200
    body = await response.json()
    assert set(body) == {"errors"}
    [error] = body["errors"]
    request_id = error["extensions"]["requestId"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert error["message"] == (
        f"Internal error. Looks like something went wrong on our end.\nRequest ID: {request_id}"
    )
    await assert_nothing_executed(client, "internal_error")


async def assert_nothing_executed(client: Client, kind: str) -> None:
    counted = await stats(client)
    assert counted["faults"] == {name: int(name == kind) for name in FAULT_KINDS}
    assert counted["requests"] == 1
    assert counted["mutations"] == 0 and counted["mutations_applied"] == 0
    assert counted["points_used"] == 0 and counted["by_root_field"] == {}
    assert await products(client) == []
    shop = await (await client.patch(f"/_sandbox/shops/{SHOP}", json={})).json()
    assert shop["throttle_status"]["currentlyAvailable"] == shop["throttle_status"]["maximumAvailable"]


async def test_slow_delays_then_answers_normally(client: Client) -> None:
    await register(client, {"slow": 1.0, "slow_seconds": 0.3})
    started = time.perf_counter()
    response = await post_graphql(client, SHOP_QUERY)
    assert time.perf_counter() - started >= 0.3
    assert response.status == 200
    assert (await response.json())["data"]["shop"]["name"] == "Faulty"
    assert (await stats(client))["faults"]["slow"] == 1


async def test_applied_then_dropped_applies_the_mutation_then_disconnects(client: Client) -> None:
    await register(client, {"applied_then_dropped": 1.0})
    with pytest.raises(aiohttp.ClientConnectionError):
        await post_graphql(client, CREATE, create_variables())
    [created] = await products(client)
    assert created["title"] == "Faulty Mug"
    counted = await stats(client)
    assert counted["faults"]["applied_then_dropped"] == 1
    assert counted["mutations"] == 1 and counted["mutations_applied"] == 1
    assert counted["points_used"] > 0
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"faults": None})
    answer = await post_graphql(client, SHOP_QUERY)
    assert answer.status == 200, "the sandbox keeps serving after a dropped connection"


async def outcomes(client: Client, count: int, shop: str = SHOP) -> list[str]:
    """What each of `count` cheap queries got: a status, or `internal` for an internal error."""
    seen = []
    for _ in range(count):
        response = await client.post(
            f"/{shop}/admin/api/2026-10/graphql.json", json={"query": SHOP_QUERY}, headers=HEADERS
        )
        body = await response.text()
        seen.append("internal" if response.status == 200 and "INTERNAL_SERVER_ERROR" in body else str(response.status))
    return seen


async def test_seeded_faults_repeat_and_another_seed_differs(client: Client) -> None:
    profile = {"http_502": 0.15, "http_503": 0.15, "http_429": 0.15, "internal_error": 0.15, "seed": 42}
    registered = await register(client, profile)
    assert registered["faults"]["seed"] == 42 and registered["faults"]["http_502"] == 0.15
    first = await outcomes(client, 60)
    assert {"502", "503", "429", "internal", "200"} <= set(first)
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"faults": profile})  # restarts from the seed
    again = await outcomes(client, 60)
    assert again == first
    await register(client, profile, shop="twin.myshopify.com")
    assert await outcomes(client, 60, shop="twin.myshopify.com") == first
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"faults": {**profile, "seed": 43}})
    other = await outcomes(client, 60)
    assert other != first
    counted = (await stats(client))["faults"]
    everything = first + again + other
    assert counted["http_502"] == everything.count("502") and counted["http_503"] == everything.count("503")
    assert counted["http_429"] == everything.count("429")
    assert counted["internal_error"] == everything.count("internal")


async def test_patch_turns_faults_off_and_on(client: Client) -> None:
    await register(client, {"http_502": 1.0})
    assert (await post_graphql(client, SHOP_QUERY)).status == 502
    off = await client.patch(f"/_sandbox/shops/{SHOP}", json={"faults": None})
    assert (await off.json())["faults"] is None
    assert (await post_graphql(client, SHOP_QUERY)).status == 200
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"faults": {"http_503": 1.0}})
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"write_access": True})  # other keys leave faults alone
    assert (await post_graphql(client, SHOP_QUERY)).status == 503
    await client.patch(f"/_sandbox/shops/{SHOP}", json={"faults": {}})
    assert (await post_graphql(client, SHOP_QUERY)).status == 200
    await client.post(f"/_sandbox/shops/{SHOP}/stats/reset")
    assert (await stats(client))["faults"] == dict.fromkeys(FAULT_KINDS, 0)


async def test_faults_spare_unauthenticated_and_malformed_requests(client: Client) -> None:
    await register(client, {"http_502": 1.0})
    wrong_token = await client.post(ENDPOINT, json={"query": SHOP_QUERY}, headers={"X-Shopify-Access-Token": "x"})
    assert wrong_token.status == 401
    assert (await client.post(ENDPOINT, data=b"{nope", headers=HEADERS)).status == 400
    assert (await client.get("/health")).status == 200
    counted = await stats(client)
    assert counted["requests"] == 0 and counted["faults"]["http_502"] == 0


@pytest.mark.parametrize("faults", [{"http_502": 1.5}, {"http_502": -0.1}, {"bogus": 0.1}, {"slow_seconds": -1}])
async def test_invalid_profiles_are_refused(client: Client, faults: dict[str, Any]) -> None:
    response = await client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN, "faults": faults})
    assert response.status == 422


async def test_sandbox_faults_environment_variable_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_FAULTS", json.dumps({"http_503": 1.0, "retry_after_seconds": 3}))
    settings = SandboxSettings()
    async with TestClient(TestServer(create_sandbox_app(settings))) as client:
        registered = await client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN})
        assert (await registered.json())["faults"]["http_503"] == 1.0
        response = await post_graphql(client, SHOP_QUERY)
        assert response.status == 503 and response.headers["Retry-After"] == "3"
        await register(client, None, shop="calm.myshopify.com")  # an explicit null overrides the default
        calm = await client.post(
            "/calm.myshopify.com/admin/api/2026-10/graphql.json", json={"query": SHOP_QUERY}, headers=HEADERS
        )
        assert calm.status == 200
    for off in ("{}", "null"):
        monkeypatch.setenv("SANDBOX_FAULTS", off)
        faults = SandboxSettings().faults
        assert faults is None or not faults.active

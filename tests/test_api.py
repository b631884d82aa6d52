"""The producer's HTTP API from outside: auth, scopes, JSON errors, unknown tenants, queue counts."""

import time
import uuid

import jwt
import pytest

from devtools.infra import Infra
from devtools.stack_client import StackClient, provision_tenant
from tests.conftest import make_merchant


def assert_error(status: int, body: object, expected_status: int) -> None:
    assert status == expected_status, body
    assert isinstance(body, dict) and set(body["error"]) >= {"code", "message"}, body
    assert "Traceback" not in str(body)


async def test_health_answers_without_auth(client: StackClient) -> None:
    status, body = await client.call("GET", "/health")
    assert status == 200 and body["redis"] is True and body["postgres"] is True


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-jwt", "Basic abc", "forged", "expired"],
)
async def test_a_request_without_a_valid_token_gets_a_json_401(client: StackClient, authorization: str | None) -> None:
    headers = {}
    now = int(time.time())
    if authorization == "forged":
        token = jwt.encode({"sub": "x", "domains": ["*"], "exp": now + 60}, "another-secret", algorithm="HS256")
        headers["Authorization"] = f"Bearer {token}"
    elif authorization == "expired":
        token = jwt.encode({"sub": "x", "domains": ["*"], "exp": now - 60}, client.jwt_secret, algorithm="HS256")
        headers["Authorization"] = f"Bearer {token}"
    elif authorization is not None:
        headers["Authorization"] = authorization
    status, body = await client.call("POST", "/api/v2/sync-products", json={"domain": "a.example"}, headers=headers)
    assert_error(status, body, 401)
    status, body = await client.call("GET", "/api/v2/queues", headers=headers)
    assert_error(status, body, 401)


async def test_a_domain_outside_the_token_scope_gets_a_json_403(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=10)
    status, body = await client.call(
        "POST", "/api/v2/sync-products", ["someone-else.example"], json={"domain": merchant.domain}
    )
    assert_error(status, body, 403)
    sync_id = await client.start_sync(merchant.domain)
    status, body = await client.call("GET", f"/api/v2/syncs/{sync_id}", ["someone-else.example"])
    assert_error(status, body, 403)
    status, body = await client.call("GET", "/api/v2/syncs/no-such-sync", ["*"])
    assert_error(status, body, 404)
    await client.wait_for_sync(sync_id)


async def test_bad_bodies_get_400_and_422(client: StackClient) -> None:
    status, body = await client.call(
        "POST", "/api/v2/sync-products", ["*"], data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(status, body, 400)
    status, body = await client.call("POST", "/api/v2/sync-products", ["*"], json={"dry_run": False})
    assert_error(status, body, 422)
    status, body = await client.call(
        "POST", "/api/v2/sync-products", ["*"], json={"domain": "x.example", "dry_run": "yes"}
    )
    assert_error(status, body, 422)
    status, body = await client.call("POST", "/api/v2/sync-products", ["*"], json=["domain"])
    assert_error(status, body, 422)


async def test_unknown_tenant_or_route_gets_404(client: StackClient) -> None:
    status, body = await client.call("POST", "/api/v2/comprehensive-sync", ["*"], json={"domain": "nobody.example"})
    assert_error(status, body, 404)
    assert "tenant:nobody.example" in body["error"]["message"]
    status, body = await client.call("POST", "/api/v2/sync-customers", ["*"], json={"domain": "nobody.example"})
    assert_error(status, body, 404)
    status, body = await client.call("POST", "/api/v2/sync-promidata", ["*"], json={"domain": "nobody.example"})
    assert_error(status, body, 404)
    status, body = await client.call("GET", "/api/v2/no-such-route", ["*"])
    assert_error(status, body, 404)


async def test_tenant_without_unleashed_credentials_fails_the_sync_with_a_clear_error(
    client: StackClient, infra: Infra
) -> None:
    domain = f"no-creds-{uuid.uuid4().hex[:6]}.example"
    await provision_tenant(infra.redis_url, domain, shop="nowhere.myshopify.com", shopify_token="t")
    status = await client.wait_for_sync(await client.start_sync(domain))
    assert status["state"] == "failed"
    assert any("Unleashed" in error["message"] for error in status["errors"]), status["errors"]


async def test_wrong_unleashed_key_fails_at_the_pull_with_a_clear_error(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=10)
    await provision_tenant(
        infra.redis_url,
        merchant.domain,
        shop=merchant.shop,
        shopify_token=merchant.shopify_token,
        unleashed_api_id=merchant.api_id,
        unleashed_api_key="wrong-key",
    )
    status = await client.wait_for_sync(await client.start_sync(merchant.domain))
    assert status["state"] == "failed"
    assert any("refused the API credentials" in error["message"] for error in status["errors"])
    assert "wrong-key" not in str(status)


async def test_dry_run_plans_but_sends_nothing_and_queue_counts_are_scoped(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=20)
    status = await client.wait_for_sync(await client.start_sync(merchant.domain, dry_run=True))
    assert status["state"] == "completed" and status["dryRun"] is True
    assert status["totals"]["planned"]["creates"] > 0
    assert (await client.shop_stats(merchant.shop))["mutations"] == 0

    await client.wait_for_sync(await client.start_sync(merchant.domain))
    code, scoped = await client.call("GET", "/api/v2/queues", [merchant.domain])
    assert code == 200
    assert set(scoped["queues"]) == {
        "product-mutations",
        "location-mutations",
        "customer-mutations",
        "inventory-mutations",
        "media-mutations",
    }
    assert scoped["queues"]["product-mutations"]["done"] == status["totals"]["planned"]["creates"]
    code, other = await client.call("GET", "/api/v2/queues", ["unrelated.example"])
    assert other["queues"]["product-mutations"]["done"] == 0

"""Shared pieces of the sandbox webhook tests (no tests here): a receiver on loopback, a sandbox with short
retries, the GraphQL documents for subscriptions and signature checks."""

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from multidict import CIMultiDict

from sandbox.app import create_sandbox_app
from sandbox.settings import SandboxSettings
from tests.sandbox_shopify_helpers import SHOP, TOKEN, Client, gql

SECRET = "shpss_test_webhook_secret"

SUBSCRIBE = """
mutation Subscribe($topic: WebhookSubscriptionTopic!, $subscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $subscription) {
    webhookSubscription {
      id
      legacyResourceId
      topic
      uri
      format
      includeFields
      filter
      name
      createdAt
      updatedAt
      apiVersion { handle }
      endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } }
    }
    userErrors { field message }
  }
}
"""

SUBSCRIPTIONS = """
query Subscriptions($first: Int!, $after: String, $topics: [WebhookSubscriptionTopic!]) {
  webhookSubscriptions(first: $first, after: $after, topics: $topics) {
    nodes { id topic uri format }
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

UNSUBSCRIBE = """
mutation Unsubscribe($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}
"""

SET_AVAILABLE = """
mutation SetAvailable($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}
"""

PRODUCT_LEVELS = """
query ProductLevels($id: ID!) {
  product(id: $id) {
    variants(first: 10) { nodes { id sku inventoryItem { id } } }
  }
}
"""


@dataclass
class Received:
    path: str
    headers: CIMultiDict[str]
    body: bytes

    @property
    def topic(self) -> str:
        return self.headers["X-Shopify-Topic"]

    @property
    def webhook_id(self) -> str:
        return self.headers["X-Shopify-Webhook-Id"]

    @property
    def event_id(self) -> str:
        return self.headers["X-Shopify-Event-Id"]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """The app's webhook endpoint: records every delivery; answers the queued statuses first, then `status`."""

    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0

    def url(self, path: str = "/webhooks/shopify") -> str:
        return f"{self.base_url}{path}"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(request.path, CIMultiDict(request.headers), body))
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.Response(status=self.statuses.pop(0) if self.statuses else self.status)

    def of_topic(self, topic: str) -> list[Received]:
        return [item for item in self.received if item.topic == topic]

    async def wait_for(self, count: int, topic: str | None = None, within: float = 5.0) -> list[Received]:
        """At least `count` deliveries (of that topic), waiting up to `within` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            got = self.received if topic is None else self.of_topic(topic)
            if len(got) >= count or loop.time() > deadline:
                assert len(got) >= count, f"{len(got)} of {count} deliveries: {[r.topic for r in self.received]}"
                return list(got)
            await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    app = web.Application()
    hook = Receiver()
    app.router.add_post("/{tail:.*}", hook.handle)
    async with TestServer(app, host="127.0.0.1", port=0) as server:
        hook.base_url = str(server.make_url("")).rstrip("/")
        yield hook


FAST_RETRIES: dict[str, Any] = {
    "webhook_retry_seconds": 0.02,
    "webhook_retry_max_seconds": 0.05,
    "webhook_retries": 3,
    "webhook_timeout": 2.0,
}


@contextlib.asynccontextmanager
async def webhook_sandbox(**settings: Any) -> AsyncIterator[tuple[Client, Receiver]]:
    """An in-process sandbox (short retries unless overridden) with SHOP registered under SECRET, and a receiver."""
    sandbox_settings = SandboxSettings(**{**FAST_RETRIES, **settings})
    async with TestClient(TestServer(create_sandbox_app(sandbox_settings))) as client, receiver() as hook:
        response = await client.post(
            "/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN, "webhook_secret": SECRET}
        )
        assert response.status == 201
        yield client, hook


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signed_by(item: Received, secret: str = SECRET) -> bool:
    given = item.headers.get("X-Shopify-Hmac-Sha256", "")
    return hmac.compare_digest(given, signature(secret, item.body))


async def subscribe(client: Client, topic: str, uri: str, **options: Any) -> dict[str, Any]:
    body = await gql(client, SUBSCRIBE, {"topic": topic, "subscription": {"uri": uri, "format": "JSON", **options}})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["webhookSubscriptionCreate"]
    return result


async def webhooks_log(client: Client, **query: str) -> dict[str, Any]:
    response = await client.get(f"/_sandbox/shops/{SHOP}/webhooks", params=query)
    assert response.status == 200
    log: dict[str, Any] = await response.json()
    return log


async def settle(seconds: float = 0.15) -> None:
    """Give background deliveries time to (not) happen."""
    await asyncio.sleep(seconds)

"""One webhook delivery (a body for one subscription's address), its headers and signature, and a shop's log.

A delivery keeps its body, `X-Shopify-Webhook-Id` and `X-Shopify-Event-Id` for every attempt, retries and
resends included; the HMAC is computed at each attempt with the shop's webhook secret of that moment.
"""

import base64
import hashlib
import hmac
import json
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

DeliveryStatus = Literal["pending", "delivered", "failed"]
SignMode = Literal["yes", "no", "wrong"]
USER_AGENT = "Shopify-Captain-Hook"


def hmac_signature(secret: str, body: bytes) -> str:
    """`X-Shopify-Hmac-Sha256`: base64 of HMAC-SHA256 over the raw body, keyed with the shop's secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def precise_now() -> str:
    """`X-Shopify-Triggered-At`'s form: `2025-07-10T16:15:47.123456Z`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def json_body(payload: Any) -> bytes:
    """Compact JSON, UTF-8 as is (no \\u escapes): the bytes that are signed and sent."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def topic_path(topic: str) -> str:
    """`PRODUCTS_UPDATE` → `products/update`, `INVENTORY_LEVELS_UPDATE` → `inventory_levels/update`."""
    if "/" in topic:
        return topic.lower()
    head, _, tail = topic.lower().rpartition("_")
    return f"{head}/{tail}" if head else tail


def topic_enum(topic: str) -> str:
    """`products/update` (or `PRODUCTS_UPDATE`) → `PRODUCTS_UPDATE`."""
    return topic.replace("/", "_").upper()


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Delivery:
    """One body for one address. `retry`: failed attempts are retried (False for the test hooks' sends)."""

    shop_domain: str
    topic: str  # as the header writes it: products/update
    uri: str
    body: bytes
    api_version: str
    event_id: str
    triggered_at: str
    subscription_id: int | None = None
    subscription_name: str | None = None
    webhook_id: str = ""
    sign: SignMode = "yes"
    retry: bool = True
    attempts: int = 0
    status: DeliveryStatus = "pending"
    last_status_code: int | None = None
    last_error: str | None = None
    last_attempt_at: str | None = None
    delivered_at: str | None = None

    def __post_init__(self) -> None:
        if not self.webhook_id:
            self.webhook_id = new_id()

    def headers(self, secret: str) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": self.topic,
            "X-Shopify-Shop-Domain": self.shop_domain,
            "X-Shopify-API-Version": self.api_version,
            "X-Shopify-Webhook-Id": self.webhook_id,
            "X-Shopify-Event-Id": self.event_id,
            "X-Shopify-Triggered-At": self.triggered_at,
            "User-Agent": USER_AGENT,
        }
        if self.sign == "yes":
            headers["X-Shopify-Hmac-Sha256"] = hmac_signature(secret, self.body)
        elif self.sign == "wrong":
            headers["X-Shopify-Hmac-Sha256"] = hmac_signature(f"not-{secret}", self.body)
        if self.subscription_name:
            headers["X-Shopify-Name"] = self.subscription_name
        return headers

    def as_json(self) -> dict[str, Any]:
        try:
            body: Any = json.loads(self.body)
        except ValueError:
            body = self.body.decode(errors="replace")
        return {
            "webhook_id": self.webhook_id,
            "event_id": self.event_id,
            "topic": self.topic,
            "uri": self.uri,
            "subscription_id": None
            if self.subscription_id is None
            else f"gid://shopify/WebhookSubscription/{self.subscription_id}",
            "api_version": self.api_version,
            "attempts": self.attempts,
            "status": self.status,
            "last_status_code": self.last_status_code,
            "last_error": self.last_error,
            "triggered_at": self.triggered_at,
            "last_attempt_at": self.last_attempt_at,
            "delivered_at": self.delivered_at,
            "signed": self.sign,
            "body": body,
        }


class DeliveryLog:
    """A shop's deliveries in the order they were made; beyond `capacity` the oldest finished ones are dropped."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._by_id: OrderedDict[str, Delivery] = OrderedDict()

    def add(self, delivery: Delivery) -> None:
        self._by_id[delivery.webhook_id] = delivery
        while len(self._by_id) > self.capacity:
            oldest = next((key for key, known in self._by_id.items() if known.status != "pending"), None)
            if oldest is None:
                break
            del self._by_id[oldest]

    def get(self, webhook_id: str) -> Delivery | None:
        return self._by_id.get(webhook_id)

    def select(self, topic: str | None = None, status: str | None = None) -> list[Delivery]:
        wanted = None if topic is None else topic_path(topic)
        return [
            delivery
            for delivery in self._by_id.values()
            if (wanted is None or delivery.topic == wanted) and (status is None or delivery.status == status)
        ]

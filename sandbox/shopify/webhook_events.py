"""From what a request changed to webhook events, and from events to one delivery per matching subscription.

The shop's journal says which records a request touched (first touch first). For each one:

- products: a new product sends `products/create` then `products/update` (as Shopify does), one that changed
  `products/update`, a deleted one `products/delete` (`{"id": n}`);
- inventory levels: an active level whose `available` changed sends `inventory_levels/update` (a level just
  stocked counts from 0, so a new variant's empty level sends nothing);
- locations: `locations/create`, `locations/update` (plus `locations/activate` or `locations/deactivate` when
  that flag flipped), `locations/delete` (`{"id": n}`);
- customers: `customers/create`, `customers/update`, `customers/delete`.

"Changed" means the payload differs from the one last published for that record, ignoring `updated_at`
(and a variant's inventory quantities, which `inventory_levels/update` reports): a write that sets what is
already there sends nothing, like Shopify dropping consecutive identical payloads, and stock changes do not
echo as `products/update`. A record of a kind nobody subscribes to is not even rendered.

Each changed record is one event with its own `X-Shopify-Event-Id` and `X-Shopify-Triggered-At`, shared by
its deliveries (every subscription of its topics, the create and update of a new product included).
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sandbox.shopify.change_journal import RecordKey, Touch
from sandbox.shopify.shop import Shop
from sandbox.shopify.webhook_deliveries import Delivery, json_body, new_id, precise_now, topic_path
from sandbox.shopify.webhook_filters import filter_matches, trimmed
from sandbox.shopify.webhook_payloads import (
    customer_deleted_payload,
    customer_payload,
    level_payload,
    location_payload,
    product_payload,
)
from sandbox.shopify.webhook_sender import WebhookSender

_VOLATILE = frozenset({"updated_at", "inventory_quantity", "old_inventory_quantity"})
PRODUCT_TOPICS = frozenset({"PRODUCTS_CREATE", "PRODUCTS_UPDATE"})
LOCATION_TOPICS = frozenset({"LOCATIONS_CREATE", "LOCATIONS_UPDATE", "LOCATIONS_ACTIVATE", "LOCATIONS_DEACTIVATE"})
CUSTOMER_TOPICS = frozenset({"CUSTOMERS_CREATE", "CUSTOMERS_UPDATE"})


@dataclass
class WebhookEvent:
    """One change of one record: the topics it sends, all with the same body, event id and trigger time."""

    topics: list[str]
    payload: dict[str, Any]
    event_id: str = field(default_factory=new_id)
    triggered_at: str = field(default_factory=precise_now)


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in value.items() if key not in _VOLATILE}
    if isinstance(value, list):
        return [_stable(item) for item in value]
    return value


def fingerprint(payload: dict[str, Any]) -> str:
    text = json.dumps(_stable(payload), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _diffed(shop: Shop, touch: Touch, payload: dict[str, Any], create: str, update: str) -> list[str]:
    """Topics for a record that exists now: create (+ update for products), update if it changed, or none."""
    key: RecordKey = (touch.kind, touch.number)
    digest = fingerprint(payload)
    previous = shop.webhooks.fingerprints.get(key)
    shop.webhooks.fingerprints[key] = digest
    if not touch.existed_before:
        return [create, update] if touch.kind == "product" else [create]
    return [update] if previous != digest else []


def _product_event(shop: Shop, touch: Touch, subscribed: set[str]) -> WebhookEvent | None:
    assert isinstance(touch.number, int)
    product = shop.catalog.products.get(touch.number)
    if product is None:
        shop.webhooks.fingerprints.pop((touch.kind, touch.number), None)
        return WebhookEvent(["PRODUCTS_DELETE"], {"id": touch.number}) if touch.existed_before else None
    if not subscribed & PRODUCT_TOPICS:
        shop.webhooks.fingerprints.pop((touch.kind, touch.number), None)
        return None
    payload = product_payload(shop, product)
    topics = _diffed(shop, touch, payload, "PRODUCTS_CREATE", "PRODUCTS_UPDATE")
    return WebhookEvent(topics, payload) if topics else None


def _level_event(shop: Shop, touch: Touch, subscribed: set[str]) -> WebhookEvent | None:
    assert isinstance(touch.number, tuple)
    key: RecordKey = (touch.kind, touch.number)
    level = shop.inventory.active_level(*touch.number)
    if level is None or "INVENTORY_LEVELS_UPDATE" not in subscribed:
        shop.webhooks.fingerprints.pop(key, None)
        return None
    previous = shop.webhooks.fingerprints.get(key) if touch.existed_before else "0"
    shop.webhooks.fingerprints[key] = str(level.available)
    return WebhookEvent(["INVENTORY_LEVELS_UPDATE"], level_payload(level)) if previous != str(level.available) else None


def _location_event(shop: Shop, touch: Touch, subscribed: set[str]) -> WebhookEvent | None:
    assert isinstance(touch.number, int)
    key: RecordKey = (touch.kind, touch.number)
    location = shop.locations.by_id.get(touch.number)
    if location is None:
        shop.webhooks.fingerprints.pop(key, None)
        return WebhookEvent(["LOCATIONS_DELETE"], {"id": touch.number}) if touch.existed_before else None
    if not subscribed & LOCATION_TOPICS:
        shop.webhooks.fingerprints.pop(key, None)
        return None
    # The stored fingerprint starts with the active flag, so a flip can be told apart from other edits.
    payload = location_payload(location)
    previous = shop.webhooks.fingerprints.get(key)
    now = f"{int(location.is_active)}{fingerprint(payload)}"
    shop.webhooks.fingerprints[key] = now
    if not touch.existed_before:
        return WebhookEvent(["LOCATIONS_CREATE"], payload)
    if previous == now:
        return None
    topics = ["LOCATIONS_UPDATE"]
    if previous is not None and previous[0] != now[0]:
        topics.append("LOCATIONS_ACTIVATE" if location.is_active else "LOCATIONS_DEACTIVATE")
    return WebhookEvent(topics, payload)


def _customer_event(shop: Shop, touch: Touch, subscribed: set[str]) -> WebhookEvent | None:
    assert isinstance(touch.number, int)
    customer = shop.customers.by_id.get(touch.number)
    if customer is None:
        shop.webhooks.fingerprints.pop((touch.kind, touch.number), None)
        deleted = customer_deleted_payload(touch.number)
        return WebhookEvent(["CUSTOMERS_DELETE"], deleted) if touch.existed_before else None
    if not subscribed & CUSTOMER_TOPICS:
        shop.webhooks.fingerprints.pop((touch.kind, touch.number), None)
        return None
    payload = customer_payload(customer)
    topics = _diffed(shop, touch, payload, "CUSTOMERS_CREATE", "CUSTOMERS_UPDATE")
    return WebhookEvent(topics, payload) if topics else None


_BUILDERS = {
    "product": _product_event,
    "level": _level_event,
    "location": _location_event,
    "customer": _customer_event,
}


def collect_events(shop: Shop) -> list[WebhookEvent]:
    """Drain the shop's journal into events, in the order the records were first touched."""
    subscribed = shop.webhooks.topics()
    events = []
    for touch in shop.journal.drain():
        event = _BUILDERS[touch.kind](shop, touch, subscribed)
        if event is not None:
            events.append(event)
    return events


def deliveries_for(shop: Shop, events: list[WebhookEvent]) -> list[Delivery]:
    """One delivery per event topic and subscription of that topic whose filter the payload passes."""
    deliveries = []
    for event in events:
        for topic in event.topics:
            for subscription in shop.webhooks.for_topic(topic):
                if not filter_matches(subscription.filter, event.payload):
                    continue
                deliveries.append(
                    Delivery(
                        shop_domain=shop.domain,
                        topic=topic_path(topic),
                        uri=subscription.uri,
                        body=json_body(trimmed(event.payload, subscription.include_fields)),
                        api_version=subscription.api_version,
                        event_id=event.event_id,
                        triggered_at=event.triggered_at,
                        subscription_id=subscription.id,
                        subscription_name=subscription.name,
                    )
                )
    return deliveries


def publish(shop: Shop, sender: WebhookSender, extra: list[WebhookEvent] | None = None) -> list[Delivery]:
    """Turn what changed since the last call (then the `extra` events) into deliveries and queue them."""
    deliveries = deliveries_for(shop, [*collect_events(shop), *(extra or [])])
    sender.submit(shop.webhooks, deliveries)
    return deliveries

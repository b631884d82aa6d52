"""Subscribing a tenant's shop to the webhook topics the product acts on, at `{WEBHOOK_PUBLIC_URL}/webhooks/shopify`,
idempotently: a topic already subscribed at that address is kept, never doubled. An operator's action (API or
CLI), answered once Shopify has answered; not a sync mutation, so it runs in the producer."""

from dataclasses import dataclass, field

from producer.sources.shopify import query_with_retries, read_pages
from shared.shopify_client import ErrorClass, ShopifyGraphQLClient, ShopifyPermanentError
from shared.shopify_documents import ALL_DOCUMENTS
from shared.tenants import Tenant

WEBHOOK_PATH = "/webhooks/shopify"
TOPICS = (
    "PRODUCTS_UPDATE",
    "PRODUCTS_DELETE",
    "INVENTORY_LEVELS_UPDATE",
    "LOCATIONS_UPDATE",
    "LOCATIONS_DELETE",
    "CUSTOMERS_UPDATE",
    "CUSTOMERS_DELETE",
    "APP_UNINSTALLED",
)


@dataclass
class Subscribed:
    uri: str
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


async def subscribe(client: ShopifyGraphQLClient, tenant: Tenant, public_url: str) -> Subscribed:
    uri = public_url.rstrip("/") + WEBHOOK_PATH
    existing: set[str] = set()
    pages = read_pages(
        client, tenant, ALL_DOCUMENTS["WebhookSubscriptionsPage"], {"first": 100}, connection="webhookSubscriptions",
        page_cost=12,
    )  # fmt: skip
    async for nodes in pages:
        existing |= {node["topic"] for node in nodes if node.get("uri") == uri}
    result = Subscribed(uri)
    for topic in TOPICS:
        if topic in existing:
            result.kept.append(topic)
            continue
        answer = await query_with_retries(
            client, tenant, ALL_DOCUMENTS["WebhookSubscriptionCreate"], {"topic": topic, "uri": uri}
        )
        payload = answer.data["webhookSubscriptionCreate"] or {}
        errors = payload.get("userErrors") or []
        if errors and not any("already been taken" in str(e.get("message")) for e in errors):
            message = "; ".join(str(e.get("message")) for e in errors)
            raise ShopifyPermanentError(
                ErrorClass.INVALID_PAYLOAD, f"Shopify refused the {topic} subscription: {message}"
            )
        (result.kept if errors else result.created).append(topic)
    return result

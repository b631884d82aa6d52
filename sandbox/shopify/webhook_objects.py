"""Webhook subscriptions as GraphQL objects, and the root fields that list, create, update and delete them.

`webhookSubscriptions` filters by `topics`, `format` and `uri` (or the deprecated `callbackUrl`), in creation
order (`sortKey` ID and CREATED_AT are the same order here; `reverse` reverses it); its `query` argument is
not interpreted.
"""

from typing import Any

from sandbox.shopify.connections import PageRequest, connection
from sandbox.shopify.metafield_objects import GraphObject
from sandbox.shopify.webhook_subscriptions import ShopWebhooks, WebhookSubscription


def subscription_object(subscription: WebhookSubscription) -> GraphObject:
    version = subscription.api_version
    return {
        "__typename": "WebhookSubscription",
        "id": subscription.gid,
        "legacyResourceId": str(subscription.id),
        "topic": subscription.topic,
        "uri": subscription.uri,
        "callbackUrl": subscription.uri,
        "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": subscription.uri},
        "format": subscription.format,
        "includeFields": list(subscription.include_fields),
        "filter": subscription.filter,
        "name": subscription.name,
        "metafieldNamespaces": list(subscription.metafield_namespaces),
        "metafields": [
            {"__typename": "WebhookSubscriptionMetafieldIdentifier", "namespace": namespace, "key": key}
            for namespace, key in subscription.metafields
        ],
        "apiVersion": {"__typename": "ApiVersion", "handle": version, "displayName": version, "supported": True},
        "createdAt": subscription.created_at,
        "updatedAt": subscription.updated_at,
    }


def webhook_subscriptions(state: ShopWebhooks, args: dict[str, Any]) -> GraphObject:
    page = PageRequest.from_args(args)
    topics = set(args.get("topics") or ())
    uri = args.get("uri") or args.get("callbackUrl")
    numbers = [
        number
        for number, subscription in state.subscriptions.items()
        if (not topics or subscription.topic in topics)
        and (args.get("format") is None or subscription.format == args["format"])
        and (uri is None or subscription.uri == uri)
    ]
    return connection(sorted(numbers), page, lambda n: subscription_object(state.subscriptions[n]))


def webhook_subscription(state: ShopWebhooks, subscription_gid: str) -> GraphObject | None:
    found = state.find(subscription_gid)
    return None if found is None else subscription_object(found)


def webhook_subscription_create(state: ShopWebhooks, args: dict[str, Any], api_version: str) -> GraphObject:
    created, errors = state.create(args["topic"], args["webhookSubscription"], api_version)
    return {"webhookSubscription": None if created is None else subscription_object(created), "userErrors": errors}


def webhook_subscription_update(state: ShopWebhooks, args: dict[str, Any]) -> GraphObject:
    updated, errors = state.update(args["id"], args["webhookSubscription"])
    return {"webhookSubscription": None if updated is None else subscription_object(updated), "userErrors": errors}


def webhook_subscription_delete(state: ShopWebhooks, subscription_gid: str) -> GraphObject:
    deleted, errors = state.delete(subscription_gid)
    return {"deletedWebhookSubscriptionId": deleted, "userErrors": errors}

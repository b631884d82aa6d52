"""The Shopify emulator's webhook subscriptions (GraphQL) and the deliveries the app's own mutations cause."""

import json
from typing import Any

from sandbox.shopify.admin_schema import check_document
from shared.shopify_documents import ALL_DOCUMENTS
from tests.sandbox_shopify_helpers import SHOP, apparel_input, gql, product_set
from tests.test_sandbox_webhooks_helpers import (
    PRODUCT_LEVELS,
    SECRET,
    SET_AVAILABLE,
    SUBSCRIBE,
    SUBSCRIPTIONS,
    UNSUBSCRIBE,
    settle,
    signed_by,
    subscribe,
    webhook_sandbox,
    webhooks_log,
)

TAKEN = [{"field": ["webhookSubscription", "callbackUrl"], "message": "Address for this topic has already been taken"}]


def test_documents_validate_against_the_schema() -> None:
    for document in (SUBSCRIBE, SUBSCRIPTIONS, UNSUBSCRIBE, SET_AVAILABLE, PRODUCT_LEVELS):
        checked = check_document(document)
        assert checked.errors == (), checked.errors


async def test_subscriptions_are_created_refused_listed_and_deleted() -> None:
    async with webhook_sandbox() as (client, hook):
        body = await gql(
            client,
            SUBSCRIBE,
            {"topic": "PRODUCTS_UPDATE", "subscription": {"uri": hook.url(), "format": "JSON", "name": "sync"}},
        )
        assert body["extensions"]["cost"]["requestedQueryCost"] == 10
        created = body["data"]["webhookSubscriptionCreate"]
        assert created["userErrors"] == []
        subscription = created["webhookSubscription"]
        assert subscription["id"] == "gid://shopify/WebhookSubscription/1"
        assert subscription["legacyResourceId"] == "1"
        assert (subscription["topic"], subscription["uri"], subscription["format"]) == (
            "PRODUCTS_UPDATE",
            hook.url(),
            "JSON",
        )
        assert subscription["endpoint"] == {"__typename": "WebhookHttpEndpoint", "callbackUrl": hook.url()}
        assert subscription["apiVersion"] == {"handle": "2026-10"}
        assert subscription["includeFields"] == [] and subscription["name"] == "sync"
        assert subscription["createdAt"] == subscription["updatedAt"]

        assert await subscribe(client, "PRODUCTS_UPDATE", hook.url()) == {
            "webhookSubscription": None,
            "userErrors": TAKEN,
        }
        blank = await subscribe(client, "PRODUCTS_DELETE", "  ")
        assert blank["userErrors"] == [
            {"field": ["webhookSubscription", "callbackUrl"], "message": "Address can't be blank"}
        ]
        pubsub = await subscribe(client, "PRODUCTS_DELETE", "pubsub://project:topic")
        assert pubsub["webhookSubscription"] is None
        assert "pubsub://" in pubsub["userErrors"][0]["message"]
        assert "not supported" in pubsub["userErrors"][0]["message"]
        shopify = await subscribe(client, "PRODUCTS_DELETE", "https://other.myshopify.com/hooks")
        assert shopify["userErrors"][0]["message"] == "Address cannot be a Shopify or an internal domain"
        xml = await subscribe(client, "PRODUCTS_DELETE", hook.url(), format="XML")
        assert xml["userErrors"][0]["field"] == ["webhookSubscription", "format"]
        # The same address for another topic, and another address for the same topic, are fine.
        assert (await subscribe(client, "PRODUCTS_DELETE", hook.url()))["userErrors"] == []
        assert (await subscribe(client, "PRODUCTS_UPDATE", hook.url("/other")))["userErrors"] == []

        first = (await gql(client, SUBSCRIPTIONS, {"first": 2}))["data"]["webhookSubscriptions"]
        assert [node["topic"] for node in first["nodes"]] == ["PRODUCTS_UPDATE", "PRODUCTS_DELETE"]
        assert first["pageInfo"]["hasNextPage"] is True
        rest = await gql(client, SUBSCRIPTIONS, {"first": 2, "after": first["pageInfo"]["endCursor"]})
        assert [node["uri"] for node in rest["data"]["webhookSubscriptions"]["nodes"]] == [hook.url("/other")]
        only = await gql(client, SUBSCRIPTIONS, {"first": 10, "topics": ["PRODUCTS_DELETE"]})
        assert [node["id"] for node in only["data"]["webhookSubscriptions"]["nodes"]] == [
            "gid://shopify/WebhookSubscription/2"
        ]

        deleted = (await gql(client, UNSUBSCRIBE, {"id": subscription["id"]}))["data"]["webhookSubscriptionDelete"]
        assert deleted == {"deletedWebhookSubscriptionId": subscription["id"], "userErrors": []}
        again = (await gql(client, UNSUBSCRIBE, {"id": subscription["id"]}))["data"]["webhookSubscriptionDelete"]
        assert again["deletedWebhookSubscriptionId"] is None and again["userErrors"][0]["field"] == ["id"]
        # Once deleted, the address is free again for that topic.
        assert (await subscribe(client, "PRODUCTS_UPDATE", hook.url()))["userErrors"] == []
        listed = (await webhooks_log(client))["subscriptions"]
        assert [s["id"][-1] for s in listed] == ["2", "3", "4"]


async def test_internal_addresses_are_refused_only_when_configured() -> None:
    async with webhook_sandbox(webhook_refuse_internal=True) as (client, hook):
        refused = await subscribe(client, "PRODUCTS_UPDATE", hook.url())
        assert refused["userErrors"] == [
            {
                "field": ["webhookSubscription", "callbackUrl"],
                "message": "Address cannot be a Shopify or an internal domain",
            }
        ]
        assert (await subscribe(client, "PRODUCTS_UPDATE", "http://localhost:9/x"))["webhookSubscription"] is None
        assert (await subscribe(client, "PRODUCTS_UPDATE", "https://app.example.com/x"))["userErrors"] == []


async def test_the_shipped_subscription_documents_run() -> None:
    """The product's own subscription documents, when it has them, run against the emulator."""
    async with webhook_sandbox() as (client, hook):
        if "WebhookSubscriptionCreate" in ALL_DOCUMENTS:
            created = await gql(
                client, ALL_DOCUMENTS["WebhookSubscriptionCreate"], {"topic": "PRODUCTS_UPDATE", "uri": hook.url()}
            )
            assert created["data"]["webhookSubscriptionCreate"]["userErrors"] == []
        if "WebhookSubscriptionsPage" in ALL_DOCUMENTS:
            page = await gql(client, ALL_DOCUMENTS["WebhookSubscriptionsPage"], {"first": 50})
            assert "errors" not in page


def _variant(payload: dict[str, Any], sku: str) -> dict[str, Any]:
    found: dict[str, Any] = next(v for v in payload["variants"] if v["sku"] == sku)
    return found


async def test_product_set_sends_create_then_one_update_per_change_signed_with_the_shop_secret() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        await subscribe(client, "PRODUCTS_UPDATE", hook.url())
        created = await product_set(client, apparel_input())
        product_id = created["product"]["id"]
        number = int(product_id.rsplit("/", 1)[1])
        first = await hook.wait_for(2)
        assert [item.topic for item in first] == ["products/create", "products/update"]
        assert first[0].event_id == first[1].event_id and first[0].webhook_id != first[1].webhook_id

        changed = apparel_input()
        changed["variants"][0]["price"] = "55.5"
        await product_set(client, changed, {"id": product_id})
        update = (await hook.wait_for(3))[2]
        assert update.topic == "products/update"
        assert signed_by(update)
        assert not signed_by(update, "another secret")
        headers = update.headers
        assert headers["Content-Type"] == "application/json"
        assert headers["X-Shopify-Shop-Domain"] == SHOP
        assert headers["X-Shopify-API-Version"] == "2026-10"
        assert headers["User-Agent"] == "Shopify-Captain-Hook"
        assert headers["X-Shopify-Triggered-At"].endswith("Z")
        assert update.event_id != first[0].event_id
        payload = update.json()
        assert payload["id"] == number and payload["admin_graphql_api_id"] == product_id
        assert (payload["title"], payload["vendor"], payload["product_type"]) == (
            "Trail Hoodie",
            "Ridgeline",
            "Apparel",
        )
        assert payload["status"] == "active" and payload["tags"] == "unleashed-sync"
        assert payload["created_at"].endswith("+00:00")
        small = _variant(payload, "HOOD-S")
        assert small["price"] == "55.50" and _variant(payload, "HOOD-M")["price"] == "49.95"
        assert small["product_id"] == number and small["barcode"] == "9400000000017"
        assert (small["option1"], small["option2"], small["position"], small["title"]) == ("S", None, 1, "S")
        variant_gid = created["product"]["variants"]["nodes"][0]["id"]
        assert small["admin_graphql_api_id"] == variant_gid
        item_gid = created["product"]["variants"]["nodes"][0]["inventoryItem"]["id"]
        assert f"gid://shopify/InventoryItem/{small['inventory_item_id']}" == item_gid
        assert small["inventory_quantity"] == 0
        assert payload["options"][0]["values"] == ["S", "M"]

        # The same input again changes nothing a payload shows: nothing is sent.
        await product_set(client, changed, {"id": product_id})
        await settle()
        assert len(hook.received) == 3
        log = await webhooks_log(client, topic="products/update")
        assert [d["status"] for d in log["deliveries"]] == ["delivered", "delivered"]
        assert log["deliveries"][1]["body"] == payload


async def test_an_inventory_change_sends_one_level_update_and_no_product_echo() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "INVENTORY_LEVELS_UPDATE", hook.url())
        await subscribe(client, "PRODUCTS_UPDATE", hook.url("/products"))
        created = await product_set(client, apparel_input())
        await hook.wait_for(1, "products/update")
        await settle()
        assert hook.of_topic("inventory_levels/update") == []  # new variants' empty levels are not changes
        variants = created["product"]["variants"]["nodes"]
        location = (await gql(client, "{ location { id } }"))["data"]["location"]["id"]
        quantities = [
            {
                "inventoryItemId": v["inventoryItem"]["id"],
                "locationId": location,
                "quantity": q,
                "changeFromQuantity": 0,
            }
            for v, q in zip(variants, (7, 0), strict=True)
        ]
        given = {"name": "available", "reason": "correction", "quantities": quantities}
        answer = await gql(client, SET_AVAILABLE, {"input": given, "key": "stock-1"})
        assert answer["data"]["inventorySetQuantities"]["userErrors"] == []
        [level] = await hook.wait_for(1, "inventory_levels/update")
        item = int(variants[0]["inventoryItem"]["id"].rsplit("/", 1)[1])
        location_number = int(location.rsplit("/", 1)[1])
        body = level.json()
        assert set(body) == {"inventory_item_id", "location_id", "available", "updated_at", "admin_graphql_api_id"}
        assert (body["inventory_item_id"], body["location_id"], body["available"]) == (item, location_number, 7)
        expected_gid = f"gid://shopify/InventoryLevel/{location_number}?inventory_item_id={item}"
        assert body["admin_graphql_api_id"] == expected_gid
        assert signed_by(level)
        await settle()
        assert len(hook.of_topic("inventory_levels/update")) == 1  # the unchanged quantity sent nothing
        assert len(hook.of_topic("products/update")) == 1  # and stock does not echo as a product update


async def test_fan_out_shares_the_event_id_and_include_fields_and_filters_shape_each_delivery() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "PRODUCTS_UPDATE", hook.url("/a"))
        await subscribe(client, "PRODUCTS_UPDATE", hook.url("/b"), includeFields=["id", "updated_at", "variants.sku"])
        await subscribe(client, "PRODUCTS_UPDATE", hook.url("/c"), filter="vendor:Elsewhere")
        await subscribe(client, "PRODUCTS_UPDATE", hook.url("/d"), filter="variants.price:>=40 AND status:active")
        await product_set(client, apparel_input())
        got = await hook.wait_for(3)
        await settle()
        assert sorted(item.path for item in hook.received) == ["/a", "/b", "/d"]
        by_path = {item.path: item for item in got}
        assert by_path["/a"].event_id == by_path["/b"].event_id
        assert by_path["/a"].webhook_id != by_path["/b"].webhook_id
        trimmed = by_path["/b"].json()
        assert set(trimmed) == {"id", "updated_at", "variants"}
        assert trimmed["variants"] == [{"sku": "HOOD-S"}, {"sku": "HOOD-M"}]
        assert signed_by(by_path["/b"])
        assert json.loads(by_path["/a"].body)["vendor"] == "Ridgeline"


async def test_locations_and_customers_send_their_topics() -> None:
    async with webhook_sandbox() as (client, hook):
        for topic in ("LOCATIONS_CREATE", "LOCATIONS_UPDATE", "LOCATIONS_DEACTIVATE", "CUSTOMERS_CREATE"):
            await subscribe(client, topic, hook.url())
        address = {"countryCode": "NZ", "city": "Auckland", "address1": "1 Queen St"}
        added = await gql(client, ALL_DOCUMENTS["LocationAdd"], {"input": {"name": "Depot", "address": address}})
        location_id = added["data"]["locationAdd"]["location"]["id"]
        [created] = await hook.wait_for(1, "locations/create")
        assert created.json()["name"] == "Depot" and created.json()["country_code"] == "NZ"
        assert created.json()["admin_graphql_api_id"] == location_id and created.json()["active"] is True
        deactivated = await gql(
            client,
            ALL_DOCUMENTS["LocationDeactivate"],
            {"locationId": location_id, "destinationLocationId": None, "idempotencyKey": "off-1"},
        )
        assert deactivated["data"]["locationDeactivate"]["locationDeactivateUserErrors"] == []
        [update] = await hook.wait_for(1, "locations/update")
        [deactivate] = await hook.wait_for(1, "locations/deactivate")
        assert update.json()["active"] is False and update.event_id == deactivate.event_id
        customer = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "tags": ["vip", "b2b"]}
        await gql(client, ALL_DOCUMENTS["CustomerSet"], {"identifier": None, "input": customer})
        [made] = await hook.wait_for(1, "customers/create")
        assert made.json()["email"] == "ada@example.com" and made.json()["tags"] == "vip, b2b"
        assert signed_by(made, SECRET)


UPDATE = """
mutation Move($id: ID!, $subscription: WebhookSubscriptionInput!) {
  webhookSubscriptionUpdate(id: $id, webhookSubscription: $subscription) {
    webhookSubscription { id uri includeFields }
    userErrors { field message }
  }
}
"""


async def test_a_moved_subscription_delivers_to_its_new_address() -> None:
    assert check_document(UPDATE).errors == ()
    async with webhook_sandbox() as (client, hook):
        subscription = (await subscribe(client, "PRODUCTS_CREATE", hook.url()))["webhookSubscription"]
        await subscribe(client, "PRODUCTS_CREATE", hook.url("/taken"))
        taken = await gql(client, UPDATE, {"id": subscription["id"], "subscription": {"uri": hook.url("/taken")}})
        assert taken["data"]["webhookSubscriptionUpdate"]["userErrors"] == TAKEN
        moved = await gql(
            client,
            UPDATE,
            {"id": subscription["id"], "subscription": {"uri": hook.url("/moved"), "includeFields": ["id"]}},
        )
        assert moved["data"]["webhookSubscriptionUpdate"]["webhookSubscription"] == {
            "id": subscription["id"],
            "uri": hook.url("/moved"),
            "includeFields": ["id"],
        }
        await product_set(client, apparel_input())
        await hook.wait_for(2)
        await settle()
        by_path = {item.path: item for item in hook.received}
        assert set(by_path) == {"/moved", "/taken"} and set(by_path["/moved"].json()) == {"id"}


async def test_a_read_only_app_can_still_manage_its_subscriptions() -> None:
    async with webhook_sandbox() as (client, hook):
        assert (await client.patch(f"/_sandbox/shops/{SHOP}", json={"write_access": False})).status == 200
        assert (await subscribe(client, "PRODUCTS_UPDATE", hook.url()))["userErrors"] == []
        denied = await gql(client, ALL_DOCUMENTS["ProductSet"], {"input": apparel_input(), "identifier": None})
        assert denied["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"

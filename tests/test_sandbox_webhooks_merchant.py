"""The merchant's own edits in the emulated Shopify admin change the shop like the app would, and send webhooks."""

from typing import Any
from urllib.parse import quote

from shared.shopify_documents import ALL_DOCUMENTS
from tests.sandbox_shopify_helpers import ENDPOINT, SHOP, TOKEN, Client, apparel_input, gql, inspected_products
from tests.sandbox_shopify_helpers import product_set as set_product
from tests.test_sandbox_webhooks_helpers import Receiver, settle, signed_by, subscribe, webhook_sandbox, webhooks_log

ADMIN = f"/_sandbox/shops/{SHOP}"


async def _product(client: Client, hook: Receiver) -> dict[str, Any]:
    created: dict[str, Any] = (await set_product(client, apparel_input()))["product"]
    await settle()
    hook.received.clear()
    return created


async def test_a_merchant_edit_sends_products_update_with_the_new_values() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "PRODUCTS_UPDATE", hook.url())
        product = await _product(client, hook)
        number = product["id"].rsplit("/", 1)[1]
        edit = {
            "title": "Trail Hoodie II",
            "status": "draft",
            "tags": "sale, winter",
            "variants": [{"sku": "hood-m", "price": "39.9", "barcode": "9400000000024"}],
        }
        response = await client.patch(f"{ADMIN}/products/{number}", json=edit)
        assert response.status == 200, await response.text()
        answer = await response.json()
        assert answer["product"]["title"] == "Trail Hoodie II" and answer["product"]["status"] == "DRAFT"
        assert [w["topic"] for w in answer["webhooks"]] == ["products/update"]
        [update] = await hook.wait_for(1)
        assert update.webhook_id == answer["webhooks"][0]["webhook_id"]
        assert signed_by(update)
        payload = update.json()
        assert (payload["title"], payload["status"], payload["tags"]) == ("Trail Hoodie II", "draft", "sale, winter")
        medium = next(v for v in payload["variants"] if v["sku"] == "HOOD-M")
        assert (medium["price"], medium["barcode"]) == ("39.90", "9400000000024")
        # The app sees the merchant's edit through GraphQL too.
        seen = await gql(client, "query($id: ID!) { product(id: $id) { title status } }", {"id": product["id"]})
        assert seen["data"]["product"] == {"title": "Trail Hoodie II", "status": "DRAFT"}
        # By gid (URL-encoded), by variant id; an edit that changes nothing sends nothing.
        variant = product["variants"]["nodes"][0]["id"]
        same = await client.patch(
            f"{ADMIN}/products/{quote(product['id'], safe='')}", json={"variants": [{"id": variant, "price": "49.95"}]}
        )
        assert same.status == 200 and (await same.json())["webhooks"] == []
        await settle()
        assert len(hook.received) == 1


async def test_merchant_edits_are_checked() -> None:
    async with webhook_sandbox() as (client, hook):
        product = await _product(client, hook)
        number = product["id"].rsplit("/", 1)[1]
        assert (await client.patch(f"{ADMIN}/products/999", json={"title": "x"})).status == 404
        assert (await client.patch(f"{ADMIN}/products/{number}", json={"status": "gone"})).status == 422
        assert (await client.patch(f"{ADMIN}/products/{number}", json={"title": " "})).status == 422
        assert (await client.patch(f"{ADMIN}/products/{number}", json={"variants": [{"sku": "NOPE"}]})).status == 422
        bad_price = {"variants": [{"sku": "HOOD-S", "price": "-1"}]}
        assert (await client.patch(f"{ADMIN}/products/{number}", json=bad_price)).status == 422
        assert (await client.patch(f"{ADMIN}/products/{number}", json={"colour": "red"})).status == 422
        assert (await inspected_products(client))[0]["title"] == "Trail Hoodie"  # nothing half-applied


async def test_a_merchant_delete_sends_products_delete_and_takes_variants_and_stock_along() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "PRODUCTS_DELETE", hook.url())
        product = await _product(client, hook)
        number = int(product["id"].rsplit("/", 1)[1])
        response = await client.delete(f"{ADMIN}/products/{product['id']}")  # a gid as is works too
        assert response.status == 200
        assert (await response.json())["deleted_product_id"] == product["id"]
        [deleted] = await hook.wait_for(1)
        assert deleted.topic == "products/delete" and deleted.json() == {"id": number}
        assert signed_by(deleted)
        assert await inspected_products(client) == []
        assert (await (await client.get(f"{ADMIN}/inventory")).json())["inventory"] == []
        gone = await gql(client, "query($id: ID!) { product(id: $id) { id } }", {"id": product["id"]})
        assert gone["data"]["product"] is None
        assert (await client.delete(f"{ADMIN}/products/{number}")).status == 404


async def test_a_merchant_stock_edit_sends_inventory_levels_update() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "INVENTORY_LEVELS_UPDATE", hook.url())
        product = await _product(client, hook)
        item = product["variants"]["nodes"][1]["inventoryItem"]["id"]
        location = (await gql(client, "{ location { id } }"))["data"]["location"]["id"]
        level = {"inventory_item_id": item, "location_id": location, "available": 12}
        response = await client.put(f"{ADMIN}/inventory/levels", json=level)
        assert response.status == 200, await response.text()
        [update] = await hook.wait_for(1)
        body = update.json()
        assert body["available"] == 12 and body["inventory_item_id"] == int(item.rsplit("/", 1)[1])
        assert body == (await response.json())["level"]
        same = await client.put(f"{ADMIN}/inventory/levels", json=level)
        assert (await same.json())["webhooks"] == []
        unknown = {"inventory_item_id": 999, "location_id": location, "available": 1}
        assert (await client.put(f"{ADMIN}/inventory/levels", json=unknown)).status == 422


async def test_merchant_location_and_customer_edits_and_deletes() -> None:
    async with webhook_sandbox() as (client, hook):
        for topic in ("LOCATIONS_UPDATE", "LOCATIONS_DELETE", "CUSTOMERS_UPDATE", "CUSTOMERS_DELETE"):
            await subscribe(client, topic, hook.url())
        added = await gql(
            client, ALL_DOCUMENTS["LocationAdd"], {"input": {"name": "Depot", "address": {"countryCode": "NZ"}}}
        )
        location = added["data"]["locationAdd"]["location"]["id"]
        number = location.rsplit("/", 1)[1]
        assert (await client.delete(f"{ADMIN}/locations/{number}")).status == 409  # still active
        edited = await client.patch(f"{ADMIN}/locations/{number}", json={"city": "Hamilton", "active": False})
        assert edited.status == 200, await edited.text()
        [update] = await hook.wait_for(1, "locations/update")
        assert update.json()["city"] == "Hamilton" and update.json()["active"] is False
        taken = await client.patch(f"{ADMIN}/locations/{number}", json={"name": "Shop location"})
        assert taken.status == 422 and (await taken.json())["userErrors"][0]["message"] == "Name has already been taken"
        assert (await client.delete(f"{ADMIN}/locations/{number}")).status == 200
        [deleted] = await hook.wait_for(1, "locations/delete")
        assert deleted.json() == {"id": int(number)}

        made = await gql(client, ALL_DOCUMENTS["CustomerSet"], {"identifier": None, "input": {"email": "a@b.co"}})
        customer = made["data"]["customerSet"]["customer"]["id"]
        patched = await client.patch(f"{ADMIN}/customers/{quote(customer, safe='')}", json={"first_name": "Ann"})
        assert patched.status == 200 and (await patched.json())["customer"]["firstName"] == "Ann"
        [changed] = await hook.wait_for(1, "customers/update")
        assert changed.json()["first_name"] == "Ann" and changed.json()["email"] == "a@b.co"
        assert (
            await client.patch(f"{ADMIN}/customers/{customer.rsplit('/', 1)[1]}", json={"email": "x"})
        ).status == 422
        assert (await client.delete(f"{ADMIN}/customers/{customer.rsplit('/', 1)[1]}")).status == 200
        [removed] = await hook.wait_for(1, "customers/delete")
        assert removed.json()["id"] == int(customer.rsplit("/", 1)[1])
        assert removed.json()["admin_graphql_api_id"] == customer


async def test_uninstalling_sends_app_uninstalled_then_refuses_the_token_until_reinstalled() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "APP_UNINSTALLED", hook.url())
        await subscribe(client, "PRODUCTS_UPDATE", hook.url())
        response = await client.post(f"{ADMIN}/uninstall")
        assert response.status == 200
        assert [w["topic"] for w in (await response.json())["webhooks"]] == ["app/uninstalled"]
        [uninstalled] = await hook.wait_for(1)
        assert uninstalled.topic == "app/uninstalled" and signed_by(uninstalled)
        shop = uninstalled.json()
        assert shop["myshopify_domain"] == SHOP and shop["domain"] == SHOP and "admin_graphql_api_id" not in shop
        refused = await client.post(
            ENDPOINT, json={"query": "{ shop { name } }"}, headers={"X-Shopify-Access-Token": TOKEN}
        )
        assert refused.status == 401
        assert (await webhooks_log(client))["subscriptions"] == []
        shown = await (await client.get(ADMIN)).json()
        assert shown["installed"] is False
        again = await client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN})
        assert again.status == 200 and (await again.json())["installed"] is True
        assert "errors" not in await gql(client, "{ shop { name } }")

"""`/_sandbox/shops/{shop}/...` routes that act as the merchant editing in Shopify's admin, not as the app.

They change the shop exactly as the app's GraphQL would (same records, same rules) and so send the same
webhooks. `{id}` is a record's number or its gid (as is or URL-encoded). Each answers the record as it now
is, plus `webhooks`: the deliveries the edit queued (`webhook_id`, `event_id`, `topic`, `uri`).

- `PATCH .../products/{id}` `{"title", "status", "vendor", "product_type", "body_html", "tags", "variants":
  [{"id" or "sku", "price", "compare_at_price", "barcode"}]}` (any of them; `status` in any case).
- `DELETE .../products/{id}`: the product goes with its variants, inventory items and levels.
- `PUT .../inventory/levels` `{"inventory_item_id", "location_id", "available"}`: sets `available` (an
  item not stocked at that active location is stocked there first, as the admin's quantity field does).
- `POST .../uninstall`: the merchant removes the app: `app/uninstalled` goes to its subscribers, then the
  app's subscriptions are deleted and its token is refused until the shop is registered again (or given
  a new access token).

Locations and customers are in `admin_merchant_records`.
"""

from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from sandbox.admin_lookup import fail, record_number, shop_or_404
from sandbox.app_state import WEBHOOK_SENDER
from sandbox.http_json import json_response, read_model
from sandbox.shopify.catalog import Product, Variant, gid, now_iso
from sandbox.shopify.graph_objects import inspection_view
from sandbox.shopify.input_rules import clean_tags, money_text, title_problem
from sandbox.shopify.inventory_mutations import QUANTITY_LIMIT
from sandbox.shopify.shop import Shop
from sandbox.shopify.webhook_deliveries import Delivery
from sandbox.shopify.webhook_events import WebhookEvent, publish
from sandbox.shopify.webhook_payloads import level_payload, shop_payload

STATUSES = ("ACTIVE", "ARCHIVED", "DRAFT")
Money = str | int | float


class VariantEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int | str | None = None
    sku: str | None = None
    price: Money | None = None
    compare_at_price: Money | None = None
    barcode: str | None = None


class ProductEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    status: str | None = None
    vendor: str | None = None
    product_type: str | None = None
    body_html: str | None = None
    tags: list[str] | str | None = None
    variants: list[VariantEdit] | None = None


class LevelEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inventory_item_id: int | str
    location_id: int | str
    available: int = Field(ge=-QUANTITY_LIMIT, le=QUANTITY_LIMIT)


def webhooks_json(deliveries: list[Delivery]) -> list[dict[str, Any]]:
    return [{"webhook_id": d.webhook_id, "event_id": d.event_id, "topic": d.topic, "uri": d.uri} for d in deliveries]


def published(request: web.Request, shop: Shop, answer: dict[str, Any]) -> web.Response:
    """Queue the webhooks of what the edit changed, and answer with them."""
    deliveries = publish(shop, request.app[WEBHOOK_SENDER])
    return json_response({**answer, "webhooks": webhooks_json(deliveries)})


def _product_or_404(request: web.Request, shop: Shop) -> Product:
    product = shop.catalog.products.get(record_number(request.match_info["id"], "Product") or -1)
    if product is None:
        fail(404, "unknown product")
    return product


def _variant(shop: Shop, product: Product, edit: VariantEdit, index: int) -> Variant:
    variants = shop.catalog.variants_of(product)
    if edit.id is not None:
        number = record_number(edit.id, "ProductVariant")
        found = next((v for v in variants if v.id == number), None)
    elif edit.sku is not None:
        found = next((v for v in variants if (v.sku or "").casefold() == edit.sku.casefold()), None)
    else:
        fail(422, f"variants[{index}] needs an id or a sku")
    if found is None:
        fail(422, f"variants[{index}] is not a variant of this product")
    return found


def _money(value: Money | None, where: str) -> str | None:
    if value is None:
        return None
    text, problem = money_text(value)
    if problem is not None:
        fail(422, f"{where}: {problem}")
    return text


async def edit_product(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    product = _product_or_404(request, shop)
    edit = await read_model(request, ProductEdit)
    if edit.title is not None and (problem := title_problem(edit.title)):
        fail(422, problem)
    status = None if edit.status is None else edit.status.upper()
    if status is not None and status not in STATUSES:
        fail(422, f"status must be one of {', '.join(s.lower() for s in STATUSES)}")
    planned = []
    for index, variant_edit in enumerate(edit.variants or []):
        variant = _variant(shop, product, variant_edit, index)
        price = _money(variant_edit.price, f"variants[{index}].price")
        compare_at = _money(variant_edit.compare_at_price, f"variants[{index}].compare_at_price")
        planned.append((variant, variant_edit, price, compare_at))
    now = now_iso()
    for variant, variant_edit, price, compare_at in planned:
        variant.price = price if price is not None else variant.price
        variant.compare_at_price = compare_at if compare_at is not None else variant.compare_at_price
        if variant_edit.barcode is not None:
            variant.barcode = variant_edit.barcode or None
        variant.updated_at = now
        shop.catalog.put_variant(variant)
    for value, attribute in (
        (edit.title, "title"),
        (status, "status"),
        (edit.vendor, "vendor"),
        (edit.product_type, "product_type"),
        (edit.body_html, "description_html"),
    ):
        if value is not None:
            setattr(product, attribute, value)
    if edit.tags is not None:
        tags = edit.tags.split(",") if isinstance(edit.tags, str) else edit.tags
        product.tags = clean_tags([tag.strip() for tag in tags])
    product.updated_at = now
    shop.catalog.put_product(product, product.handle)
    return published(request, shop, {"product": inspection_view(shop.catalog, product, shop.media)})


async def delete_product(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    product = _product_or_404(request, shop)
    shop.catalog.remove_product(product.id)
    return published(request, shop, {"deleted_product_id": gid("Product", product.id)})


async def set_level(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    edit = await read_model(request, LevelEdit)
    item_id = record_number(edit.inventory_item_id, "InventoryItem")
    if item_id is None or shop.catalog.variant_of_item(item_id) is None:
        fail(422, "unknown inventory item")
    location = shop.locations.by_id.get(record_number(edit.location_id, "Location") or -1)
    if location is None or not location.is_active:
        fail(422, "unknown or inactive location")
    level = shop.inventory.active_level(item_id, location.id) or shop.inventory.stock(item_id, location.id)
    changes = shop.inventory.set_quantity(level, "available", edit.available)
    if changes:
        shop.inventory.record_group("correction", None, changes)
    return published(request, shop, {"level": level_payload(level)})


async def uninstall_app(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    sender = request.app[WEBHOOK_SENDER]
    uninstalled = [WebhookEvent(["APP_UNINSTALLED"], shop_payload(shop))] if shop.installed else []
    deliveries = publish(shop, sender, uninstalled)
    shop.webhooks.remove_all()
    shop.installed = False
    return json_response({"shop": shop.domain, "installed": False, "webhooks": webhooks_json(deliveries)})


def add_merchant_routes(app: web.Application, shop_prefix: str) -> None:
    router = app.router
    router.add_patch(f"{shop_prefix}/products/{{id:.+}}", edit_product)
    router.add_delete(f"{shop_prefix}/products/{{id:.+}}", delete_product)
    router.add_put(f"{shop_prefix}/inventory/levels", set_level)
    router.add_post(f"{shop_prefix}/uninstall", uninstall_app)

"""The sandbox's own JSON API under `/_sandbox`: register shops, inspect their data, break things.

The Unleashed accounts' routes (register, plant records, plan faults) are in `admin_unleashed`, the Promidata
feeds' routes (register, change, plan faults) in `admin_promidata`; a shop's webhook log and test hooks in
`admin_webhooks`, the merchant's own edits (which send webhooks) in `admin_merchant` and
`admin_merchant_records`, a shop's bulk operations and their faults in `admin_bulk`.
"""

import resource
from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from sandbox.admin_bulk import add_bulk_admin_routes
from sandbox.admin_lookup import shop_or_404
from sandbox.admin_merchant import add_merchant_routes
from sandbox.admin_merchant_records import add_merchant_record_routes
from sandbox.admin_promidata import add_promidata_admin_routes
from sandbox.admin_unleashed import add_unleashed_admin_routes
from sandbox.admin_webhooks import add_webhook_admin_routes
from sandbox.app_state import SETTINGS, SHOPS
from sandbox.http_json import json_response, read_model
from sandbox.shopify.customer_objects import customers_json
from sandbox.shopify.faults import FaultProfile
from sandbox.shopify.graph_objects import inspection_view
from sandbox.shopify.media_objects import files_json
from sandbox.shopify.plans import ShopPlan, plan_json
from sandbox.shopify.shop import Shop
from sandbox.shopify.stock_objects import inventory_json, locations_json

PREFIX = "/_sandbox"


class ShopRegistration(BaseModel):
    """`plan`: a plan name or `{"restore_rate", "bucket"}`; `faults`: a fault profile, `null`/`{}` for none.

    Leaving `plan` or `faults` out gives the sandbox's defaults (`SANDBOX_DEFAULT_PLAN`, `SANDBOX_FAULTS`).
    `webhook_secret`: the key webhooks are signed with; left out, a new shop gets one derived from its name
    (the answer shows it) and a known shop keeps its own.
    """

    shop: str = Field(min_length=1)
    access_token: str = Field(min_length=1)
    plan: ShopPlan | None = None
    write_access: bool = True
    faults: FaultProfile | None = None
    webhook_secret: str | None = Field(default=None, min_length=1)


class ShopChange(BaseModel):
    """Only the keys given change; `"faults": null` or `{}` turns faults off; a new access token reinstalls the
    app after an uninstall."""

    access_token: str | None = Field(default=None, min_length=1)
    plan: ShopPlan | None = None
    write_access: bool | None = None
    faults: FaultProfile | None = None
    webhook_secret: str | None = Field(default=None, min_length=1)


class BucketLevel(BaseModel):
    currently_available: float = Field(ge=0)


def _shop_json(shop: Shop) -> dict[str, Any]:
    return {
        "shop": shop.domain,
        "plan": plan_json(shop.plan),
        "write_access": shop.write_access,
        "throttle_status": shop.bucket.throttle_status(),
        "faults": None if shop.faults.profile is None else shop.faults.profile.model_dump(),
        "installed": shop.installed,
        "webhook_secret": shop.webhooks.secret,
    }


_shop_or_404 = shop_or_404


async def register_shop(request: web.Request) -> web.Response:
    body = await read_model(request, ShopRegistration)
    settings = request.app[SETTINGS]
    plan = body.plan or settings.default_plan
    faults = body.faults if "faults" in body.model_fields_set else settings.faults
    shop, created = request.app[SHOPS].register(
        body.shop, body.access_token, plan, body.write_access, faults, body.webhook_secret
    )
    return json_response(_shop_json(shop), status=201 if created else 200)


async def show_shop(request: web.Request) -> web.Response:
    return json_response(_shop_json(_shop_or_404(request)))


async def list_shops(request: web.Request) -> web.Response:
    return json_response({"shops": request.app[SHOPS].domains()})


async def change_shop(request: web.Request) -> web.Response:
    shop = _shop_or_404(request)
    body = await read_model(request, ShopChange)
    if body.access_token is not None:
        shop.access_token = body.access_token
        shop.installed = True
    if body.webhook_secret is not None:
        shop.webhooks.secret = body.webhook_secret
    if body.plan is not None:
        shop.change_plan(body.plan)
    if body.write_access is not None:
        shop.write_access = body.write_access
    if "faults" in body.model_fields_set:
        shop.set_faults(body.faults)
    return json_response(_shop_json(shop))


async def set_bucket(request: web.Request) -> web.Response:
    shop = _shop_or_404(request)
    body = await read_model(request, BucketLevel)
    shop.bucket.set_available(body.currently_available)
    return json_response(_shop_json(shop))


async def shop_products(request: web.Request) -> web.Response:
    shop = _shop_or_404(request)
    catalog = shop.catalog
    return json_response({"products": [inspection_view(catalog, p, shop.media) for p in catalog.products.values()]})


async def shop_files(request: web.Request) -> web.Response:
    """Every media file of the shop in creation order, detached ones included.

    Each: `id` (MediaImage gid), `alt`, `status`, `originalSource`, `filename`, `mimeType`, `mediaErrors`
    (`code`, `message`) and `products` (gids of the products listing it).
    """
    shop = _shop_or_404(request)
    return json_response({"files": files_json(shop.media, shop.catalog)})


async def shop_locations(request: web.Request) -> web.Response:
    """Every location of the shop, inactive ones included, in creation order.

    Each: `id`, `name`, `isActive`, `isPrimary`, `fulfillsOnlineOrders`, `address` (`address1`, `address2`,
    `city`, `zip`, `province`, `provinceCode`, `country`, `countryCode`, `phone`, `formatted`),
    `metafields` (`id`, `namespace`, `key`, `type`, `value`), `createdAt`, `updatedAt`, `deactivatedAt`.
    """
    return json_response({"locations": locations_json(_shop_or_404(request))})


async def shop_customers(request: web.Request) -> web.Response:
    """Every customer of the shop, in creation order.

    Each: `id`, `firstName`, `lastName`, `displayName`, `email`, `phone`, `note`, `tags`, `taxExempt`,
    `locale`, `createdAt`, `updatedAt`, `addresses` (each with `id`, `address1`, `address2`, `city`, `company`,
    `country`, `countryCode`, `countryCodeV2`, `province`, `provinceCode`, `zip`, `phone`, `firstName`,
    `lastName`, `name`, `formattedArea`) and `metafields` (`id`, `namespace`, `key`, `type`, `value`).
    """
    return json_response({"customers": customers_json(_shop_or_404(request))})


async def shop_inventory(request: web.Request) -> web.Response:
    """Every inventory level of the shop, unstocked (inactive) ones included, in creation order.

    Each: `id` (the InventoryLevel gid), `inventoryItemId`, `variantId` and `sku` of the item's variant,
    `locationId`, `locationName`, `isActive`, `available`, `on_hand`.
    """
    return json_response({"inventory": inventory_json(_shop_or_404(request))})


async def shop_stats(request: web.Request) -> web.Response:
    """Counters of the shop's GraphQL endpoint since registration or the last reset.

    - `requests`: authenticated GraphQL requests with a well-formed body, faulted ones included.
    - `mutations`: mutation operations that were executed (past validation, cost limit and bucket), whatever
      their outcome (userErrors and ACCESS_DENIED included); requests an injected fault answered instead
      are not counted, `applied_then_dropped` ones are (they were executed).
    - `mutations_applied`: the part of `mutations` that changed the shop's data (a product, variant, media,
      location, customer, metafield definition or inventory level written); user errors, no-op successes and
      idempotent replays change nothing and do not count.
    - `throttled`: requests answered THROTTLED; `points_used`: actual query cost charged.
    - `by_root_field`: executed root fields by name.
    - `faults`: injected faults by kind (`http_502`, `http_503`, `http_429`, `internal_error`, `slow`,
      `applied_then_dropped`); a `slow` request can also get one of the others.
    """
    return json_response(_shop_or_404(request).stats.as_json())


async def reset_shop_stats(request: web.Request) -> web.Response:
    shop = _shop_or_404(request)
    shop.stats = type(shop.stats)()
    return json_response(shop.stats.as_json())


def _process_usage() -> dict[str, float | int]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # ru_maxrss is in kilobytes on Linux; the current RSS comes from /proc when it is there.
    rss = usage.ru_maxrss * 1024
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            rss = int(statm.read().split()[1]) * resource.getpagesize()
    except OSError:
        pass
    return {"cpu_seconds": usage.ru_utime + usage.ru_stime, "rss_bytes": rss, "max_rss_bytes": usage.ru_maxrss * 1024}


async def process_usage(_request: web.Request) -> web.Response:
    return json_response(_process_usage())


def add_admin_routes(app: web.Application) -> None:
    router = app.router
    router.add_get(f"{PREFIX}/shops", list_shops)
    router.add_post(f"{PREFIX}/shops", register_shop)
    router.add_get(f"{PREFIX}/shops/{{shop}}", show_shop)
    router.add_patch(f"{PREFIX}/shops/{{shop}}", change_shop)
    router.add_put(f"{PREFIX}/shops/{{shop}}/bucket", set_bucket)
    router.add_get(f"{PREFIX}/shops/{{shop}}/products", shop_products)
    router.add_get(f"{PREFIX}/shops/{{shop}}/locations", shop_locations)
    router.add_get(f"{PREFIX}/shops/{{shop}}/customers", shop_customers)
    router.add_get(f"{PREFIX}/shops/{{shop}}/inventory", shop_inventory)
    router.add_get(f"{PREFIX}/shops/{{shop}}/files", shop_files)
    router.add_get(f"{PREFIX}/shops/{{shop}}/stats", shop_stats)
    router.add_post(f"{PREFIX}/shops/{{shop}}/stats/reset", reset_shop_stats)
    add_webhook_admin_routes(app, f"{PREFIX}/shops/{{shop}}")
    add_bulk_admin_routes(app, f"{PREFIX}/shops/{{shop}}")
    add_merchant_routes(app, f"{PREFIX}/shops/{{shop}}")
    add_merchant_record_routes(app, f"{PREFIX}/shops/{{shop}}")
    add_unleashed_admin_routes(app, f"{PREFIX}/unleashed/accounts")
    add_promidata_admin_routes(app, f"{PREFIX}/promidata/feeds")
    router.add_get(f"{PREFIX}/process", process_usage)

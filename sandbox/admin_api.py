"""The sandbox's own JSON API under `/_sandbox`: register shops and accounts, inspect, plant, break things."""

import resource
from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from sandbox.app_state import SETTINGS, SHOPS, UNLEASHED_ACCOUNTS
from sandbox.dataset import MAX_SIZE, MIN_SIZE, generate_unleashed_dataset
from sandbox.dataset_products import DEFAULT_GROUPED_SHARE
from sandbox.http_json import json_response, read_json_object, read_model
from sandbox.shopify.faults import FaultProfile
from sandbox.shopify.graph_objects import inspection_view
from sandbox.shopify.plans import ShopPlan, plan_json
from sandbox.shopify.shop import Shop
from sandbox.unleashed.accounts import PlannedFaults, UnleashedAccount

PREFIX = "/_sandbox"


class ShopRegistration(BaseModel):
    """`plan`: a plan name or `{"restore_rate", "bucket"}`; `faults`: a fault profile, `null`/`{}` for none.

    Leaving `plan` or `faults` out gives the sandbox's defaults (`SANDBOX_DEFAULT_PLAN`, `SANDBOX_FAULTS`).
    """

    shop: str = Field(min_length=1)
    access_token: str = Field(min_length=1)
    plan: ShopPlan | None = None
    write_access: bool = True
    faults: FaultProfile | None = None


class ShopChange(BaseModel):
    """Only the keys given change; `"faults": null` or `{}` turns faults off."""

    access_token: str | None = Field(default=None, min_length=1)
    plan: ShopPlan | None = None
    write_access: bool | None = None
    faults: FaultProfile | None = None


class BucketLevel(BaseModel):
    currently_available: float = Field(ge=0)


class AccountRegistration(BaseModel):
    api_id: str = Field(min_length=1)
    api_key: str = Field(min_length=1)
    seed: int = 1
    size: int = Field(default=200, ge=MIN_SIZE, le=MAX_SIZE)
    grouped_share: float = Field(default=DEFAULT_GROUPED_SHARE, ge=0, le=1)


class FaultPlan(BaseModel):
    status: int = Field(ge=400, le=599)
    count: int = Field(ge=0)
    retry_after: int = Field(default=1, ge=0)


def _shop_json(shop: Shop) -> dict[str, Any]:
    return {
        "shop": shop.domain,
        "plan": plan_json(shop.plan),
        "write_access": shop.write_access,
        "throttle_status": shop.bucket.throttle_status(),
        "faults": None if shop.faults.profile is None else shop.faults.profile.model_dump(),
    }


def _shop_or_404(request: web.Request) -> Shop:
    shop = request.app[SHOPS].get(request.match_info["shop"])
    if shop is None:
        raise web.HTTPNotFound(text='{"error": "unknown shop"}', content_type="application/json")
    return shop


def _account_or_404(request: web.Request) -> UnleashedAccount:
    account = request.app[UNLEASHED_ACCOUNTS].get(request.match_info["api_id"])
    if account is None:
        raise web.HTTPNotFound(text='{"error": "unknown Unleashed account"}', content_type="application/json")
    return account


async def register_shop(request: web.Request) -> web.Response:
    body = await read_model(request, ShopRegistration)
    settings = request.app[SETTINGS]
    plan = body.plan or settings.default_plan
    faults = body.faults if "faults" in body.model_fields_set else settings.faults
    shop, created = request.app[SHOPS].register(body.shop, body.access_token, plan, body.write_access, faults)
    return json_response(_shop_json(shop), status=201 if created else 200)


async def list_shops(request: web.Request) -> web.Response:
    return json_response({"shops": request.app[SHOPS].domains()})


async def change_shop(request: web.Request) -> web.Response:
    shop = _shop_or_404(request)
    body = await read_model(request, ShopChange)
    if body.access_token is not None:
        shop.access_token = body.access_token
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
    return json_response({"products": [inspection_view(catalog, p) for p in catalog.products.values()]})


async def shop_stats(request: web.Request) -> web.Response:
    """Counters of the shop's GraphQL endpoint since registration or the last reset.

    - `requests`: authenticated GraphQL requests with a well-formed body, faulted ones included.
    - `mutations`: mutation operations that were executed (past validation, cost limit and bucket), whatever
      their outcome (userErrors and ACCESS_DENIED included); requests an injected fault answered instead
      are not counted, `applied_then_dropped` ones are (they were executed).
    - `mutations_applied`: the part of `mutations` that changed the catalogue (a product or variant written).
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


async def register_account(request: web.Request) -> web.Response:
    body = await read_model(request, AccountRegistration)
    dataset = generate_unleashed_dataset(body.seed, body.size, grouped_share=body.grouped_share)
    account = UnleashedAccount.from_dataset(body.api_id, body.api_key, dataset)
    request.app[UNLEASHED_ACCOUNTS].put(account)
    return json_response(
        {
            "api_id": account.api_id,
            "products": len(account.products),
            "warehouses": len(account.warehouses),
            "customers": len(account.customers),
            "stock_on_hand": len(account.stock_on_hand),
        },
        status=201,
    )


async def account_products(request: web.Request) -> web.Response:
    return json_response({"products": list(_account_or_404(request).products.values())})


async def put_account_product(request: web.Request) -> web.Response:
    account = _account_or_404(request)
    record = await read_json_object(request)
    code = request.match_info["code"]
    created = code not in account.products
    account.products[code] = record  # verbatim: tests plant malformed records on purpose
    return json_response(record, status=201 if created else 200)


async def delete_account_product(request: web.Request) -> web.Response:
    account = _account_or_404(request)
    if account.products.pop(request.match_info["code"], None) is None:
        raise web.HTTPNotFound(text='{"error": "unknown product code"}', content_type="application/json")
    return web.Response(status=204)


async def plan_account_faults(request: web.Request) -> web.Response:
    account = _account_or_404(request)
    body = await read_model(request, FaultPlan)
    account.faults = PlannedFaults(status=body.status, remaining=body.count, retry_after_seconds=body.retry_after)
    return json_response({"status": body.status, "remaining": body.count, "retry_after": body.retry_after})


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
    router.add_patch(f"{PREFIX}/shops/{{shop}}", change_shop)
    router.add_put(f"{PREFIX}/shops/{{shop}}/bucket", set_bucket)
    router.add_get(f"{PREFIX}/shops/{{shop}}/products", shop_products)
    router.add_get(f"{PREFIX}/shops/{{shop}}/stats", shop_stats)
    router.add_post(f"{PREFIX}/shops/{{shop}}/stats/reset", reset_shop_stats)
    router.add_post(f"{PREFIX}/unleashed/accounts", register_account)
    router.add_get(f"{PREFIX}/unleashed/accounts/{{api_id}}/products", account_products)
    router.add_put(f"{PREFIX}/unleashed/accounts/{{api_id}}/products/{{code}}", put_account_product)
    router.add_delete(f"{PREFIX}/unleashed/accounts/{{api_id}}/products/{{code}}", delete_account_product)
    router.add_post(f"{PREFIX}/unleashed/accounts/{{api_id}}/faults", plan_account_faults)
    router.add_get(f"{PREFIX}/process", process_usage)

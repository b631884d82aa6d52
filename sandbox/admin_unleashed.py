"""The `/_sandbox/unleashed/accounts` routes: register seeded accounts, read and plant raw records, plan faults.

- `POST .../accounts` `{"api_id", "api_key", "seed", "size", "grouped_share", "warehouses", "customers",
  "stock_share"}`: a seeded dataset (see `sandbox.dataset`); posting an api id again replaces its data.
- `GET .../{api_id}/products`, `.../warehouses`, `.../customers`, `.../stock`: every raw record held.
- `PUT`/`DELETE .../{api_id}/products/{code}`, `.../warehouses/{code}`, `.../customers/{code}`, and
  `PUT`/`DELETE .../{api_id}/stock/{product_code}/{warehouse_code}`: plant, replace or remove one raw
  record. Records are kept verbatim, whatever they hold (tests plant malformed ones on purpose); the code
  in the route is only the key. PUT answers 201 for a new record, 200 for a replaced one.
- `POST .../{api_id}/faults` `{"status", "count", "retry_after"}`: the next requests answer that status.
"""

from aiohttp import web
from pydantic import BaseModel, Field

from sandbox.app_state import UNLEASHED_ACCOUNTS
from sandbox.dataset import MAX_SIZE, MAX_WAREHOUSES, MIN_SIZE, generate_unleashed_dataset
from sandbox.dataset_products import DEFAULT_GROUPED_SHARE
from sandbox.http_json import json_response, read_json_object, read_model
from sandbox.unleashed.accounts import PlannedFaults, Record, UnleashedAccount

COLLECTIONS = ("products", "warehouses", "customers")
_SINGULAR = {"products": "product", "warehouses": "warehouse", "customers": "customer"}


class AccountRegistration(BaseModel):
    """`customers` left out or null: `size // 10`, at least 5. `stock_share`: share of stock rows kept."""

    api_id: str = Field(min_length=1)
    api_key: str = Field(min_length=1)
    seed: int = 1
    size: int = Field(default=200, ge=MIN_SIZE, le=MAX_SIZE)
    grouped_share: float = Field(default=DEFAULT_GROUPED_SHARE, ge=0, le=1)
    warehouses: int = Field(default=4, ge=1, le=MAX_WAREHOUSES)
    customers: int | None = Field(default=None, ge=0, le=MAX_SIZE)
    stock_share: float = Field(default=1.0, ge=0, le=1)


class FaultPlan(BaseModel):
    status: int = Field(ge=400, le=599)
    count: int = Field(ge=0)
    retry_after: int = Field(default=1, ge=0)


def _not_found(what: str) -> web.HTTPNotFound:
    return web.HTTPNotFound(text=f'{{"error": "unknown {what}"}}', content_type="application/json")


def _account_or_404(request: web.Request) -> UnleashedAccount:
    account = request.app[UNLEASHED_ACCOUNTS].get(request.match_info["api_id"])
    if account is None:
        raise _not_found("Unleashed account")
    return account


def _collection(account: UnleashedAccount, name: str) -> dict[str, Record]:
    if name == "products":
        return account.products
    return account.warehouses if name == "warehouses" else account.customers


async def register_account(request: web.Request) -> web.Response:
    body = await read_model(request, AccountRegistration)
    dataset = generate_unleashed_dataset(
        body.seed,
        body.size,
        grouped_share=body.grouped_share,
        warehouses=body.warehouses,
        customers=body.customers,
        stock_share=body.stock_share,
    )
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


async def list_records(request: web.Request) -> web.Response:
    name = request.match_info["collection"]
    return json_response({name: list(_collection(_account_or_404(request), name).values())})


async def put_record(request: web.Request) -> web.Response:
    records = _collection(_account_or_404(request), request.match_info["collection"])
    record = await read_json_object(request)
    code = request.match_info["code"]
    created = code not in records
    records[code] = record
    return json_response(record, status=201 if created else 200)


async def delete_record(request: web.Request) -> web.Response:
    name = request.match_info["collection"]
    if _collection(_account_or_404(request), name).pop(request.match_info["code"], None) is None:
        raise _not_found(f"{_SINGULAR[name]} code")
    return web.Response(status=204)


async def list_stock(request: web.Request) -> web.Response:
    return json_response({"stock": list(_account_or_404(request).stock_on_hand.values())})


async def put_stock(request: web.Request) -> web.Response:
    account = _account_or_404(request)
    record = await read_json_object(request)
    key = (request.match_info["product_code"], request.match_info["warehouse_code"])
    created = key not in account.stock_on_hand
    account.stock_on_hand[key] = record
    return json_response(record, status=201 if created else 200)


async def delete_stock(request: web.Request) -> web.Response:
    key = (request.match_info["product_code"], request.match_info["warehouse_code"])
    if _account_or_404(request).stock_on_hand.pop(key, None) is None:
        raise _not_found("stock row")
    return web.Response(status=204)


async def plan_account_faults(request: web.Request) -> web.Response:
    account = _account_or_404(request)
    body = await read_model(request, FaultPlan)
    account.faults = PlannedFaults(status=body.status, remaining=body.count, retry_after_seconds=body.retry_after)
    return json_response({"status": body.status, "remaining": body.count, "retry_after": body.retry_after})


def add_unleashed_admin_routes(app: web.Application, prefix: str) -> None:
    router = app.router
    collection = f"{{collection:{'|'.join(COLLECTIONS)}}}"
    router.add_post(prefix, register_account)
    router.add_get(f"{prefix}/{{api_id}}/{collection}", list_records)
    router.add_put(f"{prefix}/{{api_id}}/{collection}/{{code}}", put_record)
    router.add_delete(f"{prefix}/{{api_id}}/{collection}/{{code}}", delete_record)
    router.add_get(f"{prefix}/{{api_id}}/stock", list_stock)
    router.add_put(f"{prefix}/{{api_id}}/stock/{{product_code}}/{{warehouse_code}}", put_stock)
    router.add_delete(f"{prefix}/{{api_id}}/stock/{{product_code}}/{{warehouse_code}}", delete_stock)
    router.add_post(f"{prefix}/{{api_id}}/faults", plan_account_faults)

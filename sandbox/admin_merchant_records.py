"""The merchant's admin edits of locations and customers (see `admin_merchant` for products and inventory).

They go through the same code as the app's mutations (`locationEdit`, `locationActivate`,
`locationDeactivate`, `customerSet`), so the same rules hold; a refused edit answers 422 with the
`userErrors` those mutations would give.

- `PATCH .../locations/{id}` `{"name", "address1", "address2", "city", "zip", "province_code",
  "country_code", "phone", "fulfills_online_orders", "active", "destination_location_id"}`: fields first,
  then (de)activation; deactivating a location that stocks items needs `destination_location_id`.
- `DELETE .../locations/{id}`: only a deactivated, non-primary location (409 otherwise); its levels go.
- `PATCH .../customers/{id}` `{"first_name", "last_name", "email", "phone", "note", "tags",
  "tax_exempt"}`.
- `DELETE .../customers/{id}`.
"""

from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict

from sandbox.admin_lookup import fail, record_number, shop_or_404
from sandbox.admin_merchant import published
from sandbox.http_json import read_model
from sandbox.shopify.catalog import gid
from sandbox.shopify.customer_objects import customers_json
from sandbox.shopify.customer_set import customer_set
from sandbox.shopify.customers import Customer
from sandbox.shopify.idempotency import IdempotentCall
from sandbox.shopify.location_mutations import location_activate, location_deactivate, location_edit
from sandbox.shopify.locations import Location
from sandbox.shopify.shop import Shop
from sandbox.shopify.stock_objects import locations_json

_ADDRESS_KEYS = (
    ("address1", "address1"),
    ("address2", "address2"),
    ("city", "city"),
    ("zip", "zip"),
    ("phone", "phone"),
    ("province_code", "provinceCode"),
    ("country_code", "countryCode"),
)
_CUSTOMER_KEYS = (
    ("first_name", "firstName"),
    ("last_name", "lastName"),
    ("email", "email"),
    ("phone", "phone"),
    ("note", "note"),
    ("tax_exempt", "taxExempt"),
)
_NO_KEY = IdempotentCall(None, "")


class LocationEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    zip: str | None = None
    province_code: str | None = None
    country_code: str | None = None
    phone: str | None = None
    fulfills_online_orders: bool | None = None
    active: bool | None = None
    destination_location_id: int | str | None = None


class CustomerEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    tags: list[str] | str | None = None
    tax_exempt: bool | None = None


def _location_or_404(request: web.Request, shop: Shop) -> Location:
    location = shop.locations.by_id.get(record_number(request.match_info["id"], "Location") or -1)
    if location is None:
        fail(404, "unknown location")
    return location


def _customer_or_404(request: web.Request, shop: Shop) -> Customer:
    customer = shop.customers.by_id.get(record_number(request.match_info["id"], "Customer") or -1)
    if customer is None:
        fail(404, "unknown customer")
    return customer


def _refused(result: dict[str, Any], errors_key: str) -> None:
    if result[errors_key]:
        fail(422, "the edit was refused", userErrors=result[errors_key])


def _location_json(shop: Shop, number: int) -> dict[str, Any]:
    return next(row for row in locations_json(shop) if row["id"] == gid("Location", number))


async def edit_location(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    location = _location_or_404(request, shop)
    edit = await read_model(request, LocationEdit)
    given = edit.model_dump(exclude_unset=True)
    address = {wanted: given[key] for key, wanted in _ADDRESS_KEYS if key in given}
    fields: dict[str, Any] = {"address": address}
    if edit.name is not None:
        fields["name"] = edit.name
    if edit.fulfills_online_orders is not None:
        fields["fulfillsOnlineOrders"] = edit.fulfills_online_orders
    location_gid = gid("Location", location.id)
    _refused(location_edit(shop, location_gid, fields), "userErrors")
    if edit.active is True:
        _refused(location_activate(shop, _NO_KEY, location_gid), "locationActivateUserErrors")
    elif edit.active is False:
        number = record_number(edit.destination_location_id, "Location")
        destination = None if number is None else gid("Location", number)
        result = location_deactivate(shop, _NO_KEY, location_gid, destination)
        _refused(result, "locationDeactivateUserErrors")
    return published(request, shop, {"location": _location_json(shop, location.id)})


async def delete_location(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    location = _location_or_404(request, shop)
    if location.is_primary or location.is_active:
        fail(409, "only a deactivated location that is not the primary one can be deleted")
    shop.inventory.location_removed(location.id)
    shop.locations.remove(location)
    return published(request, shop, {"deleted_location_id": gid("Location", location.id)})


async def edit_customer(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    customer = _customer_or_404(request, shop)
    edit = await read_model(request, CustomerEdit)
    given = edit.model_dump(exclude_unset=True)
    fields = {wanted: given[key] for key, wanted in _CUSTOMER_KEYS if key in given}
    if edit.tags is not None:
        fields["tags"] = [edit.tags] if isinstance(edit.tags, str) else edit.tags
    result = customer_set(shop, {"id": gid("Customer", customer.id)}, fields)
    _refused(result, "userErrors")
    row = next(row for row in customers_json(shop) if row["id"] == gid("Customer", customer.id))
    return published(request, shop, {"customer": row})


async def delete_customer(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    customer = _customer_or_404(request, shop)
    shop.customers.remove(customer)
    return published(request, shop, {"deleted_customer_id": gid("Customer", customer.id)})


def add_merchant_record_routes(app: web.Application, shop_prefix: str) -> None:
    router = app.router
    router.add_patch(f"{shop_prefix}/locations/{{id:.+}}", edit_location)
    router.add_delete(f"{shop_prefix}/locations/{{id:.+}}", delete_location)
    router.add_patch(f"{shop_prefix}/customers/{{id:.+}}", edit_customer)
    router.add_delete(f"{shop_prefix}/customers/{{id:.+}}", delete_customer)

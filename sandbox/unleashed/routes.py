"""HTTP routes of the emulated Unleashed API, mounted under `/unleashed`."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aiohttp import web

from sandbox.app_state import UNLEASHED_ACCOUNTS
from sandbox.http_json import json_response
from sandbox.unleashed.accounts import UnleashedAccount
from sandbox.unleashed.listing import (
    ListingError,
    Record,
    page_number_of,
    page_size_of,
    paged_envelope,
    select_customers,
    select_products,
    select_stock_on_hand,
    select_warehouses,
)
from sandbox.unleashed.signature import signature_matches

PREFIX = "/unleashed"

Selector = Callable[[Iterable[Record], Mapping[str, str]], list[Record]]


def _records_of(account: UnleashedAccount, resource: str) -> Iterable[Record]:
    if resource == "Products":
        return account.products.values()
    if resource == "Warehouses":
        return account.warehouses.values()
    if resource == "Customers":
        return account.customers.values()
    return account.stock_on_hand.values()


_SELECTORS: dict[str, Selector] = {
    "Products": select_products,
    "Warehouses": select_warehouses,
    "Customers": select_customers,
    "StockOnHand": select_stock_on_hand,
}


def _message(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return json_response({"Message": message}, status=status, headers=headers)


def _authenticate(request: web.Request) -> UnleashedAccount | web.Response:
    """The signed-in account, or the 403 Unleashed answers (it never says which part was wrong)."""
    api_id = request.headers.get("api-auth-id")
    signature = request.headers.get("api-auth-signature")
    if not api_id or not signature:
        return _message(403, "Forbidden: api-auth-id and api-auth-signature headers are required.")
    account = request.app[UNLEASHED_ACCOUNTS].get(api_id.strip())
    # The signature covers the query string exactly as it arrived, never a re-encoded copy.
    if account is None or not signature_matches(account.api_key, request.rel_url.raw_query_string, signature):
        return _message(403, "Forbidden: the API id or signature is not valid.")
    return account


def _planned_fault(account: UnleashedAccount) -> web.Response | None:
    status = account.faults.take()
    if status is None:
        return None
    headers = {"Retry-After": str(account.faults.retry_after_seconds)}
    if status == 429:
        return _message(429, "Too many requests. Please slow down.", headers)
    return _message(status, "The service is temporarily unavailable.", headers)


async def _list(request: web.Request) -> web.Response:
    account_or_denial = _authenticate(request)
    if isinstance(account_or_denial, web.Response):
        return account_or_denial
    account = account_or_denial
    fault = _planned_fault(account)
    if fault is not None:
        return fault
    account.requests_served += 1
    resource = request.match_info["resource"]
    try:
        page_number = page_number_of(request.match_info.get("page"))
        page_size = page_size_of(request.query)
        items = _SELECTORS[resource](_records_of(account, resource), request.query)
    except ListingError as error:
        return _message(400, str(error))
    body: dict[str, Any] = paged_envelope(items, page_number, page_size)
    return json_response(body)


def add_unleashed_routes(app: web.Application) -> None:
    """GET `/unleashed/{Resource}`, `/{Resource}/{page}` and `/{Resource}/Page/{page}`."""
    resources = "|".join(_SELECTORS)
    for suffix in ("", "/{page}", "/Page/{page}"):
        app.router.add_get(f"{PREFIX}/{{resource:{resources}}}{suffix}", _list)

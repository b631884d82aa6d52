"""Lookups shared by the `/_sandbox` routes: the shop a path names, a record a path names, JSON errors."""

import json
from typing import Any, NoReturn

from aiohttp import web

from sandbox.app_state import SHOPS
from sandbox.shopify.catalog import parse_gid
from sandbox.shopify.shop import Shop

_ERRORS: dict[int, type[web.HTTPException]] = {
    400: web.HTTPBadRequest,
    404: web.HTTPNotFound,
    409: web.HTTPConflict,
    422: web.HTTPUnprocessableEntity,
}


def shop_or_404(request: web.Request) -> Shop:
    shop = request.app[SHOPS].get(request.match_info["shop"])
    if shop is None:
        raise web.HTTPNotFound(text='{"error": "unknown shop"}', content_type="application/json")
    return shop


def fail(status: int, message: str, **extra: Any) -> NoReturn:
    """Answer `{"error": message, ...extra}` with that status (400, 404, 409 or 422)."""
    raise _ERRORS[status](text=json.dumps({"error": message, **extra}), content_type="application/json")


def record_number(value: object, kind: str) -> int | None:
    """A record's number from its numeric id (`123`, `"123"`) or its gid (`gid://shopify/{kind}/123`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isdigit() else parse_gid(text, kind)
    return None

"""The operator's dashboard: `GET /dashboard` serves a static page (HTML, one ES module, one stylesheet).

The page holds no data and needs no auth: the operator pastes an API token, kept in the tab's sessionStorage,
and the page reads everything from the API with it (`Authorization: Bearer …`), so it sees exactly what the
token's scopes allow. No build step and nothing from outside: the three files below are all there is. The
routes are declared like every other (`api.endpoint`), so the OpenAPI description lists them too.
"""

from functools import cache
from importlib.resources import files

from aiohttp import web

from producer.api.endpoint import endpoint
from producer.api.schemas import ErrorBody
from producer.middleware import ApiError

PATH = "/dashboard"
_TYPES = {"index.html": "text/html", "dashboard.js": "text/javascript", "dashboard.css": "text/css"}
# Only our own files and our own API; no framing; nothing cached, so a new release is seen at once.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:;"
        " base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@cache
def _assets() -> dict[str, bytes]:
    package = files(__name__)
    return {name: package.joinpath(name).read_bytes() for name in _TYPES}


def _respond(name: str) -> web.Response:
    return web.Response(body=_assets()[name], content_type=_TYPES[name], charset="utf-8", headers=_HEADERS)


@endpoint("GET", PATH, summary="The operator's dashboard (HTML; it asks for a token and reads the API with it)",
          responses={200: None}, auth=False, tags=("dashboard",))  # fmt: skip
async def dashboard_page(_request: web.Request) -> web.Response:
    return _respond("index.html")


@endpoint("GET", PATH + "/{name}", summary="The dashboard's script and stylesheet",
          responses={200: None, 404: ErrorBody}, auth=False, tags=("dashboard",))  # fmt: skip
async def dashboard_asset(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in _TYPES or name == "index.html":
        raise ApiError(404, "not_found", f"no dashboard file {name!r}")
    return _respond(name)

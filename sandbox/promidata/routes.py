"""HTTP routes of the emulated Promidata feeds, mounted under `/promidata/{feed}/`.

- `Import/Import.txt`: the index (text/plain); `CAT.csv`: the categories (text/csv);
- `{ANumber}/{Sku}.json`: one family file (application/json);
- `images/{name}.png`: one image, a real PNG (image/png).

URLs inside the files name the host the request came in on. Unknown paths answer 404 with the XML error
body of the S3 bucket Promidata's feeds are mirrored on. Every request to a known feed is counted per path.
"""

import asyncio
from http import HTTPStatus

from aiohttp import web

from sandbox.app_state import PROMIDATA_FEEDS
from sandbox.promidata.feed import PromidataFeed, category_csv
from sandbox.promidata.png import solid_png

PREFIX = "/promidata"
_NO_SUCH_KEY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"
)
_NOT_AN_IMAGE = "<html><body><h1>Image temporarily unavailable</h1></body></html>"


def _no_such_key() -> web.Response:
    return web.Response(status=404, text=_NO_SUCH_KEY, content_type="application/xml")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def feed_base(request: web.Request, feed: PromidataFeed) -> str:
    """The feed's base URL on the host this request came in on."""
    return feed.base_url(str(request.url.origin()))


def _feed(request: web.Request) -> PromidataFeed | None:
    return request.app[PROMIDATA_FEEDS].get(request.match_info["feed"])


async def import_file(request: web.Request) -> web.Response:
    feed = _feed(request)
    if feed is None:
        return _no_such_key()
    feed.requests.import_txt += 1
    return web.Response(text=feed.import_text(feed_base(request, feed)), content_type="text/plain", charset="utf-8")


async def category_file(request: web.Request) -> web.Response:
    feed = _feed(request)
    if feed is None:
        return _no_such_key()
    feed.requests.cat_csv += 1
    return web.Response(text=category_csv(), content_type="text/csv", charset="utf-8")


async def family_file(request: web.Request) -> web.Response:
    """A family's JSON; a planned fault answers 404, waits first (`timeout`), or changes the file."""
    feed = _feed(request)
    filename = request.match_info["filename"]
    family = feed.families.get(filename.removesuffix(".json")) if feed and filename.endswith(".json") else None
    if feed is None or family is None or family.anumber != request.match_info["anumber"]:
        return _no_such_key()
    feed.requests.families[family.sku] += 1
    fault = feed.faults.get(family.sku)
    if fault is not None and fault.kind == "404":
        return _no_such_key()
    if fault is not None and fault.kind == "timeout":
        await asyncio.sleep(fault.seconds)
    return web.Response(body=feed.body(family, feed_base(request, feed)), content_type="application/json")


async def image_file(request: web.Request) -> web.Response:
    """An image: a 32×32 PNG of the image's colour, or what its planned image fault says."""
    feed = _feed(request)
    filename = request.match_info["filename"]
    name = filename.removesuffix(".png") if filename.endswith(".png") else None
    if feed is None or name is None:
        return _no_such_key()
    fault = feed.image_faults.get(name)
    image = feed.images.get(name)
    if fault is None and image is None:
        return _no_such_key()
    feed.requests.images[name] += 1
    if fault is not None and fault.status == 404:
        return _no_such_key()
    if fault is not None and fault.status != 200:
        return web.Response(status=fault.status, text=_phrase(fault.status))
    if fault is not None and fault.content_type is not None:
        return web.Response(text=_NOT_AN_IMAGE, content_type=fault.content_type)
    if image is None:
        return _no_such_key()
    return web.Response(body=solid_png(image.colour), content_type="image/png")


def add_promidata_routes(app: web.Application) -> None:
    base = f"{PREFIX}/{{feed}}"
    app.router.add_get(f"{base}/Import/Import.txt", import_file)
    app.router.add_get(f"{base}/CAT.csv", category_file)
    app.router.add_get(f"{base}/images/{{filename}}", image_file)
    app.router.add_get(f"{base}/{{anumber:A\\d+}}/{{filename}}", family_file)

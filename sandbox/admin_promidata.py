"""The `/_sandbox/promidata/feeds` routes: register seeded feeds, change them between runs, plan faults.

- `POST .../feeds` `{"feed", "seed", "families", "children": [min, max], "languages", "regions",
  "category_hash", "crlf"}`: a seeded feed (201 with its `import_url`); posting a name again replaces it.
- `GET .../feeds/{feed}`: every family (SKU, hash, listing, titles per language, children with their
  configuration, prices per region and image URLs, planned fault) and the request counters.
- `GET .../{feed}/requests`: `{"Import.txt", "CAT.csv", "families": {sku: n}, "images": {name: n}}`;
  `DELETE` resets them.
- `POST .../{feed}/changes` `{"families": n, "kinds": [...], "skus": [...]}`: change that many listed
  families (or those SKUs); kinds `price`, `title`, `image`, `add_child`, `remove_child`, cycled (default
  price, title). Answers each family's change and hash before and after.
- `POST .../{feed}/families` `{"families": n}`: add n families (201); `DELETE .../families/{sku}`: drop one
  from Import.txt.
- `PUT .../{feed}/import` `{"mode": "normal"|"empty"|"truncated", "lines": 3}`: what Import.txt serves.
- `POST .../{feed}/faults` `{"family", "kind", "seconds"}`, `DELETE .../faults/{sku}`: one family's fault.
- `PUT .../{feed}/image-faults` `{"name", "status", "content_type"}`, `DELETE .../image-faults/{name}`.
"""

from itertools import cycle
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, Field, model_validator

from sandbox.app_state import PROMIDATA_FEEDS
from sandbox.http_json import json_response, read_model
from sandbox.promidata.family_generator import GenerationSettings
from sandbox.promidata.feed import FamilyFault, FaultKind, FeedSettings, ImageFault, ImportMode, PromidataFeed
from sandbox.promidata.feed_changes import DEFAULT_CYCLE, ChangeKind
from sandbox.promidata.inspection import feed_json
from sandbox.promidata.routes import feed_base

MAX_FAMILIES = 5000
MAX_CHILDREN = 60
Language = Literal["de", "en", "fr", "nl"]
ALL_LANGUAGES: list[Language] = ["de", "en", "fr", "nl"]


class FeedRegistration(BaseModel):
    """`children`: the [min, max] number of children per family; `category_hash`: CAT.csv line with a hash."""

    feed: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    seed: int = 1
    families: int = Field(default=50, ge=0, le=MAX_FAMILIES)
    children: tuple[int, int] = (1, 8)
    languages: list[Language] = Field(default_factory=lambda: list(ALL_LANGUAGES), min_length=1)
    regions: list[str] = Field(default_factory=lambda: ["BENELUX", "DEU"], min_length=1)
    category_hash: bool = False
    crlf: bool = False

    @model_validator(mode="after")
    def _ranges(self) -> "FeedRegistration":
        low, high = self.children
        if not 1 <= low <= high <= MAX_CHILDREN:
            raise ValueError(f"children must be [min, max] with 1 <= min <= max <= {MAX_CHILDREN}")
        if len(set(self.languages)) != len(self.languages) or len(set(self.regions)) != len(self.regions):
            raise ValueError("languages and regions must not repeat")
        if not all(region.isalpha() and region.isupper() for region in self.regions):
            raise ValueError("regions are upper-case codes such as BENELUX, DEU or EURO")
        return self


class ChangeRequest(BaseModel):
    families: int = Field(default=1, ge=1, le=MAX_FAMILIES)
    kinds: list[ChangeKind] = Field(default_factory=lambda: list(DEFAULT_CYCLE), min_length=1)
    skus: list[str] | None = None


class AddFamilies(BaseModel):
    families: int = Field(default=1, ge=1, le=MAX_FAMILIES)


class ImportSettings(BaseModel):
    mode: ImportMode
    lines: int = Field(default=3, ge=0)


class FaultRequest(BaseModel):
    family: str = Field(min_length=1)
    kind: FaultKind
    seconds: float = Field(default=30.0, ge=0, le=600)


class ImageFaultRequest(BaseModel):
    name: str = Field(min_length=1)
    status: int = Field(default=404, ge=200, le=599)
    content_type: str | None = None


def _not_found(what: str) -> web.HTTPNotFound:
    return web.HTTPNotFound(text=f'{{"error": "unknown {what}"}}', content_type="application/json")


def _feed_or_404(request: web.Request) -> PromidataFeed:
    feed = request.app[PROMIDATA_FEEDS].get(request.match_info["feed"])
    if feed is None:
        raise _not_found("Promidata feed")
    return feed


async def register_feed(request: web.Request) -> web.Response:
    body = await read_model(request, FeedRegistration)
    generation = GenerationSettings(body.seed, body.children, tuple(body.languages), tuple(body.regions))
    feed = PromidataFeed(body.feed, FeedSettings(generation, body.families, body.category_hash, body.crlf))
    request.app[PROMIDATA_FEEDS].put(feed)
    base = feed_base(request, feed)
    return json_response(
        {"feed": feed.name, "import_url": f"{base}/Import/Import.txt", "families": len(feed.families)}, status=201
    )


async def list_feeds(request: web.Request) -> web.Response:
    return json_response({"feeds": request.app[PROMIDATA_FEEDS].names()})


async def show_feed(request: web.Request) -> web.Response:
    feed = _feed_or_404(request)
    return json_response(feed_json(feed, feed_base(request, feed)))


async def request_counts(request: web.Request) -> web.Response:
    return json_response(_feed_or_404(request).requests.as_json())


async def reset_request_counts(request: web.Request) -> web.Response:
    feed = _feed_or_404(request)
    feed.requests = type(feed.requests)()
    return json_response(feed.requests.as_json())


async def change_families(request: web.Request) -> web.Response:
    feed = _feed_or_404(request)
    body = await read_model(request, ChangeRequest)
    if body.skus is not None:
        unknown = [sku for sku in body.skus if sku not in feed.families]
        if unknown:
            raise _not_found(f"family {unknown[0]}")
        chosen = [feed.families[sku] for sku in body.skus]
    else:
        listed = feed.listed()
        chosen = feed.changes_rng.sample(listed, min(body.families, len(listed)))
    changed: list[dict[str, Any]] = []
    for family, kind in zip(chosen, cycle(body.kinds), strict=False):
        before = feed.family_hash(family)
        applied = feed.change(family, kind)
        changed.append(
            {"sku": family.sku, "change": applied, "hash_before": before, "hash_after": feed.family_hash(family)}
        )
    return json_response({"changed": changed})


async def add_families(request: web.Request) -> web.Response:
    feed = _feed_or_404(request)
    body = await read_model(request, AddFamilies)
    base = feed_base(request, feed)
    added = [
        {"sku": family.sku, "url": feed.family_url(base, family), "hash": feed.family_hash(family)}
        for family in feed.add_families(body.families)
    ]
    return json_response({"added": added}, status=201)


async def delist_family(request: web.Request) -> web.Response:
    family = _feed_or_404(request).families.get(request.match_info["sku"])
    if family is None or not family.listed:
        raise _not_found("listed family")
    family.listed = False
    return web.Response(status=204)


async def set_import_mode(request: web.Request) -> web.Response:
    feed = _feed_or_404(request)
    body = await read_model(request, ImportSettings)
    feed.import_mode, feed.truncated_lines = body.mode, body.lines
    return json_response({"mode": feed.import_mode, "lines": feed.truncated_lines})


async def plan_fault(request: web.Request) -> web.Response:
    feed = _feed_or_404(request)
    body = await read_model(request, FaultRequest)
    family = feed.families.get(body.family)
    if family is None:
        raise _not_found("family")
    feed.set_fault(family.sku, FamilyFault(body.kind, body.seconds))
    return json_response(
        {"family": family.sku, "kind": body.kind, "seconds": body.seconds, "hash": feed.family_hash(family)}
    )


async def clear_fault(request: web.Request) -> web.Response:
    feed = _feed_or_404(request)
    if request.match_info["sku"] not in feed.faults:
        raise _not_found("fault")
    feed.set_fault(request.match_info["sku"], None)
    return web.Response(status=204)


async def plan_image_fault(request: web.Request) -> web.Response:
    feed = _feed_or_404(request)
    body = await read_model(request, ImageFaultRequest)
    feed.image_faults[body.name] = ImageFault(body.status, body.content_type)
    return json_response({"name": body.name, "status": body.status, "content_type": body.content_type})


async def clear_image_fault(request: web.Request) -> web.Response:
    if _feed_or_404(request).image_faults.pop(request.match_info["name"], None) is None:
        raise _not_found("image fault")
    return web.Response(status=204)


def add_promidata_admin_routes(app: web.Application, prefix: str) -> None:
    router = app.router
    feed = f"{prefix}/{{feed}}"
    router.add_post(prefix, register_feed)
    router.add_get(prefix, list_feeds)
    router.add_get(feed, show_feed)
    router.add_get(f"{feed}/requests", request_counts)
    router.add_delete(f"{feed}/requests", reset_request_counts)
    router.add_post(f"{feed}/changes", change_families)
    router.add_post(f"{feed}/families", add_families)
    router.add_delete(f"{feed}/families/{{sku}}", delist_family)
    router.add_put(f"{feed}/import", set_import_mode)
    router.add_post(f"{feed}/faults", plan_fault)
    router.add_delete(f"{feed}/faults/{{sku}}", clear_fault)
    router.add_put(f"{feed}/image-faults", plan_image_fault)
    router.add_delete(f"{feed}/image-faults/{{name}}", clear_image_fault)

"""HTTP routes of the producer: health, starting syncs, their status, queue counts."""

import asyncio
import json
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from producer.auth import ANONYMOUS_ADMIN, Caller, authenticate
from producer.keys import DB_POOL, JOB_POOL, PIPELINE, SETTINGS, TENANTS
from producer.middleware import ApiError
from producer.pipeline import views
from producer.pipeline.requeue import replay_dead_letters
from producer.resources import COMPREHENSIVE, STEPS
from shared.models import SyncStep

routes = web.RouteTableDef()
BodyModel = TypeVar("BodyModel", bound=BaseModel)

HEALTH_TIMEOUT_SECONDS = 1.5


class SyncRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    domain: str = Field(min_length=1, max_length=255)
    dry_run: StrictBool = False


def caller_of(request: web.Request) -> Caller:
    settings = request.app[SETTINGS]
    if settings.api_jwt_secret is None:
        if settings.producer_insecure_no_auth:
            return ANONYMOUS_ADMIN
        raise ApiError(503, "auth_not_configured", "API_JWT_SECRET is not set")
    return authenticate(request.headers.get("Authorization"), settings.api_jwt_secret.get_secret_value())


def require_domain(caller: Caller, domain: str) -> None:
    if not caller.may_touch(domain):
        raise ApiError(403, "forbidden", f"this token may not touch domain {domain!r}")


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    domain: str = Field(min_length=1, max_length=255)
    ids: list[str] | None = Field(default=None, max_length=10_000)
    all: StrictBool = False


async def read_body(request: web.Request, model: type[BodyModel]) -> BodyModel:
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_body", "request body must be a JSON object with a 'domain'")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        raise ApiError(422, "invalid_body", "request body does not fit", details=details) from None


async def _check(awaitable: Any) -> bool:
    try:
        await asyncio.wait_for(awaitable, HEALTH_TIMEOUT_SECONDS)
        return True
    except Exception:
        return False


@routes.get("/health")
async def health(request: web.Request) -> web.Response:
    redis_ok, postgres_ok = await asyncio.gather(
        _check(request.app[JOB_POOL].ping()), _check(request.app[DB_POOL].fetchval("SELECT 1"))
    )
    healthy = redis_ok and postgres_ok
    return web.json_response(
        {"status": "ok" if healthy else "unavailable", "redis": redis_ok, "postgres": postgres_ok},
        status=200 if healthy else 503,
    )


async def start_sync(request: web.Request, kind: str, steps: list[SyncStep]) -> web.Response:
    caller = caller_of(request)
    body = await read_body(request, SyncRequest)
    require_domain(caller, body.domain)
    pipeline = request.app[PIPELINE]
    if not pipeline.accepting:
        raise ApiError(503, "shutting_down", "the producer is shutting down")
    if not await request.app[TENANTS].exists(body.domain):
        raise ApiError(404, "unknown_tenant", f"no tenant hash 'tenant:{body.domain}' in Redis")
    sync_id = await pipeline.start_sync(body.domain, kind, steps, body.dry_run)
    return web.json_response(
        {
            "success": True,
            "domain": body.domain,
            "syncId": sync_id,
            "statusUrl": f"/api/v2/syncs/{sync_id}",
            "steps": [step.value for step in steps],
        },
        status=202,
    )


@routes.post("/api/v2/comprehensive-sync")
async def comprehensive_sync(request: web.Request) -> web.Response:
    return await start_sync(request, "comprehensive", list(COMPREHENSIVE))


def _one_step_route(step: SyncStep) -> Any:
    async def handler(request: web.Request) -> web.Response:
        return await start_sync(request, step.value, [step])

    return handler


async def not_yet_available(request: web.Request) -> web.Response:
    caller = caller_of(request)
    body = await read_body(request, SyncRequest)
    require_domain(caller, body.domain)
    raise ApiError(501, "not_implemented", f"{request.path} is not available in this release yet")


for _step in SyncStep:
    routes.post(f"/api/v2/sync-{_step.value}")(_one_step_route(_step) if _step in STEPS else not_yet_available)


@routes.get("/api/v2/syncs/{sync_id}")
async def sync_status(request: web.Request) -> web.Response:
    caller = caller_of(request)
    status = await views.sync_status(request.app[DB_POOL], request.match_info["sync_id"])
    if status is None:
        raise ApiError(404, "unknown_sync", "no such sync")
    require_domain(caller, status["domain"])
    return web.json_response(status)


@routes.get("/api/v2/queues")
async def queues(request: web.Request) -> web.Response:
    caller = caller_of(request)
    domains = None if caller.sees_all else sorted(caller.domains)
    return web.json_response({"queues": await views.queue_counts(request.app[DB_POOL], domains)})


@routes.get("/api/v2/dead-letters")
async def dead_letters(request: web.Request) -> web.Response:
    caller = caller_of(request)
    domain = request.query.get("domain", "")
    if not domain:
        raise ApiError(422, "invalid_query", "query parameter 'domain' is required")
    require_domain(caller, domain)
    return web.json_response({"items": await views.dead_letters(request.app[DB_POOL], domain)})


@routes.post("/api/v2/dead-letters/replay")
async def replay(request: web.Request) -> web.Response:
    caller = caller_of(request)
    body = await read_body(request, ReplayRequest)
    require_domain(caller, body.domain)
    if body.all == (body.ids is not None):
        raise ApiError(422, "invalid_body", "give either 'ids' (a list) or 'all': true")
    replayed = await replay_dead_letters(
        request.app[DB_POOL], request.app[JOB_POOL], body.domain, None if body.all else body.ids
    )
    return web.json_response({"replayed": replayed}, status=202)

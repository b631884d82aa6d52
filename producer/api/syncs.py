"""Starting syncs (all resources, or one), and reading where they are."""

import re

from aiohttp import web
from pydantic import BaseModel

from producer.api.endpoint import caller_of, endpoint, read_body, read_query, reply, require_domain
from producer.api.schemas import ErrorBody, SyncList, SyncListQuery, SyncRequest, SyncStarted, SyncStatus
from producer.keys import DB_POOL, PIPELINE, TENANTS
from producer.middleware import ApiError
from producer.pipeline import views
from producer.pipeline.state import SyncRunning
from producer.resources import comprehensive_steps
from shared.models import SyncStep

SYNC_ID = re.compile(r"[0-9a-f]{32}")
STARTED: dict[int, type[BaseModel] | None] = {
    202: SyncStarted,
    409: ErrorBody,
    400: ErrorBody,
    401: ErrorBody,
    403: ErrorBody,
    404: ErrorBody,
    422: ErrorBody,
}


async def start_sync(request: web.Request, kind: str, steps: list[SyncStep] | None) -> web.Response:
    """Start a sync of these steps (None: every resource the tenant has a source for)."""
    caller = await caller_of(request)
    body = await read_body(request, SyncRequest)
    require_domain(caller, body.domain)
    pipeline = request.app[PIPELINE]
    if not pipeline.accepting:
        raise ApiError(503, "shutting_down", "the producer is shutting down")
    tenants = request.app[TENANTS]
    if not await tenants.exists(body.domain):
        raise ApiError(404, "unknown_tenant", f"no tenant hash 'tenant:{body.domain}' in Redis")
    if steps is None:
        steps = comprehensive_steps(await tenants.get(body.domain, fresh=True))
    try:
        sync_id = await pipeline.start_sync(body.domain, kind, steps, body.dry_run)
    except SyncRunning as running:
        raise ApiError(409, "sync_running", str(running), beside={"syncId": running.running}) from None
    started = SyncStarted(
        domain=body.domain, syncId=sync_id, statusUrl=f"/api/v2/syncs/{sync_id}", steps=[s.value for s in steps]
    )
    return reply(started, 202)


@endpoint(
    "POST",
    "/api/v2/comprehensive-sync",
    summary="Sync everything of a tenant: Unleashed locations, products, customers and inventory; its Promidata feed",
    body=SyncRequest,
    responses=STARTED,
    tags=("syncs",),
)
async def comprehensive_sync(request: web.Request) -> web.Response:
    return await start_sync(request, "comprehensive", None)


def _one_step(step: SyncStep) -> None:
    async def handler(request: web.Request) -> web.Response:
        return await start_sync(request, step.value, [step])

    endpoint(
        "POST", f"/api/v2/sync-{step.value}", summary=f"Sync a tenant's {step.value}", body=SyncRequest,
        responses=STARTED, tags=("syncs",),
    )(handler)  # fmt: skip


for _step in SyncStep:
    _one_step(_step)


@endpoint(
    "GET",
    "/api/v2/syncs/{sync_id}",
    summary="Where a sync is: its state, each step's plan and progress, and what went wrong",
    responses={200: SyncStatus, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody},
    tags=("syncs",),
)
async def sync_status(request: web.Request) -> web.Response:
    caller = await caller_of(request)
    sync_id = request.match_info["sync_id"]
    status = await views.sync_status(request.app[DB_POOL], sync_id) if SYNC_ID.fullmatch(sync_id) else None
    if status is None:
        raise ApiError(404, "unknown_sync", "no such sync")
    require_domain(caller, status["domain"])
    return reply(SyncStatus.model_validate(status))


@endpoint(
    "GET",
    "/api/v2/syncs",
    summary="The most recent syncs the token may see, newest first",
    query=SyncListQuery,
    responses={200: SyncList, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
    tags=("syncs",),
)
async def list_syncs(request: web.Request) -> web.Response:
    caller = await caller_of(request)
    query = read_query(request, SyncListQuery)
    if query.domain is not None:
        require_domain(caller, query.domain)
        domains: list[str] | None = [query.domain]
    else:
        domains = None if caller.sees_all else sorted(caller.domains)
    pool = request.app[DB_POOL]
    items = [await views.sync_status(pool, sync_id) for sync_id in await views.recent_syncs(pool, domains, query.limit)]
    return reply(SyncList(items=[SyncStatus.model_validate(item) for item in items if item is not None]))

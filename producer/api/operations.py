"""What an operator looks at and does by hand: queue counts, dead letters, and replaying them."""

from aiohttp import web

from producer.api.endpoint import caller_of, endpoint, read_body, read_query, reply, require_domain
from producer.api.schemas import (
    DeadLetter,
    DeadLetterQuery,
    DeadLetters,
    ErrorBody,
    QueueCounts,
    Queues,
    ReplayChosen,
    Replayed,
    ReplayRequest,
)
from producer.keys import DB_POOL, JOB_POOL
from producer.pipeline import views
from producer.pipeline.requeue import replay_dead_letters


@endpoint(
    "GET",
    "/api/v2/queues",
    summary="Jobs per queue by state (a token limited to some domains sees their jobs only)",
    responses={200: Queues, 401: ErrorBody},
    tags=("operations",),
)
async def queues(request: web.Request) -> web.Response:
    caller = await caller_of(request)
    domains = None if caller.sees_all else sorted(caller.domains)
    counts = await views.queue_counts(request.app[DB_POOL], domains)
    return reply(Queues(queues={name: QueueCounts.model_validate(c) for name, c in counts.items()}))


@endpoint(
    "GET",
    "/api/v2/dead-letters",
    summary="Jobs that failed for good, with their reason",
    query=DeadLetterQuery,
    responses={200: DeadLetters, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
    tags=("operations",),
)
async def dead_letters(request: web.Request) -> web.Response:
    caller = await caller_of(request)
    query = read_query(request, DeadLetterQuery)
    require_domain(caller, query.domain)
    items = await views.dead_letters(request.app[DB_POOL], query.domain)
    return reply(DeadLetters(items=[DeadLetter.model_validate(item) for item in items]))


@endpoint(
    "POST",
    "/api/v2/dead-letters/replay",
    summary="Queue dead letters again (chosen ids, or all of a domain's); they count again in their sync",
    body=ReplayRequest,
    responses={202: Replayed, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
    tags=("operations",),
)
async def replay(request: web.Request) -> web.Response:
    caller = await caller_of(request)
    chosen = (await read_body(request, ReplayRequest)).root
    require_domain(caller, chosen.domain)
    ids = chosen.ids if isinstance(chosen, ReplayChosen) else None
    replayed = await replay_dead_letters(request.app[DB_POOL], request.app[JOB_POOL], chosen.domain, ids)
    return reply(Replayed(replayed=replayed), 202)

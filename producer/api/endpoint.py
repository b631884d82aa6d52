"""How an API route is declared: method, path, the models of its body, query and answers, and a handler.

The same declaration registers the aiohttp route and describes it in the OpenAPI document, so the two cannot
disagree. Handlers read their input with `read_body` / `read_query` (400 for a body that is not JSON, 422 for
one that does not fit) and answer with `reply` (the answer model, validated).
"""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from producer.auth import ANONYMOUS_ADMIN, Caller, authenticate
from producer.keys import JOB_POOL, SETTINGS
from producer.middleware import ApiError
from producer.rate_limit import over_the_limit

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    responses: dict[int, type[BaseModel] | None]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    auth: bool = True
    tags: tuple[str, ...] = field(default=())


ENDPOINTS: list[Endpoint] = []


def endpoint(
    method: str,
    path: str,
    *,
    summary: str,
    responses: dict[int, type[BaseModel] | None],
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    auth: bool = True,
    tags: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ENDPOINTS.append(Endpoint(method, path, handler, summary, responses, body, query, auth, tags))
        return handler

    return register


def add_endpoints(app: web.Application) -> None:
    for declared in ENDPOINTS:
        app.router.add_route(declared.method, declared.path, declared.handler)


async def caller_of(request: web.Request) -> Caller:
    """Who calls (401 for a missing, forged or expired token), within the per-caller rate limit (429)."""
    settings = request.app[SETTINGS]
    if settings.api_jwt_secret is None:
        if settings.producer_insecure_no_auth:
            return ANONYMOUS_ADMIN
        raise ApiError(503, "auth_not_configured", "API_JWT_SECRET is not set")
    caller = authenticate(request.headers.get("Authorization"), settings.api_jwt_secret.get_secret_value())
    limit = settings.api_rate_limit_per_minute
    if limit > 0:
        retry_after = await over_the_limit(request.app[JOB_POOL], caller.subject, limit)
        if retry_after is not None:
            raise ApiError(
                429,
                "rate_limited",
                f"more than {limit} requests in a minute for {caller.subject!r}; retry in {retry_after} s",
                headers={"Retry-After": str(retry_after)},
            )
    return caller


def require_domain(caller: Caller, domain: str) -> None:
    if not caller.may_touch(domain):
        raise ApiError(403, "forbidden", f"this token may not touch domain {domain!r}")


def _fitted(model: type[Model], value: object, what: str) -> Model:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        raise ApiError(422, f"invalid_{what}", f"request {what} does not fit", details=details) from None


async def read_body(request: web.Request, model: type[Model]) -> Model:
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_body", "request body must be a JSON object")
    return _fitted(model, body, "body")


def read_query(request: web.Request, model: type[Model]) -> Model:
    return _fitted(model, dict(request.query), "query")


def reply(answer: BaseModel, status: int = 200) -> web.Response:
    return web.json_response(answer.model_dump(mode="json"), status=status)

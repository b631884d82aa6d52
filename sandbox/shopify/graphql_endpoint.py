"""`POST /{shop}/admin/api/{version}/graphql.json`: auth, injected faults, validation, cost, bucket, execution.

After executing, the webhooks the request's changes cause are queued (they go out in the background), and
so are the downloads of new media sources and the bulk operations the request created. An uninstalled app's
token is refused like an unknown one. URLs the sandbox hands out (staged uploads, bulk results) point at the
scheme and host the request came in on.
"""

import asyncio
import json
from typing import Any

from aiohttp import web
from graphql import FieldNode, GraphQLError, OperationType

from sandbox.app_state import BULK_RUNNER, MEDIA_FETCHER, SHOPS, WEBHOOK_SENDER
from sandbox.http_json import json_response
from sandbox.shopify.admin_schema import LATEST_VERSION, SUPPORTED_VERSIONS, Refusal, admin_schema, prepare_operation
from sandbox.shopify.fault_responses import drop_connection, fault_response
from sandbox.shopify.graphql_execution import execute
from sandbox.shopify.query_cost import MAX_QUERY_COST, QueryCost
from sandbox.shopify.responses import cost_extension, formatted_errors, max_cost_body, throttled_body
from sandbox.shopify.root_resolvers import DEFAULT_ORIGIN, AdminRoot
from sandbox.shopify.shop import Shop
from sandbox.shopify.variables import VariableProblems, coerce_variables
from sandbox.shopify.webhook_events import publish

ROUTE = "/{shop}/admin/api/{version}/graphql.json"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"


async def _request_body(request: web.Request) -> dict[str, Any] | web.Response:
    try:
        body = json.loads(await request.read())
    except (UnicodeDecodeError, json.JSONDecodeError):
        return json_response({"errors": "Body is not valid JSON"}, status=400)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return json_response({"errors": "Required parameter missing or invalid: query"}, status=400)
    if not isinstance(body.get("variables") or {}, dict):
        return json_response({"errors": "variables must be a JSON object"}, status=400)
    return body


async def graphql_handler(request: web.Request) -> web.Response:
    shop = request.app[SHOPS].get(request.match_info["shop"])
    if shop is None or request.match_info["version"] not in SUPPORTED_VERSIONS:
        return json_response({"errors": "Not Found"}, status=404)
    if not shop.installed or request.headers.get("X-Shopify-Access-Token") != shop.access_token:
        return json_response({"errors": INVALID_TOKEN}, status=401)
    body = await _request_body(request)
    if isinstance(body, web.Response):
        return body
    shop.stats.requests += 1
    draw = shop.faults.draw(str(body.get("query") or ""))
    if draw.slow:
        shop.stats.faults["slow"] += 1
        await asyncio.sleep(draw.slow_seconds)
    if draw.outcome is not None:
        shop.stats.faults[draw.outcome] += 1
    replaced = fault_response(draw)
    if replaced is not None:
        return replaced
    version = request.match_info["version"]
    origin = f"{request.scheme}://{request.host}"
    query, variables, name = body["query"], body.get("variables") or {}, body.get("operationName")
    answer = run_graphql(shop, query, variables, name, version, origin)
    publish(shop, request.app[WEBHOOK_SENDER])  # deliveries go out after answering
    request.app[MEDIA_FETCHER].start(shop.media)  # Shopify downloads new media sources after answering
    request.app[BULK_RUNNER].start(shop)  # and runs new bulk operations in the background
    if draw.outcome == "applied_then_dropped":
        drop_connection(request)
    return json_response(answer)


def run_graphql(
    shop: Shop,
    source: str,
    variables: dict[str, Any],
    operation_name: str | None,
    version: str = LATEST_VERSION,
    origin: str = DEFAULT_ORIGIN,
) -> dict[str, Any]:
    """Everything after HTTP: the body Shopify would answer with (always HTTP 200) at that API version."""
    prepared = prepare_operation(source, operation_name)
    if isinstance(prepared, Refusal):
        return _error_body(shop, list(prepared.errors), prepared.code)
    operation = prepared.operation
    schema = admin_schema()
    try:
        coerced = coerce_variables(schema, operation, variables)
    except VariableProblems as problems:
        return _error_body(shop, problems.errors, "INVALID_VARIABLE")
    cost = QueryCost(schema, operation, prepared.fragments, coerced)
    requested = cost.requested()
    if requested > MAX_QUERY_COST:
        return max_cost_body(requested, shop.bucket)
    if not shop.bucket.try_take(requested):
        shop.stats.throttled += 1
        return throttled_body(requested, shop.bucket)
    root = AdminRoot(shop, version, origin)
    result, applied = execute(prepared, root, variables)
    actual = cost.actual(result.data)
    shop.bucket.refund(requested - actual)
    root_fields = [
        s.name.value
        for s in operation.selection_set.selections
        if isinstance(s, FieldNode) and not s.name.value.startswith("__")
    ]
    _count(shop, operation.operation, root_fields, actual, applied=applied)
    response: dict[str, Any] = {}
    if result.errors:
        response["errors"] = [error.formatted for error in result.errors]
    response["data"] = result.data
    response["extensions"] = cost_extension(requested, actual, shop.bucket)
    if root.search_warnings:
        response["extensions"]["search"] = root.search_warnings
    return response


def _error_body(shop: Shop, errors: list[GraphQLError], code: str) -> dict[str, Any]:
    return {"errors": formatted_errors(errors, code), "extensions": cost_extension(0, 0, shop.bucket)}


def _count(shop: Shop, kind: OperationType, root_fields: list[str], actual: int, *, applied: bool) -> None:
    stats = shop.stats
    stats.points_used += actual
    if kind == OperationType.MUTATION:
        stats.mutations += 1
        stats.mutations_applied += applied
    for field_name in root_fields:
        stats.by_root_field[field_name] += 1

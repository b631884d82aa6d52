"""`POST /{shop}/admin/api/{version}/graphql.json`: auth, injected faults, validation, cost, bucket, execution.

After executing, the webhooks the request's changes cause are queued (they go out in the background), and
so are the downloads of new media sources. An uninstalled app's token is refused like an unknown one.
"""

import asyncio
import json
from typing import Any

from aiohttp import web
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationType,
    execute_sync,
    get_operation_ast,
)

from sandbox.app_state import MEDIA_FETCHER, SHOPS, WEBHOOK_SENDER
from sandbox.http_json import json_response
from sandbox.shopify.admin_schema import LATEST_VERSION, SUPPORTED_VERSIONS, admin_schema, check_document
from sandbox.shopify.fault_responses import drop_connection, fault_response
from sandbox.shopify.query_cost import MAX_QUERY_COST, QueryCost
from sandbox.shopify.responses import cost_extension, formatted_errors, max_cost_body, throttled_body
from sandbox.shopify.root_resolvers import AdminRoot, sandbox_field_resolver
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
    draw = shop.faults.draw()
    if draw.slow:
        shop.stats.faults["slow"] += 1
        await asyncio.sleep(draw.slow_seconds)
    if draw.outcome is not None:
        shop.stats.faults[draw.outcome] += 1
    replaced = fault_response(draw)
    if replaced is not None:
        return replaced
    version = request.match_info["version"]
    answer = run_graphql(shop, body["query"], body.get("variables") or {}, body.get("operationName"), version)
    publish(shop, request.app[WEBHOOK_SENDER])  # deliveries go out after answering
    request.app[MEDIA_FETCHER].start(shop.media)  # Shopify downloads new media sources after answering
    if draw.outcome == "applied_then_dropped":
        drop_connection(request)
    return json_response(answer)


def run_graphql(
    shop: Shop,
    source: str,
    variables: dict[str, Any],
    operation_name: str | None,
    version: str = LATEST_VERSION,
) -> dict[str, Any]:
    """Everything after HTTP: the body Shopify would answer with (always HTTP 200) at that API version."""
    checked = check_document(source)
    if checked.document is None:
        assert checked.error_code is not None
        return _error_body(shop, list(checked.errors), checked.error_code)
    operation = get_operation_ast(checked.document, operation_name)
    if operation is None:
        message = (
            f"No operation named '{operation_name}'"
            if operation_name
            else "An operation name is required when the document holds several operations"
        )
        return _error_body(shop, [GraphQLError(message)], "GRAPHQL_VALIDATION_FAILED")
    if operation.operation == OperationType.SUBSCRIPTION:
        return _error_body(shop, [GraphQLError("Subscriptions are not supported")], "GRAPHQL_VALIDATION_FAILED")
    schema = admin_schema()
    try:
        coerced = coerce_variables(schema, operation, variables)
    except VariableProblems as problems:
        return _error_body(shop, problems.errors, "INVALID_VARIABLE")
    fragments = {d.name.value: d for d in checked.document.definitions if isinstance(d, FragmentDefinitionNode)}
    cost = QueryCost(schema, operation, fragments, coerced)
    requested = cost.requested()
    if requested > MAX_QUERY_COST:
        return max_cost_body(requested, shop.bucket)
    if not shop.bucket.try_take(requested):
        shop.stats.throttled += 1
        return throttled_body(requested, shop.bucket)
    root = AdminRoot(shop, version)
    revision_before = shop.revision
    result = execute_sync(
        schema,
        checked.document,
        root_value=root,
        variable_values=variables,
        operation_name=operation_name,
        field_resolver=sandbox_field_resolver,
    )
    actual = cost.actual(result.data)
    shop.bucket.refund(requested - actual)
    root_fields = [
        s.name.value
        for s in operation.selection_set.selections
        if isinstance(s, FieldNode) and not s.name.value.startswith("__")
    ]
    _count(shop, operation.operation, root_fields, actual, applied=shop.revision != revision_before)
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

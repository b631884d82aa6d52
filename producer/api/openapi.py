"""`GET /api/openapi.json`: the OpenAPI 3.1 description of every route, built from the same declarations and
pydantic models that route and validate the requests (see `endpoint.py`)."""

import re
from functools import cache
from typing import Any

from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from producer.api.endpoint import ENDPOINTS, Endpoint, endpoint
from producer.api.schemas import ErrorBody

REF = "#/components/schemas/{model}"
# Answers every route can give whatever it does: the service's own limits and outages.
COMMON_ANSWERS: dict[int, type[BaseModel] | None] = {503: ErrorBody}
AUTH_ANSWERS: dict[int, type[BaseModel] | None] = {401: ErrorBody, 413: ErrorBody, 429: ErrorBody}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _operation(declared: Endpoint, query_schemas: dict[str, Any]) -> dict[str, Any]:
    answers = {**COMMON_ANSWERS, **(AUTH_ANSWERS if declared.auth else {}), **declared.responses}
    operation: dict[str, Any] = {
        "operationId": re.sub(r"[^a-zA-Z0-9]+", "_", f"{declared.method.lower()}_{declared.path}").strip("_"),
        "summary": declared.summary,
        "tags": list(declared.tags),
        "responses": {
            str(code): {
                "description": (model.__doc__ or model.__name__).strip().split("\n")[0] if model else "No body",
                **({"content": {"application/json": {"schema": _ref(model)}}} if model else {}),
                **({"headers": {"Retry-After": {"schema": {"type": "string"}}}} if code == 429 else {}),
            }
            for code, model in sorted(answers.items())
        },
    }
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", declared.path)
    ]
    if declared.query is not None:
        schema = query_schemas[declared.query.__name__]
        parameters += [
            {"name": name, "in": "query", "required": name in schema.get("required", []), "schema": prop}
            for name, prop in schema["properties"].items()
        ]
    if parameters:
        operation["parameters"] = parameters
    if declared.body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(declared.body)}}}
    if declared.auth:
        operation["security"] = [{"bearerAuth": []}]
    return operation


@cache
def openapi_document() -> dict[str, Any]:
    models = {
        model
        for declared in ENDPOINTS
        for model in (declared.body, *declared.responses.values(), *COMMON_ANSWERS.values(), *AUTH_ANSWERS.values())
        if model is not None
    }
    _, definitions = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)], ref_template=REF
    )
    query_schemas = {d.query.__name__: d.query.model_json_schema() for d in ENDPOINTS if d.query is not None}
    paths: dict[str, dict[str, Any]] = {}
    for declared in ENDPOINTS:
        paths.setdefault(declared.path, {})[declared.method.lower()] = _operation(declared, query_schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Commerce sync producer",
            "version": "2",
            "description": "Syncs Unleashed into Shopify: start syncs, follow them, operate the queues.",
        },
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


@endpoint("GET", "/api/openapi.json", summary="This description", responses={200: None}, auth=False,
          tags=("meta",))  # fmt: skip
async def openapi(_request: web.Request) -> web.Response:
    return web.json_response(openapi_document())

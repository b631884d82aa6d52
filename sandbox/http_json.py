"""Small JSON helpers shared by the sandbox's HTTP handlers."""

import json
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

JsonObject = dict[str, Any]
ModelT = TypeVar("ModelT", bound=BaseModel)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A compact JSON response (no spaces, like the real services send)."""
    return web.Response(
        text=json.dumps(body, separators=(",", ":")),
        status=status,
        content_type="application/json",
        headers=headers,
    )


async def read_json_object(request: web.Request) -> JsonObject:
    """The request body as a JSON object, or a 400 response raised as an exception."""
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise web.HTTPBadRequest(
            text=json.dumps({"error": f"body is not JSON: {error}"}), content_type="application/json"
        ) from error
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "body must be a JSON object"}), content_type="application/json"
        )
    return body


async def read_model(request: web.Request, model: type[ModelT]) -> ModelT:
    """The request body validated into `model`; 400 for bad JSON, 422 for JSON that does not fit."""
    body = await read_json_object(request)
    try:
        return model.model_validate(body)
    except ValidationError as error:
        details = json.loads(error.json(include_url=False, include_context=False))
        raise web.HTTPUnprocessableEntity(
            text=json.dumps({"error": "invalid body", "details": details}), content_type="application/json"
        ) from error

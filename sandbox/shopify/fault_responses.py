"""What an injected fault looks like on the wire: gateway errors, rate limiting, internal errors, a dropped line."""

import uuid

from aiohttp import web

from sandbox.http_json import json_response
from sandbox.shopify.faults import FaultDraw

_BAD_GATEWAY_HTML = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1><p>There was a problem with our servers.</p></body></html>"
)
INTERNAL_ERROR_MESSAGE = "Internal error. Looks like something went wrong on our end."


def internal_error_body() -> dict[str, object]:
    request_id = str(uuid.uuid4())
    return {
        "errors": [
            {
                "message": f"{INTERNAL_ERROR_MESSAGE}\nRequest ID: {request_id}",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            }
        ]
    }


def fault_response(draw: FaultDraw) -> web.Response | None:
    """The answer that replaces the request's execution, or None when the request is to be executed."""
    retry_after = {"Retry-After": str(draw.retry_after_seconds)}
    if draw.outcome == "http_502":
        return web.Response(status=502, text=_BAD_GATEWAY_HTML, content_type="text/html")
    if draw.outcome == "http_503":
        return json_response({"errors": "Service Unavailable"}, status=503, headers=retry_after)
    if draw.outcome == "http_429":
        return json_response({"errors": "Too Many Requests"}, status=429, headers=retry_after)
    if draw.outcome == "internal_error":
        return json_response(internal_error_body())
    return None


def drop_connection(request: web.Request) -> None:
    """Close the connection so that the client gets no response at all (it sees the server disconnect)."""
    if request.transport is not None:
        request.transport.close()

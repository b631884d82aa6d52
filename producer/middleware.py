"""Every error the API gives is JSON `{"error": {"code", "message"}}`, never a stack trace."""

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import redis.exceptions
from aiohttp import web

from producer.auth import AuthError
from shared.logs import get_logger

log = get_logger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    beside: dict[str, Any] | None = None,
    **extra: Any,
) -> web.Response:
    """`extra` goes inside `error`; `beside` next to it (a 409's running `syncId`, as the brief shapes it)."""
    body = {"error": {"code": code, "message": message, **extra}, **(beside or {})}
    return web.json_response(body, status=status, headers=headers)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        beside: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.beside = beside
        self.extra = extra


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}

_BACKEND_DOWN = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.InterfaceError,
    ConnectionError,
    OSError,
    TimeoutError,
)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, exc.headers, exc.beside, **exc.extra)
    except AuthError as exc:
        return error_response(exc.status, exc.code, exc.message)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return error_response(exc.status, _HTTP_CODES.get(exc.status, "http_error"), exc.reason)
    except _BACKEND_DOWN as exc:
        log.warning("backend unavailable", path=request.path, error=type(exc).__name__)
        return error_response(503, "unavailable", "Redis or PostgreSQL is unavailable; try again shortly")
    except Exception:
        log.exception("unhandled error", path=request.path)
        return error_response(500, "internal_error", "internal error; see the producer's logs")

"""A small synchronous client of the producer's HTTP API, on the standard library's `urllib`.

Why `urllib` and not aiohttp: the CLI makes one request at a time (a poll twice a second at most), so an event
loop, a session and its cleanup would add nothing but start-up time and code; `urllib` also reports a refused
connection as one plain exception, which the CLI turns into a one-line message.
"""

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_API_URL = "http://127.0.0.1:8080"
TOKEN_TTL_SECONDS = 300
TokenSource = Callable[[], str | None]


class ApiError(Exception):
    """The API answered with an error: its status and its `{"error": {"code", "message"}}` body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        found = body.get("error")
        error: dict[str, Any] = found if isinstance(found, dict) else {}
        self.status = status
        self.body = body
        self.code = str(error.get("code", "http_error"))
        self.message = str(error.get("message", f"HTTP {status}"))
        super().__init__(f"{status} {self.code}: {self.message}")


class Unreachable(Exception):
    """No answer at all: connection refused, unknown host, timeout."""

    def __init__(self, url: str, reason: object) -> None:
        self.url = url
        self.reason = str(reason)
        super().__init__(f"cannot reach the producer API at {url}: {self.reason}")


@dataclass(frozen=True)
class ApiClient:
    """`base_url` of the producer; `token` is asked for each request, so a minted token never runs out mid-watch."""

    base_url: str
    token: TokenSource
    timeout_seconds: float = 10.0

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def get(self, path: str, query: dict[str, str | int | None] | None = None) -> Any:
        pairs = {key: str(value) for key, value in (query or {}).items() if value is not None}
        return self.request("GET", path + ("?" + urllib.parse.urlencode(pairs) if pairs else ""))

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.request("POST", path, body)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        token = self.token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url(path), data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                return _decode(response.read())
        except urllib.error.HTTPError as exc:
            raise ApiError(exc.code, _error_body(exc.code, exc.read())) from None
        except urllib.error.URLError as exc:
            raise Unreachable(self.base_url, exc.reason) from None
        except (OSError, TimeoutError) as exc:  # a reset connection or a read timeout after connecting
            raise Unreachable(self.base_url, exc) from None


def _decode(raw: bytes) -> Any:
    return json.loads(raw) if raw else None


def _error_body(status: int, raw: bytes) -> dict[str, Any]:
    try:
        body = _decode(raw)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body
    text = raw.decode(errors="replace").strip()[:200] or f"HTTP {status}"
    return {"error": {"code": "http_error", "message": text}}


def token_from_env(env: Mapping[str, str] | None = None) -> TokenSource:
    """`COMMERCE_SYNC_TOKEN` as it is; else, with `API_JWT_SECRET`, a fresh 5-minute token for every request
    (subject `cli`, every domain); else none, and the API says 401 (unless it runs without auth)."""
    values = os.environ if env is None else env
    token = values.get("COMMERCE_SYNC_TOKEN", "").strip()
    if token:
        return lambda: token
    secret = values.get("API_JWT_SECRET", "")
    if secret:
        from producer.auth import issue_token

        return lambda: issue_token(secret, "cli", ["*"], ttl_seconds=TOKEN_TTL_SECONDS)
    return lambda: None


def client_from_env(env: Mapping[str, str] | None = None) -> ApiClient:
    values = os.environ if env is None else env
    base_url = values.get("COMMERCE_SYNC_API_URL", "").strip() or DEFAULT_API_URL
    return ApiClient(base_url, token_from_env(env))

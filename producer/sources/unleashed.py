"""Unleashed API client: signed requests, page-by-page reads, retries on 429/5xx honouring Retry-After."""

import asyncio
import base64
import hashlib
import hmac
from typing import Any
from urllib.parse import urlencode

import aiohttp
from yarl import URL

from producer.sources.retry import backoff_delay, retry_after_seconds
from shared.logs import get_logger
from shared.settings import Settings
from shared.tenants import MissingCredentials, Tenant

log = get_logger(__name__)


class UnleashedError(Exception):
    """The pull from Unleashed failed; the message is safe to show a merchant."""


class UnleashedAuthError(UnleashedError):
    pass


def sign_query(query_string: str, api_key: str) -> str:
    """base64(HMAC-SHA256(key, raw query string)), exactly as Unleashed checks it."""
    digest = hmac.new(api_key.encode(), query_string.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class UnleashedClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        api_id: str,
        api_key: str,
        *,
        page_size: int = 1000,
        client_type: str = "commercesync/sync",
        max_attempts: int = 5,
        backoff_seconds: float = 0.5,
    ) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._api_id = api_id
        self._api_key = api_key
        self._page_size = page_size
        self._client_type = client_type
        self._max_attempts = max_attempts
        self._backoff_seconds = backoff_seconds

    async def fetch_all(self, resource: str, params: dict[str, str] | None = None) -> list[Any]:
        """Every item of a paginated resource (`Products`, `Warehouses`, ...), page by page."""
        items: list[Any] = []
        page = 1
        while True:
            body = await self._get_page(resource, page, params or {})
            page_items = body.get("Items")
            if not isinstance(page_items, list):
                raise UnleashedError(f"Unleashed {resource} page {page} has no Items list")
            items.extend(page_items)
            pagination = body.get("Pagination") or {}
            number_of_pages = int(pagination.get("NumberOfPages") or 1)
            if page >= number_of_pages:
                expected = pagination.get("NumberOfItems")
                if isinstance(expected, int) and expected != len(items):
                    # A list that came back short must never look like records leaving the source.
                    raise UnleashedError(f"Unleashed {resource} came back truncated: {len(items)} of {expected} items")
                return items
            page += 1

    async def _get_page(self, resource: str, page: int, params: dict[str, str]) -> dict[str, Any]:
        query = urlencode({**params, "pageSize": str(self._page_size)})
        url = URL(f"{self._base_url}/{resource}/{page}?{query}", encoded=True)
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "api-auth-id": self._api_id,
            "api-auth-signature": sign_query(query, self._api_key),
            "client-type": self._client_type,
        }
        for attempt in range(1, self._max_attempts + 1):
            retry_after: float | None = None
            try:
                async with self._session.get(url, headers=headers) as response:
                    if response.status == 200:
                        body = await response.json(content_type=None)
                        if not isinstance(body, dict):
                            raise UnleashedError(f"Unleashed {resource} answered a non-object body")
                        return body
                    if response.status in (401, 403):
                        raise UnleashedAuthError(
                            f"Unleashed refused the API credentials (HTTP {response.status}) for {resource}"
                        )
                    if response.status != 429 and response.status < 500:
                        text = (await response.text())[:200]
                        raise UnleashedError(f"Unleashed {resource} answered HTTP {response.status}: {text}")
                    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                    reason = f"HTTP {response.status}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                reason = type(exc).__name__
            if attempt == self._max_attempts:
                raise UnleashedError(f"Unleashed {resource} page {page} failed after {attempt} attempts ({reason})")
            delay = retry_after if retry_after is not None else backoff_delay(self._backoff_seconds, attempt)
            log.warning("unleashed retry", resource=resource, page=page, reason=reason, delay=delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")


def unleashed_client_for(http: aiohttp.ClientSession, settings: Settings, tenant: Tenant) -> UnleashedClient:
    """The tenant's Unleashed client; a clear error when the tenant hash has no Unleashed credentials."""
    if not tenant.unleashed_api_id or tenant.unleashed_api_key is None:
        raise MissingCredentials(tenant.domain, "Unleashed (unleashed_api_id / unleashed_api_key)")
    return UnleashedClient(
        http,
        settings.unleashed_api_url,
        tenant.unleashed_api_id,
        tenant.unleashed_api_key.get_secret_value(),
        page_size=settings.unleashed_page_size,
        client_type=settings.unleashed_client_type,
        max_attempts=settings.upstream_max_attempts,
    )

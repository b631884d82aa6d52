"""A thin Shopify Admin GraphQL client: one POST, an answer classified into success or a typed error.

It takes its aiohttp session from outside, so tests point it at the sandbox, not at a fake.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import aiohttp

from shared.tenants import Tenant


class ErrorClass(StrEnum):
    """Why a job failed for good; the names are the product brief's dead-letter classes."""

    USER_ERROR = "user_error"
    ACCESS_DENIED = "access_denied"
    MISSING_CREDENTIALS = "missing_credentials"
    INVALID_PAYLOAD = "invalid_payload"
    RETRIES_EXHAUSTED = "retries_exhausted"


@dataclass(frozen=True)
class ThrottleStatus:
    maximum_available: float
    currently_available: float
    restore_rate: float


@dataclass(frozen=True)
class GraphQLResult:
    data: dict[str, Any]
    requested_cost: float | None
    actual_cost: float | None
    throttle: ThrottleStatus | None


class ShopifyError(Exception):
    """Base of every failure the client reports."""


class ShopifyTransientError(ShopifyError):
    """Worth retrying: THROTTLED, 429, 5xx, INTERNAL_SERVER_ERROR, timeouts, dropped connections."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        throttled: bool = False,
        throttle: "ThrottleStatus | None" = None,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.throttled = throttled
        self.throttle = throttle


class ShopifyPermanentError(ShopifyError):
    """Retrying cannot help: bad credentials, missing scope, a document the schema refuses."""

    def __init__(self, error_class: ErrorClass, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class


def shop_of(tenant: Tenant) -> str:
    """The tenant's shop, once it is known to have both shop and token; a clear permanent error if not."""
    if not tenant.shopify_shop or tenant.shopify_access_token is None:
        raise ShopifyPermanentError(
            ErrorClass.MISSING_CREDENTIALS, f"tenant {tenant.domain!r} has no shopify_shop / shopify_access_token"
        )
    return tenant.shopify_shop


def graphql_url(template: str, shop: str, version: str) -> str:
    return template.format(shop=shop, version=version)


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _throttle_status(body: dict[str, Any]) -> tuple[float | None, float | None, ThrottleStatus | None]:
    cost = (body.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus")
    throttle = None
    if isinstance(status, dict):
        throttle = ThrottleStatus(
            maximum_available=float(status.get("maximumAvailable", 0)),
            currently_available=float(status.get("currentlyAvailable", 0)),
            restore_rate=float(status.get("restoreRate", 0)) or 1.0,
        )
    requested = cost.get("requestedQueryCost")
    actual = cost.get("actualQueryCost")
    return (
        float(requested) if requested is not None else None,
        float(actual) if actual is not None else None,
        throttle,
    )


def seconds_until_affordable(requested: float, throttle: ThrottleStatus) -> float:
    missing = requested - throttle.currently_available
    return max(0.0, missing / throttle.restore_rate)


class ShopifyGraphQLClient:
    def __init__(self, session: aiohttp.ClientSession, url_template: str, default_version: str) -> None:
        self._session = session
        self._url_template = url_template
        self._default_version = default_version

    def endpoint_for(self, tenant: Tenant) -> str:
        return graphql_url(self._url_template, shop_of(tenant), tenant.shopify_api_version or self._default_version)

    async def execute(self, tenant: Tenant, document: str, variables: dict[str, Any]) -> GraphQLResult:
        url = self.endpoint_for(tenant)
        assert tenant.shopify_access_token is not None  # shop_of checked it
        headers = {
            "X-Shopify-Access-Token": tenant.shopify_access_token.get_secret_value(),
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        try:
            async with self._session.post(
                url, json={"query": document, "variables": variables}, headers=headers
            ) as response:
                status = response.status
                retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
                try:
                    body = await response.json(content_type=None)
                except ValueError:
                    body = None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ShopifyTransientError(f"connection to Shopify failed: {type(exc).__name__}") from exc
        return _classify(status, retry_after, body)


def _classify(status: int, retry_after: float | None, body: Any) -> GraphQLResult:
    if status == 429 or status >= 500:
        raise ShopifyTransientError(f"Shopify answered HTTP {status}", retry_after=retry_after)
    if status in (401, 403):
        raise ShopifyPermanentError(ErrorClass.ACCESS_DENIED, f"Shopify refused the access token (HTTP {status})")
    if status == 404:
        raise ShopifyPermanentError(ErrorClass.ACCESS_DENIED, "Shopify knows no such shop or API version")
    if status != 200 or not isinstance(body, dict):
        raise ShopifyPermanentError(ErrorClass.INVALID_PAYLOAD, f"Shopify answered HTTP {status}")
    requested, actual, throttle = _throttle_status(body)
    errors = body.get("errors")
    if isinstance(errors, str):
        errors = [{"message": errors}]
    if errors:
        codes = [((e.get("extensions") or {}).get("code") if isinstance(e, dict) else None) for e in errors]
        messages = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
        if "THROTTLED" in codes:
            wait = seconds_until_affordable(requested or 10.0, throttle) if throttle else 1.0
            raise ShopifyTransientError("THROTTLED", retry_after=wait, throttled=True, throttle=throttle)
        if "INTERNAL_SERVER_ERROR" in codes:
            raise ShopifyTransientError(
                f"Shopify internal error: {messages}", retry_after=retry_after, throttle=throttle
            )
        if "ACCESS_DENIED" in codes:
            raise ShopifyPermanentError(ErrorClass.ACCESS_DENIED, messages)
        raise ShopifyPermanentError(ErrorClass.INVALID_PAYLOAD, messages)
    data = body.get("data")
    if not isinstance(data, dict):
        raise ShopifyPermanentError(ErrorClass.INVALID_PAYLOAD, "Shopify answered without data")
    return GraphQLResult(data=data, requested_cost=requested, actual_cost=actual, throttle=throttle)

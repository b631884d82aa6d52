"""Shopify calls of the mutator, each first given a slot in the shop's shared budget (see pacing)."""

import asyncio
import time
from typing import Any

from mutator import metrics
from mutator.pacing import ShopPacer
from shared.shopify_client import (
    GraphQLResult,
    ShopifyGraphQLClient,
    ShopifyTransientError,
    ThrottleStatus,
    shop_of,
)
from shared.tenants import Tenant


class PacingDeferred(Exception):
    """The shop's budget has no room soon; the job goes back to the queue for `wait_seconds`."""

    def __init__(self, wait_seconds: float) -> None:
        super().__init__(f"paced: next slot in {wait_seconds:.2f}s")
        self.wait_seconds = wait_seconds


class PacedShopify:
    def __init__(self, client: ShopifyGraphQLClient, pacer: ShopPacer) -> None:
        self._client = client
        self._pacer = pacer

    async def execute(
        self, tenant: Tenant, document: str, variables: dict[str, Any], *, cost: float, ticket: str, operation: str
    ) -> GraphQLResult:
        """Send `document` (named `operation` in the metrics) once the shop's budget has room for `cost`."""
        shop = shop_of(tenant)
        reservation = await self._pacer.reserve(shop, cost, ticket)
        if not reservation.granted:
            raise PacingDeferred(reservation.wait_seconds)
        metrics.BUDGET_WAIT.observe(reservation.wait_seconds)
        if reservation.wait_seconds > 0:
            await asyncio.sleep(reservation.wait_seconds)
        throttle: ThrottleStatus | None = None
        refund = 0.0
        started = time.perf_counter()
        try:
            result = await self._client.execute(tenant, document, variables)
            throttle = result.throttle
            charged = result.actual_cost if result.actual_cost is not None else result.requested_cost
            refund = max(0.0, cost - charged) if charged is not None else 0.0
            if charged is not None:
                metrics.POINTS_USED.labels(shop=shop).inc(charged)
        except ShopifyTransientError as exc:
            throttle = exc.throttle
            refund = cost if exc.throttled else 0.0
            raise
        finally:
            metrics.SHOPIFY_SECONDS.labels(document=operation).observe(time.perf_counter() - started)
            if throttle is not None:
                metrics.POINTS_AVAILABLE.labels(shop=shop).set(throttle.currently_available)
                metrics.POINTS_MAXIMUM.labels(shop=shop).set(throttle.maximum_available)
                if reservation.needs_observe(throttle.currently_available, refund):
                    await self._pacer.observe(shop, throttle, refund=refund)
            elif not reservation.known:
                # The probe learned nothing (an error without throttleStatus): let the next request probe.
                await self._pacer.release_probe(shop)
        return result

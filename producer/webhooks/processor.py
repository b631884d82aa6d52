"""The webhook path: a loop in every producer that takes recorded deliveries (one producer each, under a lease)
and turns them into drift repairs. A delivery is answered before it is processed; a producer that dies with
deliveries in hand lets their lease run out and another takes them."""

import asyncio
import contextlib
import time

import structlog

from producer import metrics
from producer.webhooks.deliveries import Delivery, claim_deliveries, finish_delivery
from producer.webhooks.repair import Outcome, RepairContext, describe, process
from shared.logs import get_logger

log = get_logger(__name__)


class WebhookProcessor:
    def __init__(self, ctx: RepairContext, *, interval_seconds: float = 1.0, batch: int = 16) -> None:
        self._ctx = ctx
        self._interval = interval_seconds
        self._batch = batch
        self._wake = asyncio.Event()
        self._loop: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """A delivery was just recorded: take it now rather than at the next round."""
        self._wake.set()

    def start(self) -> None:
        self._loop = asyncio.create_task(self._forever(), name="webhooks")

    async def close(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop

    async def _forever(self) -> None:
        while True:
            try:
                while await self.process_once():
                    pass
            except Exception as exc:  # PostgreSQL or Redis away: the leases hand the deliveries back
                log.warning("webhook round failed", error=f"{type(exc).__name__}: {exc}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()

    async def process_once(self) -> int:
        """Process one batch of deliveries; how many there were."""
        deliveries = await claim_deliveries(self._ctx.pool, self._batch)
        await asyncio.gather(*(self._one(delivery) for delivery in deliveries))
        return len(deliveries)

    async def _one(self, delivery: Delivery) -> None:
        started = time.monotonic()
        with structlog.contextvars.bound_contextvars(webhook_id=delivery.webhook_id, domain=delivery.domain):
            try:
                outcome = await process(self._ctx, delivery)
            except Exception as exc:
                log.exception("webhook processing failed", topic=delivery.topic)
                outcome = Outcome("failed", f"internal error ({type(exc).__name__}); replay it once fixed")
            await finish_delivery(
                self._ctx.pool, delivery.webhook_id, outcome.state, outcome.message, outcome.repair_sync_id
            )
            repaired = outcome.repair_sync_id is not None
            metrics.WEBHOOKS_PROCESSED.labels(topic=delivery.topic, repaired=str(repaired).lower()).inc()
            log.info(
                "webhook processed",
                topic=delivery.topic,
                about=describe(delivery.payload),
                outcome=outcome.message,
                repair_sync_id=outcome.repair_sync_id,
                seconds=round(time.monotonic() - started, 3),
            )

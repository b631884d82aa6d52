"""Shopify's side of webhook delivery: POST each delivery in the background, retry failures, give up, remove.

- A delivery succeeds on a 2xx answer within `timeout` seconds (`SANDBOX_WEBHOOK_TIMEOUT`, 5 s like
  Shopify); anything else fails: another status (redirects included, they are not followed), no answer in
  time, a refused connection.
- First attempts go out in the order the changes happened, one at a time per shop and address (a lane;
  `concurrency` > 1 lets that many be in flight at once, started in order); different addresses do not
  wait for each other. A failed delivery leaves its lane and is retried on its own after `retry_seconds`,
  doubling each time up to `retry_max_seconds`, at most `retries` times, with the same body, webhook id
  and event id; then it is `failed`.
- Shopify deletes a subscription after consecutive failures: when a delivery gives up and its subscription's
  attempts have failed `remove_after_failures` times in a row (any 2xx resets the count), the subscription
  is removed (0: never).
- The test hooks (`resend`, `send`) make one attempt and wait for it; they never retry and do not count
  towards removal.
"""

import asyncio
from collections import deque
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from sandbox.shopify.webhook_deliveries import Delivery, precise_now
from sandbox.shopify.webhook_subscriptions import ShopWebhooks


@dataclass(frozen=True)
class DeliveryPolicy:
    timeout: float = 5.0
    retries: int = 8
    retry_seconds: float = 1.0
    retry_max_seconds: float = 60.0
    remove_after_failures: int = 8
    concurrency: int = 1

    def backoff(self, retry: int) -> float:
        """Seconds before retry number `retry` (1-based)."""
        return float(min(self.retry_max_seconds, self.retry_seconds * 2 ** (retry - 1)))


LaneKey = tuple[str, str]


@dataclass
class _Lane:
    """First attempts waiting for one shop's address, and how many workers are sending them."""

    waiting: deque[tuple[ShopWebhooks, Delivery]] = field(default_factory=deque)
    workers: int = 0


class WebhookSender:
    """One per sandbox: a client session, the lanes' workers and the retries; `close()` on shutdown."""

    def __init__(self, policy: DeliveryPolicy | None = None) -> None:
        self.policy = policy or DeliveryPolicy()
        self._session: aiohttp.ClientSession | None = None
        self._lanes: dict[LaneKey, _Lane] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, state: ShopWebhooks, deliveries: list[Delivery]) -> None:
        """Log the deliveries and queue them on their lanes; returns at once."""
        for delivery in deliveries:
            state.deliveries.add(delivery)
            key = (delivery.shop_domain, delivery.uri)
            lane = self._lanes.setdefault(key, _Lane())
            lane.waiting.append((state, delivery))
            if lane.workers < max(1, self.policy.concurrency):
                lane.workers += 1
                self._spawn(self._run_lane(key, lane))

    async def attempt_once(self, state: ShopWebhooks, delivery: Delivery) -> Delivery:
        """One attempt now, awaited (the test hooks); a delivery with no retries left is `failed` when it fails."""
        state.deliveries.add(delivery)
        await self._attempt(state, delivery, counts=False)
        if delivery.status == "pending" and not delivery.retry:
            delivery.status = "failed"
        return delivery

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_lane(self, key: LaneKey, lane: _Lane) -> None:
        try:
            while lane.waiting:
                state, delivery = lane.waiting.popleft()
                if delivery.status == "pending":
                    await self._attempt(state, delivery, counts=True)
                    if delivery.status == "pending":
                        self._spawn(self._retry(state, delivery))
        finally:
            # No await since the last check: nothing can have been queued in between.
            lane.workers -= 1
            if lane.workers == 0 and not lane.waiting and self._lanes.get(key) is lane:
                del self._lanes[key]

    async def _retry(self, state: ShopWebhooks, delivery: Delivery) -> None:
        retry = 0
        while delivery.status == "pending" and retry < self.policy.retries:
            retry += 1
            await asyncio.sleep(self.policy.backoff(retry))
            if delivery.status == "pending":
                await self._attempt(state, delivery, counts=True)
        if delivery.status == "pending":
            delivery.status = "failed"
            self._maybe_remove(state, delivery)

    def _maybe_remove(self, state: ShopWebhooks, delivery: Delivery) -> None:
        limit = self.policy.remove_after_failures
        subscription = state.subscriptions.get(delivery.subscription_id or -1)
        if limit > 0 and subscription is not None and subscription.consecutive_failures >= limit:
            reason = f"{subscription.consecutive_failures} consecutive failed deliveries"
            state.remove_failing(subscription, reason)

    async def _attempt(self, state: ShopWebhooks, delivery: Delivery, *, counts: bool) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.policy.timeout))
        delivery.attempts += 1
        delivery.last_attempt_at = precise_now()
        code: int | None = None
        error: str | None = None
        try:
            headers = delivery.headers(state.secret)
            async with self._session.post(
                delivery.uri, data=delivery.body, headers=headers, allow_redirects=False
            ) as response:
                code = response.status
                await response.read()
        except TimeoutError:
            error = f"no answer within {self.policy.timeout:g} s"
        except (aiohttp.ClientError, ValueError) as problem:
            error = str(problem) or type(problem).__name__
        delivery.last_status_code = code
        delivery.last_error = error
        succeeded = code is not None and 200 <= code < 300
        if succeeded:
            delivery.status = "delivered"
            delivery.delivered_at = precise_now()
        elif code is not None:
            delivery.last_error = f"answered HTTP {code}"
        subscription = state.subscriptions.get(delivery.subscription_id or -1)
        if counts and subscription is not None:
            subscription.consecutive_failures = 0 if succeeded else subscription.consecutive_failures + 1

    async def close(self) -> None:
        """Stop every lane and retry (pending deliveries stay pending) and close the client session."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._lanes.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

"""Shared pacing: every mutator replica paces each shop against one model of its leaky bucket in Redis.

The model (hash `pacing:{shop}`) is a virtual schedule: `tat` is the time at which everything reserved so
far will have been restored. A request of cost c may go at once while the points in use plus c fit in the
bucket; otherwise it gets the next slot, c / restore-rate seconds after the previous one. So N replicas
together send at exactly the shop's restore rate once its bucket is spent, and never burst into THROTTLED.

The model follows Shopify's own `throttleStatus`: it is created from the first answer, refunded what
Shopify did not charge (actual < requested cost, or a THROTTLED request), and pulled back whenever Shopify
reports less available than the model assumes (another app on the shop, a restart of ours).

While nothing is known about a shop, one request probes it and the others wait for its answer.

Reservations for one shop that arrive together in a process share one round trip (the script takes each in
turn, exactly as one by one would).

A request whose slot is more than `max_wait_seconds` away does not sit in a worker slot: it keeps its slot
as a ticket (`pacing-ticket:{job_id}`) and the job is deferred until then. The queue then holds other
shops' jobs first, so one busy shop does not starve the others.
"""

import asyncio
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from shared.shopify_client import ThrottleStatus

# Reserves slots for several requests to one shop at once (each in turn, exactly as one by one would).
# KEYS: the bucket, then one ticket key per request; ARGV: now (ms), max wait (ms), then one cost per request.
# Per request: {status, wait ms, points expected left}; status 1 go, 0 deferred (slot kept as a ticket),
# -1 probe (nothing known about the shop: this request finds out), -2 wait for the probe's answer.
_RESERVE = """
local now, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2])
local unknown = -1000000000
local out = {}
local s = redis.call('HMGET', KEYS[1], 'tat', 'max', 'rate')
local known = s[1] ~= false
local maxv, rate, tat
if known then
  maxv, rate = tonumber(s[2]), tonumber(s[3])
  tat = math.max(tonumber(s[1]), now)
end
local probing = false
for i = 2, #KEYS do
  local cost = tonumber(ARGV[i + 1])
  local ticket = redis.call('GET', KEYS[i])
  if ticket then
    local wait = math.max(0, tonumber(ticket) - now)
    if wait > max_wait then
      table.insert(out, {0, math.ceil(wait), unknown})
    else
      redis.call('DEL', KEYS[i])
      table.insert(out, {1, math.ceil(wait), unknown})
    end
  elseif not known then
    if not probing and redis.call('SET', KEYS[1] .. ':probe', '1', 'NX', 'PX', 5000) then
      probing = true
      table.insert(out, {-1, 0, unknown})
    else
      table.insert(out, {-2, 0, unknown})
    end
  else
    local in_use = (tat - now) * rate / 1000
    local wait = math.max(0, (in_use + cost - maxv) * 1000 / rate)
    tat = tat + cost * 1000 / rate
    if wait > max_wait then
      redis.call('SET', KEYS[i], tostring(now + wait), 'PX', math.ceil(wait) + 3600000)
      table.insert(out, {0, math.ceil(wait), unknown})
    else
      table.insert(out, {1, math.ceil(wait), math.floor(maxv - in_use - cost)})
    end
  end
end
if known then
  redis.call('HSET', KEYS[1], 'tat', tostring(tat))
  redis.call('PEXPIRE', KEYS[1], 86400000)
end
return out
"""

_OBSERVE = """
local now, maxv, rate = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local reported, refund = tonumber(ARGV[4]), tonumber(ARGV[5])
local floor = now + (maxv - reported) * 1000 / rate
local current = redis.call('HGET', KEYS[1], 'tat')
local tat = floor
if current then
  tat = math.max(floor, tonumber(current) - refund * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tat', tostring(tat), 'max', maxv, 'rate', rate)
redis.call('PEXPIRE', KEYS[1], 86400000)
return 1
"""


@dataclass(frozen=True)
class Reservation:
    """`granted`: send after `wait_seconds`. Otherwise the slot is kept; defer the job that long."""

    granted: bool
    wait_seconds: float
    known: bool = True
    # What the model expects Shopify to have left once this request is charged (None: not known).
    expected_available: float | None = None

    def needs_observe(self, reported_available: float, refund: float) -> bool:
        """Tell the model only what it does not already assume: a first answer, points to give back,
        or Shopify having less than the model expected. Saves a round trip on almost every request."""
        if self.expected_available is None or refund > 0:
            return True
        return reported_available < self.expected_available - OBSERVE_TOLERANCE_POINTS


OBSERVE_TOLERANCE_POINTS = 1.0
UNKNOWN_EXPECTATION = -1_000_000_000
PROBE_POLL_SECONDS = 0.05
PROBE_WAIT_SECONDS = 2.0


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class _Ask:
    cost: float
    ticket: str
    answer: "asyncio.Future[list[int]]"


class ShopPacer:
    def __init__(self, redis: Redis, max_wait_seconds: float = 0.5) -> None:
        self._redis = redis
        self._max_wait_ms = int(max_wait_seconds * 1000)
        self._reserve = redis.register_script(_RESERVE)
        self._observe = redis.register_script(_OBSERVE)
        self._asking: dict[str, list[_Ask]] = {}

    @staticmethod
    def bucket_key(shop: str) -> str:
        return f"pacing:{shop}"

    @staticmethod
    def ticket_key(ticket: str) -> str:
        return f"pacing-ticket:{ticket}"

    async def reserve(self, shop: str, cost: float, ticket: str) -> Reservation:
        """Take the next slot for `cost` points. `ticket` names the request across deferrals (the job id)."""
        waited = 0.0
        while True:
            status, wait_ms, expected = await self._ask(shop, cost, ticket)
            if status == -1:
                # Nothing known about this shop yet: this request is the probe whose answer tells us.
                return Reservation(granted=True, wait_seconds=0.0, known=False)
            if status != -2:
                return Reservation(
                    granted=status == 1,
                    wait_seconds=wait_ms / 1000,
                    expected_available=float(expected) if expected > UNKNOWN_EXPECTATION else None,
                )
            if waited >= PROBE_WAIT_SECONDS:
                return Reservation(granted=False, wait_seconds=PROBE_POLL_SECONDS, known=False)
            await asyncio.sleep(PROBE_POLL_SECONDS)
            waited += PROBE_POLL_SECONDS

    async def _ask(self, shop: str, cost: float, ticket: str) -> list[int]:
        """Group commit: the requests for one shop that arrive while one round trip is being prepared share it."""
        answer: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
        asking = self._asking.setdefault(shop, [])
        asking.append(_Ask(cost, ticket, answer))
        if len(asking) == 1:
            asyncio.get_running_loop().create_task(self._reserve_asked(shop))
        return await answer

    async def _reserve_asked(self, shop: str) -> None:
        asks = self._asking.pop(shop, [])
        try:
            results = await self._reserve(
                keys=[self.bucket_key(shop), *(self.ticket_key(ask.ticket) for ask in asks)],
                args=[_now_ms(), self._max_wait_ms, *(ask.cost for ask in asks)],
            )
        except Exception as exc:
            for ask in asks:
                if not ask.answer.done():
                    ask.answer.set_exception(exc)
            return
        for ask, result in zip(asks, results, strict=True):
            if not ask.answer.done():
                ask.answer.set_result([int(value) for value in result])

    async def release_probe(self, shop: str) -> None:
        """The probe got no throttle status back (an error): let the next request probe at once."""
        await self._redis.delete(self.bucket_key(shop) + ":probe")

    async def observe(self, shop: str, throttle: ThrottleStatus, refund: float = 0.0) -> None:
        """Follow what Shopify reported; give back points it did not charge."""
        await self._observe(
            keys=[self.bucket_key(shop)],
            args=[
                _now_ms(),
                throttle.maximum_available,
                throttle.restore_rate,
                throttle.currently_available,
                max(0.0, refund),
            ],
        )

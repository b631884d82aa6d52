"""Shopify's per app-and-shop leaky bucket: a plan's restore rate, a bucket of 20 × that, continuous refill."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.settings import PlanName


@dataclass(frozen=True)
class PlanLimits:
    restore_rate: float
    maximum_available: float


PLAN_LIMITS: dict[PlanName, PlanLimits] = {
    "standard": PlanLimits(100.0, 2_000.0),
    "advanced": PlanLimits(200.0, 4_000.0),
    "plus": PlanLimits(1_000.0, 20_000.0),
    "enterprise": PlanLimits(2_000.0, 40_000.0),
    # Not a Shopify plan: lets a benchmark see the engine's own ceiling instead of the rate limit.
    "unlimited": PlanLimits(1_000_000.0, 20_000_000.0),
}


class LeakyBucket:
    """Points available now; starts full and refills at `restore_rate` per second on a monotonic clock."""

    def __init__(self, limits: PlanLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.limits = limits
        self._available = limits.maximum_available
        self._updated_at = clock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated_at)
        self._available = min(self.limits.maximum_available, self._available + elapsed * self.limits.restore_rate)
        self._updated_at = now

    @property
    def available(self) -> float:
        self._refill()
        return self._available

    def try_take(self, points: float) -> bool:
        """Take `points` if the bucket holds them; otherwise take nothing and say so."""
        self._refill()
        if points > self._available:
            return False
        self._available -= points
        return True

    def refund(self, points: float) -> None:
        self._refill()
        self._available = min(self.limits.maximum_available, self._available + max(0.0, points))

    def set_available(self, points: float) -> None:
        """For tests and demos: drain (or fill) the bucket to an exact level."""
        self._refill()
        self._available = max(0.0, min(self.limits.maximum_available, points))

    def throttle_status(self) -> dict[str, float | int]:
        """`extensions.cost.throttleStatus` as Shopify prints it (floats for the limits, an int for the level)."""
        return {
            "maximumAvailable": self.limits.maximum_available,
            "currentlyAvailable": int(self.available),
            "restoreRate": self.limits.restore_rate,
        }

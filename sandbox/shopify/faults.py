"""Per-shop fault profiles for the Admin GraphQL endpoint, drawn with a seeded generator so runs repeat.

Every GraphQL request draws one number per fault kind, in the order of `FAULT_KINDS`, whatever the rates,
so the same profile and seed give the same faults on the same request numbers. `slow` delays a request and
combines with any other kind; of the others, the first drawn in `FAULT_KINDS` order wins.
"""

import random
import zlib
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FaultKind = Literal["http_502", "http_503", "http_429", "internal_error", "slow", "applied_then_dropped"]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "http_502",
    "http_503",
    "http_429",
    "internal_error",
    "slow",
    "applied_then_dropped",
)


class FaultProfile(BaseModel):
    """Shares (0..1) of GraphQL requests that get each fault, and how the faults look."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    http_502: float = Field(default=0.0, ge=0, le=1)
    http_503: float = Field(default=0.0, ge=0, le=1)
    http_429: float = Field(default=0.0, ge=0, le=1)
    internal_error: float = Field(default=0.0, ge=0, le=1)
    slow: float = Field(default=0.0, ge=0, le=1)
    applied_then_dropped: float = Field(default=0.0, ge=0, le=1)
    retry_after_seconds: int = Field(default=1, ge=0)
    slow_seconds: float = Field(default=2.0, ge=0, le=300)
    seed: int | None = None
    # Only requests whose document contains this text get faults (e.g. "bulkOperationRunMutation"); others none.
    only_documents_containing: str | None = Field(default=None, min_length=1)

    def rate(self, kind: FaultKind) -> float:
        value: float = getattr(self, kind)
        return value

    @property
    def active(self) -> bool:
        return any(self.rate(kind) > 0 for kind in FAULT_KINDS)


@dataclass(frozen=True)
class FaultDraw:
    """What one request gets: maybe a delay first, then at most one fault that replaces or ends it."""

    slow: bool = False
    slow_seconds: float = 0.0
    outcome: FaultKind | None = None
    retry_after_seconds: int = 1


NO_FAULT = FaultDraw()


class FaultInjector:
    """A shop's fault profile with its own generator, seeded by the profile or else by the shop's domain."""

    def __init__(self, profile: FaultProfile | None, domain: str) -> None:
        self.profile = profile if profile is not None and profile.active else None
        seed = profile.seed if profile is not None and profile.seed is not None else zlib.crc32(domain.encode())
        self._rng = random.Random(seed)

    def draw(self, document: str = "") -> FaultDraw:
        profile = self.profile
        if profile is None:
            return NO_FAULT
        if profile.only_documents_containing and profile.only_documents_containing not in document:
            return NO_FAULT
        drawn = [kind for kind in FAULT_KINDS if self._rng.random() < profile.rate(kind)]
        outcome = next((kind for kind in drawn if kind != "slow"), None)
        return FaultDraw(
            slow="slow" in drawn,
            slow_seconds=profile.slow_seconds,
            outcome=outcome,
            retry_after_seconds=profile.retry_after_seconds,
        )

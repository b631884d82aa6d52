"""What a step's pure plan returns, and how a planned change becomes a mutation job (one job = one mutation)."""

import hashlib
import json
from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.models import EntityKind, MirrorRow, MutationAction, MutationJob, SyncStep
from shared.queues import Queue


class SkippedRecord(BaseModel):
    """A source record the plan left out, with a reason a merchant can act on."""

    reference: str
    reason: str


class PlannedChange(BaseModel):
    """One mutation the plan wants sent: what it does to which entity, its variables, and what the mirror holds
    after it (the mutator's effects table says which document carries it)."""

    model_config = ConfigDict(frozen=True)

    action: MutationAction
    entity_kind: EntityKind
    entity_key: str
    content_hash: str
    variables: dict[str, Any]
    shopify_id: str | None = None
    writes: tuple[MirrorRow, ...] = ()
    wave: int = Field(default=0, description="Sent only once every change of a lower wave of the step has ended")
    queue: Queue | None = Field(default=None, description="Another queue than the step's (a product's media)")


class StepPlan(BaseModel):
    changes: list[PlannedChange] = Field(default_factory=list)
    skipped: list[SkippedRecord] = Field(default_factory=list)
    warnings: list[SkippedRecord] = Field(default_factory=list, description="Records synced with a part dropped")
    notes: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict, description="Extra counters shown in the step's status")

    def planned(self) -> dict[str, int]:
        """Creates / updates / archives, as the brief's status counts them."""
        counted = Counter(change.action.counted_as for change in self.changes)
        return {key: counted.get(key, 0) for key in ("creates", "updates", "archives")}


def mutation_job_id(domain: str, change: PlannedChange) -> str:
    """Deterministic for the same change, so a repeated plan does not queue the same work twice."""
    basis = "|".join((domain, change.entity_kind.value, change.entity_key, change.action.value, change.content_hash))
    return f"{change.entity_kind.value}:" + hashlib.sha256(basis.encode()).hexdigest()[:40]


def mutation_job(sync_id: str, domain: str, step: SyncStep, queue: Queue, change: PlannedChange) -> MutationJob:
    return MutationJob(
        job_id=mutation_job_id(domain, change),
        sync_id=sync_id,
        domain=domain,
        step=step,
        queue=change.queue or queue,
        action=change.action,
        entity_kind=change.entity_kind,
        entity_key=change.entity_key,
        content_hash=change.content_hash,
        variables=change.variables,
        shopify_id=change.shopify_id,
        writes=change.writes,
    )


def content_hash(value: Any) -> str:
    """The hash of exactly what is sent (canonical JSON), so an unchanged source plans nothing."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()

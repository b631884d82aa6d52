"""Payloads that cross a process boundary (producer → Redis → mutator, producer API → callers)."""

import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.queues import Queue


class SyncStep(StrEnum):
    PRODUCTS = "products"
    LOCATIONS = "locations"
    CUSTOMERS = "customers"
    INVENTORY = "inventory"
    PROMIDATA = "promidata"


class MutationAction(StrEnum):
    """What one job does to its entity. The brief's status counts fold them into creates / updates / archives."""

    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"
    ACTIVATE = "activate"
    DEACTIVATE = "deactivate"
    # The three jobs of a bulk operation: upload its file, run it, read its results.
    STAGE = "stage"
    RUN = "run"
    COLLECT = "collect"

    @property
    def counted_as(self) -> str:
        """The brief's `planned` key this action counts under."""
        if self is MutationAction.CREATE:
            return "creates"
        if self in (MutationAction.ARCHIVE, MutationAction.DEACTIVATE):
            return "archives"
        return "updates"


class EntityKind(StrEnum):
    """What a job changes, and what a mirror row describes."""

    PRODUCT = "product"
    LOCATION = "location"
    CUSTOMER = "customer"
    CUSTOMER_CODE_DEFINITION = "customer_code_definition"
    INVENTORY_ITEM = "inventory_item"  # stocking one item at the locations it is missing from
    INVENTORY_LEVELS = "inventory_levels"  # one batch of `available` quantities (jobs only)
    INVENTORY_LEVEL = "inventory_level"  # one item at one location (mirror rows only)
    PRODUCT_MEDIA = "product_media"  # a product's images, as one list (keyed like its product)
    BULK_OPERATION = "bulk_operation"  # a batch of changes sent as one bulk operation (jobs only)


class MirrorRow(BaseModel):
    """What the mirror holds for one entity once a job that writes it has succeeded.

    The producer says what it expects (hash, status, SKUs, details it knows); the mutator adds what only
    Shopify's answer tells (the id of something created, variant ids). A hash or status of None keeps what
    the mirror has, and details are merged key by key, so two jobs that change different aspects of one
    entity (a location's address and whether it is active) can succeed in either order."""

    model_config = ConfigDict(frozen=True)

    entity_kind: EntityKind
    entity_key: str
    content_hash: str | None = None
    status: str | None = None
    skus: tuple[str, ...] = ()
    shopify_id: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class MutationJob(BaseModel):
    """One arq job = one GraphQL mutation against one shop. Everything the mutator needs but credentials."""

    model_config = ConfigDict(frozen=True)

    job_id: str
    sync_id: str
    domain: str
    step: SyncStep
    queue: Queue
    action: MutationAction
    entity_kind: EntityKind
    entity_key: str = Field(description="Our stable key of the entity, e.g. a product's key or a warehouse code")
    content_hash: str = Field(description="Hash of the desired state this job writes")
    variables: dict[str, Any]
    shopify_id: str | None = Field(default=None, description="Known Shopify GID for update/archive")
    writes: tuple[MirrorRow, ...] = Field(default=(), description="Mirror rows this job leaves once it succeeds")
    generation: int = Field(default=0, description="Bumped when a dead letter is replayed: a new idempotency key")

    @property
    def idempotency_key(self) -> str:
        """The same on every retry of this job, new for a replay or for the same change planned in a new sync."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"commerce-sync:{self.job_id}:{self.sync_id}:{self.generation}"))


class JobOutcome(StrEnum):
    """Where one mutation job is. `held` jobs wait for an earlier wave of their step; `failed` jobs are the dead
    letters, kept with their reason."""

    HELD = "held"
    QUEUED = "queued"
    BULK = "bulk"  # a line of a bulk operation's file, waiting for its result
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


UNFINISHED_OUTCOMES: tuple[str, ...] = (
    JobOutcome.HELD.value,
    JobOutcome.QUEUED.value,
    JobOutcome.BULK.value,
    JobOutcome.RUNNING.value,
    JobOutcome.RETRYING.value,
)

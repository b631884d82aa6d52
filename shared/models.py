"""Payloads that cross a process boundary (producer → Redis → mutator, producer API → callers)."""

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
    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"


class EntityKind(StrEnum):
    PRODUCT = "product"


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
    entity_key: str = Field(description="Our stable key of the entity, e.g. the product group key")
    content_hash: str = Field(description="Hash of the desired state this job writes")
    document: str = Field(description="Name of the GraphQL document in shared.shopify_documents")
    variables: dict[str, Any]
    shopify_id: str | None = Field(default=None, description="Known Shopify GID for update/archive")
    skus: list[str] = Field(default_factory=list, description="SKUs, to adopt instead of duplicating")


class JobOutcome(StrEnum):
    """Where one mutation job is. `failed` jobs are the dead letters, kept with their reason."""

    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

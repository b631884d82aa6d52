"""The API's requests and answers as pydantic models: they validate what comes in, shape what goes out, and are
the OpenAPI description (`GET /api/openapi.json`), so the description cannot drift from the code."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictBool

Domain = str
# A tenant's domain as a request names it: no spaces, control characters or slashes (it becomes a Redis key).
DomainName = Annotated[
    str,
    Field(min_length=1, max_length=255, pattern=r"^[^/\x00-\x20\x7f-\x9f]+$", description="tenant:{domain}"),
]


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """Every error: 400 body not JSON, 401 token, 403 domain, 404 unknown, 409 a sync running, 422 body or query
    that does not fit, 429 over the rate limit, 503 Redis or PostgreSQL down."""

    error: ErrorDetail
    syncId: str | None = None


class SyncRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    domain: DomainName
    dry_run: StrictBool = Field(default=False, description="Pull and plan, record what would change, send nothing")


class SyncStarted(BaseModel):
    success: Literal[True] = True
    domain: Domain
    syncId: str
    statusUrl: str
    steps: list[str]


class Planned(BaseModel):
    creates: int
    updates: int
    archives: int


class Progress(BaseModel):
    succeeded: int
    failed: int
    pending: int


class QueueProgress(BaseModel):
    """A step's jobs on one queue (a Promidata step has products on one, their images on another)."""

    jobs: int
    progress: Progress


class StepStatus(BaseModel):
    state: Literal["waiting", "pulling", "planning", "queued", "running", "completed", "failed"]
    planned: Planned
    progress: Progress
    skipped: int
    dependsOn: list[str]
    counts: dict[str, int] | None = Field(default=None, description="The step's own counters (e.g. the feed's)")
    queues: dict[str, QueueProgress] | None = None


class Totals(BaseModel):
    planned: Planned
    progress: Progress


class SyncStatus(BaseModel):
    syncId: str
    domain: Domain
    kind: str
    dryRun: bool
    state: Literal["pulling", "planning", "queued", "running", "completed", "failed"]
    steps: dict[str, StepStatus]
    totals: Totals
    errors: list[dict[str, Any]]
    createdAt: str
    finishedAt: str | None


class SyncList(BaseModel):
    items: list[SyncStatus]


class SyncListQuery(BaseModel):
    domain: DomainName | None = Field(default=None, description="One tenant; all the token may see when left out")
    limit: int = Field(default=20, ge=1, le=200)


class QueueCounts(BaseModel):
    queued: int
    inProgress: int
    retrying: int
    deadLettered: int
    done: int


class Queues(BaseModel):
    queues: dict[str, QueueCounts]


class DeadLetterQuery(BaseModel):
    domain: DomainName


class DeadLetter(BaseModel):
    id: str
    queue: str
    syncId: str
    errorClass: str | None
    message: str | None
    attempts: int
    createdAt: str
    failedAt: str


class DeadLetters(BaseModel):
    items: list[DeadLetter]


# What `mutation_job_id` makes: the entity kind, then 40 hex digits.
JobId = Annotated[str, Field(pattern=r"^[a-z_]{1,40}:[0-9a-f]{40}$")]


class ReplayChosen(BaseModel):
    """Replay these dead letters of the domain."""

    model_config = ConfigDict(extra="forbid")

    domain: DomainName
    ids: list[JobId] = Field(min_length=1, max_length=10_000)


class ReplayAll(BaseModel):
    """Replay every dead letter of the domain."""

    model_config = ConfigDict(extra="forbid")

    domain: DomainName
    all: Literal[True]


class ReplayRequest(RootModel[ReplayChosen | ReplayAll]):
    """Either `ids` (a list) or `all: true`, never both."""


class Replayed(BaseModel):
    replayed: int


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    redis: bool
    postgres: bool


class WebhookReceived(BaseModel):
    """The delivery is recorded (its work runs afterwards); a repeated webhook id is answered the same way."""

    received: Literal[True] = True
    duplicate: bool


class WebhookQuery(BaseModel):
    domain: DomainName
    limit: int = Field(default=50, ge=1, le=500)


class WebhookDelivery(BaseModel):
    id: str
    topic: str
    state: Literal["received", "processing", "processed", "failed"]
    outcome: str | None
    repairSyncId: str | None
    attempts: int
    triggeredAt: str | None
    receivedAt: str
    processedAt: str | None


class WebhookDeliveries(BaseModel):
    items: list[WebhookDelivery]


# A delivery's X-Shopify-Webhook-Id as we record it: printable, no spaces.
WebhookId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")]


class WebhookReplayRequest(BaseModel):
    """Process deliveries again: these `ids`, or (left out) every one of the domain that failed."""

    model_config = ConfigDict(extra="forbid")

    domain: DomainName
    ids: list[WebhookId] | None = Field(default=None, min_length=1, max_length=10_000)


class SubscribeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    domain: DomainName


class Subscribed(BaseModel):
    """The topics the shop is subscribed to at `uri`: `created` now, `kept` as they were."""

    topics: list[str]
    uri: str
    created: list[str]
    kept: list[str]

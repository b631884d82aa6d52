"""The API's requests and answers as pydantic models: they validate what comes in, shape what goes out, and are
the OpenAPI description (`GET /api/openapi.json`), so the description cannot drift from the code."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

Domain = str


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """Every error: 400 body not JSON, 401 token, 403 domain, 404 unknown, 409 a sync running, 422 body or query
    that does not fit, 429 over the rate limit, 501 not available yet, 503 Redis or PostgreSQL down."""

    error: ErrorDetail
    syncId: str | None = None


class SyncRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    domain: Domain = Field(min_length=1, max_length=255, description="The tenant (`tenant:{domain}` in Redis)")
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


class StepStatus(BaseModel):
    state: Literal["waiting", "pulling", "planning", "queued", "running", "completed", "failed"]
    planned: Planned
    progress: Progress
    skipped: int
    dependsOn: list[str]
    counts: dict[str, int] | None = None


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
    domain: Domain | None = Field(default=None, description="One tenant; all the token may see when left out")
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
    domain: Domain = Field(min_length=1, max_length=255)


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


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    domain: Domain = Field(min_length=1, max_length=255)
    ids: list[str] | None = Field(default=None, max_length=10_000)
    all: StrictBool = False


class Replayed(BaseModel):
    replayed: int


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    redis: bool
    postgres: bool

"""A shop's bulk operations (`bulkOperationRunMutation`, `bulkOperationRunQuery`): their state and the faults planned.

Life of an operation: `CREATED` when the run mutation answers; `RUNNING` once the background runner picked it
up (after `start_delay_seconds`); then `COMPLETED` with a result file, `FAILED` with an `errorCode` (and a
partial file when some lines or objects were written), or `CANCELING` → `CANCELED` after
`bulkOperationCancel`. A completed operation whose result file expired reads as `EXPIRED`.

How many run at once: in API 2026-01 and later up to `concurrency` (5) of each type per shop, before it one
of each type, as Shopify's guides say. `CREATED`, `RUNNING` and `CANCELING` operations count.

Faults (the `/_sandbox/shops/{shop}/bulk-faults` route) are planned per shop and taken, in order, by the next
operations created (of the fault's type, when it names one).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sandbox.shopify.bulk_storage import StoredFile
from sandbox.shopify.catalog import IdSequence, gid, parse_gid

BulkType = Literal["QUERY", "MUTATION"]
BulkErrorCode = Literal["ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT"]
FaultMode = Literal["fail", "expire", "slow", "reject_lines"]

IN_PROGRESS = frozenset({"CREATED", "RUNNING", "CANCELING"})
TERMINAL = frozenset({"COMPLETED", "FAILED", "CANCELED", "EXPIRED"})
CONCURRENT_FROM_VERSION = "2026-01"


def iso_now() -> tuple[str, float]:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ"), now.timestamp()


@dataclass(frozen=True)
class BulkConfig:
    """Pace and limits of every shop's bulk operations (from `SANDBOX_BULK_*`)."""

    lines_per_second: float = 20.0
    query_objects_per_second: float = 1000.0
    start_delay_seconds: float = 0.5
    concurrency: int = 5


@dataclass(frozen=True)
class BulkFault:
    """What goes wrong with one operation.

    - `fail`: after `after_lines` lines (mutation) or objects (query) the operation is `FAILED` with
      `error_code`; what was written by then is its `partialDataUrl`.
    - `expire`: it completes, and its result URL has already expired (status `EXPIRED`).
    - `slow`: each line or object takes `seconds_per_line` instead of the configured rate.
    - `reject_lines`: every `after_lines`-th line of a mutation (lines 0, n, 2n, …) answers with a userError
      instead of running, as a line Shopify refuses would (the rest run).
    """

    mode: FaultMode
    after_lines: int = 0
    error_code: BulkErrorCode = "INTERNAL_SERVER_ERROR"
    seconds_per_line: float = 0.0
    operation_type: BulkType | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "after_lines": self.after_lines,
            "error_code": self.error_code,
            "seconds_per_line": self.seconds_per_line,
            "type": self.operation_type,
        }


@dataclass
class BulkOperation:
    """One operation. `state` is what the runner set; `status()` adds `EXPIRED` once the result file expired."""

    number: int
    type: BulkType
    query: str
    version: str
    origin: str
    created_at: str
    created_ts: float
    group_objects: bool = False
    client_identifier: str | None = None
    staged_upload_path: str | None = None
    staged_version: int = 0
    input_lines: list[tuple[int, str]] = field(default_factory=list)
    fault: BulkFault | None = None
    state: str = "CREATED"
    error_code: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    completed_ts: float | None = None
    cancel_requested_at: str | None = None
    object_count: int = 0
    root_object_count: int = 0
    lines_total: int = 0
    lines_processed: int = 0
    seconds_running: float | None = None
    results: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    query_lines: list[tuple[bool, dict[str, Any]]] = field(default_factory=list)
    result_file: StoredFile | None = None
    partial_file: StoredFile | None = None

    @property
    def gid(self) -> str:
        return gid("BulkOperation", self.number)

    def status(self, now: float) -> str:
        stored = self.result_file
        if self.state == "COMPLETED" and stored is not None and (stored.forced_expired or now >= stored.expires_at):
            return "EXPIRED"
        return self.state

    def file_url(self, stored: StoredFile | None) -> str | None:
        return None if stored is None else f"{self.origin}/_sandbox/bulk-results/{stored.token}/{stored.name}"

    def as_json(self, now: float) -> dict[str, Any]:
        """Everything about the operation, for `GET /_sandbox/shops/{shop}/bulk-operations`."""
        return {
            "id": self.gid,
            "type": self.type,
            "status": self.status(now),
            "error_code": self.error_code,
            "api_version": self.version,
            "query": self.query,
            "client_identifier": self.client_identifier,
            "group_objects": self.group_objects,
            "staged_upload_path": self.staged_upload_path,
            "lines_total": self.lines_total,
            "lines_processed": self.lines_processed,
            "object_count": self.object_count,
            "root_object_count": self.root_object_count,
            "result_url": self.file_url(self.result_file),
            "partial_data_url": self.file_url(self.partial_file),
            "file_size": None if self.result_file is None else len(self.result_file.data),
            "created_at": self.created_at,
            "started_at": self.started_at,
            "cancel_requested_at": self.cancel_requested_at,
            "completed_at": self.completed_at,
            "seconds_running": self.seconds_running,
            "fault": None if self.fault is None else self.fault.as_json(),
        }


@dataclass
class BulkStats:
    """Counters beside the GraphQL endpoint's (`ShopStats` counts requests; bulk lines are not requests)."""

    operations: int = 0
    lines: int = 0
    lines_applied: int = 0

    def as_json(self) -> dict[str, int]:
        return {"operations": self.operations, "lines": self.lines, "lines_applied": self.lines_applied}


class ShopBulkOperations:
    """A shop's operations by number (ascending = creation order), the faults waiting, the ones not yet run."""

    def __init__(self, ids: IdSequence, config: BulkConfig) -> None:
        self.ids = ids
        self.config = config
        self.operations: dict[int, BulkOperation] = {}
        self.faults: list[BulkFault] = []
        self.stats = BulkStats()
        self._waiting: list[int] = []

    def concurrency_limit(self, version: str) -> int:
        return self.config.concurrency if version >= CONCURRENT_FROM_VERSION else 1

    def in_progress(self, kind: BulkType) -> list[BulkOperation]:
        return [op for op in self.operations.values() if op.type == kind and op.state in IN_PROGRESS]

    def create(self, kind: BulkType, query: str, version: str, origin: str) -> BulkOperation:
        created_at, created_ts = iso_now()
        operation = BulkOperation(
            number=self.ids.next_id("BulkOperation"),
            type=kind,
            query=query,
            version=version,
            origin=origin,
            created_at=created_at,
            created_ts=created_ts,
            fault=self._take_fault(kind),
        )
        self.operations[operation.number] = operation
        self._waiting.append(operation.number)
        return operation

    def _take_fault(self, kind: BulkType) -> BulkFault | None:
        for index, fault in enumerate(self.faults):
            if fault.operation_type in (None, kind):
                return self.faults.pop(index)
        return None

    def plan_faults(self, fault: BulkFault, count: int) -> None:
        self.faults.extend([fault] * count)

    def take_waiting(self) -> list[BulkOperation]:
        """Operations created since the last call, for the runner to start."""
        waiting = [self.operations[number] for number in self._waiting if number in self.operations]
        self._waiting = []
        return waiting

    def find(self, operation_gid: object) -> BulkOperation | None:
        return self.operations.get(parse_gid(operation_gid, "BulkOperation") or -1)

    def latest(self, kind: BulkType) -> BulkOperation | None:
        chosen = [op for op in self.operations.values() if op.type == kind]
        return chosen[-1] if chosen else None

"""Runs a shop's bulk operations in the background, one task per operation, at a configured pace.

- An operation waits `start_delay_seconds` as `CREATED`, then runs. A mutation executes its lines in input
  order, each through the same path as a request (`graphql_execution.run_bulk_line`), the n-th finishing n
  intervals after the start (interval: 1 / `lines_per_second`, or a `slow` fault's seconds per line); lines
  that are due run together, up to 100 before yielding. Nothing is drawn from the shop's bucket.
- A query reads the whole shop at its start (`run_bulk_query`) and then writes its objects at
  `query_objects_per_second`; `objectCount` and `rootObjectCount` run up as it writes.
- After each batch of lines the webhooks their changes cause are published and new media sources fetched,
  exactly as after a request; when an operation ends, `bulk_operations/finish` is published too (payload:
  `admin_graphql_api_id`, `completed_at`, `created_at`, `error_code`, `status`, `type`, values lowercase).
- Before each line (and every 50 ms while waiting for one) the runner checks, in this order: a cancel (→
  `CANCELED`), a `fail` fault's line count (→ `FAILED` with its error code), a changed staged file (Shopify
  checks the file's checksum: → `FAILED`, `INTERNAL_SERVER_ERROR`), the run time limit (24 h for mutations,
  10 days for queries: → `FAILED`, `TIMEOUT`), the end (→ `COMPLETED`). A query whose execution reported
  errors writes what it got and ends `FAILED` (`ACCESS_DENIED` when that was the error, else
  `INTERNAL_SERVER_ERROR`).
- On `COMPLETED` the result file is stored (none when there is no line: `url` stays null); an `expire`
  fault expires it at once. `FAILED` and `CANCELED` store what was written so far as the partial file.
"""

import asyncio
import json
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from graphql import FieldNode

from sandbox.shopify.admin_schema import PreparedOperation, admin_schema
from sandbox.shopify.bulk_documents import check_bulk_mutation, check_bulk_query
from sandbox.shopify.bulk_jsonl import QueryLines, jsonl_bytes, mutation_result_lines
from sandbox.shopify.bulk_operations import BulkOperation, iso_now
from sandbox.shopify.graphql_execution import run_bulk_line, run_bulk_query
from sandbox.shopify.media_fetcher import MediaFetcher
from sandbox.shopify.shop import Shop
from sandbox.shopify.webhook_events import WebhookEvent, publish
from sandbox.shopify.webhook_sender import WebhookSender

MAX_BATCH = 100
_NAP_SECONDS = 0.05
MAX_SECONDS = {"MUTATION": 24 * 3600.0, "QUERY": 10 * 24 * 3600.0}
Verdict = tuple[str, str | None]  # (final state, error code)
log = logging.getLogger(__name__)


def finish_payload(operation: BulkOperation) -> dict[str, Any]:
    """The `bulk_operations/finish` webhook body."""
    return {
        "admin_graphql_api_id": operation.gid,
        "completed_at": operation.completed_at,
        "created_at": operation.created_at,
        "error_code": None if operation.error_code is None else operation.error_code.lower(),
        "status": operation.state.lower(),
        "type": operation.type.lower(),
    }


def _line_answer(shop: Shop, prepared: PreparedOperation, operation: BulkOperation, text: str) -> dict[str, Any]:
    try:
        variables = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"Unexpected file structure - expected JSONL ({error.msg} at column {error.colno})"
        return {"errors": [{"message": message}]}
    if not isinstance(variables, dict):
        return {"errors": [{"message": "Unexpected file structure - each line must be a JSON object of variables"}]}
    return run_bulk_line(shop, prepared, variables, operation.version, operation.origin)


def _refused_line(prepared: PreparedOperation) -> dict[str, Any]:
    """The answer of a line Shopify refused: the mutation's payload with a userError (a `reject_lines` fault)."""
    root = prepared.operation.selection_set.selections[0]
    assert isinstance(root, FieldNode)
    field = (root.alias or root.name).value
    error = {"field": ["input"], "message": "Sandbox fault: this line was refused", "code": "INVALID"}
    return {"data": {field: {"userErrors": [error]}}}


class BulkRunner:
    """One per sandbox; `start(shop)` after a request picks up the operations it created; `close()` on shutdown."""

    def __init__(
        self, sender: WebhookSender, fetcher: MediaFetcher, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._sender = sender
        self._fetcher = fetcher
        self._clock = clock
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, shop: Shop) -> None:
        for operation in shop.bulk.take_waiting():
            self._spawn(self._run(shop, operation))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, shop: Shop, operation: BulkOperation) -> None:
        await asyncio.sleep(shop.bulk.config.start_delay_seconds)
        started = self._clock()
        if operation.state == "CANCELING":
            self._finish(shop, operation, ("CANCELED", None), started)
            return
        operation.state = "RUNNING"
        operation.started_at = iso_now()[0]
        try:
            if operation.type == "MUTATION":
                verdict = await self._run_mutation(shop, operation)
            else:
                verdict = await self._run_query(shop, operation)
        except Exception:  # a sandbox bug must not leave the operation running forever
            log.exception("bulk operation %s of %s failed in the sandbox", operation.gid, shop.domain)
            verdict = ("FAILED", "INTERNAL_SERVER_ERROR")
        self._finish(shop, operation, verdict, started)

    async def _run_mutation(self, shop: Shop, operation: BulkOperation) -> Verdict:
        prepared = check_bulk_mutation(operation.query)
        assert isinstance(prepared, PreparedOperation)

        fault = operation.fault
        every = fault.after_lines if fault is not None and fault.mode == "reject_lines" else 0

        def step(index: int) -> None:
            line_number, text = operation.input_lines[index]
            if every and index % every == 0:
                answer = _refused_line(prepared)
            else:
                answer = _line_answer(shop, prepared, operation, text)
            operation.results.append((line_number, answer))
            operation.lines_processed += 1
            operation.object_count += 1
            operation.root_object_count += 1

        def file_changed() -> str | None:
            path = operation.staged_upload_path or ""
            target = shop.storage.staged_object(shop.domain, path)
            unchanged = target is not None and target.version == operation.staged_version
            return None if unchanged else "INTERNAL_SERVER_ERROR"

        rate = shop.bulk.config.lines_per_second
        return await self._paced(shop, operation, len(operation.input_lines), rate, step, file_changed)

    async def _run_query(self, shop: Shop, operation: BulkOperation) -> Verdict:
        prepared = check_bulk_query(operation.query)
        assert isinstance(prepared, PreparedOperation)
        result = run_bulk_query(shop, prepared, operation.version, operation.origin)
        lines = QueryLines(admin_schema(), prepared, operation.group_objects).build(result.data)
        operation.lines_total = len(lines)
        operation.query_lines = []

        def step(index: int) -> None:
            top_level, _ = lines[index]
            operation.query_lines.append(lines[index])
            operation.lines_processed += 1
            operation.object_count += 1
            operation.root_object_count += top_level

        rate = shop.bulk.config.query_objects_per_second
        verdict = await self._paced(shop, operation, len(lines), rate, step, lambda: None)
        if verdict[0] == "COMPLETED" and result.errors:
            codes = {(error.extensions or {}).get("code") for error in result.errors}
            return "FAILED", "ACCESS_DENIED" if "ACCESS_DENIED" in codes else "INTERNAL_SERVER_ERROR"
        return verdict

    def _verdict(
        self, operation: BulkOperation, done: int, total: int, problem: Callable[[], str | None], started: float
    ) -> Verdict | None:
        fault = operation.fault
        if operation.state == "CANCELING":
            return "CANCELED", None
        if fault is not None and fault.mode == "fail" and done >= fault.after_lines:
            return "FAILED", fault.error_code
        code = problem()
        if code is not None:
            return "FAILED", code
        if self._clock() - started > MAX_SECONDS[operation.type]:
            return "FAILED", "TIMEOUT"
        return ("COMPLETED", None) if done >= total else None

    async def _paced(
        self,
        shop: Shop,
        operation: BulkOperation,
        total: int,
        per_second: float,
        step: Callable[[int], None],
        problem: Callable[[], str | None],
    ) -> Verdict:
        """Run `step(0..total-1)` at the pace, checking before each; the verdict that stopped it."""
        fault = operation.fault

        def interval() -> float:
            return fault.seconds_per_line if fault is not None and fault.mode == "slow" else 1.0 / per_second

        started = self._clock()
        next_due = started + interval()
        done = 0
        while True:
            now = self._clock()
            batch = 0
            while batch < MAX_BATCH:
                verdict = self._verdict(operation, done, total, problem, started)
                if verdict is not None:
                    return verdict
                if next_due > now:
                    break
                step(done)
                done += 1
                batch += 1
                next_due += interval()
            if batch:
                self._after_lines(shop)
                await asyncio.sleep(0)
            else:  # in short naps, so that a cancel is seen soon even when lines are slow
                await asyncio.sleep(min(_NAP_SECONDS, max(0.0, next_due - self._clock())))

    def _after_lines(self, shop: Shop, extra: list[WebhookEvent] | None = None) -> None:
        publish(shop, self._sender, extra)
        self._fetcher.start(shop.media)

    def _finish(self, shop: Shop, operation: BulkOperation, verdict: Verdict, started: float) -> None:
        state, code = verdict
        storage = shop.storage
        if operation.type == "MUTATION":
            lines = mutation_result_lines(operation.number, operation.results)
        else:
            lines = [line for _, line in operation.query_lines]
        if lines and state == "COMPLETED":
            operation.result_file = storage.put_result(f"bulk-{operation.number}.jsonl", jsonl_bytes(lines))
            fault = operation.fault
            operation.result_file.forced_expired = fault is not None and fault.mode == "expire"
        elif lines:
            operation.partial_file = storage.put_result(f"bulk-{operation.number}-partial.jsonl", jsonl_bytes(lines))
        operation.state, operation.error_code = state, code
        operation.completed_at, operation.completed_ts = iso_now()
        operation.seconds_running = round(self._clock() - started, 3)
        self._after_lines(shop, [WebhookEvent(["BULK_OPERATIONS_FINISH"], finish_payload(operation))])

    async def close(self) -> None:
        """Stop every operation still running (they stay as they are)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

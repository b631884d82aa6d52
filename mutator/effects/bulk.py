"""A bulk batch's three jobs, one mutation each: stage its file, run it, collect its results.

- **stage**: `stagedUploadsCreate`, then the JSONL of every line's variables is uploaded to the target (a form
  POST, `file` last); the staged path is recorded and the run job queued.
- **run**: `bulkOperationRunMutation` with the batch's own marked document. The time is recorded before it is
  sent and the operation's id as soon as it is known; a run job that finds a time but no id (its answer was
  lost, or its worker killed) first looks for an operation with its document created since, so it does not
  start a second one. Even then a second run would change nothing: every line is an idempotent upsert.
- **collect**: polls the operation (a job that is not yet due goes back to the queue, not counted as an
  attempt); on `COMPLETED` reads the result file and records every line against its own job by
  `__lineNumber`: the mirror for a success, a dead letter of its own for a line with errors. An operation
  that failed, was canceled or expired hands what it did not apply to the per-mutation path.
"""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from mutator.bulk_records import Batch, fail_lines, line_jobs, load_batch, unbulk_lines, update_batch
from mutator.effects.base import Effect, Payload, UserErrors, mutation_payload
from mutator.effects.products import PRODUCT_EFFECTS  # what a line's answer means (bulk lines are productSets)
from mutator.paced_shopify import PacingDeferred
from shared.bulk import bulk_driver_job, marked_document
from shared.job_records import record_planned_jobs
from shared.jobqueue import enqueue_mutations
from shared.logs import get_logger
from shared.models import EntityKind, MirrorRow, MutationAction, MutationJob
from shared.shopify_client import ErrorClass, ShopifyPermanentError, ShopifyTransientError
from shared.shopify_documents import ALL_DOCUMENTS

log = get_logger(__name__)

POLL_SECONDS = 2.0
RECORD_GROUP = 200
FINISHED = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}
BUSY = {"LIMIT_REACHED", "OPERATION_IN_PROGRESS"}  # five operations already running: wait for a slot
FILE_GONE = {"NO_SUCH_FILE", "INVALID_STAGED_UPLOAD_FILE", "INTERNAL_FILE_SERVER_ERROR"}


async def _batch(deps: Any, job: MutationJob) -> Batch:
    batch = await load_batch(deps.pool, str(job.variables.get("bulk_id")))
    if batch is None:
        raise ShopifyPermanentError(ErrorClass.INVALID_PAYLOAD, f"no bulk batch {job.variables.get('bulk_id')!r}")
    return batch


async def _send(deps: Any, job: MutationJob, document: str, variables: dict[str, Any], cost: float) -> Payload:
    tenant = await deps.tenants.get(job.domain)
    result = await deps.shopify.execute(
        tenant, ALL_DOCUMENTS[document], variables, cost=cost, ticket=f"{job.job_id}:{document}", operation=document
    )
    data: Payload = result.data
    return data


async def _queue(deps: Any, job: MutationJob, action: MutationAction) -> None:
    """The batch's next job (recorded, then queued; an id already recorded is not queued twice)."""
    following = bulk_driver_job(job, str(job.variables["bulk_id"]), action)
    async with deps.pool.acquire() as conn, conn.transaction():
        await record_planned_jobs(conn, [following])
    await enqueue_mutations(deps.job_pool, [following])


async def _fall_back(deps: Any, batch: Batch, job_ids: list[str] | None, reason: str) -> None:
    jobs = await unbulk_lines(deps.pool, batch.bulk_id, job_ids)
    await update_batch(deps.pool, batch.bulk_id, state="fell_back", detail=reason[:500])
    await enqueue_mutations(deps.job_pool, jobs)
    log.warning("bulk batch falls back to single mutations", bulk_id=batch.bulk_id, lines=len(jobs), reason=reason)


async def stage(deps: Any, job: MutationJob) -> list[MirrorRow]:
    batch = await _batch(deps, job)
    if batch.staged_path is None:
        lines = await line_jobs(deps.pool, batch.bulk_id)
        body = "".join(json.dumps(line.variables, separators=(",", ":")) + "\n" for _, _, line in lines).encode()
        data = await _send(deps, job, "StagedUploadsCreate", {"input": [{
            "resource": "BULK_MUTATION_VARIABLES", "filename": f"{batch.bulk_id}.jsonl", "mimeType": "text/jsonl",
            "httpMethod": "POST"}]}, cost=10.0)  # fmt: skip
        (target,) = mutation_payload(data)["stagedTargets"] or [None]
        if not target:
            raise ShopifyPermanentError(ErrorClass.INVALID_PAYLOAD, "stagedUploadsCreate gave no target")
        key = await _upload(deps.http, target, body, f"{batch.bulk_id}.jsonl")
        await update_batch(deps.pool, batch.bulk_id, staged_path=key, state="staged")
        log.info("bulk file staged", bulk_id=batch.bulk_id, lines=len(lines), bytes=len(body))
    await _queue(deps, job, MutationAction.RUN)
    return []


async def _upload(http: aiohttp.ClientSession, target: dict[str, Any], body: bytes, filename: str) -> str:
    """POST the form Shopify's staged target asks for, `file` last; the `key` parameter is the staged path."""
    form = aiohttp.FormData()
    key = None
    for parameter in target.get("parameters") or []:
        form.add_field(parameter["name"], parameter["value"])
        key = parameter["value"] if parameter["name"] == "key" else key
    form.add_field("file", body, filename=filename, content_type="text/jsonl")
    try:
        async with http.post(target["url"], data=form) as response:
            if response.status >= 500:
                raise ShopifyTransientError(f"staged upload answered HTTP {response.status}")
            if response.status not in (200, 201, 204):
                text = (await response.text())[:300]
                raise ShopifyPermanentError(
                    ErrorClass.INVALID_PAYLOAD, f"staged upload refused ({response.status}): {text}"
                )
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ShopifyTransientError(f"staged upload failed: {type(exc).__name__}") from None
    if not key:
        raise ShopifyPermanentError(ErrorClass.INVALID_PAYLOAD, "the staged target has no key parameter")
    return str(key)


async def run(deps: Any, job: MutationJob) -> list[MirrorRow]:
    batch = await _batch(deps, job)
    document = marked_document(ALL_DOCUMENTS[batch.document], batch.bulk_id)
    if batch.operation_id is None and batch.run_requested_at is not None:
        found = await _started_before(deps, job, batch, document)
        if found:
            await update_batch(deps.pool, batch.bulk_id, operation_id=found, state="running")
            log.info("bulk operation found already started; not started again", bulk_id=batch.bulk_id)
            batch = await _batch(deps, job)
    if batch.operation_id is None:
        await update_batch(deps.pool, batch.bulk_id, run_requested_at=datetime.now(UTC))
        data = await _send(deps, job, "BulkOperationRunMutation", {
            "mutation": document, "stagedUploadPath": batch.staged_path, "clientIdentifier": batch.bulk_id,
        }, cost=10.0)  # fmt: skip
        answer = data.get("bulkOperationRunMutation") or {}
        codes = {str(error.get("code")) for error in answer.get("userErrors") or []}
        if codes & BUSY:
            raise PacingDeferred(POLL_SECONDS * 5)  # a slot frees when one of the shop's operations ends
        if codes & FILE_GONE:
            await update_batch(deps.pool, batch.bulk_id, staged_path=None, run_requested_at=None, state="planned")
            await _queue(deps, job, MutationAction.STAGE)
            return []
        if codes or not answer.get("bulkOperation"):
            await _fall_back(deps, batch, None, f"bulkOperationRunMutation refused: {answer.get('userErrors')}")
            return []
        await update_batch(deps.pool, batch.bulk_id, operation_id=answer["bulkOperation"]["id"], state="running")
    await _queue(deps, job, MutationAction.COLLECT)
    return []


async def _started_before(deps: Any, job: MutationJob, batch: Batch, document: str) -> str | None:
    assert batch.run_requested_at is not None
    since = (batch.run_requested_at - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = await _send(deps, job, "BulkOperationsRecent",
                       {"query": f"operation_type:mutation created_at:>={since}"}, cost=2.0)  # fmt: skip
    for node in (data.get("bulkOperations") or {}).get("nodes") or []:
        if node.get("query") == document:
            return str(node["id"])
    return None


async def collect(deps: Any, job: MutationJob) -> list[MirrorRow]:
    batch = await _batch(deps, job)
    if batch.state in ("completed", "fell_back"):
        return []
    data = await _send(deps, job, "BulkOperation", {"id": batch.operation_id}, cost=1.0)
    operation = data.get("bulkOperation") or {}
    status = str(operation.get("status"))
    if status not in FINISHED:
        raise PacingDeferred(POLL_SECONDS)
    url = operation.get("url") if status == "COMPLETED" else operation.get("partialDataUrl")
    results = await _results(deps.http, url) if url else {}
    await _record_lines(deps, batch, results)
    if status == "COMPLETED":
        missing = [j.job_id for number, outcome, j in await line_jobs(deps.pool, batch.bulk_id) if outcome == "bulk"]
        if missing:
            await _fall_back(deps, batch, missing, f"{len(missing)} lines had no result")
        else:
            await update_batch(deps.pool, batch.bulk_id, state="completed")
        log.info("bulk batch collected", bulk_id=batch.bulk_id, lines=batch.lines, results=len(results))
    else:
        reason = f"the bulk operation ended {status} ({operation.get('errorCode') or 'no error code'})"
        await _fall_back(deps, batch, None, reason)
    return []


async def _results(http: aiohttp.ClientSession, url: str) -> dict[int, dict[str, Any]]:
    """The result file's lines by `__lineNumber` (Shopify promises no order)."""
    found: dict[int, dict[str, Any]] = {}
    try:
        async with http.get(url) as response:
            if response.status != 200:
                raise ShopifyTransientError(f"the bulk result file answered HTTP {response.status}")
            async for raw in response.content:
                if raw.strip():
                    line = json.loads(raw)
                    found[int(line["__lineNumber"])] = line
    except (aiohttp.ClientError, TimeoutError, ValueError, KeyError) as exc:
        raise ShopifyTransientError(f"the bulk result file could not be read ({type(exc).__name__})") from None
    return found


async def _record_lines(deps: Any, batch: Batch, results: dict[int, dict[str, Any]]) -> None:
    failures: list[tuple[str, str, str]] = []
    succeeded: list[tuple[MutationJob, list[MirrorRow]]] = []
    for number, outcome, line in await line_jobs(deps.pool, batch.bulk_id):
        result = results.get(number)
        if outcome != "bulk" or result is None:
            continue
        if result.get("errors"):
            messages = "; ".join(str(error.get("message")) for error in result["errors"])
            failures.append((line.job_id, ErrorClass.INVALID_PAYLOAD.value, messages[:500]))
            continue
        try:
            rows = PRODUCT_EFFECTS[(line.entity_kind, line.action)].read(
                line, mutation_payload(result.get("data") or {})
            )
        except UserErrors as refused:
            failures.append((line.job_id, ErrorClass.USER_ERROR.value, str(refused)[:500]))
            continue
        except ShopifyPermanentError as bad:
            failures.append((line.job_id, bad.error_class.value, str(bad)[:500]))
            continue
        succeeded.append((line, rows))
    for start in range(0, len(succeeded), RECORD_GROUP):  # handed over together: the batcher writes them at once
        group = succeeded[start : start + RECORD_GROUP]
        await asyncio.gather(*(deps.records.mark_succeeded(line, rows) for line, rows in group))
    if failures:
        await fail_lines(deps.pool, failures)


def _unused_read(job: MutationJob, payload: Payload) -> list[MirrorRow]:
    return []


BULK_EFFECTS = {
    (EntityKind.BULK_OPERATION, MutationAction.STAGE): Effect("StagedUploadsCreate", _unused_read, perform=stage),
    (EntityKind.BULK_OPERATION, MutationAction.RUN): Effect("BulkOperationRunMutation", _unused_read, perform=run),
    (EntityKind.BULK_OPERATION, MutationAction.COLLECT): Effect("BulkOperation", _unused_read, perform=collect),
}

"""Routing a step's many changes into bulk operations, still one job per mutation.

When a step plans at least `BULK_WRITE_MIN_CHANGES` changes that can run in bulk (a `productSet`: an
idempotent upsert, by id or by our handle, so a file applied twice changes nothing the second time), those
changes are split into up to five files (the operations a shop runs at once), more when a file would pass
`BULK_WRITE_LINES_PER_FILE`. Each change keeps its job row, waiting as `bulk` until its batch's result file
says how it went. A batch then goes through three jobs of its own, one mutation each: stage the file
(`stagedUploadsCreate` and the upload), run it (`bulkOperationRunMutation`), collect its results.
"""

import math

import asyncpg

from shared.bulk import BULKABLE, bulk_driver_job
from shared.job_records import RecordedJob, record_planned_jobs
from shared.models import MutationAction, MutationJob
from shared.settings import Settings

CONCURRENT_OPERATIONS = 5  # per shop (Shopify, 2026-01+)


async def route_to_bulk(
    conn: asyncpg.Connection, settings: Settings, jobs: list[MutationJob], recorded: list[RecordedJob]
) -> tuple[list[MutationJob], int]:
    """The jobs to queue now: the recorded ones that stay single mutations, plus one job per bulk batch.
    Returns them and how many changes went to bulk. Runs in the transaction that recorded the jobs."""
    by_id = {job.job_id: job for job in jobs}
    queued = [by_id[r.job_id] for r in recorded if r.outcome == "queued"]
    bulkable = [job for job in queued if (job.entity_kind, job.action) in BULKABLE]
    minimum = settings.bulk_write_min_changes
    if minimum <= 0 or len(bulkable) < minimum:
        return queued, 0
    files = max(
        min(CONCURRENT_OPERATIONS, len(bulkable)), math.ceil(len(bulkable) / settings.bulk_write_lines_per_file)
    )
    size = math.ceil(len(bulkable) / files)
    drivers: list[MutationJob] = []
    for index in range(files):
        lines = bulkable[index * size : (index + 1) * size]
        if not lines:
            continue
        first = lines[0]
        bulk_id = f"{first.sync_id[:16]}-{first.step.value}-{index + 1}"
        await conn.execute(
            "INSERT INTO bulk_batches (bulk_id, domain, sync_id, step, document, lines) VALUES ($1,$2,$3,$4,$5,$6)"
            " ON CONFLICT (bulk_id) DO NOTHING",
            bulk_id,
            first.domain,
            first.sync_id,
            first.step.value,
            BULKABLE[(first.entity_kind, first.action)],
            len(lines),
        )
        await conn.execute(
            "UPDATE mutation_jobs AS j SET outcome = 'bulk', bulk_id = $1, bulk_line = u.line - 1"
            " FROM unnest($2::text[]) WITH ORDINALITY AS u(job_id, line) WHERE j.job_id = u.job_id",
            bulk_id,
            [line.job_id for line in lines],
        )
        drivers.append(bulk_driver_job(first, bulk_id, MutationAction.STAGE))
    await record_planned_jobs(conn, drivers)
    in_bulk = {job.job_id for job in bulkable}
    return [job for job in queued if job.job_id not in in_bulk] + drivers, len(in_bulk)

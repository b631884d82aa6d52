"""PostgreSQL records of a bulk batch and its lines, as the mutator's bulk jobs read and move them."""

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from shared.models import MutationJob


@dataclass(frozen=True)
class Batch:
    bulk_id: str
    domain: str
    document: str
    lines: int
    staged_path: str | None
    run_requested_at: datetime | None
    operation_id: str | None
    state: str


async def load_batch(pool: asyncpg.Pool, bulk_id: str) -> Batch | None:
    row = await pool.fetchrow(
        "SELECT bulk_id, domain, document, lines, staged_path, run_requested_at, operation_id, state"
        " FROM bulk_batches WHERE bulk_id = $1",
        bulk_id,
    )
    return Batch(**dict(row)) if row else None


async def update_batch(pool: asyncpg.Pool, bulk_id: str, **values: object) -> None:
    names = list(values)
    assignments = ", ".join(f"{name} = ${index + 2}" for index, name in enumerate(names))
    await pool.execute(
        f"UPDATE bulk_batches SET {assignments}, updated_at = now() WHERE bulk_id = $1",  # names are ours
        bulk_id,
        *values.values(),
    )


async def line_jobs(pool: asyncpg.Pool, bulk_id: str) -> list[tuple[int, str, MutationJob]]:
    """(line number, outcome, job) of every line of the batch, in file order."""
    rows = await pool.fetch(
        "SELECT bulk_line, outcome, payload FROM mutation_jobs WHERE bulk_id = $1 ORDER BY bulk_line", bulk_id
    )
    return [(row["bulk_line"], row["outcome"], MutationJob.model_validate(row["payload"])) for row in rows]


async def fail_lines(pool: asyncpg.Pool, failures: list[tuple[str, str, str]]) -> None:
    """Lines Shopify refused: dead letters of their own (job id, error class, message), replayable one by one."""
    await pool.execute(
        "UPDATE mutation_jobs AS j SET outcome = 'failed', error_class = u.class, error_message = u.message,"
        " attempts = 1, finished_at = now(), updated_at = now()"
        " FROM unnest($1::text[], $2::text[], $3::text[]) AS u(job_id, class, message)"
        " WHERE j.job_id = u.job_id AND j.outcome = 'bulk'",
        [job_id for job_id, _, _ in failures],
        [error_class for _, error_class, _ in failures],
        [message for _, _, message in failures],
    )


async def unbulk_lines(pool: asyncpg.Pool, bulk_id: str, job_ids: list[str] | None) -> list[MutationJob]:
    """Lines the bulk operation did not apply go back to the per-mutation path: queued, to be sent one by one."""
    rows = await pool.fetch(
        "UPDATE mutation_jobs SET outcome = 'queued', updated_at = now()"
        " WHERE bulk_id = $1 AND outcome = 'bulk' AND ($2::text[] IS NULL OR job_id = ANY($2::text[]))"
        " RETURNING payload",
        bulk_id,
        job_ids,
    )
    return [MutationJob.model_validate(row["payload"]) for row in rows]

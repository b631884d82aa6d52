"""Per-queue job counts for `GET /api/v2/queues`, from the job records (so they can be scoped by domain)."""

import asyncpg

from shared.queues import ALL_QUEUES

_COUNT_NAME = {
    "queued": "queued",
    "running": "inProgress",
    "retrying": "retrying",
    "failed": "deadLettered",
    "succeeded": "done",
}


async def queue_counts(pool: asyncpg.Pool, domains: list[str] | None) -> dict[str, dict[str, int]]:
    """Counts per queue and state; `domains=None` means every tenant."""
    counts = {queue.value: {name: 0 for name in _COUNT_NAME.values()} for queue in ALL_QUEUES}
    if domains is None:
        rows = await pool.fetch("SELECT queue, outcome, count(*) AS n FROM mutation_jobs GROUP BY queue, outcome")
    else:
        rows = await pool.fetch(
            "SELECT queue, outcome, count(*) AS n FROM mutation_jobs WHERE domain = ANY($1::text[])"
            " GROUP BY queue, outcome",
            domains,
        )
    for row in rows:
        counts.setdefault(row["queue"], {name: 0 for name in _COUNT_NAME.values()})
        counts[row["queue"]][_COUNT_NAME[row["outcome"]]] += row["n"]
    return counts

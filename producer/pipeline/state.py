"""Where every sync and step is, in PostgreSQL: the write side of the pipeline.

A step is `waiting` until the steps it depends on (within its sync) have ended; a producer claims it under
a lease (`pulling`, `planning`), renews the lease while it works, and hands it over as `queued` once its jobs
are recorded and queued. A producer that dies stops renewing: when the lease runs out, any producer claims
the step again and runs it from the start (job ids are deterministic, so nothing is queued twice). A queued
step is `completed` once every job of it has ended; a sync ends when all of its steps have.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import asyncpg

from shared.models import UNFINISHED_OUTCOMES, SyncStep


class StepState(StrEnum):
    WAITING = "waiting"
    PULLING = "pulling"
    PLANNING = "planning"
    QUEUED = "queued"
    COMPLETED = "completed"
    FAILED = "failed"


ENDED_STEP_STATES = (StepState.COMPLETED.value, StepState.FAILED.value)


@dataclass(frozen=True)
class ClaimedStep:
    sync_id: str
    domain: str
    step: SyncStep
    dry_run: bool
    attempts: int


class SyncRunning(Exception):
    """A sync of the tenant has not ended yet; one tenant has one sync at a time."""

    def __init__(self, domain: str, running: str) -> None:
        super().__init__(f"a sync of {domain!r} is still running ({running}); one sync per tenant at a time")
        self.running = running


async def create_sync(
    pool: asyncpg.Pool,
    sync_id: str,
    domain: str,
    kind: str,
    steps: dict[SyncStep, tuple[SyncStep, ...]],
    dry_run: bool,
) -> None:
    """A new sync with its steps, each waiting on the steps of this sync it depends on. SyncRunning when a sync
    of the tenant has not ended (a unique index decides, so two producers cannot both start one)."""
    async with pool.acquire() as conn, conn.transaction():
        try:
            await conn.execute(
                "INSERT INTO syncs (sync_id, domain, kind, steps, dry_run, state) VALUES ($1,$2,$3,$4,$5,'pulling')",
                sync_id,
                domain,
                kind,
                [step.value for step in steps],
                dry_run,
            )
        except asyncpg.UniqueViolationError:
            running = await pool.fetchval(
                "SELECT sync_id FROM syncs WHERE domain = $1 AND state NOT IN ('completed', 'failed')"
                " AND kind <> 'repair' ORDER BY created_at DESC LIMIT 1",
                domain,
            )
            raise SyncRunning(domain, running or "unknown") from None
        await conn.executemany(
            "INSERT INTO sync_steps (sync_id, step, state, depends_on) VALUES ($1, $2, 'waiting', $3)",
            [(sync_id, step.value, [d.value for d in depends_on if d in steps]) for step, depends_on in steps.items()],
        )


_CLAIM = """
WITH ready AS (
    SELECT s.sync_id, s.step FROM sync_steps AS s
    WHERE (s.state = 'waiting' AND NOT EXISTS (
               SELECT 1 FROM sync_steps AS d
               WHERE d.sync_id = s.sync_id AND d.step = ANY(s.depends_on) AND d.state NOT IN ('completed', 'failed')))
       OR (s.state IN ('pulling', 'planning') AND s.lease_until < now())
    ORDER BY s.sync_id, s.step
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
UPDATE sync_steps AS s
SET state = 'pulling', lease_owner = $1, lease_until = now() + make_interval(secs => $2),
    attempts = s.attempts + 1, started_at = coalesce(s.started_at, now())
FROM ready, syncs AS y
WHERE s.sync_id = ready.sync_id AND s.step = ready.step AND y.sync_id = s.sync_id
RETURNING s.sync_id, s.step, s.attempts, y.domain, y.dry_run
"""


async def claim_step(pool: asyncpg.Pool, owner: str, lease_seconds: float) -> ClaimedStep | None:
    """Take one step that may run now (its dependencies ended, or its last owner's lease ran out)."""
    row = await pool.fetchrow(_CLAIM, owner, lease_seconds)
    if row is None:
        return None
    return ClaimedStep(row["sync_id"], row["domain"], SyncStep(row["step"]), row["dry_run"], row["attempts"])


async def renew_lease(pool: asyncpg.Pool, claimed: ClaimedStep, owner: str, lease_seconds: float) -> bool:
    """False when the step is no longer ours (its lease ran out and another producer took it)."""
    result: str = await pool.execute(
        "UPDATE sync_steps SET lease_until = now() + make_interval(secs => $4)"
        " WHERE sync_id = $1 AND step = $2 AND lease_owner = $3 AND state IN ('pulling', 'planning')",
        claimed.sync_id,
        claimed.step.value,
        owner,
        lease_seconds,
    )
    return result.endswith(" 1")


async def give_back(pool: asyncpg.Pool, claimed: ClaimedStep, owner: str) -> None:
    """This producer stops (SIGTERM) mid-step: let the next producer take the step at once."""
    await pool.execute(
        "UPDATE sync_steps SET lease_until = now() - interval '1 second'"
        " WHERE sync_id = $1 AND step = $2 AND lease_owner = $3 AND state IN ('pulling', 'planning')",
        claimed.sync_id,
        claimed.step.value,
        owner,
    )


async def set_step_state(pool: asyncpg.Pool, sync_id: str, step: SyncStep, state: StepState) -> None:
    ended = state.value in ENDED_STEP_STATES
    await pool.execute(
        "UPDATE sync_steps SET state = $3, lease_until = CASE WHEN $4 THEN NULL ELSE lease_until END,"
        " finished_at = CASE WHEN $4 THEN now() ELSE finished_at END WHERE sync_id = $1 AND step = $2",
        sync_id,
        step.value,
        state.value,
        ended,
    )


async def set_step_planned(
    conn: asyncpg.Connection | asyncpg.Pool,
    sync_id: str,
    step: SyncStep,
    planned: dict[str, int],
    skipped: int,
    counts: dict[str, int],
    state: StepState,
) -> None:
    """What the step planned, and its state after planning (queued, or completed when nothing was queued)."""
    ended = state.value in ENDED_STEP_STATES
    await conn.execute(
        "UPDATE sync_steps SET planned_creates = $3, planned_updates = $4, planned_archives = $5, skipped = $6,"
        " counts = $7::jsonb, state = $8, lease_until = NULL,"
        " finished_at = CASE WHEN $9 THEN now() ELSE NULL END WHERE sync_id = $1 AND step = $2",
        sync_id,
        step.value,
        planned["creates"],
        planned["updates"],
        planned["archives"],
        skipped,
        counts,
        state.value,
        ended,
    )


async def add_sync_errors(pool: asyncpg.Pool, sync_id: str, errors: list[dict[str, Any]]) -> None:
    if errors:
        await pool.execute(
            "UPDATE syncs SET errors = errors || $2::jsonb, updated_at = now() WHERE sync_id = $1",
            sync_id,
            errors,
        )


async def replace_step_errors(pool: asyncpg.Pool, sync_id: str, step: SyncStep, errors: list[dict[str, Any]]) -> None:
    """The step's record errors (skipped, warnings), replacing those of an earlier attempt of the same step."""
    await pool.execute(
        """
        UPDATE syncs SET updated_at = now(), errors = coalesce((
            SELECT jsonb_agg(e) FROM jsonb_array_elements(errors) AS e
            WHERE NOT (e ->> 'step' = $2 AND e ->> 'kind' IN ('skipped_record', 'record_warning', 'note'))),
            '[]'::jsonb)
            || $3::jsonb
        WHERE sync_id = $1
        """,
        sync_id,
        step.value,
        [{**error, "step": step.value} for error in errors],
    )


async def fail_step(pool: asyncpg.Pool, sync_id: str, step: SyncStep, kind: str, message: str) -> None:
    await add_sync_errors(pool, sync_id, [{"kind": kind, "step": step.value, "message": message}])
    await set_step_state(pool, sync_id, step, StepState.FAILED)


_UNFINISHED = ", ".join(f"'{outcome}'" for outcome in UNFINISHED_OUTCOMES)

_RELEASE_HELD = f"""
WITH next_wave AS (
    SELECT h.sync_id, h.step, min(h.wave) AS wave FROM mutation_jobs AS h
    WHERE h.outcome = 'held' GROUP BY h.sync_id, h.step
), ready AS (
    SELECT n.* FROM next_wave AS n
    WHERE NOT EXISTS (
        SELECT 1 FROM mutation_jobs AS e
        WHERE e.sync_id = n.sync_id AND e.step = n.step AND e.wave < n.wave
          AND e.outcome IN ({_UNFINISHED}))
)
UPDATE mutation_jobs AS j SET outcome = 'queued', updated_at = now()
FROM ready WHERE j.sync_id = ready.sync_id AND j.step = ready.step AND j.wave = ready.wave AND j.outcome = 'held'
RETURNING j.payload
"""

_COMPLETE_STEPS = f"""
UPDATE sync_steps AS s SET state = 'completed', finished_at = now()
WHERE s.state = 'queued' AND NOT EXISTS (
    SELECT 1 FROM mutation_jobs AS j
    WHERE j.sync_id = s.sync_id AND j.step = s.step AND j.outcome IN ({_UNFINISHED}))
RETURNING s.step, extract(epoch FROM s.finished_at - s.started_at)::float8 AS seconds
"""

_FINISH_SYNCS = """
UPDATE syncs AS y
SET state = CASE WHEN EXISTS (SELECT 1 FROM sync_steps AS f WHERE f.sync_id = y.sync_id AND f.state = 'failed')
                 THEN 'failed' ELSE 'completed' END,
    finished_at = now(), updated_at = now()
WHERE y.state NOT IN ('completed', 'failed')
  AND NOT EXISTS (SELECT 1 FROM sync_steps AS o WHERE o.sync_id = y.sync_id AND o.state NOT IN ('completed', 'failed'))
RETURNING y.sync_id, y.state
"""


async def release_held_waves(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    """Jobs of the next wave of every step whose earlier waves have all ended: now queued; returns payloads."""
    rows = await pool.fetch(_RELEASE_HELD)
    return [row["payload"] for row in rows]


@dataclass(frozen=True)
class Ended:
    steps: list[tuple[str, float]]  # (step, seconds from its start) of steps completed now
    syncs: list[tuple[str, str]]  # (sync id, completed | failed) of syncs ended now


async def complete_ended(pool: asyncpg.Pool) -> Ended:
    """Queued steps whose jobs all ended are completed; syncs whose steps all ended are completed or failed."""
    async with pool.acquire() as conn, conn.transaction():
        steps = await conn.fetch(_COMPLETE_STEPS)
        syncs = await conn.fetch(_FINISH_SYNCS)
    return Ended(
        [(row["step"], row["seconds"] or 0.0) for row in steps], [(row["sync_id"], row["state"]) for row in syncs]
    )


async def create_repair_sync(conn: asyncpg.Connection, sync_id: str, domain: str, step: SyncStep) -> None:
    """A sync of kind `repair` whose one step is already planned (its jobs are recorded in the same transaction):
    a drift repair a webhook asked for. It ends like any sync, when its jobs have; it blocks no other sync."""
    await conn.execute(
        "INSERT INTO syncs (sync_id, domain, kind, steps, dry_run, state)"
        " VALUES ($1, $2, 'repair', $3, false, 'queued')",
        sync_id,
        domain,
        [step.value],
    )
    await conn.execute(
        "INSERT INTO sync_steps (sync_id, step, state, started_at) VALUES ($1, $2, 'queued', now())",
        sync_id,
        step.value,
    )

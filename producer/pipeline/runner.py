"""How any sync runs: one path for every resource step, and the loop that carries syncs forward.

`run_step` is the one sequence: gather → guard and promote the snapshot → plan (pure) → record → queue.
`Pipeline` is a background loop in every producer: it claims steps that may run (their dependencies ended, or
their last owner's lease ran out), renews the leases of the steps it runs, queues the next wave of a step when
the earlier one has ended, and completes steps and syncs whose jobs have all ended. All its state is in
PostgreSQL, so a producer killed mid-sync leaves nothing behind that another (or its restart) cannot finish.
"""

import asyncio
import contextlib
import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import Mapping
from typing import Any

import asyncpg
import redis.exceptions
import structlog

from producer import metrics
from producer.pipeline import state
from producer.pipeline.bulk import route_to_bulk
from producer.pipeline.plan import mutation_job
from producer.pipeline.snapshot import ImplausiblePull, ShrinkGuard, promote
from producer.pipeline.state import ClaimedStep, StepState
from producer.pipeline.step import ResourceStep, StepContext
from producer.sources.promidata import PromidataError
from producer.sources.unleashed import UnleashedError
from shared.job_records import record_planned_jobs
from shared.jobqueue import enqueue_mutations
from shared.logs import get_logger
from shared.models import MutationJob, SyncStep
from shared.shopify_client import ShopifyError
from shared.tenants import MissingCredentials, Tenant, TenantNotFound, TenantStore

log = get_logger(__name__)

MAX_STEP_ATTEMPTS = 3
PULL_FAILURES = (UnleashedError, PromidataError, ShopifyError, MissingCredentials, TenantNotFound)
# Our own backends away: the step is handed back and claimed again later (its attempts are bounded).
BACKEND_DOWN = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.InterfaceError,
    ConnectionError,
    OSError,
)


async def run_step(ctx: StepContext, claimed: ClaimedStep, step: ResourceStep[Any], tenant: Tenant) -> None:
    """Pull, guard, promote, plan, record and queue one step of one sync."""
    clock = _Clock()
    gathered = await step.gather(ctx, tenant)
    clock.lap("gather")
    await state.set_step_state(ctx.pool, claimed.sync_id, claimed.step, StepState.PLANNING)
    guard = ShrinkGuard(ctx.settings.source_shrink_guard_share, ctx.settings.source_shrink_guard_min_lost)
    await promote(ctx.pool, claimed.domain, claimed.sync_id, gathered.source, guard)
    clock.lap("promote")
    plan = await asyncio.to_thread(step.plan, gathered.inputs)  # pure but long: the API keeps answering meanwhile
    clock.lap("plan")
    await state.replace_step_errors(
        ctx.pool,
        claimed.sync_id,
        claimed.step,
        [{"kind": "skipped_record", "reference": s.reference, "reason": s.reason} for s in plan.skipped]
        + [{"kind": "record_warning", "reference": w.reference, "reason": w.reason} for w in plan.warnings]
        + [{"kind": "note", "message": note} for note in gathered.notes],
    )
    jobs = [mutation_job(claimed.sync_id, claimed.domain, step.name, step.queue, c) for c in plan.changes]
    log.info("planned", **plan.planned(), skipped=len(plan.skipped), **plan.counts, **clock.laps)
    if claimed.dry_run:
        await state.set_step_planned(
            ctx.pool, claimed.sync_id, claimed.step, plan.planned(), len(plan.skipped), plan.counts, StepState.COMPLETED
        )
        _phases_measured(claimed, clock, ended=True)
        return
    async with ctx.pool.acquire() as conn, conn.transaction():
        recorded = await record_planned_jobs(conn, jobs, [change.wave for change in plan.changes])
        to_queue, in_bulk = await route_to_bulk(conn, ctx.settings, jobs, recorded)
    by_id = {job.job_id: job for job in jobs}
    ours = [by_id[r.job_id] for r in recorded]
    clock.lap("record")
    await enqueue_mutations(ctx.job_pool, to_queue)
    clock.lap("enqueue")
    counted = Counter(job.action.counted_as for job in ours)
    planned = {key: counted.get(key, 0) for key in ("creates", "updates", "archives")}
    after = StepState.QUEUED if ours else StepState.COMPLETED
    await state.set_step_planned(
        ctx.pool, claimed.sync_id, claimed.step, planned, len(plan.skipped), plan.counts, after
    )
    held = sum(r.outcome == "held" for r in recorded)
    log.info("queued", jobs=len(ours), held=held, in_bulk=in_bulk, **clock.laps)
    _phases_measured(claimed, clock, ended=after is StepState.COMPLETED)


def _phases_measured(claimed: ClaimedStep, clock: "_Clock", *, ended: bool) -> None:
    for phase, seconds in clock.step_phase.items():
        metrics.PHASE_SECONDS.labels(step=claimed.step.value, phase=phase).observe(seconds)
    if ended:  # nothing to send: the step is over already
        metrics.STEPS_FINISHED.labels(step=claimed.step.value, state="completed").inc()


async def _fail(pool: asyncpg.Pool, claimed: ClaimedStep, kind: str, message: str) -> None:
    await state.fail_step(pool, claimed.sync_id, claimed.step, kind, message)
    metrics.STEPS_FINISHED.labels(step=claimed.step.value, state="failed").inc()
    metrics.STEP_ERRORS.labels(error_class=kind).inc()


class _Clock:
    """Seconds spent in each phase of a step, for its log lines."""

    def __init__(self) -> None:
        self._last = time.monotonic()
        self.laps: dict[str, float] = {}
        self.step_phase: dict[str, float] = {}

    def lap(self, phase: str) -> None:
        now = time.monotonic()
        self.laps[f"{phase}_seconds"] = round(now - self._last, 3)
        self.step_phase[phase] = now - self._last
        self._last = now


class Pipeline:
    """Starts syncs and carries every open one forward; one per producer, any number of producers."""

    def __init__(
        self,
        ctx: StepContext,
        tenants: TenantStore,
        steps: Mapping[SyncStep, ResourceStep[Any]],
        *,
        interval_seconds: float = 0.5,
        max_running_steps: int = 4,
    ) -> None:
        self._ctx = ctx
        self._tenants = tenants
        self._steps = steps
        self._interval = interval_seconds
        self._max_running = max_running_steps
        self._lease = ctx.settings.pipeline_lease_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = asyncio.Event()
        self._running: dict[tuple[str, SyncStep], tuple[ClaimedStep, asyncio.Task[None]]] = {}
        self._loop: asyncio.Task[None] | None = None
        self._accepting = True
        self._last_renewal = 0.0

    @property
    def accepting(self) -> bool:
        return self._accepting

    async def start_sync(self, domain: str, kind: str, steps: list[SyncStep], dry_run: bool) -> str:
        sync_id = uuid.uuid4().hex
        await state.create_sync(
            self._ctx.pool, sync_id, domain, kind, {s: self._steps[s].depends_on for s in steps}, dry_run
        )
        log.info("sync started", sync_id=sync_id, domain=domain, steps=[s.value for s in steps], dry_run=dry_run)
        metrics.SYNCS_STARTED.labels(kind=kind).inc()
        self._wake.set()
        return sync_id

    def start(self) -> None:
        self._loop = asyncio.create_task(self._advance_forever(), name="pipeline")

    async def close(self, grace_seconds: float = 20.0) -> None:
        """Stop claiming; let running steps finish within the grace period; hand the rest back at once."""
        self._accepting = False
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
        running = [task for _claimed, task in self._running.values()]
        if running:
            _done, pending = await asyncio.wait(running, timeout=grace_seconds)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5)

    async def _advance_forever(self) -> None:
        while True:
            try:
                await self.advance_once()
            except Exception as exc:  # PostgreSQL or Redis away: try again next round
                log.warning("pipeline round failed", error=f"{type(exc).__name__}: {exc}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()

    async def advance_once(self) -> None:
        pool = self._ctx.pool
        await self._renew_leases()
        released = await state.release_held_waves(pool)
        if released:
            await enqueue_mutations(self._ctx.job_pool, [MutationJob.model_validate(p) for p in released])
            log.info("next wave queued", jobs=len(released))
        ended = await state.complete_ended(pool)
        for step_name, seconds in ended.steps:
            metrics.STEPS_FINISHED.labels(step=step_name, state="completed").inc()
            metrics.STEP_SECONDS.labels(step=step_name).observe(seconds)
        for sync_id, ended_as in ended.syncs:
            metrics.SYNCS_FINISHED.labels(state=ended_as).inc()
            log.info("sync ended", sync_id=sync_id, state=ended_as)
        while self._accepting and len(self._running) < self._max_running:
            claimed = await state.claim_step(pool, self.owner, self._lease)
            if claimed is None:
                return
            task = asyncio.create_task(self._run(claimed), name=f"step-{claimed.sync_id}-{claimed.step.value}")
            self._running[(claimed.sync_id, claimed.step)] = (claimed, task)

    async def _renew_leases(self) -> None:
        now = time.monotonic()
        if now - self._last_renewal < self._lease / 3:
            return
        self._last_renewal = now
        for claimed, task in list(self._running.values()):
            if not await state.renew_lease(self._ctx.pool, claimed, self.owner, self._lease):
                log.warning("step lease lost; another producer carries it on", step=claimed.step.value)
                task.cancel()

    async def _run(self, claimed: ClaimedStep) -> None:
        structlog.contextvars.bind_contextvars(sync_id=claimed.sync_id, domain=claimed.domain, step=claimed.step.value)
        pool = self._ctx.pool
        try:
            if claimed.attempts > MAX_STEP_ATTEMPTS:
                message = f"the step was started {MAX_STEP_ATTEMPTS} times without finishing; see the producer logs"
                await _fail(pool, claimed, "step_abandoned", message)
                return
            tenant = await self._tenants.get(claimed.domain, fresh=True)
            await run_step(self._ctx, claimed, self._steps[claimed.step], tenant)
        except PULL_FAILURES as exc:
            log.warning("step failed", reason=str(exc))
            await _fail(pool, claimed, "pull_failed", str(exc))
        except ImplausiblePull as exc:
            log.warning("step refused an implausible pull", reason=str(exc))
            await _fail(pool, claimed, "implausible_pull", str(exc))
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await asyncio.shield(state.give_back(pool, claimed, self.owner))
            raise
        except BACKEND_DOWN as exc:
            log.warning("step interrupted by a backend outage; it will be claimed again", error=type(exc).__name__)
            with contextlib.suppress(Exception):
                await state.give_back(pool, claimed, self.owner)
        except Exception as exc:
            log.exception("step crashed")
            with contextlib.suppress(Exception):
                await _fail(pool, claimed, "internal_error", f"internal error ({type(exc).__name__})")
        finally:
            self._running.pop((claimed.sync_id, claimed.step), None)
            self._wake.set()

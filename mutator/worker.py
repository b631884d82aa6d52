"""arq wiring for the mutator: one arq Worker per mutation queue in one process, sharing one Redis pool.

arq's defaults would be wrong here: `poll_delay` 0.5 s and one job at a time give 2 mutations/s, and a
kept result (1 h by default) blocks a legitimate re-queue of the same job id. So: short polls, many jobs in
flight, no kept results, and a short job timeout so a job whose worker died is back within ~40 s.
A failed poll loop (Redis dropped or restarted: ConnectionError, TimeoutError, a WatchError) is restarted
until we are told to stop, with its job slots counted again from the jobs really in flight (arq's own
`start_jobs` kept a slot when a Redis call in it failed: a few restarts left a worker that polled but never
started a job). Jobs are claimed by one Lua script per poll instead of arq's four round trips per job.
"""

import asyncio
import contextlib
import time
from typing import Any

from arq import ArqRedis
from arq.worker import func

from mutator.apply import DEPS, MutatorDeps, apply_mutation
from mutator.arq_worker import MutationWorker
from shared.jobqueue import APPLY_MUTATION, deserialize_job, serialize_job
from shared.logs import get_logger
from shared.queues import ALL_QUEUES, Queue
from shared.settings import Settings

log = get_logger(__name__)

# arq's own try limit sits far above ours: we count attempts in PostgreSQL and dead-letter there.
ARQ_MAX_TRIES = 1000
RESTART_DELAY_SECONDS = 1.0
PROGRESS_LOG_SECONDS = 10.0
# A poll loop that has not finished an iteration for this long is wedged (or Redis is away): /health says 503,
# and the watchdog restarts the loop. A live loop comes round every poll delay.
WEDGED_AFTER_SECONDS = 15.0
WATCHDOG_SECONDS = 5.0


def build_worker(queue: Queue, pool: ArqRedis, settings: Settings, ctx: dict[str, Any]) -> MutationWorker:
    return MutationWorker(
        functions=[func(apply_mutation, name=APPLY_MUTATION, max_tries=ARQ_MAX_TRIES)],
        queue_name=queue.value,
        redis_pool=pool,
        ctx=ctx,
        handle_signals=False,
        max_jobs=settings.mutator_max_jobs,
        poll_delay=settings.mutator_poll_delay_seconds,
        job_timeout=settings.mutator_job_timeout_seconds,
        keep_result=0,
        max_tries=ARQ_MAX_TRIES,
        health_check_interval=10,
        job_serializer=serialize_job,
        job_deserializer=deserialize_job,
        log_results=False,
    )


class MutationWorkers:
    """Runs a worker per queue, restarts one whose Redis connection dropped, and stops gracefully."""

    def __init__(
        self, settings: Settings, deps: MutatorDeps, pool: ArqRedis, queues: tuple[Queue, ...] = ALL_QUEUES
    ) -> None:
        self._settings = settings
        self._deps = deps
        self._pool = pool
        self._queues = queues
        self._workers: list[MutationWorker] = []
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._loops: dict[str, asyncio.Task[None]] = {}  # queue → the running poll loop

    @property
    def running(self) -> bool:
        """Every worker's loop is alive and has polled recently (a wedged loop counts as not running)."""
        return (
            bool(self._tasks)
            and not self._stopping.is_set()
            and all(not t.done() for t in self._tasks)
            and all(w.polled_within(WEDGED_AFTER_SECONDS) for w in self._workers)
        )

    @property
    def in_flight(self) -> int:
        return sum(not task.done() for worker in self._workers for task in worker.tasks.values())

    @property
    def completed(self) -> int:
        """Job runs this process has ended (done, retried or deferred, crashed), for /health."""
        return sum(w.jobs_complete + w.jobs_retried + w.jobs_failed for w in self._workers)

    async def start(self) -> None:
        ctx: dict[str, Any] = {DEPS: self._deps}
        self._workers = [build_worker(queue, self._pool, self._settings, ctx) for queue in self._queues]
        self._tasks = [
            asyncio.create_task(self._supervise(worker), name=f"worker-{worker.queue_name}") for worker in self._workers
        ]
        self._tasks.append(asyncio.create_task(self._report_progress(), name="worker-progress"))
        self._tasks.append(asyncio.create_task(self._watch_for_wedged_loops(), name="worker-watchdog"))
        log.info(
            "workers started",
            queues=[q.value for q in self._queues],
            max_jobs=self._settings.mutator_max_jobs,
            poll_delay=self._settings.mutator_poll_delay_seconds,
        )

    async def _supervise(self, worker: MutationWorker) -> None:
        while not self._stopping.is_set():
            loop = asyncio.create_task(worker.main(), name=f"loop-{worker.queue_name}")
            self._loops[worker.queue_name] = loop
            try:
                await loop
                reason = "the poll loop returned"
            except asyncio.CancelledError:
                if self._stopping.is_set():
                    return
                if not loop.cancelled():
                    raise  # we were cancelled, not the loop
                reason = f"no poll for {WEDGED_AFTER_SECONDS:.0f} s (wedged); the watchdog stopped it"
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}"
            failed_runs = await worker.prepare_restart()
            log.warning(
                "worker loop failed; it restarts",
                queue=worker.queue_name,
                error=reason,
                job_runs_failed=failed_runs,
                in_flight=len(worker.tasks),
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), RESTART_DELAY_SECONDS)

    async def _watch_for_wedged_loops(self) -> None:
        """Cancel a poll loop that stopped coming round (a read that never returns, say): it is restarted."""
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), WATCHDOG_SECONDS)
            for worker in self._workers:
                loop = self._loops.get(worker.queue_name)
                if loop is not None and not loop.done() and not worker.polled_within(WEDGED_AFTER_SECONDS):
                    log.warning("worker loop wedged; restarting it", queue=worker.queue_name)
                    worker.last_poll = time.monotonic()  # one restart per wedge
                    loop.cancel()

    async def _report_progress(self) -> None:
        """One log line per interval with what was done (jobs log individually only when they fail)."""
        last = (0, 0, 0)
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), PROGRESS_LOG_SECONDS)
            now = (
                sum(w.jobs_complete for w in self._workers),
                sum(w.jobs_retried for w in self._workers),
                sum(w.jobs_failed for w in self._workers),
            )
            if now != last:
                log.info(
                    "jobs progress",
                    completed=now[0] - last[0],
                    retried_or_deferred=now[1] - last[1],
                    crashed=now[2] - last[2],
                    in_flight=self.in_flight,
                    interval_seconds=PROGRESS_LOG_SECONDS,
                )
                last = now

    async def stop(self) -> None:
        """Take no new job, let the mutations in flight finish (within the grace period), then close."""
        self._stopping.set()
        for worker in self._workers:
            worker.allow_pick_jobs = False
        in_flight = [task for worker in self._workers for task in worker.tasks.values() if not task.done()]
        log.info("stopping workers", in_flight=len(in_flight))
        if in_flight:
            _done, pending = await asyncio.wait(in_flight, timeout=self._settings.mutator_shutdown_grace_seconds)
            for task in pending:
                task.cancel()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for worker in self._workers:
            worker.forget_ended_tasks()
        log.info("workers stopped", completed=sum(w.jobs_complete for w in self._workers))

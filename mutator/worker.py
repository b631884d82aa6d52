"""arq wiring for the mutator: one arq Worker per mutation queue in one process, sharing one Redis pool.

arq's defaults would be wrong here: `poll_delay` 0.5 s and one job at a time give 2 mutations/s, and a
kept result (1 h by default) blocks a legitimate re-queue of the same job id. So: short polls, many jobs in
flight, no kept results, and a short job timeout so a job whose worker died is back within ~40 s.
A failed poll loop (Redis dropped or restarted: ConnectionError, TimeoutError, or the WatchError redis-py
raises when a connection drops under a WATCH) is restarted until we are told to stop, with its job slots
counted again from the jobs really in flight: arq's `start_jobs` keeps a slot when a Redis call in it fails,
and without the recount a few restarts leave a worker that polls but never starts a job.
"""

import asyncio
import contextlib
import time
from typing import Any

from arq import ArqRedis
from arq.worker import Worker, func

from mutator.apply import DEPS, MutatorDeps, apply_mutation
from shared.jobqueue import APPLY_MUTATION, deserialize_job, serialize_job
from shared.logs import get_logger
from shared.queues import ALL_QUEUES, Queue
from shared.settings import Settings

log = get_logger(__name__)

# arq's own try limit sits far above ours: we count attempts in PostgreSQL and dead-letter there.
ARQ_MAX_TRIES = 1000
RESTART_DELAY_SECONDS = 1.0
PROGRESS_LOG_SECONDS = 10.0
# A poll loop that has not finished an iteration for this long is wedged (or Redis is away): /health says 503.
# Redis calls time out after 5 s (shared.jobqueue), so a live loop always comes round well within this.
WEDGED_AFTER_SECONDS = 15.0


class MutationWorker(Worker):
    """arq's Worker, made safe to start again after its poll loop failed, and able to say when it last polled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_poll = time.monotonic()

    async def _poll_iteration(self) -> None:
        await super()._poll_iteration()
        self.last_poll = time.monotonic()

    def polled_within(self, seconds: float) -> bool:
        return time.monotonic() - self.last_poll < seconds

    def forget_ended_tasks(self) -> int:
        """Drop job tasks that ended, reading their errors (arq would re-raise each in a later poll, one loop
        failure per task). Returns how many ended with an error."""
        failed = 0
        for job_id, task in list(self.tasks.items()):
            if task.done():
                del self.tasks[job_id]
                failed += not task.cancelled() and task.exception() is not None
        return failed

    async def prepare_restart(self) -> int:
        """After the poll loop failed: forget ended job tasks and count the job slots again from the tasks
        still running. Returns how many job tasks ended with an error."""
        await asyncio.sleep(0)  # let the done-callbacks of tasks that just ended give their slots back
        failed = self.forget_ended_tasks()
        running = len(self.tasks)
        self.job_counter = running
        self.sem = asyncio.BoundedSemaphore(self.max_jobs + 1)
        for _ in range(running):  # each running task gives its slot back to this semaphore when it ends
            await self.sem.acquire()
        return failed


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
        log.info(
            "workers started",
            queues=[q.value for q in self._queues],
            max_jobs=self._settings.mutator_max_jobs,
            poll_delay=self._settings.mutator_poll_delay_seconds,
        )

    async def _supervise(self, worker: MutationWorker) -> None:
        while not self._stopping.is_set():
            try:
                await worker.main()
            except asyncio.CancelledError:
                if self._stopping.is_set():
                    return
                raise
            except Exception as exc:
                failed_runs = await worker.prepare_restart()
                log.warning(
                    "worker loop failed; it restarts",
                    queue=worker.queue_name,
                    error=f"{type(exc).__name__}: {exc}",
                    job_runs_failed=failed_runs,
                    in_flight=len(worker.tasks),
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), RESTART_DELAY_SECONDS)

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

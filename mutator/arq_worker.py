"""Our arq Worker: arq's own, with the Redis protocol of a job made cheaper and its loop made restartable.

- Jobs a poll finds are claimed by one Lua script (arq's `start_jobs` makes four round trips per job).
- Jobs that end are finished in batches: one pipeline for every job that ended meanwhile (arq: one per job).
- After its poll loop failed it can be started again with its job slots counted from the jobs in flight, and
  it says when it last completed a poll (a wedged loop is seen and restarted by `worker.MutationWorkers`).

Everything else — running a job, its timeout, retries and deferrals — is arq's own code.
"""

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from arq.constants import abort_jobs_ss, in_progress_key_prefix, job_key_prefix, retry_key_prefix
from arq.utils import timestamp_ms
from arq.worker import Worker

FINISH_BATCH = 500

# Claims the due jobs a poll found, as arq's `start_jobs` does one by one (skip a job whose in-progress key
# exists or whose score moved into the future; else set the in-progress key), for all of them in one round trip.
_CLAIM = """
local now, ttl, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local claimed = {}
for i = 2, #KEYS do
  if #claimed >= limit * 2 then break end
  local job_id = ARGV[i + 2]
  local score = redis.call('ZSCORE', KEYS[1], job_id)
  if score and tonumber(score) <= now and redis.call('EXISTS', KEYS[i]) == 0 then
    redis.call('PSETEX', KEYS[i], ttl, '1')
    table.insert(claimed, job_id)
    table.insert(claimed, score)
  end
end
return claimed
"""


@dataclass
class _Finish:
    job_id: str
    finish: bool
    incr_score: int | None
    done: "asyncio.Future[None]"


class MutationWorker(Worker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_poll = time.monotonic()
        self._claim = self.pool.register_script(_CLAIM)
        self._finishing: list[_Finish] = []
        self._flusher: asyncio.Task[None] | None = None

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        free = self.max_jobs - self.job_counter
        if free <= 0 or not job_ids:
            return
        ids = [job_id.decode() for job_id in job_ids]
        claimed = await self._claim(
            keys=[self.queue_name, *(in_progress_key_prefix + job_id for job_id in ids)],
            args=[timestamp_ms(), int(self.in_progress_timeout_s * 1000), free, *ids],
        )
        for job_id, score in zip(claimed[::2], claimed[1::2], strict=True):
            await self.sem.acquire()  # at once: the semaphore has a slot more than the free ones
            self.job_counter += 1
            job_id = job_id.decode() if isinstance(job_id, bytes) else job_id
            task = self.loop.create_task(self.run_job(job_id, int(float(score))))
            task.add_done_callback(lambda _: self._release_sem_dec_counter_on_complete())
            self.tasks[job_id] = task

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

    async def finish_job(
        self,
        job_id: str,
        finish: bool,
        result_data: bytes | None,
        result_timeout_s: float | None,
        keep_result_forever: bool,
        incr_score: int | None,
        keep_in_progress: float | None,
    ) -> None:
        """arq's bookkeeping of a job that ended, written with those of the other jobs that ended meanwhile."""
        if result_data is not None or keep_in_progress is not None:  # results and cron jobs: not ours, arq's way
            await super().finish_job(
                job_id, finish, result_data, result_timeout_s, keep_result_forever, incr_score, keep_in_progress
            )
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._finishing.append(_Finish(job_id, finish, incr_score, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_finishes())
        await done

    async def _flush_finishes(self) -> None:
        while self._finishing:
            batch, self._finishing = self._finishing[:FINISH_BATCH], self._finishing[FINISH_BATCH:]
            try:
                async with self.pool.pipeline(transaction=True) as tr:
                    for item in batch:
                        keys = [in_progress_key_prefix + item.job_id]
                        if item.finish:
                            keys += [retry_key_prefix + item.job_id, job_key_prefix + item.job_id]
                            tr.zrem(abort_jobs_ss, item.job_id)
                            tr.zrem(self.queue_name, item.job_id)
                        elif item.incr_score:
                            tr.zincrby(self.queue_name, item.incr_score, item.job_id)
                        tr.delete(*keys)
                    await tr.execute()
            except Exception as exc:
                for item in batch:
                    if not item.done.done():
                        item.done.set_exception(exc)
            else:
                for item in batch:
                    if not item.done.done():
                        item.done.set_result(None)

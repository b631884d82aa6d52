"""Our one door to arq: pool creation, enqueueing a mutation job, JSON (de)serialisation.

arq is in maintenance-only mode; everything arq-specific the producer needs stays in this module,
and the mutator's worker wiring in `mutator/worker.py`.
"""

import asyncio
import json
import socket
import time
from typing import Any

from arq import ArqRedis
from arq.constants import expires_extra_ms, job_key_prefix, result_key_prefix
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from shared.models import MutationJob

APPLY_MUTATION = "apply_mutation"


def serialize_job(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def deserialize_job(value: bytes) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(value)
    return decoded


REDIS_CONNECT_TIMEOUT_SECONDS = 2.0
START_ATTEMPTS = 4
# A connection that Redis dropped during a restart can leave a read waiting forever. TCP keepalive finds such a
# connection dead within about idle + interval × count seconds, at no cost per command (a socket timeout in
# redis-py wraps every command in a timer task: measured at 3.2 ms of mutator CPU per mutation instead of 1).
# The mutator's worker watchdog restarts a loop that stops polling for any other reason.
REDIS_KEEPALIVE = {socket.TCP_KEEPIDLE: 5, socket.TCP_KEEPINTVL: 2, socket.TCP_KEEPCNT: 3}


async def create_job_pool(redis_url: str) -> ArqRedis:
    """arq's Redis client for `redis_url`: a connect timeout, TCP keepalive, JSON job (de)serialisation."""
    pool: ArqRedis = ArqRedis.from_url(
        redis_url,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECONDS,
        socket_keepalive=True,
        socket_keepalive_options=REDIS_KEEPALIVE,
    )
    pool.job_serializer = serialize_job
    pool.job_deserializer = deserialize_job
    pool.expires_extra_ms = expires_extra_ms
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            await pool.ping()
            return pool
        except (RedisConnectionError, RedisTimeoutError, OSError):
            if attempt == START_ATTEMPTS:
                await pool.aclose()
                raise
            await asyncio.sleep(1.0)
    raise AssertionError("unreachable")


# The same effect as arq's `enqueue_job` for each job (skip an id whose job or result key exists, else
# write the job and add it to the queue), for a whole batch in one atomic round trip.
_ENQUEUE_BATCH = """
local score, expires = ARGV[1], ARGV[2]
local queued = {}
for i = 0, (#KEYS - 1) / 2 - 1 do
  local job_key, result_key = KEYS[2 + i * 2], KEYS[3 + i * 2]
  if redis.call('EXISTS', job_key, result_key) == 0 then
    redis.call('PSETEX', job_key, expires, ARGV[4 + i * 2])
    redis.call('ZADD', KEYS[1], score, ARGV[3 + i * 2])
    table.insert(queued, ARGV[3 + i * 2])
  end
end
return queued
"""
ENQUEUE_BATCH_SIZE = 500
# arq takes the jobs whose score (their due time) has come, lowest first: a priority job is queued as if due
# this long ago, ahead of every sync's jobs (a retry is still deferred from the time it runs).
PRIORITY_LEAD_MS = 30 * 24 * 3600 * 1000


def arq_job_bytes(job: MutationJob, enqueued_ms: int) -> bytes:
    """The arq job record `{t, f, a, k, et}` (see arq.jobs.serialize_job) for `apply_mutation(payload)`, with
    the payload serialised by pydantic (several times faster than json.dumps of its dict)."""
    head = f'{{"t":null,"f":"{APPLY_MUTATION}","a":['.encode()
    return head + job.model_dump_json().encode() + f'],"k":{{}},"et":{enqueued_ms}}}'.encode()


async def enqueue_mutations(pool: ArqRedis, jobs: list[MutationJob], *, priority: bool = False) -> int:
    """Queue many mutation jobs (one queue each), a batch per round trip. Returns how many were new.
    `priority`: ahead of every job already waiting in their queues (a webhook's drift repair)."""
    script = pool.register_script(_ENQUEUE_BATCH)
    queued = 0
    by_queue: dict[str, list[MutationJob]] = {}
    for job in jobs:
        by_queue.setdefault(job.queue.value, []).append(job)
    for queue_name, queue_jobs in by_queue.items():
        for start in range(0, len(queue_jobs), ENQUEUE_BATCH_SIZE):
            batch = queue_jobs[start : start + ENQUEUE_BATCH_SIZE]
            now_ms = int(time.time() * 1000)
            keys: list[str] = [queue_name]
            args: list[Any] = [now_ms - PRIORITY_LEAD_MS if priority else now_ms, expires_extra_ms]
            for job in batch:
                keys += [job_key_prefix + job.job_id, result_key_prefix + job.job_id]
                args += [job.job_id, arq_job_bytes(job, now_ms)]
            queued += len(await script(keys=keys, args=args))
    return queued

"""Our one door to arq: pool creation, enqueueing a mutation job, JSON (de)serialisation.

arq is in maintenance-only mode; everything arq-specific the producer needs stays in this module,
and the mutator's worker wiring in `mutator/worker.py`.
"""

import json
import time
from typing import Any

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.constants import expires_extra_ms, job_key_prefix, result_key_prefix
from arq.jobs import serialize_job as arq_serialize_job

from shared.models import MutationJob

APPLY_MUTATION = "apply_mutation"


def serialize_job(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def deserialize_job(value: bytes) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(value)
    return decoded


def redis_settings(redis_url: str) -> RedisSettings:
    settings = RedisSettings.from_dsn(redis_url)
    settings.conn_timeout = 2
    settings.conn_retries = 3
    settings.conn_retry_delay = 1
    settings.retry_on_timeout = True
    return settings


async def create_job_pool(redis_url: str) -> ArqRedis:
    return await create_pool(redis_settings(redis_url), job_serializer=serialize_job, job_deserializer=deserialize_job)


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


async def enqueue_mutations(pool: ArqRedis, jobs: list[MutationJob]) -> int:
    """Queue many mutation jobs (one queue each), a batch per round trip. Returns how many were new."""
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
            args: list[Any] = [now_ms, expires_extra_ms]
            for job in batch:
                keys += [job_key_prefix + job.job_id, result_key_prefix + job.job_id]
                data = arq_serialize_job(
                    APPLY_MUTATION, (job.model_dump(mode="json"),), {}, None, now_ms, serializer=serialize_job
                )
                args += [job.job_id, data]
            queued += len(await script(keys=keys, args=args))
    return queued

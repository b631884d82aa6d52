"""Our one door to arq: pool creation, enqueueing a mutation job, JSON (de)serialisation.

arq is in maintenance-only mode; everything arq-specific the producer needs stays in this module,
and the mutator's worker wiring in `mutator/worker.py`.
"""

import json
from typing import Any

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings

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


async def enqueue_mutation(pool: ArqRedis, job: MutationJob) -> bool:
    """Queue one mutation. False when a job with the same id is already queued or running."""
    queued = await pool.enqueue_job(
        APPLY_MUTATION,
        job.model_dump(mode="json"),
        _job_id=job.job_id,
        _queue_name=job.queue.value,
    )
    return queued is not None

"""The job: send exactly one GraphQL mutation for one planned change, and record what came of it."""

import random
from dataclasses import dataclass
from typing import Any

import aiohttp
import asyncpg
import structlog
from arq import ArqRedis, Retry
from pydantic import ValidationError

from mutator import metrics
from mutator.effects import EFFECTS, Effect, UserErrors
from mutator.effects.base import mutation_payload
from mutator.paced_shopify import PacedShopify, PacingDeferred
from mutator.record_batcher import JobRecordBatcher
from shared import job_records
from shared.logs import get_logger
from shared.models import MutationJob
from shared.settings import Settings
from shared.shopify_client import ErrorClass, ShopifyPermanentError, ShopifyTransientError
from shared.shopify_documents import ALL_DOCUMENTS
from shared.tenants import MissingCredentials, Tenant, TenantNotFound, TenantStore

log = get_logger(__name__)

DEPS = "mutator_deps"
RECORDING_RETRY_SECONDS = 2.0
LOOKUP_COST = 5.0
# Documents that take `@idempotent(key: $idempotencyKey)` (required by Shopify from 2026-04) get the job's key.
IDEMPOTENCY_VARIABLE = "$idempotencyKey"


@dataclass(frozen=True)
class MutatorDeps:
    """Filled once at start-up into arq's ctx; jobs only read it."""

    settings: Settings
    pool: asyncpg.Pool
    tenants: TenantStore
    shopify: PacedShopify
    records: JobRecordBatcher
    job_pool: ArqRedis  # a bulk batch's job queues the next one
    http: aiohttp.ClientSession  # a bulk batch's file upload and result download


def retry_delay(settings: Settings, attempt: int, retry_after: float | None) -> float:
    """Retry-After when Shopify gives one, else exponential backoff with jitter, capped."""
    if retry_after is not None:
        return retry_after + random.uniform(0, 0.25)
    base: float = min(settings.mutator_backoff_cap_seconds, settings.mutator_backoff_base_seconds * 2 ** (attempt - 1))
    return base / 2 + random.uniform(0, base / 2)


def effect_of(job: MutationJob) -> Effect:
    effect = EFFECTS.get((job.entity_kind, job.action))
    if effect is None:
        raise ShopifyPermanentError(
            ErrorClass.INVALID_PAYLOAD, f"no mutation for {job.action.value} of {job.entity_kind.value}"
        )
    return effect


async def _send_as(deps: MutatorDeps, job: MutationJob, tenant: Tenant) -> dict[str, Any]:
    effect = effect_of(job)
    document = ALL_DOCUMENTS[effect.document]
    variables = job.variables
    if IDEMPOTENCY_VARIABLE in document:
        variables = {**variables, "idempotencyKey": job.idempotency_key}
    result = await deps.shopify.execute(
        tenant, document, variables, cost=effect.cost, ticket=job.job_id, operation=effect.document
    )
    return mutation_payload(result.data)


async def send_mutation(deps: MutatorDeps, job: MutationJob) -> dict[str, Any]:
    tenant = await deps.tenants.get(job.domain)
    try:
        return await _send_as(deps, job, tenant)
    except ShopifyPermanentError as exc:
        # Refused credentials may be cached ones the operator has just replaced: read the hash again.
        if exc.error_class is not ErrorClass.ACCESS_DENIED:
            raise
        current = await deps.tenants.get(job.domain, fresh=True)
        if (current.shopify_shop, current.shopify_access_token) == (tenant.shopify_shop, tenant.shopify_access_token):
            raise
        log.info("tenant credentials changed; trying the new ones")
        return await _send_as(deps, job, current)


async def apply_mutation(ctx: dict[str, Any], payload: dict[str, Any]) -> str:
    """arq job function. Returns the outcome; raises arq's Retry for transient failures."""
    deps: MutatorDeps = ctx[DEPS]
    try:
        job = MutationJob.model_validate(payload)
    except ValidationError as exc:
        job_id = payload.get("job_id") if isinstance(payload, dict) else None
        log.error("invalid job payload", job_id=job_id, problems=exc.error_count())
        if isinstance(job_id, str):
            await job_records.mark_job_failed(deps.pool, job_id, ErrorClass.INVALID_PAYLOAD, str(exc)[:500])
        return "invalid_payload"
    structlog.contextvars.bind_contextvars(job_id=job.job_id, sync_id=job.sync_id, domain=job.domain)
    in_progress = metrics.IN_PROGRESS.labels(queue=job.queue.value)
    in_progress.inc()
    try:
        return await _apply(deps, job)
    except Retry:
        raise
    except Exception as exc:
        # Our own records could not be written (PostgreSQL or Redis away): arq keeps the job and runs it
        # again later; the mutation is idempotent, so nothing is lost and nothing doubled.
        log.warning("job could not be recorded; arq will run it again", error=type(exc).__name__)
        raise Retry(defer=RECORDING_RETRY_SECONDS) from exc
    finally:
        in_progress.dec()
        structlog.contextvars.unbind_contextvars("job_id", "sync_id", "domain")


async def _apply(deps: MutatorDeps, job: MutationJob) -> str:
    start = await deps.records.mark_running(job.job_id)
    attempts = start.attempts
    if attempts is None:
        log.info("job already finished; stale delivery ignored")
        return "stale"
    if start.superseded:
        # An older change arriving late (retried, deferred) must not overwrite a newer one.
        await deps.records.mark_superseded(job.job_id)
        log.info("job superseded by a newer change of its entity; not sent")
        counted(job, "superseded")
        return "superseded"
    max_tries = deps.settings.mutator_max_tries
    if attempts > max_tries:
        await job_records.mark_job_failed(
            deps.pool, job.job_id, ErrorClass.RETRIES_EXHAUSTED, f"gave up after {max_tries} attempts"
        )
        return "failed"
    try:
        return await _send_and_record(deps, job, attempts)
    except PacingDeferred as deferred:
        await job_records.mark_job_deferred(deps.pool, job.job_id)
        counted(job, "deferred")
        metrics.BUDGET_WAIT.observe(deferred.wait_seconds)
        raise Retry(defer=deferred.wait_seconds) from None
    except ShopifyTransientError as exc:
        if exc.throttled:
            # Waited out and retried, never counted as a failure.
            await job_records.mark_job_retrying(deps.pool, job.job_id, str(exc), counts=False)
            counted(job, "throttled", error_class="throttled")
            raise Retry(defer=retry_delay(deps.settings, attempts, exc.retry_after)) from exc
        return await _retry_or_give_up(deps, job, attempts, str(exc), exc.retry_after)
    except UserErrors as exc:
        return await _dead_letter(deps, job, ErrorClass.USER_ERROR, str(exc))
    except ShopifyPermanentError as exc:
        return await _dead_letter(deps, job, exc.error_class, str(exc))
    except (TenantNotFound, MissingCredentials) as exc:
        return await _dead_letter(deps, job, ErrorClass.MISSING_CREDENTIALS, str(exc))
    except Exception as exc:
        # Redis or PostgreSQL dropped mid-job, or the outcome could not be recorded: the mutation is
        # idempotent, so sending it again is safe; retry, bounded like any other.
        log.warning("job hit an unexpected error", error=type(exc).__name__)
        return await _retry_or_give_up(deps, job, attempts, f"{type(exc).__name__}: {exc}", None)


async def _send_and_record(deps: MutatorDeps, job: MutationJob, attempts: int) -> str:
    effect = effect_of(job)
    if effect.perform is not None:
        await deps.records.mark_succeeded(job, await effect.perform(deps, job))
        counted(job, "succeeded")
        return "succeeded"
    try:
        rows = effect.read(job, await send_mutation(deps, job))
    except UserErrors as errors:
        recovered = await effect.recover(job, errors, _lookup(deps, job)) if effect.recover else None
        if recovered is None:
            raise
        log.info("change found already applied; recorded", reason=str(errors))
        rows = recovered
    await deps.records.mark_succeeded(job, rows)
    log.debug("mutation applied", action=job.action.value, attempt=attempts)
    counted(job, "succeeded")
    return "succeeded"


def _lookup(deps: MutatorDeps, job: MutationJob) -> Any:
    """A query (never a mutation) a recovery may make, paced like any request to the shop."""

    async def lookup(document: str, variables: dict[str, Any]) -> dict[str, Any]:
        tenant = await deps.tenants.get(job.domain)
        result = await deps.shopify.execute(
            tenant,
            ALL_DOCUMENTS[document],
            variables,
            cost=LOOKUP_COST,
            ticket=f"{job.job_id}:lookup",
            operation=document,
        )
        return result.data

    return lookup


async def _retry_or_give_up(
    deps: MutatorDeps, job: MutationJob, attempts: int, reason: str, retry_after: float | None
) -> str:
    if attempts >= deps.settings.mutator_max_tries:
        message = f"gave up after {attempts} attempts; last: {reason}"
        await job_records.mark_job_failed(deps.pool, job.job_id, ErrorClass.RETRIES_EXHAUSTED, message)
        log.warning("job dead-lettered", error_class=ErrorClass.RETRIES_EXHAUSTED, reason=reason)
        counted(job, "dead_lettered", error_class=ErrorClass.RETRIES_EXHAUSTED.value)
        return "failed"
    delay = retry_delay(deps.settings, attempts, retry_after)
    await job_records.mark_job_retrying(deps.pool, job.job_id, reason)
    counted(job, "retried", error_class="transient")
    log.info("job will retry", reason=reason, attempt=attempts, delay=round(delay, 2))
    raise Retry(defer=delay)


async def _dead_letter(deps: MutatorDeps, job: MutationJob, error_class: ErrorClass, message: str) -> str:
    await job_records.mark_job_failed(deps.pool, job.job_id, error_class.value, message)
    log.warning("job dead-lettered", error_class=error_class.value, reason=message)
    outcome = "user_error" if error_class is ErrorClass.USER_ERROR else "dead_lettered"
    counted(job, outcome, error_class=error_class.value)
    return "failed"


def counted(job: MutationJob, outcome: str, *, error_class: str | None = None) -> None:
    metrics.MUTATIONS.labels(queue=job.queue.value, outcome=outcome).inc()
    if error_class is not None:
        metrics.ERRORS.labels(error_class=error_class).inc()

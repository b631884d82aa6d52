"""Scheduled syncs: a tenant's `sync_schedule` (cron, UTC) starts its comprehensive sync on time.

Every producer looks every `SCHEDULE_INTERVAL_SECONDS`; for each tenant with a schedule, the latest due time
(if it is at most `SCHEDULE_GRACE_SECONDS` old) is claimed by inserting a row for it: only the producer whose
insert lands starts the sync, so several producers never start one due time twice. A due time that finds a
sync of the tenant still running is skipped, recorded and logged.
"""

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import asyncpg
from croniter import CroniterBadCronError, croniter

from producer import metrics
from producer.pipeline.runner import Pipeline
from producer.pipeline.state import SyncRunning
from producer.resources import comprehensive_steps
from shared.logs import get_logger
from shared.settings import Settings
from shared.tenants import TenantNotFound, TenantStore

log = get_logger(__name__)


def latest_due(schedule: str, now: datetime) -> datetime:
    """The most recent time at or before `now` the cron expression names (ValueError when it is not one)."""
    try:
        if croniter.match(schedule, now):
            return now.replace(microsecond=0)
        due: datetime = croniter(schedule, now).get_prev(datetime)
    except (CroniterBadCronError, KeyError) as exc:
        raise ValueError(f"not a cron expression: {schedule!r} ({exc})") from None
    return due


class Scheduler:
    def __init__(self, pool: asyncpg.Pool, tenants: TenantStore, pipeline: Pipeline, settings: Settings) -> None:
        self._pool = pool
        self._tenants = tenants
        self._pipeline = pipeline
        self._interval = settings.schedule_interval_seconds
        self._grace = timedelta(seconds=settings.schedule_grace_seconds)
        self._task: asyncio.Task[None] | None = None
        self._warned: set[str] = set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._forever(), name="scheduler")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _forever(self) -> None:
        while True:
            try:
                await self.run_once(datetime.now(UTC))
            except Exception as exc:  # Redis or PostgreSQL away: next round
                log.warning("schedule round failed", error=f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(self._interval)

    async def run_once(self, now: datetime) -> None:
        for domain in await self._tenants.domains():
            try:
                tenant = await self._tenants.get(domain)
            except TenantNotFound:
                continue
            if not tenant.sync_schedule or not self._pipeline.accepting:
                continue
            try:
                due = latest_due(tenant.sync_schedule, now)
            except ValueError as bad:
                if tenant.sync_schedule not in self._warned:
                    self._warned.add(tenant.sync_schedule)
                    log.warning("sync_schedule ignored", domain=domain, reason=str(bad))
                continue
            if now - due > self._grace:
                continue
            await self._start_if_first(domain, due)

    async def _start_if_first(self, domain: str, due: datetime) -> None:
        claimed = await self._pool.fetchval(
            "INSERT INTO scheduled_runs (domain, due_at, outcome) VALUES ($1, $2, 'starting')"
            " ON CONFLICT DO NOTHING RETURNING true",
            domain,
            due,
        )
        if not claimed:
            return  # another producer (or this one, earlier) has it
        sync_id: str | None = None
        try:
            steps = comprehensive_steps(await self._tenants.get(domain))
            sync_id = await self._pipeline.start_sync(domain, "scheduled", steps, dry_run=False)
            outcome = "started"
            log.info("scheduled sync started", domain=domain, due_at=due.isoformat(), sync_id=sync_id)
        except SyncRunning as running:
            outcome = f"skipped: sync {running.running} was still running"
            log.warning("scheduled sync skipped", domain=domain, due_at=due.isoformat(), running=running.running)
        metrics.SCHEDULED_SYNCS.labels(outcome=outcome.split(":")[0]).inc()
        await self._pool.execute(
            "UPDATE scheduled_runs SET sync_id = $3, outcome = $4 WHERE domain = $1 AND due_at = $2",
            domain,
            due,
            sync_id,
            outcome,
        )

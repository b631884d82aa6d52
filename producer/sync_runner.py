"""Starts syncs in the background and carries each one to `queued`, `completed` or `failed`."""

import asyncio
import uuid

import structlog

from producer import sync_records
from producer.product_sync import SyncContext, sync_products
from producer.unleashed_client import UnleashedError
from shared.logs import get_logger
from shared.models import SyncStep
from shared.shopify_client import ShopifyError
from shared.tenants import MissingCredentials, TenantNotFound, TenantStore

log = get_logger(__name__)

# Steps this release can run; the others are answered as not yet available.
AVAILABLE_STEPS: tuple[SyncStep, ...] = (SyncStep.PRODUCTS,)


class SyncRunner:
    def __init__(self, ctx: SyncContext, tenants: TenantStore) -> None:
        self._ctx = ctx
        self._tenants = tenants
        self._tasks: set[asyncio.Task[None]] = set()
        self._accepting = True

    @property
    def accepting(self) -> bool:
        return self._accepting

    async def start(self, domain: str, kind: str, steps: list[SyncStep], dry_run: bool) -> str:
        sync_id = uuid.uuid4().hex
        await sync_records.create_sync(self._ctx.pool, sync_id, domain, kind, steps, dry_run)
        task = asyncio.create_task(self._run(sync_id, domain, steps, dry_run), name=f"sync-{sync_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return sync_id

    async def _run(self, sync_id: str, domain: str, steps: list[SyncStep], dry_run: bool) -> None:
        structlog.contextvars.bind_contextvars(sync_id=sync_id, domain=domain)
        pool = self._ctx.pool
        log.info("sync started", steps=[step.value for step in steps], dry_run=dry_run)
        try:
            tenant = await self._tenants.get(domain)
            queued = 0
            for step in steps:
                if step is SyncStep.PRODUCTS:
                    queued += await sync_products(self._ctx, sync_id, tenant, dry_run=dry_run)
            await sync_records.set_sync_state(pool, sync_id, "queued" if queued else "completed")
            log.info("sync planned and queued", jobs=queued)
        except (UnleashedError, ShopifyError, MissingCredentials, TenantNotFound) as exc:
            await self._fail(sync_id, "pull_failed", str(exc))
        except asyncio.CancelledError:
            await asyncio.shield(self._fail(sync_id, "interrupted", "the producer stopped during this sync"))
            raise
        except Exception as exc:
            log.exception("sync crashed")
            await self._fail(sync_id, "internal_error", f"internal error ({type(exc).__name__}); see logs")

    async def _fail(self, sync_id: str, kind: str, message: str) -> None:
        log.warning("sync failed", kind=kind, reason=message)
        await sync_records.add_sync_errors(self._ctx.pool, sync_id, [{"kind": kind, "message": message}])
        await sync_records.set_sync_state(self._ctx.pool, sync_id, "failed")

    async def close(self, grace_seconds: float = 20.0) -> None:
        """Stop taking syncs; let running ones finish their writes, then cancel what is left."""
        self._accepting = False
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=grace_seconds)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)

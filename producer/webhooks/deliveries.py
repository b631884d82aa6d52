"""The webhook log in PostgreSQL: each delivery recorded once by its `X-Shopify-Webhook-Id`, claimed by one
producer under a lease, and finished with what came of it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

PROCESSING_LEASE_SECONDS = 60


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    domain: str
    shop: str
    topic: str
    triggered_at: datetime | None
    payload: dict[str, Any]
    received_at: datetime


async def record_delivery(
    pool: asyncpg.Pool,
    webhook_id: str,
    domain: str,
    shop: str,
    topic: str,
    triggered_at: datetime | None,
    payload: dict[str, Any],
) -> bool:
    """True when this delivery is new; False for a repeated webhook id (Shopify delivers at least once)."""
    inserted = await pool.fetchval(
        "INSERT INTO webhook_deliveries (webhook_id, domain, shop, topic, triggered_at, payload)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (webhook_id) DO NOTHING RETURNING true",
        webhook_id,
        domain,
        shop,
        topic,
        triggered_at,
        payload,
    )
    return bool(inserted)


async def claim_deliveries(pool: asyncpg.Pool, limit: int) -> list[Delivery]:
    """Received deliveries (and ones whose processing producer went away), oldest first, now ours for a while."""
    rows = await pool.fetch(
        """
        WITH ready AS (
            SELECT webhook_id FROM webhook_deliveries
            WHERE state = 'received' OR (state = 'processing' AND lease_until < now())
            ORDER BY received_at LIMIT $1 FOR UPDATE SKIP LOCKED
        )
        UPDATE webhook_deliveries AS d
        SET state = 'processing', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $2)
        FROM ready WHERE d.webhook_id = ready.webhook_id
        RETURNING d.webhook_id, d.domain, d.shop, d.topic, d.triggered_at, d.payload, d.received_at
        """,
        limit,
        PROCESSING_LEASE_SECONDS,
    )
    return [
        Delivery(r["webhook_id"], r["domain"], r["shop"], r["topic"], r["triggered_at"], r["payload"], r["received_at"])
        for r in sorted(rows, key=lambda row: row["received_at"])
    ]


async def finish_delivery(
    pool: asyncpg.Pool, webhook_id: str, state: str, outcome: str, repair_sync_id: str | None
) -> None:
    await pool.execute(
        "UPDATE webhook_deliveries SET state = $2, outcome = $3, repair_sync_id = $4, processed_at = now(),"
        " lease_until = NULL WHERE webhook_id = $1",
        webhook_id,
        state,
        outcome,
        repair_sync_id,
    )


async def list_deliveries(pool: asyncpg.Pool, domain: str, limit: int) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT webhook_id, topic, state, outcome, repair_sync_id, attempts, triggered_at, received_at, processed_at"
        " FROM webhook_deliveries WHERE domain = $1 ORDER BY received_at DESC LIMIT $2",
        domain,
        limit,
    )
    return [
        {
            "id": row["webhook_id"],
            "topic": row["topic"],
            "state": row["state"],
            "outcome": row["outcome"],
            "repairSyncId": row["repair_sync_id"],
            "attempts": row["attempts"],
            "triggeredAt": row["triggered_at"].isoformat() if row["triggered_at"] else None,
            "receivedAt": row["received_at"].isoformat(),
            "processedAt": row["processed_at"].isoformat() if row["processed_at"] else None,
        }
        for row in rows
    ]


async def replay_deliveries(pool: asyncpg.Pool, domain: str, ids: list[str] | None) -> int:
    """Process these deliveries of the domain again (None: every one that failed)."""
    result: str = await pool.execute(
        "UPDATE webhook_deliveries SET state = 'received', outcome = NULL, processed_at = NULL, lease_until = NULL"
        " WHERE domain = $1 AND state IN ('processed', 'failed')"
        " AND (($2::text[] IS NULL AND state = 'failed') OR webhook_id = ANY($2::text[]))",
        domain,
        ids,
    )
    return int(result.split()[-1])

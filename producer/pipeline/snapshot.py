"""The tenant's source snapshot: what each upstream resource held at its last good pull.

A pull lands in a staging table and is promoted into the snapshot in one transaction (upsert, rows that left
the source removed, duplicate keys collapsed to the last one). Before that, the mass-archive guard compares it
with the snapshot: a pull that comes back empty, or far smaller than the last one, is never promoted and never
planned, so an upstream hiccup cannot archive, deactivate or remove anything.
"""

from dataclasses import dataclass
from typing import Any

import asyncpg


@dataclass(frozen=True)
class SourcePull:
    """What one upstream resource returned, keyed (e.g. `unleashed:Products` by ProductCode)."""

    resource: str
    records: list[tuple[str, Any]]

    @classmethod
    def keyed(cls, resource: str, records: list[Any], *fields: str) -> "SourcePull":
        """Each record keyed by its `fields` (joined by @), or by its position when one is missing."""

        def key(position: int, record: Any) -> str:
            values = [record.get(field) if isinstance(record, dict) else None for field in fields]
            if all(isinstance(v, str) and v.strip() for v in values):
                return "@".join(str(v).strip() for v in values)
            return f"#{position}"

        return cls(resource, [(key(position, record), record) for position, record in enumerate(records)])


class ImplausiblePull(Exception):
    """The pull is too small against the last snapshot to be trusted; the message says why."""


@dataclass(frozen=True)
class ShrinkGuard:
    """Refuse a pull with fewer than `min_share` of the snapshot's records, when that means losing more than
    `min_lost` records (a small catalogue may lose a few for real); always refuse an empty pull."""

    min_share: float
    min_lost: int

    def check(self, resource: str, previous: int, pulled: int) -> None:
        if previous == 0 or self.min_share <= 0:
            return
        if pulled == 0:
            raise ImplausiblePull(
                f"{resource} came back empty where the last good pull had {previous} records;"
                " nothing was promoted, archived or deactivated"
            )
        lost = previous - pulled
        if pulled < previous * self.min_share and lost > self.min_lost:
            raise ImplausiblePull(
                f"{resource} came back with {pulled} records where the last good pull had {previous}"
                f" (below {self.min_share:.0%}); nothing was promoted, archived or deactivated"
            )


async def promote(pool: asyncpg.Pool, domain: str, sync_id: str, pull: SourcePull, guard: ShrinkGuard) -> int:
    """Check the pull against the snapshot, stage it, and promote it in one transaction. Returns its size."""
    latest: dict[str, Any] = {}
    for key, record in pull.records:
        latest[key] = record  # a key seen twice: the last record wins (the planner reports the duplicate)
    async with pool.acquire() as conn, conn.transaction():
        previous = await conn.fetchval(
            "SELECT count(*) FROM source_snapshot WHERE domain = $1 AND resource = $2", domain, pull.resource
        )
        guard.check(pull.resource, previous, len(latest))
        await conn.execute("DELETE FROM source_staging WHERE sync_id = $1 AND resource = $2", sync_id, pull.resource)
        await conn.execute(
            "INSERT INTO source_staging (sync_id, resource, record_key, record)"
            " SELECT $1, $2, k, r FROM unnest($3::text[], $4::jsonb[]) AS u(k, r)",
            sync_id,
            pull.resource,
            list(latest),
            list(latest.values()),
        )
        await conn.execute(
            """
            DELETE FROM source_snapshot AS s WHERE s.domain = $1 AND s.resource = $3 AND NOT EXISTS (
                SELECT 1 FROM source_staging AS t
                WHERE t.sync_id = $2 AND t.resource = $3 AND t.record_key = s.record_key)
            """,
            domain,
            sync_id,
            pull.resource,
        )
        await conn.execute(
            """
            INSERT INTO source_snapshot (domain, resource, record_key, record, sync_id)
            SELECT $1, resource, record_key, record, sync_id FROM source_staging WHERE sync_id = $2 AND resource = $3
            ON CONFLICT (domain, resource, record_key) DO UPDATE
                SET record = EXCLUDED.record, sync_id = EXCLUDED.sync_id, updated_at = now()
                WHERE source_snapshot.record IS DISTINCT FROM EXCLUDED.record
            """,
            domain,
            sync_id,
            pull.resource,
        )
        await conn.execute("DELETE FROM source_staging WHERE sync_id = $1 AND resource = $2", sync_id, pull.resource)
    return len(latest)

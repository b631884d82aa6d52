"""The tenant's source snapshot: what each upstream resource held at its last good pull.

A pull lands in a staging table and is promoted into the snapshot in one transaction (upsert, rows that left
the source removed, duplicate keys collapsed to the last one); only records whose canonical JSON changed are
staged and written, so an unchanged source costs a read of the snapshot's hashes. Before that, the
mass-archive guard compares it with the snapshot: a pull that comes back empty, or far smaller than the last
one, is never promoted and never planned, so an upstream hiccup cannot archive, deactivate or remove anything.
"""

import hashlib
import json
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
    """Check the pull against the snapshot, stage what changed, and promote it in one transaction: changed and
    new records upserted, records that left the source removed. Returns the pull's size (keys seen twice
    count once: the last record wins, the planner reports the duplicate)."""
    canonical: dict[str, str] = {}
    for key, record in pull.records:
        canonical[key] = json.dumps(record, sort_keys=True, separators=(",", ":"), default=str)
    hashes = {key: hashlib.sha1(text.encode()).hexdigest() for key, text in canonical.items()}
    async with pool.acquire() as conn, conn.transaction():
        known = {
            row["record_key"]: row["record_hash"]
            for row in await conn.fetch(
                "SELECT record_key, record_hash FROM source_snapshot WHERE domain = $1 AND resource = $2",
                domain,
                pull.resource,
            )
        }
        guard.check(pull.resource, len(known), len(canonical))
        changed = [key for key, digest in hashes.items() if known.get(key) != digest]
        gone = [key for key in known if key not in hashes]
        await conn.execute("DELETE FROM source_staging WHERE sync_id = $1 AND resource = $2", sync_id, pull.resource)
        await conn.execute(
            "INSERT INTO source_staging (sync_id, resource, record_key, record, record_hash)"
            " SELECT $1, $2, k, r::jsonb, h FROM unnest($3::text[], $4::text[], $5::text[]) AS u(k, r, h)",
            sync_id,
            pull.resource,
            changed,
            [canonical[key] for key in changed],
            [hashes[key] for key in changed],
        )
        await conn.execute(
            """
            INSERT INTO source_snapshot (domain, resource, record_key, record, record_hash, sync_id)
            SELECT $1, resource, record_key, record, record_hash, sync_id FROM source_staging
            WHERE sync_id = $2 AND resource = $3
            ON CONFLICT (domain, resource, record_key) DO UPDATE
                SET record = EXCLUDED.record, record_hash = EXCLUDED.record_hash, sync_id = EXCLUDED.sync_id,
                    updated_at = now()
            """,
            domain,
            sync_id,
            pull.resource,
        )
        await conn.execute(
            "DELETE FROM source_snapshot WHERE domain = $1 AND resource = $2 AND record_key = ANY($3::text[])",
            domain,
            pull.resource,
            gone,
        )
        await conn.execute("DELETE FROM source_staging WHERE sync_id = $1 AND resource = $2", sync_id, pull.resource)
    return len(canonical)


async def load_snapshot(pool: asyncpg.Pool, domain: str, resource: str) -> dict[str, Any]:
    """The records of the last good pull of `resource`, by key (what an incremental source starts from)."""
    rows = await pool.fetch(
        "SELECT record_key, record FROM source_snapshot WHERE domain = $1 AND resource = $2", domain, resource
    )
    return {row["record_key"]: row["record"] for row in rows}

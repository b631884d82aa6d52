"""What we know Shopify holds for the entities we manage (the mirror), as the planners see it.

The *projected* mirror is what Shopify will hold once the jobs still waiting have run: each entity's confirmed
row, overlaid with what the newest unfinished job of that entity will write. Planning against it means a
change reverted at the source before its job ran is planned again (h0 → h1 → h0 leaves h0), and a group of
products whose create is still queued is not created a second time under another name.
"""

from typing import Any

import asyncpg
from pydantic import BaseModel, ConfigDict, Field

from shared.models import UNFINISHED_OUTCOMES, EntityKind, MirrorRow


class MirrorEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    entity_key: str
    shopify_id: str | None = Field(description="None while the job that creates it has not run yet")
    content_hash: str
    status: str | None = None
    skus: tuple[str, ...] = ()
    details: dict[str, Any] = Field(default_factory=dict)
    pending: bool = Field(default=False, description="A job not yet run will leave this entry")


async def load_mirror(pool: asyncpg.Pool, domain: str, kind: EntityKind) -> list[MirrorEntry]:
    """The confirmed mirror: what jobs that succeeded wrote."""
    rows = await pool.fetch(
        "SELECT entity_key, shopify_id, content_hash, status, skus, details FROM shopify_mirror"
        " WHERE domain = $1 AND entity_kind = $2",
        domain,
        kind.value,
    )
    return [
        MirrorEntry(
            entity_key=row["entity_key"],
            shopify_id=row["shopify_id"],
            content_hash=row["content_hash"],
            status=row["status"],
            skus=tuple(row["skus"]),
            details=row["details"],
        )
        for row in rows
    ]


async def load_projected_mirror(pool: asyncpg.Pool, domain: str, kind: EntityKind) -> list[MirrorEntry]:
    """The confirmed mirror overlaid, oldest plan first, with what each unfinished job of the kind will write."""
    projected = {entry.entity_key: entry for entry in await load_mirror(pool, domain, kind)}
    pending = await pool.fetch(
        """
        SELECT payload ->> 'shopify_id' AS shopify_id, payload -> 'writes' AS writes FROM mutation_jobs
        WHERE domain = $1 AND entity_kind = $2 AND outcome = ANY($3::text[]) ORDER BY planned_at, wave
        """,
        domain,
        kind.value,
        list(UNFINISHED_OUTCOMES),
    )
    for row in pending:
        for raw in row["writes"] or []:
            write = MirrorRow.model_validate(raw)
            if write.entity_kind is not kind:
                continue
            before = projected.get(write.entity_key)
            projected[write.entity_key] = MirrorEntry(
                entity_key=write.entity_key,
                shopify_id=write.shopify_id or row["shopify_id"] or (before.shopify_id if before else None),
                content_hash=write.content_hash or (before.content_hash if before else ""),
                status=write.status or (before.status if before else None),
                skus=write.skus if write.skus or before is None else before.skus,
                details={**(before.details if before else {}), **write.details},
                pending=True,
            )
    return list(projected.values())

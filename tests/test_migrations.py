"""The schema is created by whichever process starts first; two starting together apply it once."""

import asyncio
import uuid

import asyncpg

from devtools.infra import Infra, drop_database, ensure_database
from shared.db import apply_migrations, create_pool


async def test_two_processes_starting_together_apply_each_migration_once(infra: Infra) -> None:
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    dsn = ensure_database(infra.database_url, name)
    first, second = await create_pool(dsn, max_size=2), await create_pool(dsn, max_size=2)
    try:
        applied = await asyncio.gather(apply_migrations(first), apply_migrations(second))
        names = sorted(applied[0] + applied[1])
        assert names and len(names) == len(set(names)), applied  # each applied by exactly one of them
        assert await apply_migrations(first) == []  # and again: nothing to do
        connection = await asyncpg.connect(dsn)
        try:
            tables = {row["tablename"] for row in await connection.fetch("SELECT tablename FROM pg_tables")}
        finally:
            await connection.close()
        assert {"syncs", "sync_steps", "mutation_jobs", "shopify_mirror", "schema_migrations"} <= tables
    finally:
        await first.close()
        await second.close()
        await asyncio.to_thread(drop_database, infra.database_url, name)

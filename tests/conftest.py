"""Real Redis and PostgreSQL (configured, or embedded when none answers) and the product as processes."""

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import asyncpg
import pytest
import redis

from devtools.infra import Infra, drop_database, ensure_database, start_infra, with_database
from devtools.stack import Stack
from devtools.stack_client import StackClient, provision_tenant
from tests.outages import RestartableRedis

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    """A fresh database and a flushed Redis database (15) for this test session. Unless TEST_REDIS_URL names
    one, the session runs a redis-server of its own, so two test sessions at once never share queues."""
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    database_url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    database_name = f"commerce_sync_test_{os.getpid()}"
    workdir = REPO / ".run" / f"test-infra-{os.getpid()}"
    started = start_infra(
        redis_url,
        database_url,
        workdir,
        database_name=database_name,
        private_redis="TEST_REDIS_URL" not in os.environ,
    )
    client = redis.Redis.from_url(started.redis_url)
    client.flushdb()
    client.close()
    yield started
    drop_database(with_database(started.database_url, "postgres"), database_name)
    started.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def stack(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Sandbox, producer and one mutator, as real processes on loopback, shared by the session."""
    running = Stack(infra=infra, workdir=tmp_path_factory.mktemp("stack"))
    try:
        running.start_sandbox()
        # A Promidata family that hangs is given up after 2 × 3 s here (30 s × 3 by default).
        running.start_producer(PROMIDATA_TIMEOUT_SECONDS="3", PROMIDATA_MAX_ATTEMPTS="2")
        running.start_mutator()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        yield session


@pytest.fixture(scope="session")
async def client(stack: Stack, http: aiohttp.ClientSession) -> StackClient:
    return StackClient(http, stack.sandbox_url, stack.producer_url, stack.jwt_secret)


@pytest.fixture
async def db(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(infra.database_url)
    yield connection
    await connection.close()


@dataclass
class Merchant:
    domain: str
    shop: str
    shopify_token: str
    api_id: str
    api_key: str


async def make_merchant(client: StackClient, infra: Infra, size: int, seed: int = 1, plan: str = "plus") -> Merchant:
    """A tenant of its own (domain, shop, Unleashed account with a seeded catalogue), so tests don't mix."""
    tag = uuid.uuid4().hex[:8]
    merchant = Merchant(
        domain=f"merchant-{tag}.example",
        shop=f"shop-{tag}.myshopify.com",
        shopify_token=f"shpat_{uuid.uuid4().hex}",
        api_id=str(uuid.uuid4()),
        api_key=uuid.uuid4().hex,
    )
    await client.register_shop(merchant.shop, merchant.shopify_token, plan=plan)
    await client.create_unleashed_account(merchant.api_id, merchant.api_key, size=size, seed=seed)
    await provision_tenant(
        infra.redis_url,
        merchant.domain,
        shop=merchant.shop,
        shopify_token=merchant.shopify_token,
        unleashed_api_id=merchant.api_id,
        unleashed_api_key=merchant.api_key,
    )
    return merchant


def redis_url_with_db(redis_url: str, db: int) -> str:
    base, _, _ = redis_url.rpartition("/")
    return f"{base}/{db}"


@pytest.fixture
def own_database(infra: Infra) -> Iterator[str]:
    """A PostgreSQL database of the test's own: any producer carries on any open sync of its database, so a
    stack of a test's own needs its own database, or the shared stack's producer would take its steps."""
    name = f"commerce_sync_own_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    server = with_database(infra.database_url, "postgres")
    yield ensure_database(server, name)
    drop_database(server, name)


@pytest.fixture
def isolated_stack(infra: Infra, own_database: str, tmp_path: Path) -> Iterator[Stack]:
    """A stack of its own on Redis database 14 (flushed) and a database of its own, so no other process takes
    its jobs or its steps. The test starts the processes it needs (with the settings it wants)."""
    redis_url = redis_url_with_db(infra.redis_url, 14)
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    own = Stack(infra=Infra(redis_url=redis_url, database_url=own_database), workdir=tmp_path)
    try:
        yield own
    finally:
        own.stop()
        for process in own.mutators:
            process.kill()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RestartableRedis]:
    server = RestartableRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()

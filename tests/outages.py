"""Outages the failure tests cause and watch: a Redis of a test's own that can be stopped and started again,
and the /health checks every process must pass while a backend is away and once it is back."""

import asyncio
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

from devtools.infra import free_loopback_port, redis_problem, redis_server_executable
from devtools.processes import ServiceProcess
from devtools.stack import Stack


class RestartableRedis:
    """A redis-server of this test's own, with append-only persistence, that can be stopped and started
    again on the same port and data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_loopback_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            redis_server_executable(), "--bind", "127.0.0.1", "--port", str(self.port), "--appendonly", "yes",
            "--appendfsync", "always", "--dir", str(self.data_dir), "--save", "",
        ]  # fmt: skip
        with (self.data_dir / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while redis_problem(self.url, timeout=0.3) is not None:
            assert time.monotonic() < deadline, "redis did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(15)


async def health_status(http: aiohttp.ClientSession, url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=5)) as response:
            return response.status, time.monotonic() - started
    except aiohttp.ClientError:
        return 0, time.monotonic() - started


def health_urls(stack: Stack) -> list[str]:
    return [f"{stack.producer_url}/health", *(m.health_url for m in stack.mutators if m.health_url)]


async def assert_unhealthy_at_once(http: aiohttp.ClientSession, stack: Stack) -> None:
    """Half a second into an outage, every /health says 503, and says it promptly."""
    await asyncio.sleep(0.5)
    for url in health_urls(stack):
        status, took = await health_status(http, url)
        assert status == 503 and took < 3, (url, status, took)


async def wait_until_healthy_again(http: aiohttp.ClientSession, stack: Stack, within_seconds: float) -> None:
    deadline = time.monotonic() + within_seconds
    for url in health_urls(stack):
        while (await health_status(http, url))[0] != 200:
            assert time.monotonic() < deadline, f"{url} did not come back by itself"
            await asyncio.sleep(0.2)


async def mutator_health(http: aiohttp.ClientSession, mutator: ServiceProcess) -> dict[str, Any]:
    """The mutator's /health body (whatever its status): workers, jobs in flight and finished."""
    assert mutator.health_url is not None
    async with http.get(mutator.health_url, timeout=aiohttp.ClientTimeout(total=5)) as response:
        body: dict[str, Any] = await response.json()
        return body

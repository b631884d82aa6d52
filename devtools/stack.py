"""The whole product on this machine: sandbox, producer and mutators as real processes on loopback.

Used by the integration tests, `make demo` and `make bench`, so all three run the same way.
"""

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from devtools.infra import Infra, free_loopback_port
from devtools.processes import ServiceProcess, start_service, wait_until_healthy

LOOPBACK = "127.0.0.1"


@dataclass
class Stack:
    infra: Infra
    workdir: Path
    jwt_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    sandbox_port: int = field(default_factory=free_loopback_port)
    producer_port: int = field(default_factory=free_loopback_port)
    sandbox: ServiceProcess | None = None
    producer: ServiceProcess | None = None
    mutators: list[ServiceProcess] = field(default_factory=list)

    @property
    def sandbox_url(self) -> str:
        return f"http://{LOOPBACK}:{self.sandbox_port}"

    @property
    def producer_url(self) -> str:
        return f"http://{LOOPBACK}:{self.producer_port}"

    @property
    def log_dir(self) -> Path:
        return self.workdir / "logs"

    def service_env(self, **overrides: str) -> dict[str, str]:
        env = {
            "REDIS_URL": self.infra.redis_url,
            "DATABASE_URL": self.infra.database_url,
            "API_JWT_SECRET": self.jwt_secret,
            "UNLEASHED_API_URL": f"{self.sandbox_url}/unleashed",
            "SHOPIFY_GRAPHQL_URL_TEMPLATE": self.sandbox_url + "/{shop}/admin/api/{version}/graphql.json",
            "PRODUCER_HOST": LOOPBACK,
            "PRODUCER_PORT": str(self.producer_port),
            "MUTATOR_HEALTH_HOST": LOOPBACK,
            # Tests, the demo and the bench poll the API many times a second; the limit has a test of its own.
            "API_RATE_LIMIT_PER_MINUTE": "0",
            # The sandbox's Promidata feeds and images live on loopback; any other private address stays refused.
            "PROMIDATA_ALLOWED_PRIVATE_HOSTS": LOOPBACK,
            # Where the sandbox's Shopify posts webhooks: this stack's producer.
            "WEBHOOK_PUBLIC_URL": self.producer_url,
        }
        env.update(overrides)
        return env

    def start_sandbox(self, **env: str) -> ServiceProcess:
        sandbox_env = {"SANDBOX_HOST": LOOPBACK, "SANDBOX_PORT": str(self.sandbox_port), **env}
        self.sandbox = start_service("sandbox", "sandbox", sandbox_env, self.log_dir)
        wait_until_healthy(self.sandbox, f"{self.sandbox_url}/_sandbox/process")
        return self.sandbox

    def start_producer(self, **env: str) -> ServiceProcess:
        self.producer = start_service("producer", "producer", self.service_env(**env), self.log_dir)
        wait_until_healthy(self.producer, f"{self.producer_url}/health")
        return self.producer

    def start_mutator(self, **env: str) -> ServiceProcess:
        port = free_loopback_port()
        name = f"mutator-{len(self.mutators) + 1}"
        process = start_service(name, "mutator", self.service_env(MUTATOR_HEALTH_PORT=str(port), **env), self.log_dir)
        process.health_url = f"http://{LOOPBACK}:{port}/health"
        wait_until_healthy(process, process.health_url)
        self.mutators.append(process)
        return process

    def stop_mutators(self) -> None:
        for process in self.mutators:
            process.stop()
        self.mutators.clear()

    def stop(self) -> None:
        self.stop_mutators()
        for process in (self.producer, self.sandbox):
            if process is not None:
                process.stop()

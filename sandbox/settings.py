"""Settings of the sandbox process, read from `SANDBOX_*` environment variables."""

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from sandbox.shopify.faults import FaultProfile

PlanName = Literal["standard", "advanced", "plus", "enterprise", "unlimited"]


class SandboxSettings(BaseSettings):
    """Where the sandbox listens, and what a shop gets when its registration names no plan or faults.

    `SANDBOX_FAULTS` is a JSON fault profile (see `sandbox.shopify.faults.FaultProfile`), e.g.
    `{"http_503": 0.02, "applied_then_dropped": 0.03, "seed": 1}`; unset, `{}` or `null` means no faults.
    `SANDBOX_MEDIA_FETCH_TIMEOUT`: seconds the Shopify emulator waits for a media source it downloads.

    Webhooks (see `sandbox.shopify.webhook_sender`): `SANDBOX_WEBHOOK_TIMEOUT` seconds for a 2xx answer;
    `SANDBOX_WEBHOOK_RETRIES` retries of a failed delivery, the first after `SANDBOX_WEBHOOK_RETRY_SECONDS`,
    doubling up to `SANDBOX_WEBHOOK_RETRY_MAX_SECONDS`; a subscription is removed when a delivery gives up
    after `SANDBOX_WEBHOOK_REMOVE_AFTER_FAILURES` consecutive failures (0: never);
    `SANDBOX_WEBHOOK_REFUSE_INTERNAL=true` refuses loopback and private subscription addresses like Shopify;
    `SANDBOX_WEBHOOK_CONCURRENCY` first attempts in flight at once per shop and address (1: strictly in order).
    """

    model_config = SettingsConfigDict(env_prefix="SANDBOX_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8090
    default_plan: PlanName = "plus"
    faults: FaultProfile | None = None
    media_fetch_timeout: float = 10.0
    webhook_timeout: float = Field(default=5.0, gt=0)
    webhook_retries: int = Field(default=8, ge=0)
    webhook_retry_seconds: float = Field(default=1.0, ge=0)
    webhook_retry_max_seconds: float = Field(default=60.0, ge=0)
    webhook_remove_after_failures: int = Field(default=8, ge=0)
    webhook_refuse_internal: bool = False
    webhook_concurrency: int = Field(default=1, ge=1)

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

    Bulk operations (see `sandbox.shopify.bulk_operations`): `SANDBOX_BULK_LINES_PER_SECOND` JSONL lines a bulk
    mutation executes per second (each operation at this rate), `SANDBOX_BULK_QUERY_OBJECTS_PER_SECOND` objects
    a bulk query writes per second, `SANDBOX_BULK_START_DELAY_SECONDS` how long an operation stays `CREATED`,
    `SANDBOX_BULK_CONCURRENCY` operations of one type running at once per shop (API 2026-01+; one before),
    `SANDBOX_BULK_MAX_UPLOAD_BYTES` the largest staged JSONL file, `SANDBOX_BULK_UPLOAD_TTL_SECONDS` how long
    a staged upload target accepts its file, `SANDBOX_BULK_RESULT_TTL_SECONDS` how long result files last.
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
    bulk_lines_per_second: float = Field(default=20.0, gt=0)
    bulk_query_objects_per_second: float = Field(default=1000.0, gt=0)
    bulk_start_delay_seconds: float = Field(default=0.5, ge=0)
    bulk_concurrency: int = Field(default=5, ge=1)
    bulk_max_upload_bytes: int = Field(default=100 * 1024 * 1024, ge=1)
    bulk_upload_ttl_seconds: float = Field(default=24 * 3600.0, gt=0)
    bulk_result_ttl_seconds: float = Field(default=7 * 24 * 3600.0, gt=0)

"""Settings of the sandbox process, read from `SANDBOX_*` environment variables."""

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from sandbox.shopify.faults import FaultProfile

PlanName = Literal["standard", "advanced", "plus", "enterprise", "unlimited"]


class SandboxSettings(BaseSettings):
    """Where the sandbox listens, and what a shop gets when its registration names no plan or faults.

    `SANDBOX_FAULTS` is a JSON fault profile (see `sandbox.shopify.faults.FaultProfile`), e.g.
    `{"http_503": 0.02, "applied_then_dropped": 0.03, "seed": 1}`; unset, `{}` or `null` means no faults.
    `SANDBOX_MEDIA_FETCH_TIMEOUT`: seconds the Shopify emulator waits for a media source it downloads.
    """

    model_config = SettingsConfigDict(env_prefix="SANDBOX_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8090
    default_plan: PlanName = "plus"
    faults: FaultProfile | None = None
    media_fetch_timeout: float = 10.0

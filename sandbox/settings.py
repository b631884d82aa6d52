"""Settings of the sandbox process, read from `SANDBOX_*` environment variables."""

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PlanName = Literal["standard", "advanced", "plus", "enterprise", "unlimited"]


class SandboxSettings(BaseSettings):
    """Where the sandbox listens and which Shopify plan a shop gets when registration names none."""

    model_config = SettingsConfigDict(env_prefix="SANDBOX_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8090
    default_plan: PlanName = "plus"

"""All settings of both services, read from the environment once (pydantic-settings)."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """The variables named in the product brief plus our own tuning knobs, each with a sane default."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    redis_url: str = "redis://127.0.0.1:6379/0"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/commerce_sync"
    api_jwt_secret: SecretStr | None = None
    producer_insecure_no_auth: bool = False
    # Requests per minute and JWT `sub` (0: no limit); more get 429 with Retry-After.
    api_rate_limit_per_minute: int = Field(default=100, ge=0)
    # The largest request body the API reads; a larger one gets 413.
    api_max_body_bytes: int = Field(default=1024**2, ge=1024)
    producer_host: str = "0.0.0.0"
    producer_port: int = 8080
    mutator_health_host: str = "0.0.0.0"
    mutator_health_port: int = 8081
    unleashed_api_url: str = "https://api.unleashedsoftware.com"
    unleashed_page_size: int = Field(default=1000, ge=1, le=1000)
    unleashed_client_type: str = "commercesync/sync"
    # Promidata: family files fetched at once per sync, and the limits on each file.
    promidata_fetch_concurrency: int = Field(default=8, ge=1, le=64)
    promidata_max_file_bytes: int = Field(default=10 * 1024**2, ge=1024)
    promidata_timeout_seconds: float = Field(default=30.0, gt=0)
    promidata_max_attempts: int = Field(default=3, ge=1)
    # Tenant-supplied URLs (feed, families, images) may not point at loopback or private addresses, except at
    # these hosts (comma-separated; the local sandbox's "127.0.0.1").
    promidata_allowed_private_hosts: str = ""
    # The defaults when a tenant does not say: language preference, and price regions tried after the tenant's.
    promidata_languages: str = "en,de,nl,fr"
    promidata_price_regions: str = "EURO,DEU,BENELUX"
    shopify_graphql_url_template: str = "https://{shop}/admin/api/{version}/graphql.json"
    shopify_api_version: str = "2026-10"
    shopify_read_page_size: int = Field(default=250, ge=1, le=250)
    http_timeout_seconds: float = 30.0
    upstream_max_attempts: int = Field(default=5, ge=1)
    # arq: one job is one mutation, but a process runs many jobs at once and polls often.
    mutator_max_jobs: int = Field(default=32, ge=1)
    mutator_poll_delay_seconds: float = Field(default=0.05, gt=0)
    mutator_job_timeout_seconds: int = Field(default=30, ge=10)
    mutator_max_tries: int = Field(default=8, ge=1)
    # Transient failures (429, 5xx, timeouts): exponential backoff with jitter unless Retry-After says more.
    mutator_backoff_base_seconds: float = Field(default=0.5, gt=0)
    mutator_backoff_cap_seconds: float = Field(default=60.0, gt=0)
    mutator_shutdown_grace_seconds: float = Field(default=25.0, gt=0)
    # A mutation whose slot in the shop's budget is further away than this leaves its worker slot.
    pacing_max_wait_seconds: float = Field(default=0.5, ge=0)
    # Unfinished jobs untouched this long are queued again (arq ignores ids it still holds).
    requeue_stranded_after_seconds: float = Field(default=120.0, gt=0)
    requeue_interval_seconds: float = Field(default=30.0, gt=0)
    tenant_cache_seconds: float = Field(default=2.0, ge=0)
    # A producer holds a step it runs under a lease it renews; a dead producer's step is taken over after this.
    pipeline_lease_seconds: float = Field(default=30.0, ge=3)
    # Mass-archive guard: a pull with fewer than this share of the last good pull's records (and more than
    # `..._min_lost` fewer) is refused, never promoted or planned. 0 turns the guard off.
    source_shrink_guard_share: float = Field(default=0.5, ge=0, le=1)
    source_shrink_guard_min_lost: int = Field(default=10, ge=0)
    # Bulk operations: a shop holding at least this many products is read with one bulk query (0: never),
    # given this long to finish before the read falls back to pages.
    bulk_read_min_products: int = Field(default=2_500, ge=0)
    bulk_read_timeout_seconds: float = Field(default=600.0, gt=0)
    # A step planning at least this many productSet changes sends them as bulk operations (0: never), in files
    # of at most this many lines (and in up to five files at once).
    bulk_write_min_changes: int = Field(default=1_000, ge=0)
    bulk_write_lines_per_file: int = Field(default=10_000, ge=1)
    # Webhooks: the public base URL Shopify posts to (`{WEBHOOK_PUBLIC_URL}/webhooks/shopify`), and whether
    # stock changed in the shop is set back to the source's between syncs (off: the shop sells from it).
    webhook_public_url: str | None = None
    webhook_repair_stock: bool = False
    # Scheduled syncs: how often a producer looks for a due `sync_schedule`, and how late a due time may
    # still start (after a producer outage, only the latest due time starts, and only this soon after it).
    schedule_interval_seconds: float = Field(default=5.0, gt=0)
    schedule_grace_seconds: float = Field(default=300.0, gt=0)
    log_level: str = "INFO"

    def promidata_private_hosts(self) -> frozenset[str]:
        return frozenset(host.strip() for host in self.promidata_allowed_private_hosts.split(",") if host.strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

"""`commerce-sync tenants set|show|delete`: the tenant hash `tenant:{domain}`, read and written in Redis directly.

Secrets may come from flags or, to keep them out of the process list, from TENANT_SHOPIFY_ACCESS_TOKEN,
TENANT_UNLEASHED_API_KEY and TENANT_SHOPIFY_WEBHOOK_SECRET. `show` never prints a secret: a Shopify token
shows its public type prefix (`shpat_…(set)`), anything else `[set]`.
"""

import asyncio
import re
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from pydantic import SecretStr, ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError
from rich.text import Text

from shared.cli.errors import EXIT_FAILED, CliProblem, guarded
from shared.cli.render import JsonOption, console, error_console, print_json, tenant_table, typer_app
from shared.settings import get_settings
from shared.tenants import Tenant, TenantNotFound, TenantStore, tenant_key

T = TypeVar("T")
SECRET_ENV = {
    "shopify_access_token": "TENANT_SHOPIFY_ACCESS_TOKEN",
    "unleashed_api_key": "TENANT_UNLEASHED_API_KEY",
    "shopify_webhook_secret": "TENANT_SHOPIFY_WEBHOOK_SECRET",
}
_SHOPIFY_TOKEN_PREFIX = re.compile(r"^(shp[a-z]{2}_)")

tenants_app = typer_app("Tenant hashes (tenant:DOMAIN) in Redis.")
DomainOption = Annotated[
    str, typer.Option("--domain", "-d", metavar="DOMAIN", help="The merchant's domain, as in sync requests.")
]
RedisOption = Annotated[
    str | None, typer.Option("--redis-url", envvar="REDIS_URL", metavar="URL", help="Redis holding the tenant hashes.")
]


def _text(help_text: str) -> Any:
    return typer.Option(help=help_text)


def _secret(name: str, help_text: str) -> Any:
    return typer.Option(envvar=SECRET_ENV[name], help=help_text + " (better from the environment variable)")


def mask(value: SecretStr) -> str:
    """Whether a secret is set, and for a Shopify token which kind (its prefix is public), never the secret."""
    prefix = _SHOPIFY_TOKEN_PREFIX.match(value.get_secret_value())
    return f"{prefix.group(1)}…(set)" if prefix else "[set]"


def masked(tenant: Tenant) -> dict[str, Any]:
    """The tenant as JSON-ready fields, secrets masked, unset fields left out."""
    shown: dict[str, Any] = {}
    for name in Tenant.model_fields:
        value = getattr(tenant, name)
        if value is not None:
            shown[name] = mask(value) if isinstance(value, SecretStr) else value
    return shown


def safe_url(url: str) -> str:
    """A Redis URL fit to print: its password replaced."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def with_store(redis_url: str | None, work: Callable[[Redis, TenantStore], Awaitable[T]]) -> T:
    """Run `work` against Redis (no tenant cache: an operator wants what is there now)."""
    url = redis_url or get_settings().redis_url

    async def run() -> T:
        redis = Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10)
        try:
            return await work(redis, TenantStore(redis, cache_seconds=0))
        finally:
            await redis.aclose()

    try:
        return asyncio.run(run())
    except RedisError as exc:
        raise CliProblem(f"cannot reach Redis at {safe_url(url)}: {exc}", code="redis_unreachable") from None


@tenants_app.command("set")
@guarded
def set_tenant(
    domain: DomainOption,
    shopify_shop: Annotated[str | None, _text("The shop, name.myshopify.com.")] = None,
    shopify_access_token: Annotated[str | None, _secret("shopify_access_token", "Admin API token")] = None,
    shopify_api_version: Annotated[str | None, _text("Overrides SHOPIFY_API_VERSION for this shop.")] = None,
    unleashed_api_id: Annotated[str | None, _text("Unleashed API id.")] = None,
    unleashed_api_key: Annotated[str | None, _secret("unleashed_api_key", "Unleashed API key")] = None,
    promidata_import_url: Annotated[str | None, _text("Promidata Import.txt URL.")] = None,
    promidata_languages: Annotated[str | None, _text("Promidata languages in preference order, e.g. en,de.")] = None,
    promidata_price_country: Annotated[str | None, _text("Promidata price country, e.g. NL.")] = None,
    shopify_webhook_secret: Annotated[str | None, _secret("shopify_webhook_secret", "Webhook HMAC secret")] = None,
    sync_schedule: Annotated[str | None, _text("Cron expression (UTC) for the comprehensive sync.")] = None,
    redis_url: RedisOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create or replace a tenant hash (fields not given are left out of it)."""
    values = {
        "shopify_shop": shopify_shop,
        "shopify_access_token": shopify_access_token,
        "shopify_api_version": shopify_api_version,
        "unleashed_api_id": unleashed_api_id,
        "unleashed_api_key": unleashed_api_key,
        "promidata_import_url": promidata_import_url,
        "promidata_languages": promidata_languages,
        "promidata_price_country": promidata_price_country,
        "shopify_webhook_secret": shopify_webhook_secret,
        "sync_schedule": sync_schedule,
    }
    try:
        tenant = Tenant.model_validate({"domain": domain, **{k: v for k, v in values.items() if v}})
    except ValidationError as exc:
        raise CliProblem(f"not a valid tenant: {exc}", code="invalid_tenant") from None

    async def put(_redis: Redis, store: TenantStore) -> None:
        await store.put(tenant)

    with_store(redis_url, put)
    if not tenant.has_shopify_credentials:
        error_console().print("warning: no shopify_shop/shopify_access_token; syncs for it will fail")
    if as_json:
        print_json(masked(tenant))
    else:
        console().print(Text(f"wrote {tenant_key(domain)}"))


@tenants_app.command("show")
@guarded
def show_tenant(domain: DomainOption, redis_url: RedisOption = None, as_json: JsonOption = False) -> None:
    """A tenant hash with its secrets masked; exit 1 when there is none."""

    async def get(_redis: Redis, store: TenantStore) -> Tenant:
        return await store.get(domain, fresh=True)

    try:
        tenant = with_store(redis_url, get)
    except TenantNotFound as exc:
        raise CliProblem(str(exc), code="unknown_tenant", exit_code=EXIT_FAILED) from None
    if as_json:
        print_json(masked(tenant))
    else:
        console().print(tenant_table(masked(tenant)))


@tenants_app.command("delete")
@guarded
def delete_tenant(domain: DomainOption, redis_url: RedisOption = None, as_json: JsonOption = False) -> None:
    """Remove a tenant hash (its syncs' jobs then end as missing_credentials)."""

    async def delete(redis: Redis, _store: TenantStore) -> int:
        return int(await redis.delete(tenant_key(domain)))

    removed = bool(with_store(redis_url, delete))
    if as_json:
        print_json({"key": tenant_key(domain), "deleted": removed})
    else:
        console().print(Text(f"deleted {tenant_key(domain)}" if removed else f"no {tenant_key(domain)}"))

"""The tenant store: one Redis hash per merchant, key `tenant:{domain}`, as the product brief defines it."""

import time
from dataclasses import dataclass

from pydantic import BaseModel, SecretStr
from redis.asyncio import Redis


def tenant_key(domain: str) -> str:
    return f"tenant:{domain}"


class Tenant(BaseModel):
    domain: str
    shopify_shop: str | None = None
    shopify_access_token: SecretStr | None = None
    shopify_api_version: str | None = None
    unleashed_api_id: str | None = None
    unleashed_api_key: SecretStr | None = None
    promidata_import_url: str | None = None
    promidata_languages: str | None = None  # preference order, e.g. "en,de"
    promidata_price_country: str | None = None  # e.g. "NL"
    shopify_webhook_secret: SecretStr | None = None
    sync_schedule: str | None = None  # a cron expression in UTC: when the comprehensive sync starts by itself

    @property
    def has_shopify_credentials(self) -> bool:
        return bool(self.shopify_shop and self.shopify_access_token)


class TenantNotFound(LookupError):
    def __init__(self, domain: str) -> None:
        super().__init__(f"no tenant hash {tenant_key(domain)!r} in Redis")
        self.domain = domain


class MissingCredentials(LookupError):
    def __init__(self, domain: str, what: str) -> None:
        super().__init__(f"tenant {domain!r} has no {what} credentials in {tenant_key(domain)!r}")
        self.domain = domain


_FIELDS = tuple(name for name in Tenant.model_fields if name != "domain")


@dataclass
class _Cached:
    tenant: Tenant
    read_at: float


class TenantStore:
    """Reads and writes tenant hashes. Reads are cached briefly so a changed token applies within seconds."""

    def __init__(self, redis: Redis, cache_seconds: float = 2.0) -> None:
        self._redis = redis
        self._cache_seconds = cache_seconds
        self._cache: dict[str, _Cached] = {}
        self._by_shop: dict[str, str] = {}

    async def get(self, domain: str, *, fresh: bool = False) -> Tenant:
        cached = self._cache.get(domain)
        now = time.monotonic()
        if cached and not fresh and now - cached.read_at < self._cache_seconds:
            return cached.tenant
        raw = await self._redis.hgetall(tenant_key(domain))  # type: ignore[misc]
        if not raw:
            self._cache.pop(domain, None)
            raise TenantNotFound(domain)
        fields = {_decode(k): _decode(v) for k, v in raw.items()}
        tenant = Tenant.model_validate({"domain": domain, **{k: v for k, v in fields.items() if k in _FIELDS and v}})
        self._cache[domain] = _Cached(tenant, now)
        return tenant

    async def exists(self, domain: str) -> bool:
        return bool(await self._redis.exists(tenant_key(domain)))

    async def domains(self) -> list[str]:
        """Every tenant's domain (a SCAN over `tenant:*`; operators may write hashes by hand, so no index)."""
        found = [_decode(key).removeprefix("tenant:") async for key in self._redis.scan_iter("tenant:*", count=500)]
        return sorted(found)

    async def find_by_shop(self, shop: str) -> Tenant | None:
        """The tenant whose `shopify_shop` is `shop` (webhooks name the shop, not the tenant)."""
        remembered = self._by_shop.get(shop)
        if remembered is not None:
            try:
                tenant = await self.get(remembered)
                if tenant.shopify_shop == shop:
                    return tenant
            except TenantNotFound:
                pass
        for domain in await self.domains():
            value = await self._redis.hget(tenant_key(domain), "shopify_shop")  # type: ignore[misc]
            if value is not None and _decode(value) == shop:
                self._by_shop[shop] = domain
                return await self.get(domain)
        return None

    async def put(self, tenant: Tenant) -> None:
        mapping: dict[str, str] = {}
        for name in _FIELDS:
            value = getattr(tenant, name)
            if value is None:
                continue
            mapping[name] = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        key = tenant_key(tenant.domain)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=mapping)
            await pipe.execute()
        self._cache.pop(tenant.domain, None)


def _decode(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value

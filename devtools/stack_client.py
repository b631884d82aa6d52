"""Drives a running stack over HTTP the way an operator would: sandbox admin, producer API, tenant hash."""

import asyncio
import time
from typing import Any

import aiohttp
from pydantic import SecretStr
from redis.asyncio import Redis

from producer.auth import issue_token
from shared.tenants import Tenant, TenantStore

TERMINAL_STATES = ("completed", "failed")


class StackClient:
    def __init__(self, session: aiohttp.ClientSession, sandbox_url: str, producer_url: str, jwt_secret: str) -> None:
        self.session = session
        self.sandbox_url = sandbox_url
        self.producer_url = producer_url
        self.jwt_secret = jwt_secret

    def token(self, domains: list[str], subject: str = "tests") -> str:
        return issue_token(self.jwt_secret, subject, domains)

    async def _json(self, method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
        async with self.session.request(method, url, **kwargs) as response:
            return response.status, await response.json(content_type=None)

    # --- sandbox -------------------------------------------------------------------------------------
    async def register_shop(self, shop: str, token: str, plan: str = "plus", write_access: bool = True) -> None:
        body = {"shop": shop, "access_token": token, "plan": plan, "write_access": write_access}
        status, answer = await self._json("POST", f"{self.sandbox_url}/_sandbox/shops", json=body)
        assert status in (200, 201), answer

    async def create_unleashed_account(self, api_id: str, api_key: str, size: int, seed: int = 1) -> None:
        body = {"api_id": api_id, "api_key": api_key, "seed": seed, "size": size}
        status, answer = await self._json("POST", f"{self.sandbox_url}/_sandbox/unleashed/accounts", json=body)
        assert status in (200, 201), answer

    async def unleashed_records(self, api_id: str, collection: str) -> list[dict[str, Any]]:
        """The account's raw `products`, `warehouses`, `customers` or `stock` rows."""
        url = f"{self.sandbox_url}/_sandbox/unleashed/accounts/{api_id}/{collection}"
        status, answer = await self._json("GET", url)
        assert status == 200, answer
        records: list[dict[str, Any]] = answer[collection]
        return records

    async def unleashed_products(self, api_id: str) -> list[dict[str, Any]]:
        return await self.unleashed_records(api_id, "products")

    async def put_unleashed_record(self, api_id: str, collection: str, code: str, record: dict[str, Any]) -> None:
        """Plant or change one raw record (`products`, `warehouses`, `customers`; `stock` takes `SKU/WH`)."""
        url = f"{self.sandbox_url}/_sandbox/unleashed/accounts/{api_id}/{collection}/{code}"
        status, answer = await self._json("PUT", url, json=record)
        assert status in (200, 201), answer

    async def delete_unleashed_record(self, api_id: str, collection: str, code: str) -> None:
        url = f"{self.sandbox_url}/_sandbox/unleashed/accounts/{api_id}/{collection}/{code}"
        async with self.session.delete(url) as response:
            assert response.status in (204, 404), await response.text()

    async def put_unleashed_product(self, api_id: str, code: str, record: dict[str, Any]) -> None:
        await self.put_unleashed_record(api_id, "products", code, record)

    async def replace_unleashed_products(self, api_id: str, records: list[dict[str, Any]]) -> None:
        """The account's catalogue becomes exactly these records."""
        for existing in await self.unleashed_products(api_id):
            await self.delete_unleashed_record(api_id, "products", existing["ProductCode"])
        for record in records:
            await self.put_unleashed_product(api_id, record["ProductCode"], record)

    async def shop_records(self, shop: str, collection: str) -> list[dict[str, Any]]:
        """What the emulated shop holds: `products`, `locations`, `customers` or `inventory`."""
        status, answer = await self._json("GET", f"{self.sandbox_url}/_sandbox/shops/{shop}/{collection}")
        assert status == 200, answer
        records: list[dict[str, Any]] = answer[collection]
        return records

    async def shop_graphql(self, shop: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """A GraphQL request to the emulated shop as the merchant's own admin would make it."""
        url = f"{self.sandbox_url}/{shop}/admin/api/2026-10/graphql.json"
        status, answer = await self._json(
            "POST", url, json={"query": query, "variables": variables}, headers={"X-Shopify-Access-Token": token}
        )
        assert status == 200 and not answer.get("errors"), answer
        data: dict[str, Any] = answer["data"]
        return data

    async def shop_products(self, shop: str) -> list[dict[str, Any]]:
        return await self.shop_records(shop, "products")

    async def shop_stats(self, shop: str) -> dict[str, Any]:
        status, answer = await self._json("GET", f"{self.sandbox_url}/_sandbox/shops/{shop}/stats")
        assert status == 200, answer
        stats: dict[str, Any] = answer
        return stats

    # --- producer ------------------------------------------------------------------------------------
    async def promidata(self, method: str, path: str, **kwargs: Any) -> Any:
        """The sandbox's Promidata admin (`/_sandbox/promidata/feeds...`); raises unless it answered 2xx."""
        status, body = await self._json(method, f"{self.sandbox_url}/_sandbox/promidata/feeds{path}", **kwargs)
        if status >= 300:
            raise AssertionError(f"sandbox Promidata {method} {path}: HTTP {status} {body}")
        return body

    async def start_sync(self, domain: str, route: str = "sync-products", dry_run: bool = False) -> str:
        status, answer = await self.call(
            "POST", f"/api/v2/{route}", [domain], json={"domain": domain, "dry_run": dry_run}
        )
        assert status == 202, answer
        sync_id: str = answer["syncId"]
        return sync_id

    async def call(self, method: str, path: str, domains: list[str] | None = None, **kwargs: Any) -> tuple[int, Any]:
        headers = dict(kwargs.pop("headers", {}))
        if domains is not None:
            headers["Authorization"] = f"Bearer {self.token(domains)}"
        return await self._json(method, f"{self.producer_url}{path}", headers=headers, **kwargs)

    async def sync_status(self, sync_id: str, domains: list[str] | None = None) -> dict[str, Any]:
        status, answer = await self.call("GET", f"/api/v2/syncs/{sync_id}", domains or ["*"])
        assert status == 200, answer
        result: dict[str, Any] = answer
        return result

    async def wait_for_sync(self, sync_id: str, within_seconds: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + within_seconds
        while True:
            status = await self.sync_status(sync_id)
            if status["state"] in TERMINAL_STATES:
                return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"sync {sync_id} still {status['state']} after {within_seconds}s")
            await asyncio.sleep(0.2)


async def provision_tenant(
    redis_url: str,
    domain: str,
    *,
    shop: str,
    shopify_token: str,
    unleashed_api_id: str | None = None,
    unleashed_api_key: str | None = None,
    **optional: str,
) -> None:
    """Write the tenant hash; `optional` sets any other field of it (`promidata_import_url`, ...)."""
    redis = Redis.from_url(redis_url)
    try:
        await TenantStore(redis).put(
            Tenant(
                domain=domain,
                shopify_shop=shop,
                shopify_access_token=SecretStr(shopify_token),
                unleashed_api_id=unleashed_api_id,
                unleashed_api_key=SecretStr(unleashed_api_key) if unleashed_api_key else None,
                **optional,  # type: ignore[arg-type]
            )
        )
    finally:
        await redis.aclose()

"""Reads what a shop holds, page by page, paced by the cost Shopify reports and retried when it throttles."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from shared.logs import get_logger
from shared.shopify_client import GraphQLResult, ShopifyGraphQLClient, ShopifyTransientError, seconds_until_affordable
from shared.tenants import Tenant

log = get_logger(__name__)


async def query_with_retries(
    client: ShopifyGraphQLClient, tenant: Tenant, document: str, variables: dict[str, Any], *, max_attempts: int = 8
) -> GraphQLResult:
    """One query; THROTTLED, 429, 5xx and dropped connections are waited out (Shopify's own figures first)."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return await client.execute(tenant, document, variables)
        except ShopifyTransientError as exc:
            if attempt >= max_attempts:
                raise
            delay = exc.retry_after if exc.retry_after is not None else min(2.0**attempt, 30.0)
            log.info("shopify read retry", reason=str(exc), delay=round(delay, 2))
            await asyncio.sleep(delay)


async def read_pages(
    client: ShopifyGraphQLClient,
    tenant: Tenant,
    document: str,
    variables: dict[str, Any],
    *,
    connection: str,
    page_cost: float,
) -> AsyncIterator[list[dict[str, Any]]]:
    """The nodes of `data[connection]`, one page at a time, waiting before each page until it is affordable."""
    after: str | None = None
    while True:
        result = await query_with_retries(client, tenant, document, {**variables, "after": after})
        page = result.data[connection]
        yield page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]
        if result.throttle is not None:
            wait = seconds_until_affordable(page_cost, result.throttle)
            if wait > 0:
                await asyncio.sleep(wait)

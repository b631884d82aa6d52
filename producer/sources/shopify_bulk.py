"""Reading a whole shop with one bulk query: start it, poll it, download its JSONL and read it line by line.

A bulk query has no cost ceiling and barely touches the shop's bucket, where paging a large shop would drain
it before the first write. Anything that goes wrong (refused, failed, expired, too slow, a file that cannot
be read) is `BulkReadFailed`, and the caller reads page by page instead.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from producer.sources.shopify import query_with_retries
from shared.logs import get_logger
from shared.shopify_client import ShopifyError, ShopifyGraphQLClient
from shared.shopify_documents import ALL_DOCUMENTS
from shared.tenants import Tenant

log = get_logger(__name__)

TERMINAL = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}


class BulkReadFailed(Exception):
    """The bulk read did not give a file to read; the message says why (the caller pages instead)."""


async def product_count(client: ShopifyGraphQLClient, tenant: Tenant) -> int:
    result = await query_with_retries(client, tenant, ALL_DOCUMENTS["ProductsCount"], {})
    return int((result.data.get("productsCount") or {}).get("count") or 0)


async def bulk_read(
    client: ShopifyGraphQLClient,
    http: aiohttp.ClientSession,
    tenant: Tenant,
    query: str,
    *,
    timeout_seconds: float,
    poll_seconds: float = 1.0,
) -> AsyncIterator[dict[str, Any]]:
    """Every object of the bulk query's JSONL, in file order."""
    url = await _completed_file(client, tenant, query, timeout_seconds, poll_seconds)
    if url is None:
        return
    try:
        async with http.get(url) as response:
            if response.status != 200:
                raise BulkReadFailed(f"the bulk result file answered HTTP {response.status}")
            async for raw in response.content:
                line = raw.strip()
                if line:
                    yield json.loads(line)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise BulkReadFailed(f"the bulk result file could not be read ({type(exc).__name__})") from None


async def _completed_file(
    client: ShopifyGraphQLClient, tenant: Tenant, query: str, timeout_seconds: float, poll_seconds: float
) -> str | None:
    """The URL of the finished operation's file (None: it found nothing), or BulkReadFailed."""
    try:
        started = await query_with_retries(client, tenant, ALL_DOCUMENTS["BulkOperationRunQuery"], {"query": query})
        payload = started.data.get("bulkOperationRunQuery") or {}
        errors = payload.get("userErrors") or []
        if errors or not payload.get("bulkOperation"):
            detail = "; ".join(f"{e.get('code')}: {e.get('message')}" for e in errors) or "no operation"
            raise BulkReadFailed(f"Shopify refused the bulk query ({detail})")
        operation_id = payload["bulkOperation"]["id"]
        deadline = time.monotonic() + timeout_seconds
        polls = 0
        while True:
            answer = await query_with_retries(client, tenant, ALL_DOCUMENTS["BulkOperation"], {"id": operation_id})
            operation = answer.data.get("bulkOperation") or {}
            status = operation.get("status")
            if status == "COMPLETED":
                log.info("bulk read completed", objects=operation.get("objectCount"), polls=polls)
                url: str | None = operation.get("url")
                return url
            if status in TERMINAL:
                raise BulkReadFailed(f"the bulk query ended {status} ({operation.get('errorCode') or 'no error code'})")
            if time.monotonic() > deadline:
                raise BulkReadFailed(f"the bulk query was still {status} after {timeout_seconds:.0f} s")
            polls += 1
            # Shopify's own CLI polls every second at first, then every five.
            await asyncio.sleep(poll_seconds if polls < 10 else poll_seconds * 5)
    except ShopifyError as exc:
        raise BulkReadFailed(f"the bulk query failed: {exc}") from None

"""Reads what a shop holds (cursor pages, paced by the cost Shopify reports) for the planner."""

import asyncio
from collections import defaultdict

from producer.planning.product_plan import ShopifyProduct
from shared.logs import get_logger
from shared.shopify_client import (
    ShopifyGraphQLClient,
    ShopifyTransientError,
    seconds_until_affordable,
)
from shared.shopify_documents import PRODUCT_VARIANTS_PAGE
from shared.tenants import Tenant

log = get_logger(__name__)


async def read_shopify_products(
    client: ShopifyGraphQLClient, tenant: Tenant, *, page_size: int = 250, max_attempts: int = 8
) -> list[ShopifyProduct]:
    """Every product of the shop with the SKUs of its variants."""
    skus: dict[str, list[str]] = defaultdict(list)
    products: dict[str, tuple[str, tuple[str, ...]]] = {}
    after: str | None = None
    # A page costs about 2 + page_size × 2 points; wait for that much before asking.
    page_cost = 2 + page_size * 2
    while True:
        attempt = 0
        while True:
            attempt += 1
            try:
                result = await client.execute(tenant, PRODUCT_VARIANTS_PAGE, {"first": page_size, "after": after})
                break
            except ShopifyTransientError as exc:
                if attempt >= max_attempts:
                    raise
                delay = exc.retry_after if exc.retry_after is not None else min(2.0**attempt, 30.0)
                log.info("shopify read retry", reason=str(exc), delay=round(delay, 2))
                await asyncio.sleep(delay)
        connection = result.data["productVariants"]
        for node in connection["nodes"]:
            product = node["product"]
            products[product["id"]] = (product["status"], tuple(product.get("tags") or ()))
            if node.get("sku"):
                skus[product["id"]].append(node["sku"])
        page_info = connection["pageInfo"]
        if not page_info["hasNextPage"]:
            break
        after = page_info["endCursor"]
        if result.throttle is not None:
            wait = seconds_until_affordable(page_cost, result.throttle)
            if wait > 0:
                await asyncio.sleep(wait)
    return [
        ShopifyProduct(id=product_id, status=status, tags=tags, skus=tuple(skus[product_id]))
        for product_id, (status, tags) in products.items()
    ]

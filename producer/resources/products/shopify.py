"""What a shop holds of products: every product with the SKUs of its variants, read page by page, or with one
bulk query when the shop holds at least `BULK_READ_MIN_PRODUCTS` products (a bulk read that fails falls
back to pages, and the step's notes say so)."""

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from producer.pipeline.step import StepContext
from producer.resources.products.plan import ShopifyProduct
from producer.sources.shopify import read_pages
from producer.sources.shopify_bulk import BulkReadFailed, bulk_read, product_count
from shared.logs import get_logger
from shared.shopify_documents import ALL_DOCUMENTS, PRODUCT_VARIANTS_PAGE
from shared.tenants import Tenant

log = get_logger(__name__)


@dataclass
class ShopProducts:
    products: list[ShopifyProduct]
    read: str  # "pages" or "bulk"
    notes: list[str] = field(default_factory=list)


async def read_shopify_products(ctx: StepContext, tenant: Tenant) -> ShopProducts:
    settings = ctx.settings
    notes: list[str] = []
    if settings.bulk_read_min_products > 0:
        count = await product_count(ctx.shopify, tenant)
        if count >= settings.bulk_read_min_products:
            try:
                lines = bulk_read(
                    ctx.shopify, ctx.http, tenant, ALL_DOCUMENTS["ProductVariantsExport"],
                    timeout_seconds=settings.bulk_read_timeout_seconds,
                )  # fmt: skip
                return ShopProducts(await _collect_lines(lines), "bulk")
            except BulkReadFailed as failed:
                log.warning("bulk read failed; reading page by page", reason=str(failed))
                notes.append(f"the shop's {count} products were read page by page: {failed}")
    page_size = settings.shopify_read_page_size
    # A page costs about 2 + page_size × 2 points.
    pages = read_pages(
        ctx.shopify, tenant, PRODUCT_VARIANTS_PAGE, {"first": page_size}, connection="productVariants",
        page_cost=2 + page_size * 2,
    )  # fmt: skip
    found: list[dict[str, Any]] = []
    async for nodes in pages:
        found += nodes
    return ShopProducts(_products(found), "pages", notes)


async def _collect_lines(lines: AsyncIterator[dict[str, Any]]) -> list[ShopifyProduct]:
    return _products([line async for line in lines])


def _products(variants: Iterable[dict[str, Any]]) -> list[ShopifyProduct]:
    """Variant nodes (each with its product) → products with their SKUs."""
    skus: dict[str, list[str]] = defaultdict(list)
    products: dict[str, tuple[str, tuple[str, ...]]] = {}
    for node in variants:
        product = node["product"]
        products[product["id"]] = (product["status"], tuple(product.get("tags") or ()))
        if node.get("sku"):
            skus[product["id"]].append(node["sku"])
    return [
        ShopifyProduct(id=product_id, status=status, tags=tags, skus=tuple(skus[product_id]))
        for product_id, (status, tags) in products.items()
    ]

"""What a shop holds of products: every product with the SKUs of its variants."""

from collections import defaultdict

from producer.resources.products.plan import ShopifyProduct
from producer.sources.shopify import read_pages
from shared.shopify_client import ShopifyGraphQLClient
from shared.shopify_documents import PRODUCT_VARIANTS_PAGE
from shared.tenants import Tenant


async def read_shopify_products(
    client: ShopifyGraphQLClient, tenant: Tenant, *, page_size: int = 250
) -> list[ShopifyProduct]:
    skus: dict[str, list[str]] = defaultdict(list)
    products: dict[str, tuple[str, tuple[str, ...]]] = {}
    # A page costs about 2 + page_size × 2 points.
    pages = read_pages(
        client,
        tenant,
        PRODUCT_VARIANTS_PAGE,
        {"first": page_size},
        connection="productVariants",
        page_cost=2 + page_size * 2,
    )
    async for nodes in pages:
        for node in nodes:
            product = node["product"]
            products[product["id"]] = (product["status"], tuple(product.get("tags") or ()))
            if node.get("sku"):
                skus[product["id"]].append(node["sku"])
    return [
        ShopifyProduct(id=product_id, status=status, tags=tags, skus=tuple(skus[product_id]))
        for product_id, (status, tags) in products.items()
    ]

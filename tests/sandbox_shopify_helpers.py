"""Shared pieces of the Shopify emulator tests: an in-process sandbox client and request helpers."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sandbox.app import create_sandbox_app
from sandbox.settings import SandboxSettings
from shared.shopify_documents import PRODUCT_SET

Client = TestClient[web.Request, web.Application]
SHOP = "demo.myshopify.com"
TOKEN = "shpat_sandbox_token"
ENDPOINT = f"/{SHOP}/admin/api/2026-10/graphql.json"

EXPENSIVE_QUERY = """
query Expensive { productVariants(first: 250) { nodes { id product { variants(first: 10) { nodes { id } } } } } }
"""

# A SKU search, as a client would send it, to look into the shop.
FIND_PRODUCTS_BY_SKU = """
query FindProductsBySku($query: String!, $first: Int!) {
  productVariants(first: $first, query: $query) {
    nodes {
      sku
      product {
        id
        status
      }
    }
  }
}
"""


@contextlib.asynccontextmanager
async def sandbox_client() -> AsyncIterator[Client]:
    """An in-process sandbox with the shop SHOP registered."""
    async with TestClient(TestServer(create_sandbox_app(SandboxSettings()))) as test_client:
        response = await test_client.post("/_sandbox/shops", json={"shop": SHOP, "access_token": TOKEN})
        assert response.status == 201
        yield test_client


async def gql(client: Client, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await client.post(
        ENDPOINT, json={"query": query, "variables": variables or {}}, headers={"X-Shopify-Access-Token": TOKEN}
    )
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


def apparel_input(title: str = "Trail Hoodie", sizes: tuple[str, ...] = ("S", "M")) -> dict[str, Any]:
    return {
        "title": title,
        "vendor": "Ridgeline",
        "productType": "Apparel",
        "tags": ["unleashed-sync"],
        "productOptions": [{"name": "Size", "values": [{"name": size} for size in sizes]}],
        "variants": [
            {
                "optionValues": [{"optionName": "Size", "name": size}],
                "sku": f"HOOD-{size}",
                "price": "49.95",
                "barcode": "9400000000017",
                "inventoryItem": {"measurement": {"weight": {"value": 450.0, "unit": "GRAMS"}}},
                "metafields": [
                    {"namespace": "unleashed", "key": "sell_price_tier_1", "type": "number_decimal", "value": "45.0000"}
                ],
            }
            for size in sizes
        ],
    }


async def product_set(
    client: Client, product_input: dict[str, Any], identifier: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await gql(client, PRODUCT_SET, {"input": product_input, "identifier": identifier})
    result: dict[str, Any] = body["data"]["productSet"]
    return result


async def inspected_products(client: Client) -> list[dict[str, Any]]:
    products: list[dict[str, Any]] = (await (await client.get(f"/_sandbox/shops/{SHOP}/products")).json())["products"]
    return products

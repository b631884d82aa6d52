"""Bulk queries in the emulated Shopify: the whole shop without cost limits, as JSONL with `__parentId`."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from shared.shopify_documents import ALL_DOCUMENTS
from tests.sandbox_shopify_helpers import Client, apparel_input, gql, product_set
from tests.test_sandbox_bulk_helpers import bulk_client, download, run_query, wait_until

PRODUCTS_WITH_VARIANTS = """
{
  products(query: "vendor:Ridgeline") {
    edges {
      node {
        id
        title
        handle
        variants {
          edges { node { id sku selectedOptions { name value } inventoryItem { id } } }
        }
      }
    }
  }
}
"""


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with bulk_client(bulk_query_objects_per_second=5000.0) as test_client:
        for number in range(30):
            sizes = ("S", "M", "L") if number % 2 else ("S",)
            created = await product_set(client=test_client, product_input=_product(number, sizes))
            assert created["userErrors"] == []
        other = await product_set(test_client, {"title": "Someone else's", "vendor": "Other"})
        assert other["userErrors"] == []
        yield test_client


def _product(number: int, sizes: tuple[str, ...]) -> dict[str, Any]:
    product = apparel_input(f"Hoodie {number}", sizes)
    for variant in product["variants"]:
        variant["sku"] = f"H{number}-{variant['sku']}"
    return product


async def _completed_lines(client: Client, query: str, group_objects: bool = False) -> tuple[dict[str, Any], list[Any]]:
    started = await run_query(client, query, group_objects)
    assert started["userErrors"] == [], started
    operation = await wait_until(client, started["bulkOperation"]["id"])
    assert operation["status"] == "COMPLETED", operation
    return operation, await download(client, operation["url"])


@pytest.mark.parametrize("group_objects", [False, True])
async def test_products_with_variants_as_jsonl(client: Client, group_objects: bool) -> None:
    operation, lines = await _completed_lines(client, PRODUCTS_WITH_VARIANTS, group_objects)
    products = [line for line in lines if "__parentId" not in line]
    variants = [line for line in lines if "__parentId" in line]
    assert len(products) == 30 and len(variants) == 15 * 3 + 15
    assert operation["rootObjectCount"] == "30" and operation["objectCount"] == str(len(lines))
    assert int(operation["fileSize"]) > 0 and operation["type"] == "QUERY"
    assert set(products[0]) == {"id", "title", "handle"}  # no edges, no nested connection in the line
    assert set(variants[0]) == {"id", "sku", "selectedOptions", "inventoryItem", "__parentId"}
    assert variants[0]["inventoryItem"]["id"].startswith("gid://shopify/InventoryItem/")
    product_ids = {product["id"] for product in products}
    by_parent: dict[str, list[str]] = {}
    for variant in variants:
        assert variant["__parentId"] in product_ids
        by_parent.setdefault(variant["__parentId"], []).append(variant["sku"])
    for product in products:
        number = int(product["title"].split()[-1])
        sizes = ("S", "M", "L") if number % 2 else ("S",)
        assert sorted(by_parent[product["id"]]) == sorted(f"H{number}-HOOD-{size}" for size in sizes)
    positions = {line["id"]: index for index, line in enumerate(lines)}
    assert all(positions[v["__parentId"]] < positions[v["id"]] for v in variants)  # parents come first
    if group_objects:
        # Each product's variants follow it directly.
        parent = None
        for line in lines:
            parent = line["id"] if "__parentId" not in line else parent
            assert line.get("__parentId", parent) == parent
    else:
        assert "__parentId" not in lines[29] and "__parentId" in lines[30]  # every product, then the variants


async def test_variants_export_document_one_line_per_variant(client: Client) -> None:
    operation, lines = await _completed_lines(client, ALL_DOCUMENTS["ProductVariantsExport"])
    assert len(lines) == 15 * 3 + 15 + 1 and operation["rootObjectCount"] == str(len(lines))
    assert {"id", "sku", "product"} == set(lines[0]) and set(lines[0]["product"]) == {"id", "handle", "status", "tags"}


async def test_the_query_runs_without_cost_limits(client: Client) -> None:
    # As a normal request this asks for far more than 1000 points; a bulk query ignores first/last.
    expensive = "{ productVariants(first: 250) { nodes { id product { variants(first: 250) { nodes { id } } } } } }"
    body = await gql(client, expensive)
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    operation, lines = await _completed_lines(client, expensive)
    roots = [line for line in lines if "__parentId" not in line]
    assert len(roots) == 61 and operation["rootObjectCount"] == "61"
    # The nested variants hang from the nearest node, the variant (`product` is an object inside its line).
    siblings = [line for line in lines if "__parentId" in line]
    assert len(siblings) == 15 * 3 * 3 + 15 + 1
    assert set(roots[0]) == {"id", "product"} and roots[0]["product"] == {}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ shop { name } }", "at least one connection"),
        ("{ products { edges { node { id } } } locations { nodes { id } } }", "exactly one top-level field"),
        (
            "{ products { nodes { id variants { nodes { id metafields { nodes { id } } } } } } }",
            "more than 2 levels",
        ),
        (
            "{ products { nodes { title variants { nodes { id } } } } }",
            "The parent 'node' field for a nested connection must select the 'id' field without an alias",
        ),
        (
            "{ products { nodes { id options { optionValues { id } } a: variants { nodes { id } } "
            "b: variants { nodes { id } } c: variants { nodes { id } } d: variants { nodes { id } } "
            "e: variants { nodes { id } } } } }",
            "more than 5 connections",
        ),
        ("{ products { nodes { bogus } } }", "Cannot query field 'bogus'"),
        ('mutation { productSet(input: {title: "x"}) { userErrors { message } } }', "must be a query"),
        ("{ orders { nodes { id } } }", "not implemented by the sandbox"),
    ],
)
async def test_invalid_bulk_queries_are_refused(client: Client, query: str, message: str) -> None:
    payload = await run_query(client, query)
    assert payload["bulkOperation"] is None
    error = payload["userErrors"][0]
    assert error["code"] == "INVALID" and error["field"] == ["query"] and message in error["message"], error


async def test_a_query_that_finds_nothing_completes_without_a_file() -> None:
    async with bulk_client() as client:
        started = await run_query(client, "{ products { edges { node { id } } } }")
        operation = await wait_until(client, started["bulkOperation"]["id"])
        assert operation["status"] == "COMPLETED" and operation["objectCount"] == "0"
        assert operation["url"] is None and operation["fileSize"] is None


async def test_products_count_decides_between_paging_and_bulk(client: Client) -> None:
    body = await gql(client, ALL_DOCUMENTS["ProductsCount"])
    assert body["data"]["productsCount"] == {"count": 31, "precision": "EXACT"}
    capped = await gql(client, '{ productsCount(limit: 5, query: "vendor:Ridgeline") { count precision } }')
    assert capped["data"]["productsCount"] == {"count": 5, "precision": "AT_LEAST"}

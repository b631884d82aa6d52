"""The emulated Shopify Admin GraphQL API: products, queries and userErrors, with the product's documents."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from shared.shopify_documents import PRODUCT_ARCHIVE, PRODUCT_SET, PRODUCT_VARIANTS_PAGE
from tests.sandbox_shopify_helpers import (
    ENDPOINT,
    FIND_PRODUCTS_BY_SKU,
    SHOP,
    TOKEN,
    Client,
    apparel_input,
    gql,
    inspected_products,
    product_set,
    sandbox_client,
)


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with sandbox_client() as test_client:
        yield test_client


async def test_unknown_shop_version_token_and_bad_bodies(client: Client) -> None:
    headers = {"X-Shopify-Access-Token": TOKEN}
    unknown = await client.post(
        "/nope.myshopify.com/admin/api/2026-10/graphql.json", json={"query": "{shop{name}}"}, headers=headers
    )
    assert unknown.status == 404 and await unknown.json() == {"errors": "Not Found"}
    old_version = await client.post(
        f"/{SHOP}/admin/api/2024-01/graphql.json", json={"query": "{shop{name}}"}, headers=headers
    )
    assert old_version.status == 404
    wrong_token = await client.post(ENDPOINT, json={"query": "{shop{name}}"}, headers={"X-Shopify-Access-Token": "x"})
    assert wrong_token.status == 401
    assert (await wrong_token.json())["errors"].startswith("[API] Invalid API key or access token")
    no_token = await client.post(ENDPOINT, json={"query": "{shop{name}}"})
    assert no_token.status == 401
    not_json = await client.post(ENDPOINT, data=b"{nope", headers=headers)
    assert not_json.status == 400 and isinstance((await not_json.json())["errors"], str)
    no_query = await client.post(ENDPOINT, json={"variables": {}}, headers=headers)
    assert no_query.status == 400
    for version in ("2025-10", "2026-01", "2026-04", "2026-07"):
        ok = await client.post(
            f"/{SHOP}/admin/api/{version}/graphql.json", json={"query": "{shop{name}}"}, headers=headers
        )
        assert ok.status == 200


async def test_shop_query_and_cost_extension(client: Client) -> None:
    body = await gql(client, "{ shop { name myshopifyDomain } }")
    assert body["data"]["shop"]["myshopifyDomain"] == SHOP
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1 and cost["actualQueryCost"] == 1
    assert cost["throttleStatus"]["maximumAvailable"] == 20000.0
    assert cost["throttleStatus"]["restoreRate"] == 1000.0
    assert cost["throttleStatus"]["currentlyAvailable"] <= 20000


async def test_validation_errors_are_not_executed(client: Client) -> None:
    body = await gql(client, "{ shop { name bogusField } }")
    assert "data" not in body
    error = body["errors"][0]
    assert "bogusField" in error["message"]
    assert error["locations"] == [{"line": 1, "column": 15}]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert body["extensions"]["cost"]["requestedQueryCost"] == 0
    syntax = await gql(client, "{ shop { name ")
    assert syntax["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_invalid_variables_are_reported_like_shopify(client: Client) -> None:
    bad_status = await gql(client, PRODUCT_ARCHIVE, {"product": {"id": "gid://shopify/Product/1", "status": "GONE"}})
    error = bad_status["errors"][0]
    assert error["message"].startswith("Variable $product of type ProductUpdateInput! was provided invalid value")
    assert error["extensions"]["code"] == "INVALID_VARIABLE"
    assert error["extensions"]["problems"][0]["path"] == ["status"]
    missing = await gql(client, PRODUCT_SET, {})
    assert missing["errors"][0]["message"] == "Variable $input of type ProductSetInput! was provided invalid value"
    no_option_values = await gql(client, PRODUCT_SET, {"input": {"title": "X", "variants": [{"sku": "A"}]}})
    assert no_option_values["errors"][0]["extensions"]["code"] == "INVALID_VARIABLE"
    assert await inspected_products(client) == []


async def test_product_set_creates_product_with_variants(client: Client) -> None:
    result = await product_set(client, apparel_input())
    assert result["userErrors"] == []
    product = result["product"]
    assert product["id"].startswith("gid://shopify/Product/")
    assert product["handle"] == "trail-hoodie" and product["status"] == "ACTIVE"
    nodes = product["variants"]["nodes"]
    assert [node["sku"] for node in nodes] == ["HOOD-S", "HOOD-M"]
    assert all(node["inventoryItem"]["id"].startswith("gid://shopify/InventoryItem/") for node in nodes)
    [stored] = await inspected_products(client)
    assert stored["vendor"] == "Ridgeline" and stored["productType"] == "Apparel"
    assert stored["tags"] == ["unleashed-sync"]
    assert stored["options"][0]["values"] == ["S", "M"]
    variant = stored["variants"][0]
    assert variant["price"] == "49.95" and variant["barcode"] == "9400000000017"
    assert variant["weight"] == {"value": 450.0, "unit": "GRAMS"}
    assert variant["metafields"][0]["key"] == "sell_price_tier_1"


async def test_handles_are_unique_slugs(client: Client) -> None:
    first = await product_set(client, apparel_input("Café Mug!"))
    second = await product_set(client, {"title": "Café Mug!"})
    third = await product_set(client, {"title": "café mug"})
    assert [first["product"]["handle"], second["product"]["handle"], third["product"]["handle"]] == [
        "caf-mug",
        "caf-mug-1",
        "caf-mug-2",
    ]
    default_variant = second["product"]["variants"]["nodes"]
    assert len(default_variant) == 1 and default_variant[0]["sku"] is None


async def test_product_set_update_keeps_matched_variant_ids(client: Client) -> None:
    created = (await product_set(client, apparel_input(sizes=("S", "M", "L"))))["product"]
    ids_by_sku = {n["sku"]: (n["id"], n["inventoryItem"]["id"]) for n in created["variants"]["nodes"]}
    change = apparel_input("Trail Hoodie v2", sizes=("M", "S", "XL"))
    updated = await product_set(client, change, identifier={"id": created["id"]})
    assert updated["userErrors"] == []
    product = updated["product"]
    assert product["id"] == created["id"] and product["handle"] == created["handle"]
    after = {n["sku"]: (n["id"], n["inventoryItem"]["id"]) for n in product["variants"]["nodes"]}
    assert after["HOOD-M"] == ids_by_sku["HOOD-M"] and after["HOOD-S"] == ids_by_sku["HOOD-S"]
    assert after["HOOD-XL"][0] not in {v[0] for v in ids_by_sku.values()}
    assert "HOOD-L" not in after
    [stored] = await inspected_products(client)
    assert stored["title"] == "Trail Hoodie v2"
    assert [v["sku"] for v in stored["variants"]] == ["HOOD-M", "HOOD-S", "HOOD-XL"]
    gone = await gql(client, FIND_PRODUCTS_BY_SKU, {"query": "sku:HOOD-L", "first": 25})
    assert gone["data"]["productVariants"]["nodes"] == []


async def test_omitted_fields_stay_and_given_lists_replace(client: Client) -> None:
    created = (await product_set(client, apparel_input()))["product"]
    await product_set(client, {"tags": ["a", "b"], "status": "DRAFT"}, identifier={"id": created["id"]})
    [stored] = await inspected_products(client)
    assert stored["tags"] == ["a", "b"] and stored["status"] == "DRAFT"
    assert stored["title"] == "Trail Hoodie" and stored["vendor"] == "Ridgeline"
    assert len(stored["variants"]) == 2


async def test_upsert_by_handle(client: Client) -> None:
    first = await product_set(client, apparel_input("Anything"), identifier={"handle": "hoodie-42"})
    again = await product_set(client, apparel_input("Anything else"), identifier={"handle": "hoodie-42"})
    assert first["product"]["handle"] == "hoodie-42"
    assert again["product"]["id"] == first["product"]["id"]
    assert len(await inspected_products(client)) == 1


async def test_unknown_identifier_is_a_user_error(client: Client) -> None:
    result = await product_set(client, apparel_input(), identifier={"id": "gid://shopify/Product/999"})
    assert result["product"] is None
    assert result["userErrors"] == [
        {"field": ["identifier", "id"], "message": "Product does not exist", "code": "PRODUCT_DOES_NOT_EXIST"}
    ]
    assert await inspected_products(client) == []


async def test_title_too_long_changes_nothing(client: Client) -> None:
    created = (await product_set(client, apparel_input()))["product"]
    result = await product_set(client, {"title": "x" * 256}, identifier={"id": created["id"]})
    assert result["product"] is None
    [error] = result["userErrors"]
    assert error["field"] == ["input", "title"]
    assert error["message"] == "Title is too long (maximum is 255 characters)"
    assert (await inspected_products(client))[0]["title"] == "Trail Hoodie"
    exactly_255 = await product_set(client, {"title": "y" * 255})
    assert exactly_255["userErrors"] == []


def _four_options() -> dict[str, Any]:
    names = ["Colour", "Size", "Material", "Style"]
    return {
        "title": "Too many",
        "productOptions": [{"name": n, "values": [{"name": "A"}]} for n in names],
        "variants": [{"optionValues": [{"optionName": n, "name": "A"} for n in names]}],
    }


@pytest.mark.parametrize(
    ("product_input", "code"),
    [
        (_four_options(), "OPTIONS_OVER_LIMIT"),
        (
            {"title": "No options", "variants": [{"optionValues": [{"optionName": "Size", "name": "S"}]}]},
            "PRODUCT_OPTIONS_INPUT_MISSING",
        ),
        (
            {
                "title": "Wrong option",
                "productOptions": [{"name": "Size", "values": [{"name": "S"}]}],
                "variants": [{"optionValues": [{"optionName": "Colour", "name": "S"}]}],
            },
            "OPTION_DOES_NOT_EXIST",
        ),
        (
            {
                "title": "Wrong value",
                "productOptions": [{"name": "Size", "values": [{"name": "S"}]}],
                "variants": [{"optionValues": [{"optionName": "Size", "name": "XL"}]}],
            },
            "OPTION_VALUE_DOES_NOT_EXIST",
        ),
        (
            {
                "title": "Twice",
                "productOptions": [{"name": "Size", "values": [{"name": "S"}]}],
                "variants": [
                    {"optionValues": [{"optionName": "Size", "name": "S"}], "sku": "A"},
                    {"optionValues": [{"optionName": "Size", "name": "s"}], "sku": "B"},
                ],
            },
            "DUPLICATED_OPTION_VALUE",
        ),
        (
            {
                "title": "Negative",
                "productOptions": [{"name": "Size", "values": [{"name": "S"}]}],
                "variants": [{"optionValues": [{"optionName": "Size", "name": "S"}], "price": "-1.00"}],
            },
            "INVALID_VARIANT",
        ),
        (
            {
                "title": "Not a number",
                "productOptions": [{"name": "Size", "values": [{"name": "S"}]}],
                "variants": [{"optionValues": [{"optionName": "Size", "name": "S"}], "price": "abc"}],
            },
            "INVALID_VARIANT",
        ),
        ({"title": "   "}, "INVALID_PRODUCT"),
    ],
)
async def test_product_set_user_errors(client: Client, product_input: dict[str, Any], code: str) -> None:
    result = await product_set(client, product_input)
    assert result["product"] is None
    assert code in {error["code"] for error in result["userErrors"]}
    assert all(isinstance(error["message"], str) and error["field"] for error in result["userErrors"])
    assert await inspected_products(client) == []


async def test_too_many_variants(client: Client) -> None:
    values = [f"V{n}" for n in range(2049)]
    product_input = {
        "title": "Huge",
        "productOptions": [{"name": "Size", "values": [{"name": v} for v in values]}],
        "variants": [{"optionValues": [{"optionName": "Size", "name": v}]} for v in values],
    }
    result = await product_set(client, product_input)
    assert result["userErrors"][0]["code"] == "VARIANTS_OVER_LIMIT"


async def test_product_update_archives(client: Client) -> None:
    created = (await product_set(client, apparel_input()))["product"]
    body = await gql(client, PRODUCT_ARCHIVE, {"product": {"id": created["id"], "status": "ARCHIVED"}})
    assert body["data"]["productUpdate"] == {"product": {"id": created["id"], "status": "ARCHIVED"}, "userErrors": []}
    [stored] = await inspected_products(client)
    assert stored["status"] == "ARCHIVED" and len(stored["variants"]) == 2
    missing = await gql(client, PRODUCT_ARCHIVE, {"product": {"id": "gid://shopify/Product/77", "status": "ARCHIVED"}})
    assert missing["data"]["productUpdate"] == {
        "product": None,
        "userErrors": [{"field": ["id"], "message": "Product does not exist"}],
    }


async def test_find_products_by_sku_with_or_and_quotes(client: Client) -> None:
    await product_set(client, apparel_input())
    quoted = {
        "title": "Spaced",
        "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
        "variants": [{"optionValues": [{"optionName": "Title", "name": "Default Title"}], "sku": "A B"}],
    }
    await product_set(client, quoted)
    body = await gql(client, FIND_PRODUCTS_BY_SKU, {"query": 'sku:HOOD-M OR sku:"A B" OR sku:NOPE', "first": 25})
    nodes = body["data"]["productVariants"]["nodes"]
    assert sorted(node["sku"] for node in nodes) == ["A B", "HOOD-M"]
    assert all(node["product"]["status"] == "ACTIVE" for node in nodes)
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2 + 25 * 2
    assert body["extensions"]["cost"]["actualQueryCost"] == 2 + 2 * 2
    none = await gql(client, FIND_PRODUCTS_BY_SKU, {"query": "sku:HOOD", "first": 25})
    assert none["data"]["productVariants"]["nodes"] == []


async def test_product_variants_pages_through_three_pages(client: Client) -> None:
    for number in range(5):
        await product_set(
            client,
            {
                "title": f"Single {number}",
                "tags": [f"t{number}"],
                "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
                "variants": [
                    {"optionValues": [{"optionName": "Title", "name": "Default Title"}], "sku": f"ONE-{number}"}
                ],
            },
        )
    seen: list[str] = []
    pages = 0
    after = None
    while True:
        body = await gql(client, PRODUCT_VARIANTS_PAGE, {"first": 2, "after": after})
        connection = body["data"]["productVariants"]
        pages += 1
        seen.extend(node["sku"] for node in connection["nodes"])
        assert all(node["product"]["tags"] for node in connection["nodes"])
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == [f"ONE-{n}" for n in range(5)]


async def test_products_query_filters_and_edges(client: Client) -> None:
    for title, tags in (("Red", ["sale"]), ("Blue", ["new"]), ("Green", ["sale", "new"])):
        await product_set(client, {"title": title, "tags": tags})
    created = await inspected_products(client)
    await gql(client, PRODUCT_ARCHIVE, {"product": {"id": created[0]["id"], "status": "ARCHIVED"}})
    query = "query($q: String) { products(first: 10, query: $q) { edges { cursor node { title } } } }"
    sale = await gql(client, query, {"q": "tag:sale"})
    assert [e["node"]["title"] for e in sale["data"]["products"]["edges"]] == ["Red", "Green"]
    archived_or_new = await gql(client, query, {"q": "status:archived OR tag:new"})
    assert [e["node"]["title"] for e in archived_or_new["data"]["products"]["edges"]] == ["Red", "Blue", "Green"]
    both = await gql(client, query, {"q": "tag:sale status:active"})
    assert [e["node"]["title"] for e in both["data"]["products"]["edges"]] == ["Green"]
    last = await gql(client, "{ products(last: 1) { nodes { title } pageInfo { hasPreviousPage } } }")
    assert last["data"]["products"] == {"nodes": [{"title": "Green"}], "pageInfo": {"hasPreviousPage": True}}


async def test_product_and_variant_by_id(client: Client) -> None:
    created = (await product_set(client, apparel_input()))["product"]
    variant_id = created["variants"]["nodes"][0]["id"]
    query = """query($p: ID!, $v: ID!) {
      product(id: $p) { title options { name values } metafields(first: 5) { nodes { key } } }
      productVariant(id: $v) { sku price selectedOptions { name value } product { handle }
        inventoryItem { measurement { weight { value unit } } } }
      missing: product(id: "gid://shopify/Product/404") { id }
    }"""
    body = await gql(client, query, {"p": created["id"], "v": variant_id})
    data = body["data"]
    assert data["product"]["options"] == [{"name": "Size", "values": ["S", "M"]}]
    assert data["productVariant"]["selectedOptions"] == [{"name": "Size", "value": "S"}]
    assert data["productVariant"]["inventoryItem"]["measurement"]["weight"] == {"value": 450.0, "unit": "GRAMS"}
    assert data["productVariant"]["product"]["handle"] == "trail-hoodie"
    assert data["missing"] is None

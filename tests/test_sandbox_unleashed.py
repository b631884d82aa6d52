"""The emulated Unleashed API: signatures, paging, filters, verbatim records and planned faults."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from sandbox.app import create_sandbox_app
from sandbox.settings import SandboxSettings
from sandbox.unleashed.signature import unleashed_signature

Client = TestClient[web.Request, web.Application]
API_ID = "0f3b6a51-7a7e-4a3c-9d55-2d7f1c2b9e11"
API_KEY = "test-api-key"


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with TestClient(TestServer(create_sandbox_app(SandboxSettings()))) as test_client:
        response = await test_client.post(
            "/_sandbox/unleashed/accounts", json={"api_id": API_ID, "api_key": API_KEY, "seed": 7, "size": 300}
        )
        assert response.status == 201
        yield test_client


def signed_headers(query: str, key: str = API_KEY, api_id: str = API_ID) -> dict[str, str]:
    return {
        "api-auth-id": api_id,
        "api-auth-signature": unleashed_signature(key, query),
        "Accept": "application/json",
        "client-type": "sandbox/tests",
    }


async def get_signed(client: Client, path: str, query: str = "") -> tuple[int, Any]:
    url = f"/unleashed/{path}" + (f"?{query}" if query else "")
    response = await client.get(url, headers=signed_headers(query))
    return response.status, await response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "mJXmOIXOEvaWU3yhLXyFd+DlMvZQxbttrlRgkdQOHMo="),
        ("pageSize=200", "60lWg8xP5u//3LYXDAqR+nTBT2vDBl5uIxwcs7x1mmY="),
        ("modifiedSince=2024-01-01&pageSize=500", "nSGWyZYrKd6AV5qshS1C3uBvl4tRuP0a7n780OIuVwo="),
    ],
)
def test_signature_matches_reference_vectors(query: str, expected: str) -> None:
    assert unleashed_signature("test-api-key", query) == expected


async def test_correct_signature_is_accepted_for_every_vector_query(client: Client) -> None:
    for query in ("", "pageSize=200", "modifiedSince=2024-01-01&pageSize=500"):
        status, _ = await get_signed(client, "Products", query)
        assert status == 200, query


async def test_missing_wrong_or_unknown_credentials_are_forbidden(client: Client) -> None:
    no_headers = await client.get("/unleashed/Products")
    assert no_headers.status == 403
    assert "Message" in await no_headers.json()
    only_id = await client.get("/unleashed/Products", headers={"api-auth-id": API_ID})
    assert only_id.status == 403
    wrong_key = await client.get("/unleashed/Products?pageSize=5", headers=signed_headers("pageSize=5", "other"))
    assert wrong_key.status == 403
    signed_other_query = await client.get("/unleashed/Products?pageSize=5", headers=signed_headers("pageSize=6"))
    assert signed_other_query.status == 403
    unknown_id = await client.get("/unleashed/Products", headers=signed_headers("", api_id="nobody"))
    assert unknown_id.status == 403


async def test_headers_are_case_insensitive(client: Client) -> None:
    headers = {"API-AUTH-ID": API_ID, "Api-Auth-Signature": unleashed_signature(API_KEY, "")}
    response = await client.get("/unleashed/Warehouses", headers=headers)
    assert response.status == 200


async def test_signature_covers_the_raw_query_not_a_decoded_one(client: Client) -> None:
    raw = "productCode=SKU%2D0000%40x"
    url = client.make_url(URL(f"/unleashed/Products?{raw}", encoded=True))
    response = await client.session.get(URL(str(url), encoded=True), headers=signed_headers(raw))
    assert response.status == 200
    decoded = await client.session.get(URL(str(url), encoded=True), headers=signed_headers("productCode=SKU-0000@x"))
    assert decoded.status == 403


async def test_pagination_envelope_and_page_routes(client: Client) -> None:
    status, first = await get_signed(client, "Products", "pageSize=100")
    assert status == 200
    pagination = first["Pagination"]
    total = pagination["NumberOfItems"]
    assert pagination["PageSize"] == 100 and pagination["PageNumber"] == 1
    assert pagination["NumberOfPages"] == -(-total // 100)
    assert len(first["Items"]) == 100
    codes = [item["ProductCode"] for item in first["Items"]]
    assert codes == sorted(codes)
    _, second = await get_signed(client, "Products/2", "pageSize=100")
    _, second_alias = await get_signed(client, "Products/Page/2", "pageSize=100")
    assert second["Pagination"]["PageNumber"] == 2
    assert second["Items"] == second_alias["Items"]
    assert second["Items"][0]["ProductCode"] > codes[-1]
    _, default_size = await get_signed(client, "Products")
    assert default_size["Pagination"]["PageSize"] == 200


@pytest.mark.parametrize("page_size", ["0", "1001", "abc", "-5"])
async def test_page_size_out_of_range_is_a_400(client: Client, page_size: str) -> None:
    status, body = await get_signed(client, "Products", f"pageSize={page_size}")
    assert status == 400
    assert isinstance(body["Message"], str)


async def test_page_size_limits_are_inclusive(client: Client) -> None:
    status, body = await get_signed(client, "Customers", "pageSize=1")
    assert status == 200 and len(body["Items"]) == 1
    status, body = await get_signed(client, "Products", "pageSize=1000")
    assert status == 200 and body["Pagination"]["NumberOfPages"] == 1


async def test_obsolete_products_only_with_include_obsolete(client: Client) -> None:
    _, default = await get_signed(client, "Products", "pageSize=1000")
    assert not any(item["Obsolete"] for item in default["Items"])
    _, everything = await get_signed(client, "Products", "includeObsolete=true&pageSize=1000")
    assert any(item["Obsolete"] for item in everything["Items"])
    assert everything["Pagination"]["NumberOfItems"] == 300


async def test_attribute_set_only_with_include_attributes(client: Client) -> None:
    _, plain = await get_signed(client, "Products", "pageSize=1000")
    assert all("AttributeSet" not in item for item in plain["Items"])
    _, with_attributes = await get_signed(client, "Products", "includeAttributes=true&pageSize=1000")
    titled = [item for item in with_attributes["Items"] if (item["AttributeSet"] or {}).get("ProductTitle")]
    assert titled


async def test_exclude_components(client: Client) -> None:
    _, everything = await get_signed(client, "Products", "pageSize=1000")
    _, without = await get_signed(client, "Products", "excludeComponents=true&pageSize=1000")
    assert any(item["IsComponent"] for item in everything["Items"])
    assert not any(item["IsComponent"] for item in without["Items"])


async def test_modified_since_filters_on_last_modified(client: Client) -> None:
    await client.put(
        f"/_sandbox/unleashed/accounts/{API_ID}/products/NEW-1",
        json={
            "ProductCode": "NEW-1",
            "Obsolete": False,
            "LastModifiedOn": "/Date(4102444800000)/",  # 2100-01-01
        },
    )
    status, body = await get_signed(client, "Products", "modifiedSince=2099-12-31T23:59:59")
    assert status == 200
    assert [item["ProductCode"] for item in body["Items"]] == ["NEW-1"]
    status, body = await get_signed(client, "Products", "modifiedSince=yesterday")
    assert status == 400


async def test_planted_malformed_records_are_served_verbatim(client: Client) -> None:
    no_code = {"ProductDescription": "No code at all", "Obsolete": False}
    bad_price = {"ProductCode": "BAD-PRICE", "DefaultSellPrice": "abc", "Obsolete": False}
    assert (await client.put(f"/_sandbox/unleashed/accounts/{API_ID}/products/NO-CODE", json=no_code)).status == 201
    assert (await client.put(f"/_sandbox/unleashed/accounts/{API_ID}/products/BAD-PRICE", json=bad_price)).status == 201
    _, body = await get_signed(client, "Products", "pageSize=1000")
    assert no_code in body["Items"]
    assert bad_price in body["Items"]
    removed = await client.delete(f"/_sandbox/unleashed/accounts/{API_ID}/products/BAD-PRICE")
    assert removed.status == 204
    _, body = await get_signed(client, "Products", "pageSize=1000")
    assert bad_price not in body["Items"]


async def test_dates_are_dotnet_wire_dates(client: Client) -> None:
    _, body = await get_signed(client, "Customers", "pageSize=5")
    assert body["Items"][0]["LastModifiedOn"].startswith("/Date(")


async def test_warehouses_customers_and_stock(client: Client) -> None:
    _, warehouses = await get_signed(client, "Warehouses")
    assert [w["WarehouseCode"] for w in warehouses["Items"]] == ["AKL", "MAIN", "SYD"]
    _, all_warehouses = await get_signed(client, "Warehouses", "includeObsolete=true")
    assert len(all_warehouses["Items"]) == 4
    _, customers = await get_signed(client, "Customers")
    held = (await (await client.get(f"/_sandbox/unleashed/accounts/{API_ID}/customers")).json())["customers"]
    assert len(held) == 30
    assert customers["Pagination"]["NumberOfItems"] == sum(not c["Obsolete"] for c in held)
    _, all_customers = await get_signed(client, "Customers", "includeObsolete=true")
    assert all_customers["Pagination"]["NumberOfItems"] == 30
    _, stock = await get_signed(client, "StockOnHand", "pageSize=1000")
    row = stock["Items"][0]
    assert row["AvailableQty"] == row["QtyOnHand"] - row["AllocatedQty"]
    assert {r["WarehouseCode"] for r in stock["Items"]} == {"MAIN", "AKL", "SYD"}


async def test_planned_faults_answer_then_recover(client: Client) -> None:
    planned = await client.post(
        f"/_sandbox/unleashed/accounts/{API_ID}/faults", json={"status": 429, "count": 2, "retry_after": 1}
    )
    assert planned.status == 200
    for _ in range(2):
        response = await client.get("/unleashed/Products", headers=signed_headers(""))
        assert response.status == 429
        assert response.headers["Retry-After"] == "1"
    assert (await client.get("/unleashed/Products", headers=signed_headers(""))).status == 200
    await client.post(f"/_sandbox/unleashed/accounts/{API_ID}/faults", json={"status": 503, "count": 1})
    assert (await client.get("/unleashed/Products", headers=signed_headers(""))).status == 503
    assert (await client.get("/unleashed/Products", headers=signed_headers(""))).status == 200


async def test_reposting_an_account_replaces_its_dataset(client: Client) -> None:
    await client.put(f"/_sandbox/unleashed/accounts/{API_ID}/products/EXTRA", json={"ProductCode": "EXTRA"})
    response = await client.post(
        "/_sandbox/unleashed/accounts", json={"api_id": API_ID, "api_key": API_KEY, "seed": 7, "size": 50}
    )
    assert response.status == 201
    listing = await (await client.get(f"/_sandbox/unleashed/accounts/{API_ID}/products")).json()
    assert len(listing["products"]) == 50
    assert all(product.get("ProductCode") != "EXTRA" for product in listing["products"])


async def test_account_with_grouped_share_zero_has_only_singles(client: Client) -> None:
    body = {"api_id": "singles", "api_key": API_KEY, "seed": 3, "size": 120, "grouped_share": 0}
    assert (await client.post("/_sandbox/unleashed/accounts", json=body)).status == 201
    listing = await (await client.get("/_sandbox/unleashed/accounts/singles/products")).json()
    assert len(listing["products"]) == 120
    assert not any((p.get("AttributeSet") or {}).get("ProductTitle") for p in listing["products"])
    too_big = {**body, "grouped_share": 1.5}
    assert (await client.post("/_sandbox/unleashed/accounts", json=too_big)).status == 422


async def test_registration_takes_warehouses_customers_and_stock_share(client: Client) -> None:
    body = {"api_id": "big", "api_key": API_KEY, "seed": 3, "size": 100, "warehouses": 12, "customers": 40}
    response = await client.post("/_sandbox/unleashed/accounts", json={**body, "stock_share": 0.5})
    assert response.status == 201
    counts = await response.json()
    assert counts["warehouses"] == 12 and counts["customers"] == 40
    full = await (await client.post("/_sandbox/unleashed/accounts", json={**body, "api_id": "full"})).json()
    assert 0.35 * full["stock_on_hand"] < counts["stock_on_hand"] < 0.65 * full["stock_on_hand"]
    for bad in ({"warehouses": 0}, {"customers": -1}, {"stock_share": 2}):
        assert (await client.post("/_sandbox/unleashed/accounts", json={**body, **bad})).status == 422


@pytest.mark.parametrize(
    ("collection", "resource", "code_key"),
    [("warehouses", "Warehouses", "WarehouseCode"), ("customers", "Customers", "CustomerCode")],
)
async def test_planted_warehouses_and_customers_are_served(
    client: Client, collection: str, resource: str, code_key: str
) -> None:
    base = f"/_sandbox/unleashed/accounts/{API_ID}/{collection}"
    held = (await (await client.get(base)).json())[collection]
    malformed = {code_key: "ZZ-NEW", "Obsolete": False, "LastModifiedOn": "not a date", "Extra": [1, 2]}
    assert (await client.put(f"{base}/ZZ-NEW", json=malformed)).status == 201
    obsolete = {code_key: "ZZ-GONE", "Obsolete": True}
    assert (await client.put(f"{base}/ZZ-GONE", json=obsolete)).status == 201
    assert (await client.put(f"{base}/ZZ-GONE", json=obsolete)).status == 200
    assert len((await (await client.get(base)).json())[collection]) == len(held) + 2
    _, listing = await get_signed(client, resource, "pageSize=1000")
    assert listing["Items"][-1] == malformed
    assert obsolete not in listing["Items"]
    _, everything = await get_signed(client, resource, "includeObsolete=true&pageSize=1000")
    assert obsolete in everything["Items"]
    first_code = held[0][code_key]
    assert (await client.delete(f"{base}/{first_code}")).status == 204
    assert (await client.delete(f"{base}/{first_code}")).status == 404
    _, after = await get_signed(client, resource, "includeObsolete=true&pageSize=1000")
    assert all(item.get(code_key) != first_code for item in after["Items"])


async def test_planted_stock_rows_are_served(client: Client) -> None:
    base = f"/_sandbox/unleashed/accounts/{API_ID}/stock"
    rows = (await (await client.get(base)).json())["stock"]
    row = {"ProductCode": "SKU-000001", "WarehouseCode": "AKL", "QtyOnHand": "lots", "LastModifiedOn": None}
    assert (await client.put(f"{base}/SKU-000001/AKL", json=row)).status in (200, 201)
    _, listing = await get_signed(client, "StockOnHand", "warehouseCode=AKL&pageSize=1000")
    assert row in listing["Items"]
    replaced = rows[0]
    key = f"{replaced['ProductCode']}/{replaced['WarehouseCode']}"
    assert (await client.put(f"{base}/{key}", json={**replaced, "QtyOnHand": 1.0})).status == 200
    assert (await client.delete(f"{base}/{key}")).status == 204
    assert (await client.delete(f"{base}/{key}")).status == 404
    unknown = await client.get("/_sandbox/unleashed/accounts/nobody/stock")
    assert unknown.status == 404

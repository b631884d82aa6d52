"""The emulated Admin API's customers: the customer-code definition, customerSet's upserts and rules, listing."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from shared.shopify_documents import ALL_DOCUMENTS, CUSTOMER_CODE_DEFINITIONS, CUSTOMERS_PAGE
from tests.sandbox_shopify_helpers import SHOP, Client, gql, sandbox_client

DEFINITION_CREATE = ALL_DOCUMENTS["CustomerCodeDefinition"]
CUSTOMER_SET = ALL_DOCUMENTS["CustomerSet"]
CODE_DEFINITION = {
    "name": "Unleashed customer code",
    "namespace": "unleashed",
    "key": "customer_code",
    "ownerType": "CUSTOMER",
    "type": "single_line_text_field",
    "capabilities": {"uniqueValues": {"enabled": True}},
}
CUSTOMER_QUERY = """query($id: ID!) { customer(id: $id) { id legacyResourceId firstName lastName displayName email
  phone note tags taxExempt locale
  addresses { id address1 address2 city company country countryCodeV2 province provinceCode zip phone firstName
    lastName }
  defaultAddress { address1 }
  addressesV2(first: 5) { nodes { city } }
  customerCode: metafield(namespace: "unleashed", key: "customer_code") { value }
  metafields(first: 5) { nodes { key value ownerType } } } }"""


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with sandbox_client() as test_client:
        yield test_client


async def customer_set(
    client: Client, given: dict[str, Any], identifier: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await gql(client, CUSTOMER_SET, {"identifier": identifier, "input": given})
    result: dict[str, Any] = body["data"]["customerSet"]
    return result


def by_code(code: str) -> dict[str, Any]:
    return {"customId": {"namespace": "unleashed", "key": "customer_code", "value": code}}


async def inspected_customers(client: Client) -> list[dict[str, Any]]:
    customers: list[dict[str, Any]] = (await (await client.get(f"/_sandbox/shops/{SHOP}/customers")).json())[
        "customers"
    ]
    return customers


async def applied(client: Client) -> int:
    count: int = (await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json())["mutations_applied"]
    return count


async def define_customer_code(client: Client) -> None:
    result = (await gql(client, DEFINITION_CREATE, {"definition": CODE_DEFINITION}))["data"]
    assert result["metafieldDefinitionCreate"]["userErrors"] == []


async def test_customer_code_definition_is_created_once_and_listed(client: Client) -> None:
    empty = await gql(client, CUSTOMER_CODE_DEFINITIONS, {"namespace": "unleashed", "key": "customer_code"})
    assert empty["data"]["metafieldDefinitions"]["nodes"] == []
    created = (await gql(client, DEFINITION_CREATE, {"definition": CODE_DEFINITION}))["data"]
    definition_id = created["metafieldDefinitionCreate"]["createdDefinition"]["id"]
    assert definition_id.startswith("gid://shopify/MetafieldDefinition/")
    listed = await gql(client, CUSTOMER_CODE_DEFINITIONS, {"namespace": "unleashed", "key": "customer_code"})
    assert listed["data"]["metafieldDefinitions"]["nodes"] == [
        {"id": definition_id, "capabilities": {"uniqueValues": {"enabled": True}}}
    ]
    full = """{ metafieldDefinitions(first: 5, ownerType: CUSTOMER) { nodes { name namespace key ownerType
      type { name } capabilities { uniqueValues { enabled } } } } }"""
    assert (await gql(client, full))["data"]["metafieldDefinitions"]["nodes"] == [
        {
            "name": "Unleashed customer code",
            "namespace": "unleashed",
            "key": "customer_code",
            "ownerType": "CUSTOMER",
            "type": {"name": "single_line_text_field"},
            "capabilities": {"uniqueValues": {"enabled": True}},
        }
    ]
    other_owner = "{ metafieldDefinitions(first: 5, ownerType: LOCATION) { nodes { id } } }"
    assert (await gql(client, other_owner))["data"]["metafieldDefinitions"]["nodes"] == []
    before = await applied(client)
    again = (await gql(client, DEFINITION_CREATE, {"definition": CODE_DEFINITION}))["data"]
    assert again["metafieldDefinitionCreate"] == {
        "createdDefinition": None,
        "userErrors": [
            {
                "field": ["definition", "key"],
                "message": "Key is in use for CUSTOMER metafields on the 'unleashed' namespace.",
                "code": "TAKEN",
            }
        ],
    }
    assert await applied(client) == before


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"key": "a"}, ["definition", "key"], "TOO_SHORT"),
        ({"key": "has space"}, ["definition", "key"], "INVALID_CHARACTER"),
        ({"namespace": "ab"}, ["definition", "namespace"], "TOO_SHORT"),
        ({"name": " "}, ["definition", "name"], "BLANK"),
        ({"type": "text"}, ["definition", "type"], "INCLUSION"),
        ({"type": "json"}, ["definition", "capabilities", "uniqueValues"], "INVALID_CAPABILITY"),
    ],
)
async def test_definition_user_errors(client: Client, change: dict[str, Any], field: list[str], code: str) -> None:
    result = (await gql(client, DEFINITION_CREATE, {"definition": {**CODE_DEFINITION, **change}}))["data"]
    errors = result["metafieldDefinitionCreate"]["userErrors"]
    assert [(error["field"], error["code"]) for error in errors] == [(field, code)]


async def test_custom_id_needs_a_unique_values_definition(client: Client) -> None:
    refused = await customer_set(client, {"firstName": "Aroha"}, by_code("CUST-00001"))
    assert refused["customer"] is None
    [error] = refused["userErrors"]
    assert error["field"] == ["identifier", "customId"] and error["code"] == "INVALID"
    assert "unique values" in error["message"]
    not_unique = {**CODE_DEFINITION, "capabilities": {"uniqueValues": {"enabled": False}}}
    await gql(client, DEFINITION_CREATE, {"definition": not_unique})
    assert (await customer_set(client, {"firstName": "Aroha"}, by_code("CUST-00001")))["userErrors"][0]["code"] == (
        "INVALID"
    )
    assert await inspected_customers(client) == []


async def test_custom_id_upsert_creates_once_then_updates(client: Client) -> None:
    await define_customer_code(client)
    given = {
        "firstName": "Mārama",
        "lastName": "Ngata",
        "email": "marama@example.co.nz",
        "phone": "+6421555010",
        "tags": ["unleashed", "wholesale"],
        "addresses": [{"address1": "1 Queen St", "city": "Auckland", "countryCode": "NZ", "provinceCode": "AUK"}],
    }
    created = await customer_set(client, given, by_code("CUST-00001"))
    assert created["userErrors"] == []
    retried = await customer_set(client, given, by_code("CUST-00001"))
    assert retried == created
    renamed = await customer_set(client, {"lastName": "Parata", "note": "VIP"}, by_code("CUST-00001"))
    assert renamed["customer"]["id"] == created["customer"]["id"]
    [stored] = await inspected_customers(client)
    assert stored["firstName"] == "Mārama" and stored["lastName"] == "Parata" and stored["note"] == "VIP"
    assert stored["metafields"] == [
        {
            "id": stored["metafields"][0]["id"],
            "namespace": "unleashed",
            "key": "customer_code",
            "type": "single_line_text_field",
            "value": "CUST-00001",
        }
    ]
    page = await gql(client, CUSTOMERS_PAGE, {"first": 10})
    assert page["data"]["customers"]["nodes"] == [
        {
            "id": created["customer"]["id"],
            "email": "marama@example.co.nz",
            "phone": "+6421555010",
            "customerCode": {"value": "CUST-00001"},
        }
    ]


async def test_a_retried_create_with_nothing_new_is_not_applied(client: Client) -> None:
    await define_customer_code(client)
    await customer_set(client, {"firstName": "Aroha", "email": "a@example.com"}, by_code("C1"))
    before = await applied(client)
    again = await customer_set(client, {"firstName": "Aroha", "email": "a@example.com"}, by_code("C1"))
    assert again["userErrors"] == []
    assert await applied(client) == before


@pytest.mark.parametrize(
    ("given", "field", "code", "message"),
    [
        ({"email": "not-an-email"}, ["input", "email"], "INVALID", "Email is invalid"),
        ({"email": "TAKEN@example.com"}, ["input", "email"], "TAKEN", "Email has already been taken"),
        ({"phone": "021 555 0100"}, ["input", "phone"], "INVALID", "Phone is invalid"),
        ({"phone": "+64123"}, ["input", "phone"], "INVALID", "Phone is invalid"),
        ({"phone": "+6421000111"}, ["input", "phone"], "TAKEN", "Phone has already been taken"),
        ({"note": "no name"}, ["input"], "BLANK", None),
        (
            {"firstName": "Ana", "addresses": [{"countryCode": "NZ", "provinceCode": "NSW"}]},
            ["input", "addresses", "0", "provinceCode"],
            "INVALID",
            None,
        ),
    ],
)
async def test_customer_set_user_errors_change_nothing(
    client: Client, given: dict[str, Any], field: list[str], code: str, message: str | None
) -> None:
    await customer_set(client, {"firstName": "Taken", "email": "taken@example.com", "phone": "+6421000111"})
    before = await inspected_customers(client)
    result = await customer_set(client, given)
    assert result["customer"] is None
    [error] = result["userErrors"]
    assert (error["field"], error["code"]) == (field, code)
    if message:
        assert error["message"] == message
    assert await inspected_customers(client) == before


async def test_update_by_id_keeps_omitted_fields_and_replaces_lists(client: Client) -> None:
    created = await customer_set(
        client,
        {
            "firstName": "José",
            "lastName": "García",
            "email": "jose@example.com",
            "tags": ["a, b", "c"],
            "taxExempt": True,
            "addresses": [
                {"address1": "1 Queen St", "city": "Auckland", "countryCode": "NZ"},
                {"address1": "2 George St", "city": "Sydney", "countryCode": "AU", "provinceCode": "nsw"},
            ],
        },
    )
    customer_id = created["customer"]["id"]
    missing = await customer_set(client, {"firstName": "X"}, {"id": "gid://shopify/Customer/999"})
    assert missing["userErrors"] == [
        {
            "field": ["identifier", "id"],
            "message": "Resource matching the identifier was not found.",
            "code": "NOT_FOUND",
        }
    ]
    details = (await gql(client, CUSTOMER_QUERY, {"id": customer_id}))["data"]["customer"]
    assert details["tags"] == ["a", "b", "c"] and details["taxExempt"] is True
    assert details["displayName"] == "José García" and details["locale"] == "en"
    assert [a["provinceCode"] for a in details["addresses"]] == [None, "NSW"]
    assert (
        details["addresses"][1]["province"] == "New South Wales" and details["addresses"][1]["country"] == "Australia"
    )
    kept_address = details["addresses"][1]["id"]
    update = {
        "lastName": "Lefèvre",
        "tags": ["vip"],
        "addresses": [{"address1": "2 George St", "city": "Sydney", "countryCode": "AU", "provinceCode": "NSW"}],
    }
    updated = await customer_set(client, update, {"id": customer_id})
    assert updated["userErrors"] == []
    after = (await gql(client, CUSTOMER_QUERY, {"id": customer_id}))["data"]["customer"]
    assert after["firstName"] == "José" and after["lastName"] == "Lefèvre" and after["email"] == "jose@example.com"
    assert after["tags"] == ["vip"] and after["taxExempt"] is True
    assert [a["id"] for a in after["addresses"]] == [kept_address]
    assert after["defaultAddress"] == {"address1": "2 George St"}
    assert after["addressesV2"]["nodes"] == [{"city": "Sydney"}]
    unchanged = await customer_set(client, {"email": None, "phone": None}, {"id": customer_id})
    assert unchanged["userErrors"] == []
    assert (await gql(client, CUSTOMER_QUERY, {"id": customer_id}))["data"]["customer"]["email"] is None


async def test_upsert_by_email_and_phone(client: Client) -> None:
    missing = await customer_set(client, {"firstName": "Zoë"}, {"email": "zoe@example.com"})
    assert missing["userErrors"][0]["code"] == "MISSING_FIELD_REQUIRED"
    mismatch = await customer_set(client, {"email": "other@example.com"}, {"email": "zoe@example.com"})
    assert mismatch["userErrors"][0] == {
        "field": ["input", "email"],
        "message": "The identifier value does not match the value of the corresponding field in the input.",
        "code": "INPUT_MISMATCH",
    }
    created = await customer_set(client, {"firstName": "Zoë", "email": "zoe@example.com"}, {"email": "zoe@example.com"})
    again = await customer_set(client, {"lastName": "Wilson", "email": "ZOE@example.com"}, {"email": "Zoe@Example.com"})
    assert again["customer"]["id"] == created["customer"]["id"]
    by_phone = await customer_set(client, {"firstName": "Søren", "phone": "+61412345678"}, {"phone": "+61412345678"})
    same = await customer_set(client, {"lastName": "Müller", "phone": "+61412345678"}, {"phone": "+61412345678"})
    assert same["customer"]["id"] == by_phone["customer"]["id"]
    assert len(await inspected_customers(client)) == 2
    two_keys = {"id": created["customer"]["id"], "email": "zoe@example.com"}
    one_of = await gql(client, CUSTOMER_SET, {"identifier": two_keys, "input": {"firstName": "X"}})
    assert one_of["errors"][0]["extensions"]["code"] == "INVALID_VARIABLE"


async def test_customers_query_filters_and_pages(client: Client) -> None:
    for number in range(5):
        await customer_set(
            client,
            {"firstName": f"Person {number}", "email": f"p{number}@example.com", "phone": f"+642100000{number}0"},
        )
    by_email = await gql(client, '{ customers(first: 5, query: "email:P3@example.com") { nodes { firstName } } }')
    assert by_email["data"]["customers"]["nodes"] == [{"firstName": "Person 3"}]
    quoted = await gql(client, '{ customers(first: 5, query: "email:\\"p1@example.com\\"") { nodes { firstName } } }')
    assert quoted["data"]["customers"]["nodes"] == [{"firstName": "Person 1"}]
    by_phone = await gql(client, '{ customers(first: 5, query: "phone:+64210000020") { nodes { firstName } } }')
    assert by_phone["data"]["customers"]["nodes"] == [{"firstName": "Person 2"}]
    seen, after = [], None
    while True:
        body = await gql(client, CUSTOMERS_PAGE, {"first": 2, "after": after})
        connection = body["data"]["customers"]
        seen += [node["email"] for node in connection["nodes"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == [f"p{n}@example.com" for n in range(5)]


async def test_customer_without_names_shows_email_as_display_name(client: Client) -> None:
    created = await customer_set(client, {"email": "solo@example.com"})
    details = (await gql(client, CUSTOMER_QUERY, {"id": created["customer"]["id"]}))["data"]["customer"]
    assert details["displayName"] == "solo@example.com"
    assert details["addresses"] == [] and details["defaultAddress"] is None and details["customerCode"] is None

"""What Shopify must hold for locations, customers and stock after a comprehensive sync, worked out from the
raw Unleashed records by the brief's rules (with the libraries the brief names), independently of the
planners' code."""

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import phonenumbers
import pycountry

from tests.expectations import assert_exact_products


def _country(name: str | None) -> str | None:
    try:
        return str(pycountry.countries.lookup(name).alpha_2) if name else None
    except LookupError:
        return None


def assert_exact_locations(locations: list[dict[str, Any]], warehouses: list[dict[str, Any]]) -> None:
    """Each warehouse with a known country is one location of that name and country, active unless obsolete
    (an obsolete warehouse never synced is not there at all); no name twice."""
    names = Counter(location["name"] for location in locations)
    assert max(names.values()) == 1, names
    by_code = {
        field["value"]: location
        for location in locations
        for field in location["metafields"]
        if (field["namespace"], field["key"]) == ("unleashed", "warehouse_code")
    }
    for warehouse in warehouses:
        code = warehouse["WarehouseCode"]
        if _country(warehouse.get("Country")) is None:
            assert code not in by_code, code
            continue
        location = by_code.get(code)
        if warehouse.get("Obsolete") and location is None:
            continue
        assert location is not None, f"no location for warehouse {code}"
        assert location["name"] == warehouse["WarehouseName"], code
        assert location["address"]["countryCode"] == _country(warehouse["Country"]), code
        assert location["isActive"] is not bool(warehouse.get("Obsolete")), code


def _e164(raw: str | None, country: str | None) -> str | None:
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, None if raw.startswith("+") else country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def assert_exact_customers(customers: list[dict[str, Any]], records: list[dict[str, Any]]) -> None:
    """One Shopify customer per customer code, with its email and its phone in E.164 where they are valid
    (and not already another customer's), never a second customer for one code."""
    codes = [
        field["value"]
        for customer in customers
        for field in customer["metafields"]
        if (field["namespace"], field["key"]) == ("unleashed", "customer_code")
    ]
    assert len(codes) == len(set(codes)), "a customer code is on two customers"
    by_note = {customer["note"].split(":")[0].removeprefix("Unleashed customer "): customer for customer in customers}
    seen_emails: set[str] = set()
    seen_phones: set[str] = set()
    for record in sorted(records, key=lambda r: r["CustomerCode"]):
        customer = by_note.get(record["CustomerCode"])
        assert customer is not None, f"no customer for {record['CustomerCode']}"
        email = (record.get("Email") or "").lower() or None
        if email and email not in seen_emails:
            assert customer["email"] == email
            seen_emails.add(email)
        addresses = [a for a in record.get("Addresses") or [] if a.get("StreetAddress") or a.get("City")]
        currency = (record.get("Currency") or {}).get("CurrencyCode") or ""
        home = next((_country(a.get("Country")) for a in addresses if _country(a.get("Country"))), None)
        home = home or (_country(currency[:2]) if len(currency) == 3 else None)
        phone = _e164(record.get("PhoneNumber"), home) or _e164(record.get("MobileNumber"), home)
        if phone and phone not in seen_phones:
            assert customer["phone"] == phone, (record["CustomerCode"], record.get("PhoneNumber"))
            seen_phones.add(phone)
        elif not phone:
            assert customer["phone"] is None, record["CustomerCode"]
        assert ("unleashed-obsolete" in customer["tags"]) is bool(record.get("Obsolete"))


def assert_exact_stock(
    inventory: list[dict[str, Any]],
    stock_rows: list[dict[str, Any]],
    locations: list[dict[str, Any]],
    shop_products: list[dict[str, Any]],
) -> int:
    """`available` at each active location of a warehouse equals the warehouse's AvailableQty for every SKU
    on a live product. Returns how many levels were checked."""
    location_of = {
        field["value"]: location["id"]
        for location in locations
        if location["isActive"]
        for field in location["metafields"]
        if (field["namespace"], field["key"]) == ("unleashed", "warehouse_code")
    }
    item_of = {
        v["sku"]: v["inventoryItem"]["id"] for p in shop_products if p["status"] != "ARCHIVED" for v in p["variants"]
    }
    level = {(row["inventoryItemId"], row["locationId"]): row for row in inventory if row["isActive"]}
    checked = 0
    for row in stock_rows:
        item, place = item_of.get(row["ProductCode"]), location_of.get(row["WarehouseCode"])
        if item is None or place is None:
            continue
        want = int(Decimal(str(row["AvailableQty"])).to_integral_value(rounding=ROUND_HALF_UP))
        got = level.get((item, place))
        assert got is not None, f"{row['ProductCode']} not stocked at {row['WarehouseCode']}"
        assert got["available"] == want, (row["ProductCode"], row["WarehouseCode"], got["available"], want)
        checked += 1
    return checked


async def assert_exact_shop(client: Any, merchant: Any) -> dict[str, int]:
    """Products, locations, customers and stock of the merchant's shop are exactly what its Unleashed holds."""
    products = await client.unleashed_products(merchant.api_id)
    shop_products = await client.shop_products(merchant.shop)
    assert_exact_products(shop_products, products)
    locations = await client.shop_records(merchant.shop, "locations")
    assert_exact_locations(locations, await client.unleashed_records(merchant.api_id, "warehouses"))
    customers = await client.shop_records(merchant.shop, "customers")
    assert_exact_customers(customers, await client.unleashed_records(merchant.api_id, "customers"))
    levels = assert_exact_stock(
        await client.shop_records(merchant.shop, "inventory"),
        await client.unleashed_records(merchant.api_id, "stock"),
        locations,
        shop_products,
    )
    return {"products": len(shop_products), "locations": len(locations), "customers": len(customers), "levels": levels}

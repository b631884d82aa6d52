"""What Shopify must hold after a products sync, worked out from the raw Unleashed records by the brief's
rules, independently of the planner's code."""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True)
class ExpectedProduct:
    title: str
    status: str
    prices_by_sku: dict[str, str]


def _price(value: Any) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected_products(records: list[dict[str, Any]]) -> dict[frozenset[str], ExpectedProduct]:
    """Keyed by the set of SKUs each Shopify product must hold (only products that must exist)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    singles: list[dict[str, Any]] = []
    for record in records:
        if record.get("IsComponent") or record.get("IsSellable") is False:
            continue
        attributes = record.get("AttributeSet") or {}
        title = attributes.get("ProductTitle")
        if title:
            groups.setdefault(title.casefold(), []).append(record)
        else:
            singles.append(record)
    # A ProductTitle no other product shares makes a single product, titled from its description.
    for title in [title for title, members in groups.items() if len(members) == 1]:
        singles.append(groups.pop(title)[0])
    expected: dict[frozenset[str], ExpectedProduct] = {}
    for record in singles:
        if record.get("Obsolete"):
            continue  # never synced before, so never created
        expected[frozenset([record["ProductCode"]])] = ExpectedProduct(
            title=record["ProductDescription"][:255].rstrip(),
            status="ACTIVE",
            prices_by_sku={record["ProductCode"]: _price(record["DefaultSellPrice"])},
        )
    for members in groups.values():
        live = [m for m in members if not m.get("Obsolete")]
        if not live:
            continue
        title = members[0]["AttributeSet"]["ProductTitle"]
        expected[frozenset(m["ProductCode"] for m in live)] = ExpectedProduct(
            title=title[:255].rstrip(),
            status="ACTIVE",
            prices_by_sku={m["ProductCode"]: _price(m["DefaultSellPrice"]) for m in live},
        )
    return expected


def assert_one_live_variant_per_sku(shop_products: list[dict[str, Any]]) -> None:
    """No SKU is on two variants of products that are not archived, anywhere in the shop."""
    live = Counter(v["sku"] for p in shop_products if p["status"] != "ARCHIVED" for v in p["variants"] if v.get("sku"))
    doubled = sorted(sku for sku, count in live.items() if count > 1)
    assert not doubled, f"SKUs on two live variants: {doubled[:10]}"


def assert_exact_products(
    shop_products: list[dict[str, Any]], records: list[dict[str, Any]]
) -> dict[frozenset[str], dict[str, Any]]:
    """The shop's live products are exactly what the records call for (SKUs, titles, prices), with no SKU on
    two live variants. Returns the live products by their SKU sets."""
    assert_one_live_variant_per_sku(shop_products)
    expected = expected_products(records)
    actual = products_by_skus([p for p in shop_products if p["status"] != "ARCHIVED"])
    assert set(actual) == set(expected), set(actual) ^ set(expected)
    for skus, want in expected.items():
        product = actual[skus]
        assert (product["title"], product["status"]) == (want.title, want.status), sorted(skus)
        prices = {v["sku"]: Decimal(v["price"]) for v in product["variants"]}
        assert prices == {sku: Decimal(price) for sku, price in want.prices_by_sku.items()}, sorted(skus)
    return actual


def live_singles(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records that become a one-variant product of their own: no ProductTitle, live, sellable."""
    return [
        r
        for r in records
        if not (r.get("AttributeSet") or {}).get("ProductTitle")
        and not r.get("Obsolete")
        and not r.get("IsComponent")
        and r.get("IsSellable", True)
    ]


def products_by_skus(shop_products: list[dict[str, Any]]) -> dict[frozenset[str], dict[str, Any]]:
    return {frozenset(v["sku"] for v in product["variants"]): product for product in shop_products}

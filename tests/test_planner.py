"""The pure planner: Unleashed records → desired products → creates / updates / archives. No I/O."""

from typing import Any

from producer.pipeline.mirror import MirrorEntry
from producer.resources.products.desired import (
    DEFAULT_OPTION_NAME,
    DesiredProduct,
    build_desired_products,
    round_price,
    shopify_title,
    split_option_names,
)
from producer.resources.products.plan import ARCHIVE_HASH, ShopifyProduct, plan_product_changes
from shared.models import MutationAction


def record(code: str, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Guid": f"guid-{code}",
        "ProductCode": code,
        "ProductDescription": f"Product {code}",
        "DefaultSellPrice": 10.0,
        "Obsolete": False,
        "IsComponent": False,
        "IsSellable": True,
        "ProductGroup": {"GroupName": "Apparel", "Guid": "g1"},
        "ProductBrand": {"BrandName": "Acme", "Guid": "b1"},
        "SellPriceTier1": {"Name": "Sell Price Tier 1", "Value": "9.005"},
        "SellPriceTier2": {"Name": "Sell Price Tier 2", "Value": None},
        "Weight": 0.25,
        "Barcode": "9400000000001",
    }
    base.update(overrides)
    return base


def grouped(code: str, title: str, colour: str, size: str) -> dict[str, Any]:
    return record(
        code,
        AttributeSet={
            "ProductTitle": title,
            "Option Names": "Colour | Size",
            "Option 1 Value": colour,
            "Option 2 Value": size,
        },
    )


def synced(desired: DesiredProduct, number: int, status: str = "ACTIVE") -> tuple[MirrorEntry, ShopifyProduct]:
    """A product we created earlier for `desired`: its mirror row and what the shop holds."""
    shopify_id = f"gid://shopify/Product/{number}"
    entry = MirrorEntry(
        entity_key=desired.key,
        shopify_id=shopify_id,
        content_hash=desired.content_hash(),
        status=status,
        skus=desired.skus,
    )
    return entry, ShopifyProduct(id=shopify_id, status=status, skus=desired.skus)


def test_rounding_is_half_up_and_titles_are_cut_at_255() -> None:
    from decimal import Decimal

    assert round_price(Decimal("12.345")) == "12.35"
    assert round_price(Decimal("12.344")) == "12.34"
    assert round_price(Decimal("0.005")) == "0.01"
    long_title = "word " * 60
    cut = shopify_title(long_title)
    assert len(cut) <= 255 and not cut.endswith(" ")
    assert split_option_names("Colour,Size|Material, Extra") == ("Colour", "Size", "Material")


def test_single_product_maps_every_field() -> None:
    desired, skipped = build_desired_products([record("A1", DefaultSellPrice=12.345)])
    assert skipped == []
    (product,) = desired
    assert product.key == "sku:A1"
    assert product.title == "Product A1"
    assert product.product_type == "Apparel" and product.vendor == "Acme"
    assert product.option_names == (DEFAULT_OPTION_NAME,)
    (variant,) = product.variants
    assert (variant.sku, variant.price, variant.barcode, variant.weight_grams) == (
        "A1",
        "12.35",
        "9400000000001",
        250.0,
    )
    assert variant.tier_prices == {1: "9.01"}
    product_input = product.product_set_input()
    assert product_input["variants"][0]["inventoryItem"]["measurement"]["weight"] == {"value": 250.0, "unit": "GRAMS"}
    assert product_input["variants"][0]["metafields"][0]["key"] == "sell_price_tier_1"


def test_products_sharing_a_product_title_become_one_product_with_variants() -> None:
    records = [
        grouped("T-RED-S", "Tee", "Red", "S"),
        grouped("T-RED-M", "Tee", "Red", "M"),
        grouped("T-BLU-S", "Tee", "Blue", "S"),
        record("SOLO"),
    ]
    desired, _ = build_desired_products(records)
    by_key = {p.key: p for p in desired}
    tee = by_key["title:tee"]
    assert tee.title == "Tee"
    assert tee.option_names == ("Colour", "Size")
    assert sorted(tee.skus) == ["T-BLU-S", "T-RED-M", "T-RED-S"]
    options = tee.product_set_input()["productOptions"]
    assert [o["name"] for o in options] == ["Colour", "Size"]
    assert {v["name"] for v in options[0]["values"]} == {"Red", "Blue"}
    assert "sku:SOLO" in by_key


def test_components_unsellable_and_malformed_records_are_left_out_and_reported() -> None:
    records = [
        record("OK"),
        record("COMP", IsComponent=True),
        record("NOSALE", IsSellable=False),
        record("", ProductDescription="no code"),
        record("BADPRICE", DefaultSellPrice="abc"),
        record("OK"),
        "not an object",
    ]
    desired, skipped = build_desired_products(records)
    assert [p.key for p in desired] == ["sku:OK"]
    reasons = {s.reference: s.reason for s in skipped}
    assert "DefaultSellPrice is not a number: 'abc'" in reasons["product 'BADPRICE'"]
    assert any("ProductCode is missing" in r for r in reasons.values())
    assert reasons["product 'OK'"] == "duplicate ProductCode"
    assert len(skipped) == 4


def test_plan_creates_then_nothing_when_unchanged() -> None:
    desired, _ = build_desired_products([record("A1"), record("A2")])
    plan = plan_product_changes(desired, [], [])
    assert [c.action for c in plan.changes] == [MutationAction.CREATE, MutationAction.CREATE]
    mirror, shopify = zip(*(synced(p, i) for i, p in enumerate(desired)), strict=True)
    assert plan_product_changes(desired, list(shopify), list(mirror)).changes == []


def test_a_changed_price_is_an_update_of_the_known_product() -> None:
    before, _ = build_desired_products([record("A1")])
    after, _ = build_desired_products([record("A1", DefaultSellPrice=11)])
    entry, product = synced(before[0], 7)
    (change,) = plan_product_changes(after, [product], [entry]).changes
    assert change.action is MutationAction.UPDATE and change.shopify_id == "gid://shopify/Product/7"


def test_existing_product_with_the_same_sku_is_adopted_not_duplicated() -> None:
    desired, _ = build_desired_products([record("A1")])
    merchant_product = ShopifyProduct(id="gid://shopify/Product/99", status="ACTIVE", skus=("A1",))
    untouched = ShopifyProduct(id="gid://shopify/Product/5", status="ACTIVE", skus=("OTHER",))
    plan = plan_product_changes(desired, [merchant_product, untouched], [])
    (change,) = plan.changes
    assert change.action is MutationAction.UPDATE and change.shopify_id == "gid://shopify/Product/99"
    assert plan.counts["adopted"] == 1


def test_left_the_source_is_archived_once_and_foreign_products_are_never_touched() -> None:
    mirror = [
        MirrorEntry(
            entity_key="sku:GONE",
            shopify_id="gid://shopify/Product/1",
            content_hash="h",
            status="ACTIVE",
            skus=("GONE",),
        )
    ]
    shopify = [
        ShopifyProduct(id="gid://shopify/Product/1", status="ACTIVE", skus=("GONE",)),
        ShopifyProduct(id="gid://shopify/Product/2", status="ACTIVE", skus=("MERCHANT",)),
    ]
    (change,) = plan_product_changes([], shopify, mirror).changes
    assert change.action is MutationAction.ARCHIVE and change.shopify_id == "gid://shopify/Product/1"
    assert change.content_hash == ARCHIVE_HASH
    archived = [ShopifyProduct(id="gid://shopify/Product/1", status="ARCHIVED", skus=("GONE",)), shopify[1]]
    assert plan_product_changes([], archived, mirror).changes == []


def test_obsolete_is_archived_if_synced_and_never_created_otherwise() -> None:
    desired, _ = build_desired_products([record("OLD", Obsolete=True)])
    assert desired[0].status == "ARCHIVED"
    plan = plan_product_changes(desired, [], [])
    assert plan.changes == [] and plan.notes
    live, _ = build_desired_products([record("OLD")])
    entry, product = synced(live[0], 3)
    (change,) = plan_product_changes(desired, [product], [entry]).changes
    assert change.action is MutationAction.UPDATE
    assert change.variables["input"]["status"] == "ARCHIVED"


def test_repeated_option_values_fall_back_to_sku_options_and_are_reported() -> None:
    records = [grouped("X1", "Mug", "Red", "S"), grouped("X2", "Mug", "Red", "S")]
    desired, skipped = build_desired_products(records)
    assert desired[0].option_names == ("SKU",)
    assert [v.option_values for v in desired[0].variants] == [("X1",), ("X2",)]
    assert skipped and "option" in skipped[0].reason


def test_attribute_list_form_is_understood_too() -> None:
    raws = [
        record(
            code,
            AttributeSet={
                "Attributes": [
                    {"Name": "Product Title", "Value": "Cap"},
                    {"Name": "Option Names", "Value": "Colour"},
                    {"Name": "Option 1 Value", "Value": colour},
                ]
            },
        )
        for code, colour in (("L1", "Green"), ("L2", "Blue"))
    ]
    desired, _ = build_desired_products(raws)
    assert desired[0].key == "title:cap" and desired[0].option_names == ("Colour",)

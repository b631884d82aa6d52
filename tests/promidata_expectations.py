"""What Shopify must hold after a Promidata sync, worked out from the sandbox's own description of its feed
(titles, configuration, prices and image URLs as the family files carry them), independently of the product's
mapping code: one product per listed family, a variant per child, prices for the tenant's region, media in the
feed's order."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LANGUAGES = ("en", "de", "nl", "fr")  # the tenant's preference in these tests
REGIONS = ("BENELUX", "DEU", "EURO")  # price country NL


def _price(child: dict[str, Any]) -> str | None:
    for region in REGIONS:
        tiers = [t for t in child["prices"].get(region, {}).get("selling", []) if not t["on_request"]]
        if tiers:
            price = min(tiers, key=lambda tier: tier["quantity"])["price"]
            return str(Decimal(str(price)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return None  # price on request: not sold in the shop


def expected_product(family: dict[str, Any]) -> dict[str, Any] | None:
    """The product a family must be, or None when no child has a price (nothing to sell)."""
    language = next(lang for lang in LANGUAGES if lang in family["languages"])
    children = [child for child in family["children"] if _price(child) is not None]
    if not children:
        return None
    configuration = [child["configuration"][language] for child in children]
    names = [field["ConfigurationNameTranslated"] for field in configuration[0] or []]
    values = [tuple(field["ConfigurationValue"] for field in fields or []) for fields in configuration]
    if names and len(set(values)) == len(values):
        options = names
    elif len(children) == 1:  # nothing to tell apart: Shopify's one default option
        options, values = ["Title"], [("Default Title",)]
    else:  # variants without configuration are told apart by their SKU
        options, values = ["SKU"], [(child["sku"],) for child in children]
    media: list[str] = []
    for url in [family["image_url"], *(url for child in children for url in child["image_urls"])]:
        if url not in media:
            media.append(url)
    return {
        "title": family["titles"][language],
        "vendor": family["brand"],
        "productType": family["category"],
        "options": options,
        "variants": [
            (child["sku"], _price(child), child["ean"], value) for child, value in zip(children, values, strict=True)
        ],
        "media": media,
    }


def actual_product(product: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": product["title"],
        "vendor": product["vendor"],
        "productType": product["productType"],
        "options": [option["name"] for option in product["options"]],
        "variants": [
            (v["sku"], v["price"], v["barcode"], tuple(o["value"] for o in v["selectedOptions"]))
            for v in product["variants"]
        ],
        "media": [media["originalSource"] for media in product["media"]],
    }


def assert_exact_promidata_shop(
    feed: dict[str, Any], products: list[dict[str, Any]], *, left_out: frozenset[str] = frozenset()
) -> dict[str, dict[str, Any]]:
    """Every listed family (but `left_out`) is exactly one active product; a family no longer listed that was
    synced is archived; nothing else. Returns the products by family SKU."""
    by_sku = {v["sku"]: p for p in products for v in p["variants"]}
    found: dict[str, dict[str, Any]] = {}
    for family in feed["families"]:
        holders = {by_sku[c["sku"]]["id"] for c in family["children"] if c["sku"] in by_sku}
        expected = expected_product(family)
        if family["sku"] in left_out or not family["listed"] or expected is None:
            if family["listed"]:
                assert not holders, family["sku"]
            continue
        assert len(holders) == 1, (family["sku"], holders)
        product = by_sku[family["children"][0]["sku"]]
        assert product["status"] == "ACTIVE", family["sku"]
        assert actual_product(product) == expected, family["sku"]
        assert all(media["alt"] for media in product["media"])
        found[family["sku"]] = product
    live = [p for p in products if p["status"] == "ACTIVE"]
    assert len(live) == len(found), "no other live product"
    return found

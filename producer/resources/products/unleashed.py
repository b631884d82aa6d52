"""Unleashed product records as the planner sees them: parsed, validated, or rejected with a reason."""

import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from producer.sources.records import InvalidRecord, decimal_field, flag, name_of


class UnleashedProduct(BaseModel):
    model_config = ConfigDict(frozen=True)

    guid: str | None
    product_code: str
    description: str
    barcode: str | None
    weight_kg: Decimal | None
    default_sell_price: Decimal
    sell_price_tiers: dict[int, Decimal]
    product_group: str | None
    brand: str | None
    is_component: bool
    is_sellable: bool
    obsolete: bool
    attributes: dict[str, str]

    def attribute(self, name: str) -> str | None:
        return self.attributes.get(normalise_attribute_name(name))


def normalise_attribute_name(name: str) -> str:
    """`ProductTitle`, `Product Title` and `product_title` are one attribute."""
    return re.sub(r"[\s_\-]", "", name).lower()


def _attributes(value: Any) -> dict[str, str]:
    """Accepts the flat form (`{"ProductTitle": ..., "Option Names": ...}`) and `Attributes: [{Name, Value}]`."""
    if not isinstance(value, dict):
        return {}
    found: dict[str, str] = {}
    listed = value.get("Attributes")
    if isinstance(listed, list):
        for item in listed:
            if isinstance(item, dict) and item.get("Name") and item.get("Value") not in (None, ""):
                found[normalise_attribute_name(str(item["Name"]))] = str(item["Value"]).strip()
    for key, item_value in value.items():
        if key == "Attributes" or item_value is None or isinstance(item_value, dict | list):
            continue
        text = str(item_value).strip()
        if text:
            found[normalise_attribute_name(key)] = text
    return found


def parse_unleashed_product(raw: Any, position: int) -> UnleashedProduct:
    """Validate one raw Unleashed product. Raises InvalidRecord with a reason a merchant can act on."""
    if not isinstance(raw, dict):
        raise InvalidRecord(f"record #{position}", "is not a JSON object")
    code = raw.get("ProductCode")
    guid = raw.get("Guid")
    reference = f"product {code!r}" if code else f"record #{position} (Guid {guid!r})"
    if not isinstance(code, str) or not code.strip():
        raise InvalidRecord(reference, "ProductCode is missing")
    price = decimal_field(raw.get("DefaultSellPrice"), "DefaultSellPrice", reference, required=True)
    assert price is not None
    if price < 0:
        raise InvalidRecord(reference, f"DefaultSellPrice is negative: {price}")
    tiers: dict[int, Decimal] = {}
    for tier in range(1, 11):
        tier_value = raw.get(f"SellPriceTier{tier}")
        amount = tier_value.get("Value") if isinstance(tier_value, dict) else tier_value
        parsed = decimal_field(amount, f"SellPriceTier{tier}", reference, required=False)
        if parsed is not None:
            tiers[tier] = parsed
    description = raw.get("ProductDescription")
    barcode = raw.get("Barcode")
    return UnleashedProduct(
        guid=str(guid) if guid else None,
        product_code=code.strip(),
        description=str(description).strip() if description else "",
        barcode=str(barcode).strip() or None if barcode is not None else None,
        weight_kg=decimal_field(raw.get("Weight"), "Weight", reference, required=False),
        default_sell_price=price,
        sell_price_tiers=tiers,
        product_group=name_of(raw.get("ProductGroup"), "GroupName"),
        brand=name_of(raw.get("ProductBrand"), "BrandName"),
        is_component=flag(raw, "IsComponent", False),
        is_sellable=flag(raw, "IsSellable", True),
        obsolete=flag(raw, "Obsolete", False),
        attributes=_attributes(raw.get("AttributeSet")),
    )

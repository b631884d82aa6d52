"""Unleashed product records as the planner sees them: parsed, validated, or rejected with a reason."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict


class InvalidRecord(ValueError):
    """A source record we skip and report; the rest of the run goes on."""

    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(f"{reference}: {reason}")
        self.reference = reference
        self.reason = reason


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


def _decimal(value: Any, field: str, reference: str, *, required: bool) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise InvalidRecord(reference, f"{field} is missing")
        return None
    if isinstance(value, bool):
        raise InvalidRecord(reference, f"{field} is not a number: {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidRecord(reference, f"{field} is not a number: {value!r}") from None
    if not number.is_finite():
        raise InvalidRecord(reference, f"{field} is not a finite number: {value!r}")
    return number


def _name(value: Any, key: str) -> str | None:
    if isinstance(value, dict):
        name = value.get(key)
        return str(name).strip() or None if name is not None else None
    return None


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


def _flag(raw: dict[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key)
    return default if value is None else bool(value)


def parse_unleashed_product(raw: Any, position: int) -> UnleashedProduct:
    """Validate one raw Unleashed product. Raises InvalidRecord with a reason a merchant can act on."""
    if not isinstance(raw, dict):
        raise InvalidRecord(f"record #{position}", "is not a JSON object")
    code = raw.get("ProductCode")
    guid = raw.get("Guid")
    reference = f"product {code!r}" if code else f"record #{position} (Guid {guid!r})"
    if not isinstance(code, str) or not code.strip():
        raise InvalidRecord(reference, "ProductCode is missing")
    price = _decimal(raw.get("DefaultSellPrice"), "DefaultSellPrice", reference, required=True)
    assert price is not None
    if price < 0:
        raise InvalidRecord(reference, f"DefaultSellPrice is negative: {price}")
    tiers: dict[int, Decimal] = {}
    for tier in range(1, 11):
        tier_value = raw.get(f"SellPriceTier{tier}")
        amount = tier_value.get("Value") if isinstance(tier_value, dict) else tier_value
        parsed = _decimal(amount, f"SellPriceTier{tier}", reference, required=False)
        if parsed is not None:
            tiers[tier] = parsed
    description = raw.get("ProductDescription")
    barcode = raw.get("Barcode")
    return UnleashedProduct(
        guid=str(guid) if guid else None,
        product_code=code.strip(),
        description=str(description).strip() if description else "",
        barcode=str(barcode).strip() or None if barcode is not None else None,
        weight_kg=_decimal(raw.get("Weight"), "Weight", reference, required=False),
        default_sell_price=price,
        sell_price_tiers=tiers,
        product_group=_name(raw.get("ProductGroup"), "GroupName"),
        brand=_name(raw.get("ProductBrand"), "BrandName"),
        is_component=_flag(raw, "IsComponent", False),
        is_sellable=_flag(raw, "IsSellable", True),
        obsolete=_flag(raw, "Obsolete", False),
        attributes=_attributes(raw.get("AttributeSet")),
    )

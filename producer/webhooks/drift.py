"""Does what a webhook says Shopify holds differ from what the source wants? Pure.

Only what we set is compared (title, status, vendor and product type when we set them, each variant's price
and barcode by SKU, the set of SKUs), so a field the merchant may change freely (tags of their own, a
description edited in the admin, SEO) never causes a mutation, and the echo of our own write matches.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from producer.resources.products.desired import DesiredProduct


def shopify_gid(kind: str, value: Any) -> str | None:
    """`gid://shopify/{kind}/{n}` from a REST id (webhook payloads carry numeric ids); a gid passes through."""
    if isinstance(value, str) and value.startswith("gid://"):
        return value
    if isinstance(value, int | str) and str(value).isdigit():
        return f"gid://shopify/{kind}/{value}"
    return None


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01")) if value not in (None, "") else None
    except InvalidOperation:
        return None


def product_drift(desired: DesiredProduct, payload: dict[str, Any]) -> list[str]:
    """What differs between the desired product and a `products/update` payload (empty: in step)."""
    differs: list[str] = []
    if (payload.get("title") or "") != desired.title:
        differs.append("title")
    if str(payload.get("status") or "").upper() != desired.status:
        differs.append("status")
    if desired.vendor and payload.get("vendor") != desired.vendor:
        differs.append("vendor")
    if desired.product_type and payload.get("product_type") != desired.product_type:
        differs.append("product type")
    variants = {v.get("sku"): v for v in payload.get("variants") or [] if isinstance(v, dict) and v.get("sku")}
    if set(variants) != set(desired.skus):
        differs.append("variants")
        return differs
    for wanted in desired.variants:
        got = variants[wanted.sku]
        if _money(got.get("price")) != _money(wanted.price) and "price" not in differs:
            differs.append("price")
        if wanted.barcode and got.get("barcode") != wanted.barcode and "barcode" not in differs:
            differs.append("barcode")
    return differs


def payload_skus(payload: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(v["sku"]) for v in payload.get("variants") or [] if isinstance(v, dict) and v.get("sku"))

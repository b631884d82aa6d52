"""Products: `productSet` creates and updates (with all variants), `productUpdate` archives."""

from typing import Any

from mutator.effects.base import Effect, Payload, require_id, rows_with
from shared.models import EntityKind, MirrorRow, MutationAction, MutationJob


def product_written(job: MutationJob, payload: Payload) -> list[MirrorRow]:
    product: dict[str, Any] = payload.get("product") or {}
    shopify_id = require_id(product.get("id") or job.shopify_id, "product")
    variants = (product.get("variants") or {}).get("nodes") or []
    details: dict[str, Any] = {
        "variants": {
            v["sku"]: {"id": v["id"], "inventoryItemId": (v.get("inventoryItem") or {}).get("id")}
            for v in variants
            if v.get("sku")
        }
    }
    if product.get("handle"):
        details["handle"] = product["handle"]
    return rows_with(job, shopify_id, status=product.get("status"), details=details)


def product_archived(job: MutationJob, payload: Payload) -> list[MirrorRow]:
    product: dict[str, Any] = payload.get("product") or {}
    return rows_with(job, require_id(product.get("id") or job.shopify_id, "product"), status=product.get("status"))


PRODUCT_EFFECTS = {
    (EntityKind.PRODUCT, MutationAction.CREATE): Effect("ProductSet", product_written),
    (EntityKind.PRODUCT, MutationAction.UPDATE): Effect("ProductSet", product_written),
    (EntityKind.PRODUCT, MutationAction.ARCHIVE): Effect("ProductArchive", product_archived),
}

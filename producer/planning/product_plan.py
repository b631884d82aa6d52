"""Diff what Shopify should hold against what it holds: creates, updates and archives. Pure."""

from collections import Counter

from pydantic import BaseModel, ConfigDict

from producer.planning.desired_products import DesiredProduct
from shared.models import MutationAction

ARCHIVED = "ARCHIVED"


class ShopifyProduct(BaseModel):
    """A product as the producer read it from Shopify."""

    model_config = ConfigDict(frozen=True)

    id: str
    status: str
    skus: tuple[str, ...]
    tags: tuple[str, ...] = ()


class MirrorEntry(BaseModel):
    """What we last wrote for an entity we created or adopted."""

    model_config = ConfigDict(frozen=True)

    entity_key: str
    shopify_id: str
    content_hash: str
    status: str | None


class PlannedChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    action: MutationAction
    entity_key: str
    content_hash: str
    shopify_id: str | None
    skus: tuple[str, ...]
    desired: DesiredProduct | None


class ProductPlan(BaseModel):
    changes: list[PlannedChange]
    adopted: list[str]
    notes: list[str]

    def count(self, action: MutationAction) -> int:
        return sum(1 for change in self.changes if change.action is action)


ARCHIVE_HASH = "archived"


def _adoption_candidate(
    desired: DesiredProduct, by_sku: dict[str, ShopifyProduct], claimed: set[str]
) -> ShopifyProduct | None:
    """The existing Shopify product holding most of this product's SKUs, if one does."""
    holders = Counter(by_sku[sku].id for sku in desired.skus if sku in by_sku and by_sku[sku].id not in claimed)
    if not holders:
        return None
    best_id, _ = max(holders.items(), key=lambda item: (item[1], item[0]))
    return next(by_sku[sku] for sku in desired.skus if sku in by_sku and by_sku[sku].id == best_id)


def plan_product_changes(
    desired_products: list[DesiredProduct],
    shopify_products: list[ShopifyProduct],
    mirror: list[MirrorEntry],
) -> ProductPlan:
    """Decide the mutations that bring Shopify to the desired state.

    - a desired product we wrote before with the same content hash: nothing;
    - one we know (mirror) or that an existing product holds by SKU (adoption): update;
    - otherwise: create, unless it is archived (an obsolete product never synced is not created);
    - a product we manage that left the source: archive (never delete), unless already archived.
    Products we neither created nor adopted are never touched.
    """
    by_id = {product.id: product for product in shopify_products}
    by_sku: dict[str, ShopifyProduct] = {}
    for product in shopify_products:
        for sku in product.skus:
            by_sku.setdefault(sku, product)
    mirror_by_key = {entry.entity_key: entry for entry in mirror}
    claimed = {entry.shopify_id for entry in mirror if entry.shopify_id in by_id}
    changes: list[PlannedChange] = []
    adopted: list[str] = []
    notes: list[str] = []

    for desired in desired_products:
        content_hash = desired.content_hash()
        known = mirror_by_key.get(desired.key)
        target = by_id.get(known.shopify_id) if known else None
        if target is None:
            target = _adoption_candidate(desired, by_sku, claimed)
            if target is not None:
                claimed.add(target.id)
                adopted.append(desired.key)
        if target is None:
            if desired.status == ARCHIVED:
                notes.append(f"{desired.key}: obsolete and never synced, not created")
                continue
            changes.append(
                PlannedChange(
                    action=MutationAction.CREATE,
                    entity_key=desired.key,
                    content_hash=content_hash,
                    shopify_id=None,
                    skus=tuple(desired.skus),
                    desired=desired,
                )
            )
            continue
        if known and known.shopify_id == target.id and known.content_hash == content_hash:
            continue
        changes.append(
            PlannedChange(
                action=MutationAction.UPDATE,
                entity_key=desired.key,
                content_hash=content_hash,
                shopify_id=target.id,
                skus=tuple(desired.skus),
                desired=desired,
            )
        )

    desired_keys = {desired.key for desired in desired_products}
    for entry in mirror:
        if entry.entity_key in desired_keys:
            continue
        current = by_id.get(entry.shopify_id)
        if current is None or current.status == ARCHIVED:
            continue
        changes.append(
            PlannedChange(
                action=MutationAction.ARCHIVE,
                entity_key=entry.entity_key,
                content_hash=ARCHIVE_HASH,
                shopify_id=entry.shopify_id,
                skus=current.skus,
                desired=None,
            )
        )
    return ProductPlan(changes=changes, adopted=adopted, notes=notes)

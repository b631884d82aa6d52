"""Products: the changes that bring Shopify to the desired products. Pure.

A product we manage is known by the SKUs it holds (the mirror keeps them), never by its title or handle: a
renamed group, a SKU moving between groups, a group split, merged or dissolved all update the products we
already have, so one SKU is never on two live products. Changes that would put a SKU on a product while
another of our live products still holds it wait (wave 1) until the changes that take it away (wave 0) have
run; where two products swap SKUs, the one that gives some away first sheds them in a wave-0 step of its own.
"""

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from producer.pipeline.diff import Foreign, Managed, match_entities, unique_key
from producer.pipeline.mirror import MirrorEntry
from producer.pipeline.plan import PlannedChange, SkippedRecord, StepPlan
from producer.pipeline.plan import content_hash as hash_of
from producer.resources.products.desired import DesiredProduct
from shared.models import EntityKind, MirrorRow, MutationAction

ARCHIVED = "ARCHIVED"
ARCHIVE_HASH = "archived"
UNLEASHED = "unleashed"  # the source of a product row that does not say (every row before Promidata)


class ShopifyProduct(BaseModel):
    """A product as the producer read it from Shopify."""

    model_config = ConfigDict(frozen=True)

    id: str
    status: str
    skus: tuple[str, ...]
    tags: tuple[str, ...] = ()


class Placement(BaseModel):
    """Where a desired product lives in Shopify once its jobs ran: the entity, and the product's id, or the
    handle its create (queued now or earlier) upserts by. What a later change to the product (its media) names."""

    model_config = ConfigDict(frozen=True)

    entity_key: str
    shopify_id: str | None
    handle: str | None


class ProductPlan(StepPlan):
    placements: dict[str, Placement] = Field(default_factory=dict, description="By desired product key")


@dataclass(frozen=True)
class _Target:
    """Where a desired product goes: the entity key, and the product id (None: created, upsert by handle)."""

    key: str
    shopify_id: str | None
    handle: str | None
    live_skus: frozenset[str]


def plan_product_changes(
    desired_products: list[DesiredProduct],
    shopify_products: list[ShopifyProduct],
    mirror: list[MirrorEntry],
    *,
    source: str = UNLEASHED,
    others: list[MirrorEntry] | None = None,
    keep: frozenset[str] = frozenset(),
) -> ProductPlan:
    """Creates, updates and archives against the projected mirror (what Shopify will hold once queued jobs
    ran) of the products this `source` manages. A product we did not create is never touched, except one
    holding the same SKUs, which is adopted; products another source of ours manages (`others`) are neither
    adopted nor touched, and a SKU one of them holds is reported, not fought over. Managed products whose key is
    in `keep` (still in the source, but unusable this time) are left as they are, never archived."""
    by_id = {product.id: product for product in shopify_products}
    entries = {entry.entity_key: entry for entry in mirror}

    def exists(entry: MirrorEntry) -> bool:
        return entry.shopify_id in by_id if entry.shopify_id else entry.pending

    def live(entry: MirrorEntry) -> bool:
        if not exists(entry):
            return False
        status = entry.status if entry.pending or entry.shopify_id is None else by_id[entry.shopify_id].status
        return status != ARCHIVED

    managed = [Managed(e.entity_key, frozenset(e.skus), live(e)) for e in mirror]
    ours = {entry.shopify_id for entry in [*mirror, *(others or [])] if entry.shopify_id}
    foreign = [Foreign(p.id, frozenset(p.skus)) for p in shopify_products if p.id not in ours]
    matching = match_entities(
        desired_products,
        key_of=lambda product: product.key,
        identities_of=lambda product: frozenset(product.skus),
        adoption_keys_of=lambda product: frozenset(product.skus),
        managed=managed,
        foreign=foreign,
    )
    plan = ProductPlan()
    taken_keys = set(entries)
    adopted_ids = {match.adopted.shopify_id for match in matching.matches if match.adopted}
    own_ids = {entry.shopify_id for entry in mirror if entry.shopify_id} | adopted_ids
    foreign_live = {
        sku: p.id for p in shopify_products if p.id not in own_ids and p.status != ARCHIVED for sku in p.skus
    }
    finals: list[tuple[DesiredProduct, _Target]] = []
    for match in matching.matches:
        desired = _without_foreign_skus(match.desired, foreign_live, plan.skipped)
        if desired is None:
            continue
        if match.managed is not None:
            entry = entries[match.managed.key]
            target = _Target(
                entry.entity_key,
                entry.shopify_id if entry.shopify_id in by_id else None,
                entry.details.get("handle") if entry.pending and not entry.shopify_id else None,
                frozenset(entry.skus) if live(entry) else frozenset(),
            )
            if exists(entry) and entry.content_hash == desired.content_hash():
                if desired.status != ARCHIVED:
                    handle = entry.details.get("handle") if target.shopify_id is None else None
                    plan.placements[desired.key] = Placement(
                        entity_key=entry.entity_key, shopify_id=target.shopify_id, handle=handle
                    )
                continue
        elif match.adopted is not None:
            key = unique_key(desired.key, taken_keys)
            target = _Target(key, match.adopted.shopify_id, None, match.adopted.keys)
            plan.counts["adopted"] = plan.counts.get("adopted", 0) + 1
        else:
            target = _Target(unique_key(desired.key, taken_keys), None, None, frozenset())
        if target.shopify_id is None and desired.status == ARCHIVED:
            plan.notes.append(f"{desired.key}: obsolete and not in Shopify, not created")
            continue
        finals.append((desired, target))
        if desired.status != ARCHIVED:
            handle = None if target.shopify_id else target.handle or desired.handle_for(target.key)
            plan.placements[desired.key] = Placement(entity_key=target.key, shopify_id=target.shopify_id, handle=handle)

    retired = [
        entries[m.key]
        for m in matching.unclaimed
        if live(entries[m.key]) and entries[m.key].shopify_id in by_id and m.key not in keep
    ]
    plan.changes = _in_waves(finals, retired, managed, source)
    return plan


def split_by_source(mirror: list[MirrorEntry], source: str) -> tuple[list[MirrorEntry], list[MirrorEntry]]:
    """(the products `source` manages, those another source of ours manages)."""
    own = [entry for entry in mirror if entry.details.get("source", UNLEASHED) == source]
    return own, [entry for entry in mirror if entry.details.get("source", UNLEASHED) != source]


def _without_foreign_skus(
    desired: DesiredProduct, foreign_live: dict[str, str], skipped: list[SkippedRecord]
) -> DesiredProduct | None:
    """A SKU already on a live product we neither made nor adopt stays there alone: never two live variants."""
    clashing = [sku for sku in desired.skus if sku in foreign_live]
    for sku in clashing:
        skipped.append(
            SkippedRecord(
                reference=f"product {sku!r}",
                reason=f"SKU is on Shopify product {foreign_live[sku]}, which this source does not manage; not added",
            )
        )
    if not clashing:
        return desired
    kept = frozenset(desired.skus) - set(clashing)
    return desired.restricted_to(kept) if kept else None


def _in_waves(
    finals: list[tuple[DesiredProduct, _Target]], retired: list[MirrorEntry], managed: list[Managed], source: str
) -> list[PlannedChange]:
    holder: dict[str, str] = {}
    for entity in managed:
        if entity.live:
            for sku in entity.identities:
                holder[sku] = entity.key
    for _desired, target in finals:  # an adopted product holds its SKUs too
        for sku in target.live_skus:
            holder.setdefault(sku, target.key)
    gains: dict[str, frozenset[str]] = {}
    for desired, target in finals:
        final = frozenset() if desired.status == ARCHIVED else frozenset(desired.skus)
        gains[target.key] = frozenset(
            sku for sku in final - target.live_skus if holder.get(sku, target.key) != target.key
        )
    gained_late = frozenset().union(*gains.values()) if gains else frozenset()
    changes = [_archive(entry) for entry in retired]
    for desired, target in finals:
        if not gains[target.key]:
            changes.append(_product_set(desired, target, source, wave=0))
            continue
        giving_away = target.live_skus - frozenset(desired.skus)
        if target.shopify_id and giving_away & gained_late:
            kept = target.live_skus & frozenset(desired.skus)
            shed = _product_set(desired.restricted_to(kept), target, source, wave=0) if kept else _shed(target)
            changes.append(shed)
        changes.append(_product_set(desired, target, source, wave=1))
    return changes


def _product_set(desired: DesiredProduct, target: _Target, source: str, *, wave: int) -> PlannedChange:
    product_input = desired.product_set_input()
    details: dict[str, str] = {"source": source}
    if target.shopify_id:
        action = MutationAction.UPDATE
        variables = {"identifier": {"id": target.shopify_id}, "input": product_input}
    else:
        action = MutationAction.CREATE
        handle = target.handle or desired.handle_for(target.key)
        variables = {"identifier": {"handle": handle}, "input": {**product_input, "handle": handle}}
        details["handle"] = handle
    content_hash = hash_of(product_input)
    return PlannedChange(
        action=action,
        entity_kind=EntityKind.PRODUCT,
        entity_key=target.key,
        content_hash=content_hash,
        variables=variables,
        shopify_id=target.shopify_id,
        writes=(
            MirrorRow(
                entity_kind=EntityKind.PRODUCT,
                entity_key=target.key,
                content_hash=content_hash,
                status=desired.status,
                skus=desired.skus,
                details=details,
            ),
        ),
        wave=wave,
    )


def _archive(entry: MirrorEntry) -> PlannedChange:
    assert entry.shopify_id is not None
    return _archived(entry.entity_key, entry.shopify_id, entry.skus)


def _shed(target: _Target) -> PlannedChange:
    """Keeps none of its SKUs before taking new ones: archived for a moment (the wave-1 change sets it back)."""
    assert target.shopify_id is not None
    return _archived(target.key, target.shopify_id, tuple(sorted(target.live_skus)))


def _archived(key: str, shopify_id: str, skus: tuple[str, ...]) -> PlannedChange:
    return PlannedChange(
        action=MutationAction.ARCHIVE,
        entity_kind=EntityKind.PRODUCT,
        entity_key=key,
        content_hash=ARCHIVE_HASH,
        variables={"product": {"id": shopify_id, "status": ARCHIVED}},
        shopify_id=shopify_id,
        writes=(
            MirrorRow(
                entity_kind=EntityKind.PRODUCT, entity_key=key, content_hash=ARCHIVE_HASH, status=ARCHIVED, skus=skus
            ),
        ),
    )

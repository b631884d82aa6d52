"""Locations: the changes that bring the shop's locations in line with the warehouses. Pure.

A location we manage is known by its warehouse code. Content (name, address, the code as a metafield) and
whether it is active are separate mutations, each writing its own part of the mirror row, so they may run
in any order. An obsolete warehouse, or one that left the source, is deactivated, never deleted; Shopify
moves what the location stocks to a destination (the default warehouse's location, else the shop's primary
one), so that destination's stock is marked for the inventory step to set again (`stockEpoch`).
"""

from pydantic import BaseModel, ConfigDict

from producer.pipeline.diff import Foreign, Managed, match_entities, unique_key
from producer.pipeline.mirror import MirrorEntry
from producer.pipeline.plan import PlannedChange, StepPlan
from producer.resources.locations.desired import DesiredLocation
from shared.models import EntityKind, MirrorRow, MutationAction

ACTIVE = "ACTIVE"
INACTIVE = "INACTIVE"
STOCK_EPOCH = "stockEpoch"


class ShopifyLocation(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    is_active: bool
    is_primary: bool
    warehouse_code: str | None

    @property
    def adoption_keys(self) -> frozenset[str]:
        """What ties a location we do not manage to a warehouse: our code on it, or its name."""
        code = {f"code:{self.warehouse_code}"} if self.warehouse_code else set()
        return frozenset({f"name:{self.name.casefold()}", *code})


def plan_location_changes(
    desired_locations: list[DesiredLocation], shopify_locations: list[ShopifyLocation], mirror: list[MirrorEntry]
) -> StepPlan:
    by_id = {location.id: location for location in shopify_locations}
    entries = {entry.entity_key: entry for entry in mirror}

    def current_id(entry: MirrorEntry) -> str | None:
        return entry.shopify_id if entry.shopify_id in by_id else None

    def is_active(entry: MirrorEntry) -> bool:
        if entry.pending or entry.shopify_id not in by_id:
            return entry.status != INACTIVE
        return by_id[entry.shopify_id].is_active

    ours = {entry.shopify_id for entry in mirror if entry.shopify_id}
    matching = match_entities(
        desired_locations,
        key_of=lambda location: location.key,
        identities_of=lambda location: frozenset({location.key}),
        adoption_keys_of=lambda location: location.adoption_keys,
        managed=[Managed(e.entity_key, frozenset({e.entity_key}), is_active(e)) for e in mirror],
        foreign=[
            Foreign(
                loc.id,
                frozenset(
                    {f"name:{loc.name.casefold()}"} | ({f"code:{loc.warehouse_code}"} if loc.warehouse_code else set())
                ),
            )
            for loc in shopify_locations
            if loc.id not in ours
        ],
    )
    plan = StepPlan()
    taken = set(entries)
    # (entity key, location id, active now, desired) for every location that exists or will
    targets: list[tuple[str, str | None, bool, DesiredLocation]] = []
    for match in matching.matches:
        desired = match.desired
        if match.managed is not None:
            entry = entries[match.managed.key]
            key, location_id, active = entry.entity_key, current_id(entry), is_active(entry)
            unchanged = (location_id is not None or entry.pending) and entry.content_hash == desired.content_hash()
        elif match.adopted is not None:
            key, location_id = unique_key(desired.key, taken), match.adopted.shopify_id
            active, unchanged = by_id[location_id].is_active, False
            plan.counts["adopted"] = plan.counts.get("adopted", 0) + 1
        else:
            key, location_id, active, unchanged = unique_key(desired.key, taken), None, False, False
        if location_id is None and not desired.active:
            plan.notes.append(f"{desired.key}: obsolete and not in Shopify, not created")
            continue
        if location_id is None and not unchanged:
            plan.changes.append(_content(MutationAction.CREATE, key, None, desired))
            continue
        if not unchanged:
            # A location we adopt gets its mirror row now: it says whether the location is active.
            state = (ACTIVE if active else INACTIVE) if match.adopted is not None else None
            plan.changes.append(_content(MutationAction.UPDATE, key, location_id, desired, status=state))
        targets.append((key, location_id, active, desired))

    destination = _destination(targets, shopify_locations)
    for key, location_id, active, desired in targets:
        if location_id is None or active == desired.active:
            continue
        if desired.active:
            plan.changes.append(_activate(key, location_id, entries.get(key)))
        else:
            plan.changes.append(_deactivate(key, location_id, destination, entries))
    for managed in matching.unclaimed:  # the warehouse left the source
        entry = entries[managed.key]
        location_id = current_id(entry)
        if location_id is not None and is_active(entry):
            plan.changes.append(_deactivate(entry.entity_key, location_id, destination, entries))
    return plan


def _destination(
    targets: list[tuple[str, str | None, bool, DesiredLocation]], shopify_locations: list[ShopifyLocation]
) -> tuple[str, str | None] | None:
    """Where a deactivated location's stock goes: (location id, our entity key if we manage it)."""
    for key, location_id, _active, desired in targets:
        if desired.is_default and desired.active and location_id:
            return location_id, key
    primary = next((location for location in shopify_locations if location.is_primary), None)
    return (primary.id, None) if primary else None


def _content(
    action: MutationAction, key: str, location_id: str | None, desired: DesiredLocation, *, status: str | None = None
) -> PlannedChange:
    """Name, address and code; `status` None keeps what the mirror says (a new location is active)."""
    location_input = desired.location_input()
    variables = {"input": location_input} if location_id is None else {"id": location_id, "input": location_input}
    hash_ = desired.content_hash()
    if action is MutationAction.CREATE:
        status = ACTIVE
    return PlannedChange(
        action=action,
        entity_kind=EntityKind.LOCATION,
        entity_key=key,
        content_hash=hash_,
        variables=variables,
        shopify_id=location_id,
        writes=(MirrorRow(entity_kind=EntityKind.LOCATION, entity_key=key, content_hash=hash_, status=status),),
    )


def _epoch(entry: MirrorEntry | None) -> int:
    return int((entry.details if entry else {}).get(STOCK_EPOCH, 0))


def _activate(key: str, location_id: str, entry: MirrorEntry | None) -> PlannedChange:
    """Back from obsolete: its items must be stocked there again, so its stock is set anew (a new epoch)."""
    epoch = _epoch(entry) + 1
    return PlannedChange(
        action=MutationAction.ACTIVATE,
        entity_kind=EntityKind.LOCATION,
        entity_key=key,
        content_hash=f"{ACTIVE}:{epoch}",
        variables={"locationId": location_id},
        shopify_id=location_id,
        writes=(
            MirrorRow(entity_kind=EntityKind.LOCATION, entity_key=key, status=ACTIVE, details={STOCK_EPOCH: epoch}),
        ),
    )


def _deactivate(
    key: str, location_id: str, destination: tuple[str, str | None] | None, entries: dict[str, MirrorEntry]
) -> PlannedChange:
    writes = [MirrorRow(entity_kind=EntityKind.LOCATION, entity_key=key, status=INACTIVE)]
    variables: dict[str, str | None] = {"locationId": location_id, "destinationLocationId": None}
    if destination is not None and destination[0] != location_id:
        variables["destinationLocationId"] = destination[0]
        destination_key = destination[1]
        if destination_key is not None:  # its stock grows by what moves there: set it again from the source
            writes.append(
                MirrorRow(
                    entity_kind=EntityKind.LOCATION,
                    entity_key=destination_key,
                    shopify_id=destination[0],
                    details={STOCK_EPOCH: _epoch(entries.get(destination_key)) + 1},
                )
            )
    return PlannedChange(
        action=MutationAction.DEACTIVATE,
        entity_kind=EntityKind.LOCATION,
        entity_key=key,
        content_hash=f"{INACTIVE}:{variables['destinationLocationId']}",
        variables=variables,
        shopify_id=location_id,
        writes=tuple(writes),
    )

"""One shop's inventory: a level per (inventory item, location) where the item is stocked, and adjustment groups.

Every variant's inventory item is stocked at the shop's primary location when the variant is created, with
all quantities 0; other locations need activation (`inventoryBulkToggleActivation`, `inventoryActivate`).
Unstocking keeps the level but marks it inactive with its quantities deleted (Shopify's `isActive: false`
levels, shown only with `includeInactive: true`). A removed variant's levels go with it.

Quantities: `available` and `on_hand` are kept; nothing is ever committed, reserved or incoming here, so
`on_hand = available + unavailable` and setting one moves the other by the same delta.
"""

from dataclasses import dataclass, field

from sandbox.shopify.catalog import IdSequence, now_iso
from sandbox.shopify.change_journal import ChangeJournal
from sandbox.shopify.locations import Locations

QUANTITY_NAMES = (
    "available",
    "on_hand",
    "committed",
    "incoming",
    "reserved",
    "damaged",
    "quality_control",
    "safety_stock",
    "unavailable",
)


@dataclass
class InventoryLevel:
    id: int
    item_id: int
    location_id: int
    created_at: str
    updated_at: str
    available: int = 0
    on_hand: int = 0
    is_active: bool = True

    def quantity(self, name: str) -> int:
        if name == "available":
            return self.available
        if name == "on_hand":
            return self.on_hand
        if name == "unavailable":
            return self.on_hand - self.available
        return 0


@dataclass(frozen=True)
class InventoryChange:
    name: str
    delta: int
    quantity_after: int
    item_id: int
    location_id: int


@dataclass
class AdjustmentGroup:
    id: int
    created_at: str
    reason: str
    reference_document_uri: str | None
    changes: list[InventoryChange] = field(default_factory=list)


class Inventory:
    """Levels by item and by location; `revision` goes up whenever a level or a quantity changes.

    The `journal` hears of every level stocked, unstocked, removed or given a new quantity.
    """

    def __init__(self, ids: IdSequence, locations: Locations, journal: ChangeJournal | None = None) -> None:
        self.revision = 0
        self.journal = journal if journal is not None else ChangeJournal()
        self.ids = ids
        self.locations = locations
        self._by_item: dict[int, dict[int, InventoryLevel]] = {}
        self._by_location: dict[int, dict[int, InventoryLevel]] = {}
        self.groups: dict[int, AdjustmentGroup] = {}

    # --- the catalogue's InventoryItemWatcher -------------------------------------------------------------

    def item_created(self, item_id: int) -> None:
        self._by_item.setdefault(item_id, {})
        self.stock(item_id, self.locations.primary.id)

    def item_removed(self, item_id: int) -> None:
        for location_id, level in self._by_item.pop(item_id, {}).items():
            self.journal.level(item_id, location_id, existed_before=level.is_active)
            self._by_location.get(location_id, {}).pop(item_id, None)
        self.revision += 1

    def location_removed(self, location_id: int) -> None:
        """Forget every level at a location that is deleted (a deleted location has only inactive ones)."""
        for item_id, level in self._by_location.pop(location_id, {}).items():
            self.journal.level(item_id, location_id, existed_before=level.is_active)
            self._by_item.get(item_id, {}).pop(location_id, None)
        self.revision += 1

    # --- reads --------------------------------------------------------------------------------------------

    def knows_item(self, item_id: int) -> bool:
        return item_id in self._by_item

    def level(self, item_id: int, location_id: int) -> InventoryLevel | None:
        """The level of an item at a location, active or not."""
        return self._by_item.get(item_id, {}).get(location_id)

    def active_level(self, item_id: int, location_id: int) -> InventoryLevel | None:
        found = self.level(item_id, location_id)
        return found if found is not None and found.is_active else None

    def levels_of_item(self, item_id: int, include_inactive: bool = False) -> list[InventoryLevel]:
        levels = self._by_item.get(item_id, {}).values()
        return sorted((lv for lv in levels if include_inactive or lv.is_active), key=lambda lv: lv.id)

    def levels_at(self, location_id: int, include_inactive: bool = False) -> list[InventoryLevel]:
        levels = self._by_location.get(location_id, {}).values()
        return sorted((lv for lv in levels if include_inactive or lv.is_active), key=lambda lv: lv.id)

    def level_by_id(self, number: int) -> InventoryLevel | None:
        for levels in self._by_item.values():
            for level in levels.values():
                if level.id == number:
                    return level
        return None

    def available_total(self, item_id: int) -> int:
        return sum(level.available for level in self.levels_of_item(item_id))

    def all_levels(self) -> list[InventoryLevel]:
        return sorted((lv for levels in self._by_item.values() for lv in levels.values()), key=lambda lv: lv.id)

    # --- writes -------------------------------------------------------------------------------------------

    def stock(self, item_id: int, location_id: int) -> InventoryLevel:
        """Activate the item at the location (quantities 0); an already active level is left alone."""
        level = self.level(item_id, location_id)
        if level is not None and level.is_active:
            return level
        self.journal.level(item_id, location_id, existed_before=False)
        now = now_iso()
        if level is None:
            level = InventoryLevel(self.ids.next_id("InventoryLevel"), item_id, location_id, now, now)
            self._by_item.setdefault(item_id, {})[location_id] = level
            self._by_location.setdefault(location_id, {})[item_id] = level
        else:
            level.is_active, level.available, level.on_hand, level.updated_at = True, 0, 0, now
        self.revision += 1
        return level

    def unstock(self, level: InventoryLevel) -> None:
        """Deactivate a level; its quantities are deleted."""
        self.journal.level(level.item_id, level.location_id, existed_before=level.is_active)
        level.is_active, level.available, level.on_hand, level.updated_at = False, 0, 0, now_iso()
        self.revision += 1

    def relocate(self, location_id: int, destination_id: int) -> None:
        """Move every level stocked at a location to another (stocking the items there), as deactivation does."""
        for level in self.levels_at(location_id):
            target = self.stock(level.item_id, destination_id)
            self.journal.level(target.item_id, target.location_id)
            target.available += level.available
            target.on_hand += level.on_hand
            target.updated_at = now_iso()
            self.unstock(level)

    def set_quantity(self, level: InventoryLevel, name: str, quantity: int) -> list[InventoryChange]:
        """Set `available` or `on_hand`; the other moves by the same delta. Unchanged quantities give no change."""
        delta = quantity - level.quantity(name)
        if delta == 0:
            return []
        self.journal.level(level.item_id, level.location_id)
        level.available += delta
        level.on_hand += delta
        level.updated_at = now_iso()
        self.revision += 1
        return [
            InventoryChange(changed, delta, level.quantity(changed), level.item_id, level.location_id)
            for changed in (name, "on_hand" if name == "available" else "available")
        ]

    def record_group(self, reason: str, uri: str | None, changes: list[InventoryChange]) -> AdjustmentGroup:
        group = AdjustmentGroup(self.ids.next_id("InventoryAdjustmentGroup"), now_iso(), reason, uri, changes)
        self.groups[group.id] = group
        return group

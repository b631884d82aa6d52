"""One shop's locations: the primary one every shop starts with, and those added through `locationAdd`.

Locations are never deleted; `locationDeactivate` only clears `is_active`. Names are unique per shop
ignoring case, among all locations, active or not.
"""

from dataclasses import dataclass, field

from sandbox.shopify.catalog import IdSequence, Metafield, now_iso, parse_gid
from sandbox.shopify.change_journal import ChangeJournal
from sandbox.shopify.search_filters import any_of, contains_text, group_matches, id_matches
from sandbox.shopify.search_query import SearchTerm

PRIMARY_LOCATION_NAME = "Shop location"
LOCATION_FIELDS = frozenset(
    {"name", "id", "location_id", "active", "address1", "address2", "city", "province", "country", "zip"}
)


@dataclass
class LocationAddress:
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province_code: str | None = None
    zip: str | None = None
    country_code: str | None = None
    phone: str | None = None


@dataclass
class Location:
    id: int
    name: str
    address: LocationAddress
    created_at: str
    updated_at: str
    is_primary: bool = False
    is_active: bool = True
    fulfills_online_orders: bool = True
    deactivated_at: str | None = None
    metafields: list[Metafield] = field(default_factory=list)


def folded_name(name: str) -> str:
    return name.strip().casefold()


class Locations:
    """Locations by number (ascending = creation order); `revision` goes up on every write.

    The `journal` hears of every location written or removed (the primary one, created with the shop, is not
    a change).
    """

    def __init__(self, ids: IdSequence, country_code: str, journal: ChangeJournal | None = None) -> None:
        self.revision = 0
        self.journal = journal if journal is not None else ChangeJournal()
        self.ids = ids
        self.by_id: dict[int, Location] = {}
        now = now_iso()
        primary = Location(
            id=ids.next_id("Location"),
            name=PRIMARY_LOCATION_NAME,
            address=LocationAddress(country_code=country_code),
            created_at=now,
            updated_at=now,
            is_primary=True,
        )
        self.by_id[primary.id] = primary

    @property
    def primary(self) -> Location:
        return next(location for location in self.by_id.values() if location.is_primary)

    def find(self, location_gid: object) -> Location | None:
        """The location a `gid://shopify/Location/N` names, active or not."""
        return self.by_id.get(parse_gid(location_gid, "Location") or -1)

    def find_active(self, location_gid: object) -> Location | None:
        found = self.find(location_gid)
        return found if found is not None and found.is_active else None

    def name_holder(self, name: str) -> Location | None:
        wanted = folded_name(name)
        return next((loc for loc in self.by_id.values() if folded_name(loc.name) == wanted), None)

    def put(self, location: Location) -> None:
        self.revision += 1
        self.journal.location(location.id, existed_before=location.id in self.by_id)
        self.by_id[location.id] = location

    def remove(self, location: Location) -> None:
        """Delete a location for good (Shopify deletes only deactivated, non-primary ones; callers check)."""
        if self.by_id.pop(location.id, None) is not None:
            self.revision += 1
            self.journal.location(location.id, existed_before=True)


def location_term_matches(location: Location, term: SearchTerm) -> bool:
    """`name:` is an exact, case-insensitive match (`*` for a prefix); free text looks inside the name."""
    address = location.address
    field = term.field
    if field is None:
        return contains_text(term, location.name)
    if field == "name":
        return any_of(term, [location.name])
    if field in ("id", "location_id"):
        return id_matches(term, location.id)
    if field == "active":
        return term.value.casefold() == str(location.is_active).casefold()
    texts = {
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "province": address.province_code,
        "country": address.country_code,
        "zip": address.zip,
    }
    return any_of(term, [texts[field]]) if field in texts else True


def select_locations(locations: Locations, groups: list[list[SearchTerm]], include_inactive: bool) -> list[int]:
    """Location numbers, ascending, matching any group; inactive ones only when asked for."""
    chosen = [loc for loc in locations.by_id.values() if include_inactive or loc.is_active]
    if groups:
        chosen = [loc for loc in chosen if any(group_matches(loc, g, location_term_matches) for g in groups)]
    return [loc.id for loc in chosen]

"""Seeded Unleashed warehouses: the four fixed sites every dataset starts with, then generated ones.

The fixed sites are MAIN (the default), AKL, SYD and OLD (obsolete). Generated sites are in New Zealand
and Australia mostly, a few elsewhere; about one in eight is obsolete. Codes (at most 15 characters) and
names are unique.
"""

from sandbox.dataset_generator import Record, SeededGenerator
from sandbox.dataset_places import CITIES, phone_number, pick_country, street
from sandbox.unleashed.wire_dates import to_wire_date

MAX_WAREHOUSES = 500
_FIXED_SITES = (
    ("MAIN", "Main Warehouse", "3/97 Monash Drive", "Dandenong South", "VIC", "Australia", "3175", False),
    ("AKL", "Auckland Depot", "12 Carbine Road", "Auckland", "Auckland", "New Zealand", "1060", False),
    ("SYD", "Sydney Store", "88 George Street", "Sydney", "NSW", "Australia", "2000", False),
    ("OLD", "Old Wellington Store", "5 Willis Street", "Wellington", "Wellington", "New Zealand", "6011", True),
)
_KINDS = ("Depot", "Warehouse", "Store", "Distribution Centre", "Fulfilment Centre", "Showroom", "Outlet")
_CONTACTS = ("Store Manager", "Aroha Ngata", "James Walker", "Mere Parata", "Site Lead", None)


def _fixed(gen: SeededGenerator, count: int) -> list[Record]:
    records = []
    for code, name, line1, city, region, country, post_code, obsolete in _FIXED_SITES[:count]:
        records.append(
            {
                "Guid": gen.guid(),
                "WarehouseCode": code,
                "WarehouseName": name,
                "IsDefault": code == "MAIN",
                "StreetNo": None,
                "AddressLine1": line1,
                "AddressLine2": None,
                "Suburb": None,
                "City": city,
                "Region": region,
                "Country": country,
                "PostCode": post_code,
                "PhoneNumber": "+64 9 555 0100",
                "FaxNumber": None,
                "MobileNumber": None,
                "DDINumber": None,
                "ContactName": "Store Manager",
                "Obsolete": obsolete,
                "LastModifiedOn": to_wire_date(gen.moment()),
            }
        )
    return records


def _unique(wanted: str, taken: set[str], limit: int) -> str:
    """`wanted` cut to `limit`, with `-2`, `-3`, … (or ` 2`, ` 3`, …) while another record holds it."""
    separator = "-" if limit <= 15 else " "
    candidate, number = wanted[:limit], 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f"{separator}{number}"
        candidate = wanted[: limit - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def _generated(gen: SeededGenerator, count: int, codes: set[str], names: set[str]) -> list[Record]:
    rng = gen.rng
    records = []
    for index in range(count):
        country = pick_country(gen)
        city = rng.choice(CITIES[country])
        code = _unique(city.name.upper().replace(" ", "")[:3] + rng.choice(("", "2", "WH", "DC")), codes, 15)
        line1 = street(gen)
        records.append(
            {
                "Guid": gen.guid(),
                "WarehouseCode": code,
                "WarehouseName": _unique(f"{city.name} {rng.choice(_KINDS)}", names, 100),
                "IsDefault": False,
                "StreetNo": line1.split(" ", 1)[0] if rng.random() < 0.3 else None,
                "AddressLine1": line1,
                "AddressLine2": rng.choice((None, None, "Unit 4", "Level 2")),
                "Suburb": None,
                "City": city.name,
                "Region": city.region or None,
                "Country": city.country,
                "PostCode": city.post_code,
                "PhoneNumber": phone_number(gen, country) if rng.random() < 0.85 else None,
                "FaxNumber": None,
                "MobileNumber": phone_number(gen, country, mobile=True) if rng.random() < 0.3 else None,
                "DDINumber": None,
                "ContactName": rng.choice(_CONTACTS),
                "Obsolete": index % 8 == 5,
                "LastModifiedOn": to_wire_date(gen.moment()),
            }
        )
    return records


def generate_warehouses(gen: SeededGenerator, extra_gen: SeededGenerator, count: int) -> list[Record]:
    """`count` warehouses: the fixed sites first (drawn from `gen`), then generated ones (from `extra_gen`)."""
    fixed = _fixed(gen, min(count, len(_FIXED_SITES)))
    codes = {str(record["WarehouseCode"]).casefold() for record in fixed}
    names = {str(record["WarehouseName"]).casefold() for record in fixed}
    return fixed + _generated(extra_gen, max(0, count - len(_FIXED_SITES)), codes, names)

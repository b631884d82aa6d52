"""Countries and regions as Shopify wants them, from the names an ERP gives ("New Zealand", "VIC").

`pycountry` (ISO 3166) does the work; nothing is guessed: a name it cannot resolve gives None and the caller
reports it.
"""

from functools import cache

import pycountry


@cache
def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name, official name or code ("New Zealand" → "NZ")."""
    if not name or not name.strip():
        return None
    try:
        country = pycountry.countries.lookup(name.strip())
    except LookupError:
        return None
    code: str = country.alpha_2
    return code


@cache
def province_code(country: str, region: str | None) -> str | None:
    """The subdivision code Shopify uses (ISO 3166-2 without the country) for a region given by code or name:
    "VIC" or "Victoria" → "VIC"; "Wellington" → "WGN" (ISO: "Greater Wellington"). None when unknown or
    ambiguous."""
    if not region or not region.strip():
        return None
    wanted = region.strip().casefold()
    subdivisions = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    matches: set[str] = set()
    for subdivision in subdivisions:
        short = subdivision.code.split("-", 1)[1]
        name = subdivision.name.casefold()
        if wanted in (short.casefold(), name) or name.endswith(" " + wanted):
            matches.add(short)
    return matches.pop() if len(matches) == 1 else None

"""Countries and the provinces Shopify knows for them, for location and customer addresses.

Country names come from the schema's own `CountryCode` enum descriptions ("New Zealand."). Neither
pycountry nor a phone library is installed, so provinces are a hand table for the countries whose
addresses Shopify keys by province and that the sandbox's data uses: Australia, New Zealand, the United
States and Canada, with the codes Shopify's address forms use (ISO 3166-2 without the country prefix).
For any other country a `provinceCode` is kept as given, unchecked.
"""

from functools import cache

from graphql import GraphQLEnumType

from sandbox.shopify.admin_schema import admin_schema

PROVINCES: dict[str, dict[str, str]] = {
    "AU": {
        "ACT": "Australian Capital Territory",
        "NSW": "New South Wales",
        "NT": "Northern Territory",
        "QLD": "Queensland",
        "SA": "South Australia",
        "TAS": "Tasmania",
        "VIC": "Victoria",
        "WA": "Western Australia",
    },
    "NZ": {
        "AUK": "Auckland",
        "BOP": "Bay of Plenty",
        "CAN": "Canterbury",
        "CIT": "Chatham Islands",
        "GIS": "Gisborne",
        "HKB": "Hawke's Bay",
        "MBH": "Marlborough",
        "MWT": "Manawatū-Whanganui",
        "NSN": "Nelson",
        "NTL": "Northland",
        "OTA": "Otago",
        "STL": "Southland",
        "TAS": "Tasman",
        "TKI": "Taranaki",
        "WGN": "Wellington",
        "WKO": "Waikato",
        "WTC": "West Coast",
    },
    "CA": {
        "AB": "Alberta",
        "BC": "British Columbia",
        "MB": "Manitoba",
        "NB": "New Brunswick",
        "NL": "Newfoundland and Labrador",
        "NS": "Nova Scotia",
        "NT": "Northwest Territories",
        "NU": "Nunavut",
        "ON": "Ontario",
        "PE": "Prince Edward Island",
        "QC": "Quebec",
        "SK": "Saskatchewan",
        "YT": "Yukon",
    },
    "US": {
        "AL": "Alabama",
        "AK": "Alaska",
        "AS": "American Samoa",
        "AZ": "Arizona",
        "AR": "Arkansas",
        "CA": "California",
        "CO": "Colorado",
        "CT": "Connecticut",
        "DE": "Delaware",
        "DC": "District of Columbia",
        "FM": "Federated States of Micronesia",
        "FL": "Florida",
        "GA": "Georgia",
        "GU": "Guam",
        "HI": "Hawaii",
        "ID": "Idaho",
        "IL": "Illinois",
        "IN": "Indiana",
        "IA": "Iowa",
        "KS": "Kansas",
        "KY": "Kentucky",
        "LA": "Louisiana",
        "ME": "Maine",
        "MH": "Marshall Islands",
        "MD": "Maryland",
        "MA": "Massachusetts",
        "MI": "Michigan",
        "MN": "Minnesota",
        "MS": "Mississippi",
        "MO": "Missouri",
        "MT": "Montana",
        "NE": "Nebraska",
        "NV": "Nevada",
        "NH": "New Hampshire",
        "NJ": "New Jersey",
        "NM": "New Mexico",
        "NY": "New York",
        "NC": "North Carolina",
        "ND": "North Dakota",
        "MP": "Northern Mariana Islands",
        "OH": "Ohio",
        "OK": "Oklahoma",
        "OR": "Oregon",
        "PW": "Palau",
        "PA": "Pennsylvania",
        "PR": "Puerto Rico",
        "RI": "Rhode Island",
        "SC": "South Carolina",
        "SD": "South Dakota",
        "TN": "Tennessee",
        "TX": "Texas",
        "UM": "U.S. Outlying Islands",
        "UT": "Utah",
        "VT": "Vermont",
        "VI": "U.S. Virgin Islands",
        "VA": "Virginia",
        "WA": "Washington",
        "WV": "West Virginia",
        "WI": "Wisconsin",
        "WY": "Wyoming",
        "AA": "Armed Forces Americas",
        "AE": "Armed Forces Europe",
        "AP": "Armed Forces Pacific",
    },
}


@cache
def _country_names() -> dict[str, str]:
    enum = admin_schema().get_type("CountryCode")
    assert isinstance(enum, GraphQLEnumType)
    return {code: (value.description or code).rstrip(".") for code, value in enum.values.items()}


def country_name(code: str | None) -> str | None:
    return None if code is None else _country_names().get(code, code)


def country_code_for_name(name: str | None) -> str | None:
    """The code of a country given by its English name (the deprecated `country` input fields)."""
    if not name:
        return None
    folded = name.strip().casefold()
    return next((code for code, known in _country_names().items() if known.casefold() == folded), None)


def normalised_province(country_code: str | None, province_code: str | None) -> tuple[str | None, bool]:
    """(the code to store, valid?). Codes are matched ignoring case; unknown countries keep the code as given."""
    if province_code is None or not province_code.strip():
        return None, True
    provinces = PROVINCES.get(country_code or "")
    if provinces is None:
        return province_code.strip(), True
    wanted = province_code.strip().upper()
    return (wanted, True) if wanted in provinces else (province_code, False)


def province_name(country_code: str | None, province_code: str | None) -> str | None:
    if province_code is None:
        return None
    return PROVINCES.get(country_code or "", {}).get(province_code, province_code)

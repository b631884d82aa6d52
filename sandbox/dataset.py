"""Seeded generator of an Unleashed account's records in the wire shape, for tests, demos and benchmarks.

About 60 % of products come in groups of 2–4 sharing `AttributeSet["ProductTitle"]` (the variants of one
Shopify product); the rest are singles. A few singles are obsolete, components or not sellable. Every
value depends only on the seed, so the same seed always yields the same dataset.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox.unleashed.wire_dates import to_wire_date

Record = dict[str, Any]

MIN_SIZE = 10
MAX_SIZE = 10_000

_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_SPAN_SECONDS = 2 * 365 * 24 * 3600

_ADJECTIVES = (
    "Classic",
    "Rugged",
    "Urban",
    "Coastal",
    "Alpine",
    "Heritage",
    "Eco",
    "Premium",
    "Compact",
    "Everyday",
    "Vintage",
    "Modern",
    "Lightweight",
    "Insulated",
    "Tailored",
    "Soft",
)
_NOUNS = (
    "Hoodie",
    "Jacket",
    "Tote Bag",
    "Water Bottle",
    "Beanie",
    "Notebook",
    "Mug",
    "T-Shirt",
    "Backpack",
    "Umbrella",
    "Cap",
    "Scarf",
    "Lunch Box",
    "Pen Set",
    "Towel",
    "Blanket",
    "Socks",
    "Apron",
)
_OPTION_VALUES: dict[str, tuple[str, ...]] = {
    "Colour": ("Black", "White", "Navy", "Red", "Forest Green", "Sand", "Charcoal", "Sky Blue"),
    "Size": ("XS", "S", "M", "L", "XL", "XXL"),
    "Material": ("Cotton", "Recycled PET", "Wool", "Bamboo", "Steel"),
    "Style": ("Crew", "V-Neck", "Zip", "Pullover"),
    "Finish": ("Matte", "Gloss", "Satin", "Brushed"),
}
_GROUP_NAMES = ("Apparel", "Bags", "Drinkware", "Headwear", "Stationery", "Homeware", "Outdoor", "Accessories")
_BRANDS = ("Kiwi Thread", "Southern Cross Goods", "Harbour & Co", "Tasman Supply", "Ridgeline", "Aotea Made")
_FIRST_NAMES = ("Aroha", "James", "Mere", "Oliver", "Charlotte", "Wiremu", "Isla", "Jack", "Amelia", "Noah")
_LAST_NAMES = ("Smith", "Ngata", "Williams", "Brown", "Taylor", "Wilson", "Parata", "Walker", "Clarke")
_CITIES = (
    ("Auckland", "Auckland", "New Zealand", "1010"),
    ("Wellington", "Wellington", "New Zealand", "6011"),
    ("Christchurch", "Canterbury", "New Zealand", "8011"),
    ("Sydney", "NSW", "Australia", "2000"),
    ("Melbourne", "VIC", "Australia", "3000"),
    ("Brisbane", "QLD", "Australia", "4000"),
)
_LONG_TITLE_WORDS = (
    "Limited",
    "Edition",
    "Organic",
    "Cotton",
    "Heavyweight",
    "Oversized",
    "Unisex",
    "Garment",
    "Dyed",
    "Pullover",
    "Hoodie",
    "With",
    "Kangaroo",
    "Pocket",
    "And",
    "Ribbed",
    "Cuffs",
)


@dataclass(frozen=True)
class UnleashedDataset:
    """Raw records of one account, each list in Unleashed's JSON wire shape."""

    products: list[Record]
    warehouses: list[Record]
    customers: list[Record]
    stock_on_hand: list[Record]


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self) -> datetime:
        return _EPOCH + timedelta(seconds=self.rng.randrange(_SPAN_SECONDS))

    def barcode(self) -> str | None:
        if self.rng.random() < 0.15:
            return None
        digits = [self.rng.randrange(10) for _ in range(12)]
        check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
        return "".join(map(str, digits)) + str(check)

    def sell_price(self) -> float:
        roll = self.rng.random()
        cents = self.rng.randrange(100, 50_000)
        if roll < 0.15:  # three decimals ending in 5: rounding half-up to cents matters
            return round(cents / 100 + 0.005, 3)
        if roll < 0.2:
            return round(cents / 100 + self.rng.randrange(1, 100) / 10_000, 4)
        return cents / 100

    def price_tiers(self, base: float) -> Record:
        tiers: Record = {}
        for tier in range(1, 11):
            value = None
            if tier <= 3 and self.rng.random() < 0.6:
                value = f"{base * (1 - tier * 0.05):.4f}"
            tiers[f"SellPriceTier{tier}"] = {"Name": f"Sell Price Tier {tier}", "Value": value}
        return tiers


def _long_title() -> str:
    """A title over 255 characters whose 255th character is a space, so a cut leaves trailing space."""
    words: list[str] = []
    while len(" ".join(words)) < 254:
        words.append(_LONG_TITLE_WORDS[len(words) % len(_LONG_TITLE_WORDS)])
    head = " ".join(words)[:254].rstrip()
    head = head + "x" * (254 - len(head))
    return head + " " + "Collection Extra Words For Length"


def _product(gen: _Generator, index: int, lookups: "_Lookups") -> Record:
    rng = gen.rng
    created = gen.moment()
    modified = created + timedelta(seconds=rng.randrange(0, 90 * 24 * 3600))
    group_name, group_guid = lookups.groups[rng.randrange(len(lookups.groups))]
    brand = lookups.brands[rng.randrange(len(lookups.brands))] if rng.random() < 0.8 else None
    price = gen.sell_price()
    record: Record = {
        "Guid": gen.guid(),
        "ProductCode": f"SKU-{index:06d}",
        "ProductDescription": f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {index}",
        "Barcode": gen.barcode(),
        "PackSize": None,
        "Weight": round(rng.uniform(0.05, 5.0), 3) if rng.random() < 0.85 else None,
        "UnitOfMeasure": {"Guid": lookups.unit_guid, "Name": "EA"},
        "DefaultPurchasePrice": round(price * 0.55, 2),
        "DefaultSellPrice": price,
        **gen.price_tiers(price),
        "ProductGroup": {"GroupName": group_name, "Guid": group_guid},
        "ProductBrand": {"BrandName": brand[0], "Guid": brand[1]} if brand else None,
        "IsComponent": False,
        "IsAssembledProduct": False,
        "IsSellable": True,
        "Obsolete": False,
        "Notes": None,
        "AttributeSet": None,
        "CreatedBy": "admin",
        "CreatedOn": to_wire_date(created),
        "LastModifiedOn": to_wire_date(modified),
    }
    return record


@dataclass
class _Lookups:
    groups: list[tuple[str, str]]
    brands: list[tuple[str, str]]
    unit_guid: str
    attribute_set_guid: str


def _products(gen: _Generator, size: int) -> list[Record]:
    rng = gen.rng
    lookups = _Lookups(
        groups=[(name, gen.guid()) for name in _GROUP_NAMES],
        brands=[(name, gen.guid()) for name in _BRANDS],
        unit_guid=gen.guid(),
        attribute_set_guid=gen.guid(),
    )
    products: list[Record] = []
    long_title_pending = size >= 100
    group_number = 0
    while len(products) < size:
        remaining = size - len(products)
        if remaining >= 2 and rng.random() < 1 / 3:
            group_number += 1
            members = min(rng.randint(2, 4), remaining)
            title = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} Range {group_number}"
            if long_title_pending and group_number >= 3:
                title, long_title_pending = _long_title(), False
            option_names = rng.sample(list(_OPTION_VALUES), rng.randint(1, 3))
            first_values = rng.sample(_OPTION_VALUES[option_names[0]], members)
            separator = rng.choice((",", "|"))
            for member in range(members):
                record = _product(gen, len(products) + 1, lookups)
                attributes: Record = {
                    "Guid": lookups.attribute_set_guid,
                    "SetName": "Variant attributes",
                    "ProductTitle": title,
                    "Option Names": separator.join(option_names),
                    "Option 1 Value": first_values[member],
                }
                for position, name in enumerate(option_names[1:], start=2):
                    attributes[f"Option {position} Value"] = rng.choice(_OPTION_VALUES[name])
                values = " / ".join(str(attributes[f"Option {n} Value"]) for n in range(1, len(option_names) + 1))
                record["ProductDescription"] = f"{title} - {values}"
                record["AttributeSet"] = attributes
                products.append(record)
            continue
        record = _product(gen, len(products) + 1, lookups)
        roll = rng.random()
        if roll < 0.05:
            record["Obsolete"] = True
        elif roll < 0.075:
            record["IsComponent"] = True
        elif roll < 0.1:
            record["IsSellable"] = False
        if rng.random() < 0.5:
            record["AttributeSet"] = {"Guid": lookups.attribute_set_guid, "SetName": "General"}
        products.append(record)
    return products


def _address_fields(gen: _Generator) -> tuple[str, str, str, str, str]:
    city, region, country, post_code = gen.rng.choice(_CITIES)
    street = f"{gen.rng.randint(1, 400)} {gen.rng.choice(('Queen', 'High', 'Victoria', 'George'))} Street"
    return street, city, region, country, post_code


def _warehouses(gen: _Generator) -> list[Record]:
    sites = (
        ("MAIN", "Main Warehouse", "3/97 Monash Drive", "Dandenong South", "VIC", "Australia", "3175", False),
        ("AKL", "Auckland Depot", "12 Carbine Road", "Auckland", "Auckland", "New Zealand", "1060", False),
        ("SYD", "Sydney Store", "88 George Street", "Sydney", "NSW", "Australia", "2000", False),
        ("OLD", "Old Wellington Store", "5 Willis Street", "Wellington", "Wellington", "New Zealand", "6011", True),
    )
    records = []
    for code, name, line1, city, region, country, post_code, obsolete in sites:
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


def _customers(gen: _Generator, count: int) -> list[Record]:
    rng = gen.rng
    currencies = {"New Zealand": ("NZD", "New Zealand, Dollars"), "Australia": ("AUD", "Australia, Dollars")}
    records = []
    for number in range(1, count + 1):
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        street, city, region, country, post_code = _address_fields(gen)
        address = {
            "StreetAddress": street,
            "StreetAddress2": None,
            "Suburb": "",
            "City": city,
            "Region": region,
            "Country": country,
            "PostalCode": post_code,
        }
        created = gen.moment()
        currency_code, currency_name = currencies[country]
        records.append(
            {
                "Addresses": [
                    {"AddressType": kind, "AddressName": street, **address} for kind in ("Postal", "Physical")
                ],
                "CustomerCode": f"CUST-{number:05d}",
                "CustomerName": f"{last} {rng.choice(('Trading', 'Ltd', '& Co', 'Holdings'))} {number}",
                "ContactFirstName": first,
                "ContactLastName": last,
                "Email": f"{first.lower()}.{last.lower()}{number}@example.com" if rng.random() < 0.9 else None,
                "PhoneNumber": f"+64 21 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                if rng.random() < 0.7
                else None,
                "MobileNumber": None,
                "Website": None,
                "GSTVATNumber": None,
                "Notes": None,
                "Taxable": True,
                "Currency": {"CurrencyCode": currency_code, "Description": currency_name, "Guid": gen.guid()},
                "CustomerType": rng.choice(("Cash", "Wholesale", "Retail")),
                "DiscountRate": 0,
                "StopCredit": False,
                "Obsolete": False,
                "SellPriceTier": "",
                "CreatedBy": "admin",
                "CreatedOn": to_wire_date(created),
                "Guid": gen.guid(),
                "LastModifiedOn": to_wire_date(created + timedelta(days=rng.randrange(0, 200))),
            }
        )
    return records


def _stock_on_hand(gen: _Generator, products: list[Record], warehouses: list[Record]) -> list[Record]:
    rng = gen.rng
    active = [warehouse for warehouse in warehouses if not warehouse["Obsolete"]]
    rows = []
    for product in products:
        if product["IsComponent"] or not product["IsSellable"]:
            continue
        for warehouse in active:
            on_hand = float(rng.randrange(0, 500))
            allocated = float(rng.randrange(0, int(on_hand) + 1)) if on_hand and rng.random() < 0.3 else 0.0
            cost = float(product["DefaultPurchasePrice"])
            rows.append(
                {
                    "Guid": gen.guid(),
                    "ProductGuid": product["Guid"],
                    "ProductCode": product["ProductCode"],
                    "ProductDescription": product["ProductDescription"],
                    "ProductGroupName": product["ProductGroup"]["GroupName"],
                    "WarehouseId": warehouse["Guid"],
                    "WarehouseCode": warehouse["WarehouseCode"],
                    "Warehouse": warehouse["WarehouseName"],
                    "QtyOnHand": on_hand,
                    "AllocatedQty": allocated,
                    "AvailableQty": on_hand - allocated,
                    "OnPurchase": 0.0,
                    "AvgCost": cost,
                    "TotalCost": round(cost * on_hand, 2),
                    "DaysSinceLastSale": rng.randrange(0, 365) if rng.random() < 0.8 else None,
                    "LastModifiedOn": product["LastModifiedOn"],
                }
            )
    return rows


def generate_unleashed_dataset(seed: int, size: int) -> UnleashedDataset:
    """`size` products (10..10,000) plus 4 warehouses (one obsolete), customers and stock rows."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE}, not {size}")
    gen = _Generator(seed)
    products = _products(gen, size)
    warehouses = _warehouses(gen)
    customers = _customers(gen, max(5, size // 10))
    return UnleashedDataset(products, warehouses, customers, _stock_on_hand(gen, products, warehouses))

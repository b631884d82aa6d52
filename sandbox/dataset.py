"""Seeded generator of an Unleashed account's records in the wire shape, for tests, demos and benchmarks.

Products come from `sandbox.dataset_products` (about 60 % in groups sharing `AttributeSet["ProductTitle"]`
by default, see `grouped_share`); warehouses, customers and stock on hand are made here. Every value depends
only on the seed and the arguments, so the same call always yields the same dataset.
"""

from dataclasses import dataclass
from datetime import timedelta

from sandbox.dataset_generator import Record, SeededGenerator
from sandbox.dataset_products import DEFAULT_GROUPED_SHARE, generate_products
from sandbox.unleashed.wire_dates import to_wire_date

MIN_SIZE = 10
MAX_SIZE = 20_000

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


@dataclass(frozen=True)
class UnleashedDataset:
    """Raw records of one account, each list in Unleashed's JSON wire shape."""

    products: list[Record]
    warehouses: list[Record]
    customers: list[Record]
    stock_on_hand: list[Record]


def _address_fields(gen: SeededGenerator) -> tuple[str, str, str, str, str]:
    city, region, country, post_code = gen.rng.choice(_CITIES)
    street = f"{gen.rng.randint(1, 400)} {gen.rng.choice(('Queen', 'High', 'Victoria', 'George'))} Street"
    return street, city, region, country, post_code


def _warehouses(gen: SeededGenerator) -> list[Record]:
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


def _customers(gen: SeededGenerator, count: int) -> list[Record]:
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


def _stock_on_hand(gen: SeededGenerator, products: list[Record], warehouses: list[Record]) -> list[Record]:
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


def generate_unleashed_dataset(
    seed: int, size: int, *, grouped_share: float = DEFAULT_GROUPED_SHARE
) -> UnleashedDataset:
    """`size` products (10..20,000) plus 4 warehouses (one obsolete), customers and stock rows.

    `grouped_share` (0..1) is about the share of products that come in groups sharing a ProductTitle.
    """
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE}, not {size}")
    if not 0.0 <= grouped_share <= 1.0:
        raise ValueError(f"grouped_share must be between 0 and 1, not {grouped_share}")
    gen = SeededGenerator(seed)
    products = generate_products(gen, size, grouped_share)
    warehouses = _warehouses(gen)
    customers = _customers(gen, max(5, size // 10))
    return UnleashedDataset(products, warehouses, customers, _stock_on_hand(gen, products, warehouses))

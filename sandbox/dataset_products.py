"""Seeded Unleashed product records: groups of 2–4 sharing `AttributeSet["ProductTitle"]`, and singles.

By default about 60 % of products are grouped (the variants of one Shopify product) and the rest are singles;
a few singles are obsolete, components or not sellable (about 2 %, 1 % and 1 % of all products, whatever
the grouped share). With `grouped_share=0` every product is a single, so N products make N Shopify products.
"""

from dataclasses import dataclass
from datetime import timedelta

from sandbox.dataset_generator import Record, SeededGenerator
from sandbox.unleashed.wire_dates import to_wire_date

DEFAULT_GROUPED_SHARE = 0.6
# At the default grouped share, a single is obsolete below the first roll threshold, else a component below
# the second, else not sellable below the third.
_SINGLE_FLAG_THRESHOLDS = (0.05, 0.075, 0.1)

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


def _long_title() -> str:
    """A title over 255 characters whose 255th character is a space, so a cut leaves trailing space."""
    words: list[str] = []
    while len(" ".join(words)) < 254:
        words.append(_LONG_TITLE_WORDS[len(words) % len(_LONG_TITLE_WORDS)])
    head = " ".join(words)[:254].rstrip()
    head = head + "x" * (254 - len(head))
    return head + " " + "Collection Extra Words For Length"


def _product(gen: SeededGenerator, index: int, lookups: "_Lookups") -> Record:
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


def generate_products(gen: SeededGenerator, size: int, grouped_share: float = DEFAULT_GROUPED_SHARE) -> list[Record]:
    """`size` products, about `grouped_share` of them in groups of 2–4, the rest singles (some flagged)."""
    rng = gen.rng
    group_chance = _group_chance(grouped_share)
    obsolete_below, component_below, unsellable_below = _flag_thresholds(grouped_share)
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
        if remaining >= 2 and rng.random() < group_chance:
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
        if roll < obsolete_below:
            record["Obsolete"] = True
        elif roll < component_below:
            record["IsComponent"] = True
        elif roll < unsellable_below:
            record["IsSellable"] = False
        if rng.random() < 0.5:
            record["AttributeSet"] = {"Guid": lookups.attribute_set_guid, "SetName": "General"}
        products.append(record)
    return products


def _group_chance(grouped_share: float) -> float:
    """Chance that the next draw starts a group: groups hold 3 products on average, singles 1."""
    return grouped_share / (3 - 2 * grouped_share)


def _flag_thresholds(grouped_share: float) -> tuple[float, float, float]:
    """Per-single thresholds for obsolete, component and not sellable.

    They keep the flags' share of all products what it is at the default grouped share (about 2 %, 1 %,
    1 %); when singles are too few to carry that, every single gets a flag in the same 2 : 1 : 1 ratio.
    """
    singles = 1.0 - grouped_share
    most = 1.0 / _SINGLE_FLAG_THRESHOLDS[-1]
    scale = min((1.0 - DEFAULT_GROUPED_SHARE) / singles, most) if singles > 0 else most
    obsolete, component, unsellable = (threshold * scale for threshold in _SINGLE_FLAG_THRESHOLDS)
    return obsolete, component, unsellable

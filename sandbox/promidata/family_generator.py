"""Seeded product families shaped like Promidata's: languages, configuration axes, children, prices, images.

Family `index` of a feed is drawn from its own generator (`"{seed}/family/{index}"`), so a feed's families
are the same on every run and adding families later never changes the earlier ones.

- Languages: each of the feed's languages is kept with probability 0.8 (at least one), so some families
  have no `en`.
- Configuration: none (about 10 %), colour, colour + size, colour + capacity, or all three; every child
  has a different combination. Without configuration the children differ only by SKU.
- Children: a count drawn from the feed's range. A single child has the parent's SKU 70 % of the time
  (Promidata's "Pattern A"); other children are `{family sku}-{colour code}[-{size}][-{capacity}]`.
- Prices: one ladder length per family (1 to 6 tiers of 1/100/250/500/1000/1500 pieces), per region
  (`DEU` 2 % cheaper than `BENELUX`); 10 % of families have no buying prices, 3 % are price on request.
"""

import itertools
import random
from dataclasses import dataclass

from sandbox.promidata.families import Child, Family, ImageRef, PriceTier, RegionPrices
from sandbox.promidata.vocabulary import (
    ADJECTIVES,
    AXIS_VALUES,
    BRANDS,
    CAPACITY_AXIS,
    COLOUR_AXIS,
    COLOURS,
    COUNTRIES_OF_ORIGIN,
    MATERIALS,
    MODELS,
    NOUNS,
    SIZE_AXIS,
    SUPPLIERS,
)

LADDER_QUANTITIES = (1, 100, 250, 500, 1000, 1500)
REGION_FACTORS = {"BENELUX": 1.0, "DEU": 0.98, "EURO": 1.01}
OTHER_REGION_FACTOR = 1.03
_AXIS_CHOICES = ((), (COLOUR_AXIS,), (COLOUR_AXIS, SIZE_AXIS), (COLOUR_AXIS, CAPACITY_AXIS), tuple(AXIS_VALUES))
_AXIS_WEIGHTS = (10, 45, 25, 10, 10)
_GALLERY_TAGS = ("S_0", "D_100", "B_2", "B_3", "B_4")


@dataclass(frozen=True)
class GenerationSettings:
    seed: int
    children: tuple[int, int]
    languages: tuple[str, ...]
    regions: tuple[str, ...]


def _hex(rng: random.Random, bits: int) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def _ean(rng: random.Random) -> str | None:
    if rng.random() < 0.1:
        return None
    digits = [rng.randrange(10) for _ in range(12)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)


def new_image(rng: random.Random, supplier_sku: str, tag: str, colour: tuple[int, int, int]) -> ImageRef:
    """An image named like Promidata's: a 64-hex URL name and a `{sku}__{tag}__{32 hex}` file name."""
    return ImageRef(name=_hex(rng, 256), file_name=f"{supplier_sku}__{tag}__{_hex(rng, 128)}.png", colour=colour)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16)


def _ladder(price: float, tiers: int, factor: float) -> list[PriceTier]:
    return [
        PriceTier(quantity, round(price * factor * (1 - 0.025 * step), 2))
        for step, quantity in enumerate(LADDER_QUANTITIES[:tiers])
    ]


def region_prices(
    regions: tuple[str, ...], price: float, tiers: int, buying: bool, on_request: bool
) -> dict[str, RegionPrices]:
    """`ProductPriceCountryBased` of one child, by region."""
    prices = {}
    for region in regions:
        if on_request:
            prices[region] = RegionPrices([PriceTier(1, 0.0, on_request=True)], [])
            continue
        factor = REGION_FACTORS.get(region, OTHER_REGION_FACTOR)
        selling = _ladder(price, tiers, factor)
        bought = [PriceTier(tier.quantity, round(tier.price * 0.72, 2)) for tier in selling] if buying else []
        prices[region] = RegionPrices(selling, bought)
    return prices


def child_sku(family: Family, options: list[tuple[str, str]]) -> str:
    if not options:
        family.child_serial += 1
        return f"{family.sku}-{family.child_serial:02d}"
    codes = []
    for axis, value in options:
        if axis == COLOUR_AXIS:
            codes.append(COLOURS[value].code)
        else:
            codes.append(value.split()[0])
    return "-".join([family.sku, *codes])


def new_child(
    rng: random.Random, family: Family, options: list[tuple[str, str]], prices: dict[str, RegionPrices], sku: str
) -> Child:
    colour = dict(options).get(COLOUR_AXIS) or rng.choice(tuple(COLOURS))
    supplier_sku = sku[len(family.anumber) + 1 :]
    main = new_image(rng, supplier_sku, "B_1", _rgb(COLOURS[colour].hex))
    gallery_tags = _GALLERY_TAGS[: rng.randint(0, len(_GALLERY_TAGS))]
    gallery = [
        new_image(rng, supplier_sku, tag, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        for tag in gallery_tags
    ]
    size_extra = {"XL": 40, "XXL": 80}.get(dict(options).get(SIZE_AXIS, ""), 0)
    return Child(
        sku=sku,
        supplier_sku=supplier_sku,
        ean=_ean(rng),
        options=options,
        prices=prices,
        image=main,
        gallery=gallery,
        weight_grams=rng.randint(20, 1500) + size_extra,
        dimensions_mm=(rng.randint(20, 500), rng.randint(10, 300), rng.randint(5, 400)),
        colour=colour,
    )


def _languages(rng: random.Random, wanted: tuple[str, ...]) -> list[str]:
    kept = [language for language in wanted if rng.random() < 0.8]
    return kept or [rng.choice(wanted)]


def _combinations(rng: random.Random, axes: list[str], count: int) -> list[list[tuple[str, str]]]:
    """`count` different option combinations, adding axes while the chosen ones cannot give that many."""
    if not axes:
        return [[] for _ in range(count)]
    for extra in AXIS_VALUES:
        possible = 1
        for axis in axes:
            possible *= len(AXIS_VALUES[axis])
        if possible >= count:
            break
        if extra not in axes:
            axes.append(extra)
    every = [list(zip(axes, values, strict=True)) for values in itertools.product(*(AXIS_VALUES[a] for a in axes))]
    rng.shuffle(every)
    return every[:count]


def generate_family(settings: GenerationSettings, index: int, taken_skus: set[str]) -> Family:
    """Family number `index` of a feed; its SKU differs from every one in `taken_skus`."""
    rng = random.Random(f"{settings.seed}/family/{index}")
    anumber = rng.choice(SUPPLIERS)
    supplier_sku = f"{rng.randint(100000, 999999)}"
    while f"{anumber}-{supplier_sku}" in taken_skus:
        supplier_sku = f"{rng.randint(100000, 999999)}"
    axes = list(rng.choices(_AXIS_CHOICES, weights=_AXIS_WEIGHTS)[0])
    family = Family(
        sku=f"{anumber}-{supplier_sku}",
        supplier_sku=supplier_sku,
        anumber=anumber,
        languages=_languages(rng, settings.languages),
        model=rng.choice(MODELS),
        adjective=rng.choice(tuple(ADJECTIVES)),
        noun=rng.choice(tuple(NOUNS)),
        brand=rng.choice(BRANDS),
        material=rng.choice(MATERIALS),
        country_of_origin=rng.choice(COUNTRIES_OF_ORIGIN),
        release_date=f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2023, 2025)}",
        axes=axes,
        children=[],
        hex_in_details=rng.random() < 0.5,
    )
    count = rng.randint(*settings.children)
    combinations = _combinations(rng, family.axes, count)
    price, tiers = rng.randint(50, 6000) / 100, rng.randint(1, len(LADDER_QUANTITIES))
    buying, on_request = rng.random() >= 0.1, rng.random() < 0.03
    pattern_a = count == 1 and rng.random() < 0.7
    for options in combinations:
        sku = family.sku if pattern_a else child_sku(family, options)
        size_extra = {"XL": 0.5, "XXL": 1.0}.get(dict(options).get(SIZE_AXIS, ""), 0.0)
        prices = region_prices(settings.regions, price + size_extra, tiers, buying, on_request)
        family.children.append(new_child(rng, family, options, prices, sku))
    return family

"""Change sets: what changes in a family between two feed runs (a price, a title, an image, a child)."""

import copy
import random
from typing import Literal, get_args

from sandbox.promidata.families import Family, PriceTier, RegionPrices
from sandbox.promidata.family_generator import child_sku, new_child, new_image
from sandbox.promidata.vocabulary import AXIS_VALUES, MODELS

ChangeKind = Literal["price", "title", "image", "add_child", "remove_child"]
CHANGE_KINDS: tuple[ChangeKind, ...] = get_args(ChangeKind)
DEFAULT_CYCLE: tuple[ChangeKind, ...] = ("price", "title")


def _raised(tiers: list[PriceTier]) -> list[PriceTier]:
    return [PriceTier(tier.quantity, round(tier.price * 1.05 + 0.01, 2)) for tier in tiers]


def _change_prices(family: Family) -> None:
    """Every child's ladders 5 % (and at least a cent) up; a price on request becomes a one-tier price."""
    for child in family.children:
        for region, prices in child.prices.items():
            if prices.selling and prices.selling[0].on_request:
                child.prices[region] = RegionPrices([PriceTier(1, 9.99)], [])
            else:
                child.prices[region] = RegionPrices(_raised(prices.selling), _raised(prices.buying))


def _unused_options(rng: random.Random, family: Family) -> list[tuple[str, str]] | None:
    if not family.axes:
        return []
    used = {tuple(child.options) for child in family.children}
    candidates = [[(axis, rng.choice(AXIS_VALUES[axis])) for axis in family.axes] for _ in range(50)]
    return next((options for options in candidates if tuple(options) not in used), None)


def apply_change(rng: random.Random, family: Family, kind: ChangeKind) -> ChangeKind:
    """Change `family` in place; the kind applied (`price` when the wanted one is impossible for it)."""
    if kind == "title":
        family.model = rng.choice([model for model in MODELS if model != family.model])
        return kind
    if kind == "image":
        child = family.children[0]
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        child.image = new_image(rng, child.supplier_sku, "B_1", colour)
        return kind
    if kind == "add_child":
        options = _unused_options(rng, family)
        if options is not None:
            prices = copy.deepcopy(family.children[0].prices)
            family.children.append(new_child(rng, family, options, prices, child_sku(family, options)))
            return kind
    if kind == "remove_child" and len(family.children) > 1:
        family.children.pop()
        return kind
    _change_prices(family)
    return "price"

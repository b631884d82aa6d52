"""A feed as plain JSON for `/_sandbox/promidata/feeds/{feed}`: what a test needs to predict the sync's result.

The titles, configuration, prices and image URLs here are the ones the family files carry, so a test can
compute the Shopify state it expects without parsing the feed the way the product does.
"""

from typing import Any

from sandbox.promidata.families import Child, Family, PriceTier
from sandbox.promidata.family_json import description, image_url
from sandbox.promidata.feed import PromidataFeed


def _tiers(tiers: list[PriceTier]) -> list[dict[str, Any]]:
    return [{"quantity": tier.quantity, "price": tier.price, "on_request": tier.on_request} for tier in tiers]


def _child_json(family: Family, child: Child, base: str) -> dict[str, Any]:
    return {
        "sku": child.sku,
        "supplier_sku": child.supplier_sku,
        "ean": child.ean,
        "configuration": {language: family.configuration(child, language) for language in family.languages},
        "prices": {
            region: {"selling": _tiers(prices.selling), "buying": _tiers(prices.buying)}
            for region, prices in child.prices.items()
        },
        "weight_grams": child.weight_grams,
        "image_urls": [image_url(base, image) for image in (child.image, *child.gallery)],
        "image_names": [image.name for image in (child.image, *child.gallery)],
    }


def family_json(feed: PromidataFeed, family: Family, base: str) -> dict[str, Any]:
    """One family: identity, hash, listing, texts per language, children, and any planned fault."""
    fault = feed.faults.get(family.sku)
    return {
        "sku": family.sku,
        "anumber": family.anumber,
        "supplier_sku": family.supplier_sku,
        "url": feed.family_url(base, family),
        "hash": feed.family_hash(family),
        "listed": family.listed,
        "languages": list(family.languages),
        "titles": family.names(),
        "descriptions": {language: description(family, language) for language in family.languages},
        "category": family.category,
        "brand": family.brand,
        "image_url": image_url(base, family.children[0].image),
        "children": [_child_json(family, child, base) for child in family.children],
        "fault": None if fault is None else {"kind": fault.kind, "seconds": fault.seconds},
    }


def feed_json(feed: PromidataFeed, base: str) -> dict[str, Any]:
    """The whole feed: settings, every family (delisted ones too), image faults and request counters."""
    generation = feed.settings.generation
    return {
        "feed": feed.name,
        "seed": generation.seed,
        "languages": list(generation.languages),
        "regions": list(generation.regions),
        "import_url": f"{base}/Import/Import.txt",
        "category_url": f"{base}/CAT.csv",
        "import_mode": feed.import_mode,
        "families": [family_json(feed, family, base) for family in feed.families.values()],
        "image_faults": {
            name: {"status": fault.status, "content_type": fault.content_type}
            for name, fault in feed.image_faults.items()
        },
        "requests": feed.requests.as_json(),
    }

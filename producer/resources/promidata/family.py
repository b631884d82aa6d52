"""A Promidata family file, reduced to what the product needs and kept in the source snapshot.

A family file is large (the real sample is 185 KB, mostly imprint positions and per-region costs), so only the
fields the mapping reads are kept: every language and every price region stays, so a tenant that changes its
language or price country needs no new fetch. The reduction never judges a value; `desired` does, at every
plan, so a broken family is reported by every sync that still lists it.
"""

from typing import Any

ROOT_DETAILS = ("Name", "Description", "Image", "MediaGalleryImages")
CHILD_DETAILS = ("Name", "Image", "MediaGalleryImages", "ConfigurationFields")
PHYSICAL = ("Brand", "Category", "Weight")


def _pick(value: Any, keys: tuple[str, ...]) -> Any:
    """The object with only `keys`; anything that is not an object is kept as it is, for `desired` to report."""
    if not isinstance(value, dict):
        return value
    return {key: value[key] for key in keys if key in value}


def _details(value: Any, keys: tuple[str, ...]) -> Any:
    if not isinstance(value, dict):
        return value
    return {str(language): _pick(details, keys) for language, details in value.items()}


def _selling_prices(value: Any) -> Any:
    """Per region, only the recommended selling prices."""
    if not isinstance(value, dict):
        return value
    return {str(region): _pick(prices, ("RecommendedSellingPrice",)) for region, prices in value.items()}


def _child(child: Any) -> Any:
    if not isinstance(child, dict):
        return child
    return {
        "Sku": child.get("Sku"),
        "Ean": child.get("Ean"),
        "ProductDetails": _details(child.get("ProductDetails"), CHILD_DETAILS),
        "NonLanguageDependedProductDetails": _pick(child.get("NonLanguageDependedProductDetails"), PHYSICAL),
        "ProductPriceCountryBased": _selling_prices(child.get("ProductPriceCountryBased")),
    }


def family_record(document: dict[str, Any], *, sku: str, url: str, feed_hash: str) -> dict[str, Any]:
    """What the snapshot keeps of one family file, with the Import.txt line it came from."""
    children = document.get("ChildProducts")
    return {
        "Sku": sku,  # the file's name: how Import.txt and the snapshot know the family
        "feed": {"url": url, "hash": feed_hash},
        "ProductDetails": _details(document.get("ProductDetails"), ROOT_DETAILS),
        "NonLanguageDependedProductDetails": _pick(document.get("NonLanguageDependedProductDetails"), PHYSICAL),
        "ProductPriceCountryBased": _selling_prices(document.get("ProductPriceCountryBased")),
        "ChildProducts": [_child(child) for child in children] if isinstance(children, list) else children,
    }


def feed_hash_of(record: Any) -> str | None:
    """The Import.txt hash the record was fetched under."""
    feed = record.get("feed") if isinstance(record, dict) else None
    return feed.get("hash") if isinstance(feed, dict) else None

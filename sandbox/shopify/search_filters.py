"""Which variants and products a parsed search query selects (the fields the sandbox supports).

The term tests (`id_matches`, `any_of`, `contains_text`, `group_matches`) serve the other resources too.
"""

import re
from collections.abc import Callable
from typing import TypeVar

from sandbox.shopify.catalog import Catalog, Product, Variant
from sandbox.shopify.search_query import SearchTerm

VARIANT_FIELDS = frozenset({"sku", "barcode", "product_id", "id", "title", "product_status", "tag"})
PRODUCT_FIELDS = frozenset({"tag", "status", "sku", "handle", "title", "id", "vendor", "product_type"})

Item = TypeVar("Item")


_ANY_GID = re.compile(r"^gid://shopify/\w+/(\d+)$")


def id_matches(term: SearchTerm, number: int) -> bool:
    """`id:123`, `id:gid://shopify/Kind/123`, `id:>=100`, `id:<5` and the like."""
    value = term.value
    for operator, test in ((">=", int.__ge__), ("<=", int.__le__), (">", int.__gt__), ("<", int.__lt__)):
        if value.startswith(operator):
            bound = value[len(operator) :]
            return bound.isdigit() and test(number, int(bound))
    found = _ANY_GID.match(value)
    wanted = int(found.group(1)) if found else (int(value) if value.isdigit() else -1)
    return number == wanted


def any_of(term: SearchTerm, candidates: list[str | None]) -> bool:
    alternatives = [SearchTerm(term.field, part) for part in term.value.split(",") if part] or [term]
    return any(alt.matches_text(candidate) for alt in alternatives for candidate in candidates)


def contains_text(term: SearchTerm, text: str) -> bool:
    return term.value.strip("*").casefold() in text.casefold()


def product_term_matches(catalog: Catalog, product: Product, term: SearchTerm) -> bool:
    field = term.field
    if field is None:
        return contains_text(term, product.title)
    if field == "tag":
        return any_of(term, list(product.tags))
    if field == "status":
        return any_of(term, [product.status])
    if field == "sku":
        return any_of(term, [variant.sku for variant in catalog.variants_of(product)])
    if field == "handle":
        return any_of(term, [product.handle])
    if field == "title":
        return contains_text(term, product.title)
    if field == "vendor":
        return any_of(term, [product.vendor])
    if field == "product_type":
        return any_of(term, [product.product_type])
    if field == "id":
        return id_matches(term, product.id)
    return True  # unknown fields are ignored, as Shopify does (with a search warning)


def variant_term_matches(catalog: Catalog, variant: Variant, term: SearchTerm) -> bool:
    field = term.field
    product = catalog.products[variant.product_id]
    if field is None:
        return contains_text(term, f"{variant.sku or ''} {product.title} {variant.title}")
    if field == "sku":
        return any_of(term, [variant.sku])
    if field == "barcode":
        return any_of(term, [variant.barcode])
    if field == "product_id":
        return id_matches(term, product.id)
    if field == "id":
        return id_matches(term, variant.id)
    if field == "title":
        return contains_text(term, variant.title)
    if field == "product_status":
        return any_of(term, [product.status])
    if field == "tag":
        return any_of(term, list(product.tags))
    return True


def group_matches(item: Item, group: list[SearchTerm], test: Callable[[Item, SearchTerm], bool]) -> bool:
    return all(test(item, term) != term.negated for term in group)


def unknown_fields(groups: list[list[SearchTerm]], supported: frozenset[str]) -> list[str]:
    return sorted({term.field for group in groups for term in group if term.field and term.field not in supported})


def _exact_sku(term: SearchTerm) -> bool:
    return term.field == "sku" and not term.negated and not term.value.endswith("*") and "," not in term.value


def select_variants(catalog: Catalog, groups: list[list[SearchTerm]]) -> list[int]:
    """Variant numbers, ascending, matching any group; exact `sku:` terms use the SKU index."""
    if not groups:
        return list(catalog.variants)
    numbers: list[int]
    if all(any(_exact_sku(term) for term in group) for group in groups):
        found: set[int] = set()
        for group in groups:
            found |= catalog.variants_with_sku(next(term for term in group if _exact_sku(term)).value)
        numbers = sorted(found)
    else:
        numbers = list(catalog.variants)

    def test(variant: Variant, term: SearchTerm) -> bool:
        return variant_term_matches(catalog, variant, term)

    return [n for n in numbers if any(group_matches(catalog.variants[n], group, test) for group in groups)]


def select_products(catalog: Catalog, groups: list[list[SearchTerm]]) -> list[int]:
    if not groups:
        return list(catalog.products)

    def test(product: Product, term: SearchTerm) -> bool:
        return product_term_matches(catalog, product, term)

    return [n for n, product in catalog.products.items() if any(group_matches(product, g, test) for g in groups)]

"""One shop's in-memory catalogue: products, their options and variants, with the indexes queries need."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from sandbox.shopify.change_journal import ChangeJournal

GID_PREFIX = "gid://shopify/"


def gid(kind: str, number: int) -> str:
    return f"{GID_PREFIX}{kind}/{number}"


def parse_gid(value: object, kind: str) -> int | None:
    """The number in `gid://shopify/{kind}/{number}`, or None when the value is not such an id."""
    if not isinstance(value, str) or not value.startswith(f"{GID_PREFIX}{kind}/"):
        return None
    tail = value[len(GID_PREFIX) + len(kind) + 1 :]
    return int(tail) if tail.isdigit() else None


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "product"


class IdSequence:
    """One shop's record numbers, one ascending sequence per kind (`Product`, `Location`, `Metafield`, …)."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def next_id(self, kind: str) -> int:
        number = self._last.get(kind, 0) + 1
        self._last[kind] = number
        return number


class InventoryItemWatcher(Protocol):
    """Told when a variant, and with it its inventory item, comes into being or goes away."""

    def item_created(self, item_id: int) -> None: ...

    def item_removed(self, item_id: int) -> None: ...


@dataclass
class Metafield:
    id: int
    namespace: str
    key: str
    type: str
    value: str


@dataclass
class OptionValue:
    id: int
    name: str


@dataclass
class ProductOption:
    id: int
    name: str
    position: int
    values: list[OptionValue]


@dataclass
class Weight:
    value: float
    unit: str


@dataclass
class Variant:
    id: int
    product_id: int
    inventory_item_id: int
    option_values: list[tuple[str, str]]
    created_at: str
    updated_at: str
    position: int = 1
    sku: str | None = None
    price: str = "0.00"
    compare_at_price: str | None = None
    barcode: str | None = None
    weight: Weight | None = None
    tracked: bool = True
    metafields: list[Metafield] = field(default_factory=list)

    @property
    def title(self) -> str:
        return " / ".join(value for _, value in self.option_values) or "Default Title"

    def combination(self) -> frozenset[tuple[str, str]]:
        return option_combination(self.option_values)


def option_combination(option_values: list[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    """What makes a variant unique within its product: its option values, ignoring case."""
    return frozenset((name.casefold(), value.casefold()) for name, value in option_values)


@dataclass
class Product:
    id: int
    handle: str
    title: str
    status: str
    created_at: str
    updated_at: str
    vendor: str = ""
    product_type: str = ""
    description_html: str = ""
    tags: list[str] = field(default_factory=list)
    metafields: list[Metafield] = field(default_factory=list)
    options: list[ProductOption] = field(default_factory=list)
    variant_ids: list[int] = field(default_factory=list)
    media_ids: list[int] = field(default_factory=list)


class Catalog:
    """Products and variants by number (ascending = creation order), plus handle, SKU and inventory-item indexes.

    `revision` goes up on every write to a product or variant, so a caller can tell whether a request
    changed anything. The `watcher` (the shop's inventory) hears of every inventory item created or removed;
    the `journal` of every product written or removed (a variant's write touches its product).
    """

    def __init__(
        self,
        ids: IdSequence | None = None,
        watcher: InventoryItemWatcher | None = None,
        journal: ChangeJournal | None = None,
    ) -> None:
        self.revision = 0
        self.journal = journal if journal is not None else ChangeJournal()
        self.ids = ids or IdSequence()
        self.products: dict[int, Product] = {}
        self.variants: dict[int, Variant] = {}
        self._product_by_handle: dict[str, int] = {}
        self._variants_by_sku: dict[str, set[int]] = {}
        self._variant_by_item: dict[int, int] = {}
        self._watcher = watcher

    def next_id(self, kind: str) -> int:
        return self.ids.next_id(kind)

    def product_by_handle(self, handle: str) -> Product | None:
        number = self._product_by_handle.get(handle)
        return None if number is None else self.products.get(number)

    def unique_handle(self, wanted: str) -> str:
        """`wanted` slugified, with `-1`, `-2`, … appended while another product holds it."""
        base = slugify(wanted)
        candidate, suffix = base, 0
        while candidate in self._product_by_handle:
            suffix += 1
            candidate = f"{base}-{suffix}"
        return candidate

    def handle_taken_by_other(self, handle: str, product_id: int | None) -> bool:
        holder = self._product_by_handle.get(handle)
        return holder is not None and holder != product_id

    def put_product(self, product: Product, previous_handle: str | None = None) -> None:
        if previous_handle is not None and self._product_by_handle.get(previous_handle) == product.id:
            del self._product_by_handle[previous_handle]
        self.revision += 1
        self.journal.product(product.id, existed_before=product.id in self.products)
        self.products[product.id] = product
        self._product_by_handle[product.handle] = product.id

    def put_variant(self, variant: Variant) -> None:
        previous = self.variants.get(variant.id)
        if previous is not None:
            self._unindex_sku(previous)
        self.revision += 1
        self.journal.product(variant.product_id, existed_before=variant.product_id in self.products)
        self.variants[variant.id] = variant
        if variant.sku:
            self._variants_by_sku.setdefault(variant.sku.casefold(), set()).add(variant.id)
        if previous is None:
            self._variant_by_item[variant.inventory_item_id] = variant.id
            if self._watcher is not None:
                self._watcher.item_created(variant.inventory_item_id)

    def remove_variant(self, variant_id: int) -> None:
        variant = self.variants.pop(variant_id, None)
        if variant is not None:
            self.revision += 1
            self.journal.product(variant.product_id, existed_before=variant.product_id in self.products)
            self._unindex_sku(variant)
            self._variant_by_item.pop(variant.inventory_item_id, None)
            if self._watcher is not None:
                self._watcher.item_removed(variant.inventory_item_id)

    def remove_product(self, product_id: int) -> Product | None:
        """Delete a product with its variants (and so their inventory items and levels); None when unknown."""
        product = self.products.get(product_id)
        if product is None:
            return None
        for number in list(product.variant_ids):
            self.remove_variant(number)
        del self.products[product_id]
        if self._product_by_handle.get(product.handle) == product_id:
            del self._product_by_handle[product.handle]
        self.revision += 1
        return product

    def variant_of_item(self, item_id: int) -> Variant | None:
        """The variant that owns an inventory item (each variant has exactly one)."""
        number = self._variant_by_item.get(item_id)
        return None if number is None else self.variants.get(number)

    def _unindex_sku(self, variant: Variant) -> None:
        if not variant.sku:
            return
        holders = self._variants_by_sku.get(variant.sku.casefold())
        if holders is not None:
            holders.discard(variant.id)
            if not holders:
                del self._variants_by_sku[variant.sku.casefold()]

    def variants_with_sku(self, sku: str) -> set[int]:
        return set(self._variants_by_sku.get(sku.casefold(), ()))

    def variants_of(self, product: Product) -> list[Variant]:
        return [self.variants[number] for number in product.variant_ids if number in self.variants]

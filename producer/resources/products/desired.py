"""What Shopify should hold for a set of Unleashed products: grouping, options, rounding, truncation.

Pure functions over pydantic models; no I/O.
"""

import hashlib
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from producer.pipeline.plan import SkippedRecord, content_hash
from producer.resources.products.unleashed import UnleashedProduct, parse_unleashed_product
from producer.sources.records import InvalidRecord

SHOPIFY_TITLE_LIMIT = 255
MAX_OPTIONS = 3
DEFAULT_OPTION_NAME = "Title"
DEFAULT_OPTION_VALUE = "Default Title"
OWNERSHIP_TAG = "commerce-sync"
METAFIELD_NAMESPACE = "unleashed"

ProductStatus = Literal["ACTIVE", "ARCHIVED"]


class DesiredVariant(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: str
    price: str
    barcode: str | None
    weight_grams: float | None
    option_values: tuple[str, ...]
    tier_prices: dict[int, str]


class DesiredProduct(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    title: str
    product_type: str | None
    vendor: str | None
    status: ProductStatus
    option_names: tuple[str, ...]
    variants: tuple[DesiredVariant, ...]
    description_html: str | None = None

    @cached_property
    def skus(self) -> tuple[str, ...]:
        return tuple(variant.sku for variant in self.variants)

    def handle_for(self, entity_key: str) -> str:
        """Ours alone and stable for the entity: creating by `identifier: {handle}` is an upsert, so a create
        that is delivered twice (lost answer, killed worker, two syncs racing) still makes one product."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.title.casefold()).strip("-")[:60].rstrip("-") or "product"
        return f"{slug}-{hashlib.sha256(entity_key.encode()).hexdigest()[:10]}"

    def restricted_to(self, skus: frozenset[str]) -> "DesiredProduct":
        """The same product holding only these SKUs' variants (a step on the way to its final state)."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        fields["variants"] = tuple(variant for variant in self.variants if variant.sku in skus)
        return DesiredProduct(**fields)  # built anew: a copy would keep the cached `skus`

    def product_set_input(self) -> dict[str, Any]:
        """The `ProductSetInput` that makes Shopify hold exactly this product."""
        values_by_option: list[list[str]] = [[] for _ in self.option_names]
        for variant in self.variants:
            for index, value in enumerate(variant.option_values):
                if value not in values_by_option[index]:
                    values_by_option[index].append(value)
        product_input: dict[str, Any] = {
            "title": self.title,
            "status": self.status,
            "tags": [OWNERSHIP_TAG],
            "productOptions": [
                {
                    "name": name,
                    "position": index + 1,
                    "values": [{"name": v} for v in values_by_option[index]],
                }
                for index, name in enumerate(self.option_names)
            ],
            "variants": [_variant_input(self.option_names, variant) for variant in self.variants],
        }
        if self.product_type:
            product_input["productType"] = self.product_type
        if self.vendor:
            product_input["vendor"] = self.vendor
        if self.description_html is not None:
            product_input["descriptionHtml"] = self.description_html
        return product_input

    def content_hash(self) -> str:
        return content_hash(self.product_set_input())


def _variant_input(option_names: tuple[str, ...], variant: DesiredVariant) -> dict[str, Any]:
    variant_input: dict[str, Any] = {
        "sku": variant.sku,
        "price": variant.price,
        "optionValues": [
            {"optionName": name, "name": value} for name, value in zip(option_names, variant.option_values, strict=True)
        ],
        "metafields": [
            {
                "namespace": METAFIELD_NAMESPACE,
                "key": f"sell_price_tier_{tier}",
                "type": "number_decimal",
                "value": value,
            }
            for tier, value in sorted(variant.tier_prices.items())
        ],
    }
    if variant.barcode:
        variant_input["barcode"] = variant.barcode
    # Tracked, so the stock the inventory step sets is what Shopify sells from.
    inventory_item: dict[str, Any] = {"tracked": True}
    if variant.weight_grams is not None:
        inventory_item["measurement"] = {"weight": {"value": variant.weight_grams, "unit": "GRAMS"}}
    variant_input["inventoryItem"] = inventory_item
    return variant_input


def round_price(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def shopify_title(text: str) -> str:
    return text[:SHOPIFY_TITLE_LIMIT].rstrip()


def split_option_names(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    names = [part.strip() for part in re.split(r"[,|]", text)]
    return tuple(name for name in names if name)[:MAX_OPTIONS]


def _grams(weight_kg: Decimal | None) -> float | None:
    if weight_kg is None or weight_kg <= 0:
        return None
    return float((weight_kg * 1000).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def _variant(product: UnleashedProduct, option_values: tuple[str, ...]) -> DesiredVariant:
    return DesiredVariant(
        sku=product.product_code,
        price=round_price(product.default_sell_price),
        barcode=product.barcode,
        weight_grams=_grams(product.weight_kg),
        option_values=option_values,
        tier_prices={tier: round_price(value) for tier, value in product.sell_price_tiers.items()},
    )


def _single_product(product: UnleashedProduct) -> DesiredProduct:
    return DesiredProduct(
        key=f"sku:{product.product_code}",
        title=shopify_title(product.description or product.product_code),
        product_type=product.product_group,
        vendor=product.brand,
        status="ARCHIVED" if product.obsolete else "ACTIVE",
        option_names=(DEFAULT_OPTION_NAME,),
        variants=(_variant(product, (DEFAULT_OPTION_VALUE,)),),
    )


def _grouped_product(title: str, members: list[UnleashedProduct], skipped: list[SkippedRecord]) -> DesiredProduct:
    members = sorted(members, key=lambda p: p.product_code)
    live = [p for p in members if not p.obsolete] or members
    option_names = next((names for p in live if (names := split_option_names(p.attribute("Option Names")))), ())
    combos = [tuple(p.attribute(f"Option {i + 1} Value") or "" for i in range(len(option_names))) for p in live]
    if not option_names or any("" in combo for combo in combos) or len(set(combos)) != len(combos):
        # Shopify needs one distinct option combination per variant; fall back to the SKU as the option.
        skipped.append(
            SkippedRecord(
                reference=f"group {title!r}",
                reason="option names/values missing or repeated; variants use their SKU as the option",
            )
        )
        option_names = ("SKU",)
        combos = [(p.product_code,) for p in live]
    first = live[0]
    return DesiredProduct(
        key=f"title:{title.casefold()}",
        title=shopify_title(title),
        product_type=first.product_group,
        vendor=first.brand,
        status="ARCHIVED" if all(p.obsolete for p in members) else "ACTIVE",
        option_names=option_names,
        variants=tuple(_variant(p, combo) for p, combo in zip(live, combos, strict=True)),
    )


def build_desired_products(
    raw_products: list[Any],
) -> tuple[list[DesiredProduct], list[SkippedRecord]]:
    """Turn raw Unleashed records into the products Shopify should hold, and the records we skipped."""
    skipped: list[SkippedRecord] = []
    sellable: list[UnleashedProduct] = []
    seen_codes: set[str] = set()
    for position, raw in enumerate(raw_products):
        try:
            product = parse_unleashed_product(raw, position)
        except InvalidRecord as invalid:
            skipped.append(SkippedRecord(reference=invalid.reference, reason=invalid.reason))
            continue
        if product.product_code in seen_codes:
            skipped.append(SkippedRecord(reference=f"product {product.product_code!r}", reason="duplicate ProductCode"))
            continue
        seen_codes.add(product.product_code)
        if product.is_component or not product.is_sellable:
            continue
        sellable.append(product)

    # A ProductTitle shared by two or more products makes one product with a variant each; a ProductTitle
    # no other product shares is a single-variant product like one without a ProductTitle, titled from its
    # ProductDescription. Obsolete members count: they are still in the catalogue.
    groups: dict[str, list[UnleashedProduct]] = defaultdict(list)
    group_titles: dict[str, str] = {}
    desired: list[DesiredProduct] = []
    for product in sellable:
        title = product.attribute("ProductTitle")
        if title:
            groups[title.casefold()].append(product)
            group_titles.setdefault(title.casefold(), title)
        else:
            desired.append(_single_product(product))
    for group_key, members in groups.items():
        if len(members) == 1:
            desired.append(_single_product(members[0]))
        else:
            desired.append(_grouped_product(group_titles[group_key], members, skipped))
    desired.sort(key=lambda product: product.key)
    return desired, skipped

"""What Shopify should hold for Promidata families: one product per family, a variant per child, and its images.

Pure functions over the snapshot records (`family.family_record`). Choices that must not flip between syncs
are made deterministically: the language is the first of the tenant's preference that the family has, the
price region the first of the tenant's order that prices the child, option names come from the
`ConfigurationName`s (labelled with their translation), variants keep the feed's order.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pycountry

from producer.pipeline.plan import SkippedRecord
from producer.resources.products.desired import (
    DEFAULT_OPTION_NAME,
    DEFAULT_OPTION_VALUE,
    MAX_OPTIONS,
    DesiredProduct,
    DesiredVariant,
    round_price,
    shopify_title,
)
from producer.sources.records import InvalidRecord, decimal_field
from producer.sources.urls import UnsafeUrl, check_scheme

MAX_MEDIA = 100  # what the media mutation reads back of a product
BENELUX = frozenset({"NL", "BE", "LU"})


@dataclass(frozen=True)
class Preferences:
    languages: tuple[str, ...]
    regions: tuple[str, ...]


def preferences(languages: str | None, default_languages: str, country: str | None, regions: str) -> Preferences:
    """The tenant's language order (else the default), and the price regions for its country, then the rest."""
    wanted = [part.strip().lower() for part in (languages or default_languages).split(",") if part.strip()]
    order: list[str] = []
    if country:
        code = country.strip().upper()
        found = pycountry.countries.get(alpha_2=code) or pycountry.countries.get(alpha_3=code)
        if code in BENELUX:
            order.append("BENELUX")
        if found is not None:
            order += [found.alpha_3, found.alpha_2]
        else:
            order.append(code)
    order += [part.strip().upper() for part in regions.split(",") if part.strip()]
    return Preferences(tuple(dict.fromkeys(wanted)), tuple(dict.fromkeys(order)))


@dataclass(frozen=True)
class DesiredImage:
    url: str
    alt: str

    def filename(self) -> str:
        """Ours and stable per source URL: a retried attach replaces its own file, never adds a second one."""
        suffix = urlsplit(self.url).path.rsplit(".", 1)[-1].lower()
        extension = f".{suffix}" if suffix in ("jpg", "jpeg", "png", "gif", "webp") else ""
        return f"promidata-{hashlib.sha1(self.url.encode()).hexdigest()[:24]}{extension}"


@dataclass
class DesiredFamilies:
    products: list[DesiredProduct] = field(default_factory=list)
    images: dict[str, list[DesiredImage]] = field(default_factory=dict)  # by product key
    skipped: list[SkippedRecord] = field(default_factory=list)
    warnings: list[SkippedRecord] = field(default_factory=list)


def family_key(sku: str) -> str:
    return f"family:{sku}"


def build_desired_families(
    records: list[Any], prefs: Preferences, refused_hosts: frozenset[str] = frozenset()
) -> DesiredFamilies:
    """Every family record → its product and images; a family that cannot be mapped is skipped and reported."""
    result = DesiredFamilies()
    claimed: set[str] = set()
    for record in records:
        warnings: list[SkippedRecord] = []
        try:
            product, images = _family(record, prefs, refused_hosts, claimed, warnings)
        except InvalidRecord as invalid:
            result.skipped.append(SkippedRecord(reference=invalid.reference, reason=invalid.reason))
            continue
        finally:
            result.warnings += warnings
        claimed.update(product.skus)
        result.products.append(product)
        result.images[product.key] = images
    result.products.sort(key=lambda product: product.key)
    return result


def _first(details: Any, languages: tuple[str, ...], key: str) -> tuple[str | None, Any]:
    """(language, value) of the first preferred language whose details have a non-empty `key`; then any other
    language, alphabetically, so a family without the preferred ones still has a title."""
    if not isinstance(details, dict):
        return None, None
    for language in [*languages, *sorted(set(details) - set(languages))]:
        value = details.get(language, {}).get(key) if isinstance(details.get(language), dict) else None
        if value not in (None, "", []):
            return language, value
    return None, None


def _family(
    record: Any, prefs: Preferences, refused: frozenset[str], claimed: set[str], warnings: list[SkippedRecord]
) -> tuple[DesiredProduct, list[DesiredImage]]:
    if not isinstance(record, dict) or not isinstance(record.get("Sku"), str):
        raise InvalidRecord("family ?", "the family file has no Sku")
    sku = record["Sku"]
    reference = f"family {sku!r}"
    raw_children = record.get("ChildProducts")
    if not isinstance(raw_children, list) or not raw_children:
        raise InvalidRecord(reference, "the family has no ChildProducts; nothing to sell")
    children: list[tuple[str, dict[str, Any], Decimal]] = []
    own: set[str] = set()
    for position, child in enumerate(raw_children):
        parsed = _child(child, position, reference, prefs, claimed, own, warnings)
        if parsed is not None:
            children.append(parsed)
    if not children:
        raise InvalidRecord(reference, "no child of the family could be sold (see the warnings); not synced")

    details = record.get("ProductDetails")
    _, name = _first(details, prefs.languages, "Name")
    if not isinstance(name, str) or not name.strip():
        _, name = _first(children[0][1].get("ProductDetails"), prefs.languages, "Name")
    title = shopify_title(str(name).strip()) if isinstance(name, str) and name.strip() else sku
    _, description = _first(details, prefs.languages, "Description")
    physical = record.get("NonLanguageDependedProductDetails")
    physical = physical if isinstance(physical, dict) else {}
    option_names, combos = _options(children, prefs, reference, warnings)
    variants = tuple(
        DesiredVariant(
            sku=child_sku,
            price=round_price(price),
            barcode=_text(child.get("Ean")),
            weight_grams=_grams(child.get("NonLanguageDependedProductDetails")),
            option_values=combo,
            tier_prices={},
        )
        for (child_sku, child, price), combo in zip(children, combos, strict=True)
    )
    product = DesiredProduct(
        key=family_key(sku),
        title=title,
        product_type=_text(physical.get("Category")),
        vendor=_text(physical.get("Brand")) or _first_brand(children),
        status="ACTIVE",
        option_names=option_names,
        variants=variants,
        description_html=description.strip() if isinstance(description, str) and description.strip() else None,
    )
    return product, _images(record, children, title, prefs, refused, reference, warnings)


def _child(
    child: Any,
    position: int,
    family: str,
    prefs: Preferences,
    claimed: set[str],
    own: set[str],
    warnings: list[SkippedRecord],
) -> tuple[str, dict[str, Any], Decimal] | None:
    """(SKU, record, price) of a child that can be sold; a child without a SKU or a price is left out and
    reported; a price that is not a number makes the whole family unusable (its data cannot be trusted)."""
    if not isinstance(child, dict) or not isinstance(child.get("Sku"), str) or not child["Sku"].strip():
        warnings.append(SkippedRecord(reference=f"{family} child #{position}", reason="no Sku; variant left out"))
        return None
    sku = child["Sku"].strip()
    if sku in claimed or sku in own:
        reason = "SKU already belongs to another variant of this feed; variant left out"
        warnings.append(SkippedRecord(reference=f"{family} child {sku!r}", reason=reason))
        return None
    price = _price(child.get("ProductPriceCountryBased"), prefs.regions, f"{family} child {sku!r}")
    if price is None:
        regions = ", ".join(prefs.regions)
        reason = f"no recommended selling price for regions {regions} (or only on request); variant left out"
        warnings.append(SkippedRecord(reference=f"{family} child {sku!r}", reason=reason))
        return None
    own.add(sku)
    return sku, child, price


def _price(by_region: Any, regions: tuple[str, ...], reference: str) -> Decimal | None:
    """The price for the smallest quantity, in the first region that has one not `OnRequest`."""
    if not isinstance(by_region, dict):
        return None
    for region in regions:
        entry = by_region.get(region)
        ladder = entry.get("RecommendedSellingPrice") if isinstance(entry, dict) else None
        if not isinstance(ladder, list):
            continue
        steps: list[tuple[Decimal, Decimal]] = []
        for step in ladder:
            if not isinstance(step, dict) or step.get("OnRequest") is True:
                continue
            field_name = f"{region} RecommendedSellingPrice"
            price = decimal_field(step.get("Price"), f"{field_name} Price", reference, required=True)
            quantity = decimal_field(step.get("Quantity"), f"{field_name} Quantity", reference, required=False)
            assert price is not None
            if price < 0:
                raise InvalidRecord(reference, f"{field_name} Price is negative: {price}")
            steps.append((quantity if quantity is not None else Decimal(0), price))
        if steps:
            return min(steps)[1]
    return None


def _configuration(child: dict[str, Any], prefs: Preferences) -> list[tuple[str, str, str]]:
    """(name, label, value) of each configuration field, in the first preferred language that has them."""
    _, fields = _first(child.get("ProductDetails"), prefs.languages, "ConfigurationFields")
    found: list[tuple[str, str, str]] = []
    for item in fields if isinstance(fields, list) else []:
        if not isinstance(item, dict):
            continue
        name, value = _text(item.get("ConfigurationName")), _text(item.get("ConfigurationValue"))
        if name and value and all(name != seen for seen, _, _ in found):
            found.append((name, _text(item.get("ConfigurationNameTranslated")) or name, value))
    return found


def _options(
    children: list[tuple[str, dict[str, Any], Decimal]],
    prefs: Preferences,
    family: str,
    warnings: list[SkippedRecord],
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Option names (at most three) and each variant's values; a family whose values do not tell its variants
    apart uses the SKU as its one option."""
    fields = [_configuration(child, prefs) for _, child, _ in children]
    names: list[str] = []
    labels: dict[str, str] = {}
    for child_fields in fields:
        for name, label, _value in child_fields:
            if name not in names:
                names.append(name)
                labels[name] = label
    if len(names) > MAX_OPTIONS:
        dropped = ", ".join(names[MAX_OPTIONS:])
        warnings.append(SkippedRecord(reference=family, reason=f"more than {MAX_OPTIONS} options; {dropped} left out"))
        names = names[:MAX_OPTIONS]
    values = [{name: value for name, _, value in child_fields} for child_fields in fields]
    combos = [tuple(child_values.get(name, "") for name in names) for child_values in values]
    option_labels = tuple(labels[name] for name in names)
    if names and all(all(combo) for combo in combos) and len(set(combos)) == len(combos):
        if len(set(option_labels)) == len(option_labels):
            return option_labels, combos
        return tuple(names), combos
    if len(children) == 1:
        return (DEFAULT_OPTION_NAME,), [(DEFAULT_OPTION_VALUE,)]
    if names:
        reason = "configuration values missing or repeated; variants use their SKU as the option"
        warnings.append(SkippedRecord(reference=family, reason=reason))
    return ("SKU",), [(sku,) for sku, _, _ in children]


def _images(
    record: dict[str, Any],
    children: list[tuple[str, dict[str, Any], Decimal]],
    title: str,
    prefs: Preferences,
    refused: frozenset[str],
    family: str,
    warnings: list[SkippedRecord],
) -> list[DesiredImage]:
    """The family's `Image` and `MediaGalleryImages`, then each child's, in the feed's order, each once."""
    found: dict[str, DesiredImage] = {}
    sources: list[tuple[Any, str]] = [(record.get("ProductDetails"), title)]
    sources += [(child.get("ProductDetails"), f"{title} ({sku})") for sku, child, _ in children]
    for details, fallback_alt in sources:
        language, _ = _first(details, prefs.languages, "Image")
        if language is None:
            language, _ = _first(details, prefs.languages, "MediaGalleryImages")
        if language is None:
            continue
        chosen = details[language]
        gallery = chosen.get("MediaGalleryImages")
        for image in [chosen.get("Image"), *(gallery if isinstance(gallery, list) else [])]:
            url = _text(image.get("Url")) if isinstance(image, dict) else None
            if url is None or url in found:
                continue
            try:
                host = check_scheme(url)
            except UnsafeUrl as exc:
                warnings.append(SkippedRecord(reference=f"{family} image", reason=f"{exc}; image left out"))
                continue
            if host in refused:
                reason = f"{url[:200]} points at a private or loopback address; image left out"
                warnings.append(SkippedRecord(reference=f"{family} image", reason=reason))
                continue
            found[url] = DesiredImage(url, (_text(image.get("Description")) or fallback_alt)[:512])
    if len(found) > MAX_MEDIA:
        reason = f"{len(found)} images; the first {MAX_MEDIA} are kept"
        warnings.append(SkippedRecord(reference=family, reason=reason))
    return list(found.values())[:MAX_MEDIA]


def image_hosts(records: list[Any]) -> set[str]:
    """Every host an image URL of these records names (checked once each before the plan)."""
    hosts: set[str] = set()
    stack: list[Any] = list(records)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            url = item.get("Url")
            if isinstance(url, str):
                host = urlsplit(url).hostname
                if host:
                    hosts.add(host)
            stack.extend(value for value in item.values() if isinstance(value, dict | list))
        elif isinstance(item, list):
            stack.extend(item)
    return hosts


def _grams(physical: Any) -> float | None:
    weight = physical.get("Weight") if isinstance(physical, dict) else None
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        return None
    return float(weight)


def _first_brand(children: list[tuple[str, dict[str, Any], Decimal]]) -> str | None:
    for _, child, _ in children:
        physical = child.get("NonLanguageDependedProductDetails")
        if isinstance(physical, dict) and (brand := _text(physical.get("Brand"))):
            return brand
    return None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool | dict | list):
        return None
    cleaned = str(value).strip()
    return cleaned or None

"""`productSet`: create or update one product with its options, variants and media in one call.

Rules follow Shopify's documentation of the mutation: list fields given in the input replace what the
product had (left-out variants, options, metafields, tags and media are deleted or detached), omitted fields
stay unchanged, and a product with any user error is left exactly as it was. Options and variants are
planned in `product_set_variants`, media (`files`) in `product_files`.
"""

from dataclasses import dataclass
from typing import Any

from sandbox.shopify.catalog import Catalog, Product, now_iso, parse_gid
from sandbox.shopify.input_rules import clean_tags, metafield_problems, replaced_metafields, title_problem, user_error
from sandbox.shopify.media_library import MediaLibrary
from sandbox.shopify.product_files import apply_files, plan_files
from sandbox.shopify.product_set_variants import (
    PlannedVariant,
    apply_options,
    apply_variant,
    plan_options,
    plan_variants,
)

DEFAULT_OPTION = ("Title", "Default Title")

UserErrors = list[dict[str, Any]]


@dataclass
class ProductSetOutcome:
    product: Product | None
    user_errors: UserErrors


def _find_target(
    catalog: Catalog, identifier: dict[str, Any] | None, product_input: dict[str, Any], errors: UserErrors
) -> tuple[Product | None, str | None]:
    """(existing product to update, handle to create with when an upsert by handle finds nothing)."""
    identifier = identifier or {}
    if identifier.get("customId") is not None:
        errors.append(
            user_error(
                ["identifier", "customId"],
                "Identifying a product by customId is not supported by the sandbox",
                "INVALID_INPUT",
            )
        )
        return None, None
    wanted_id = identifier.get("id") or product_input.get("id")
    if wanted_id is not None:
        product = catalog.products.get(parse_gid(wanted_id, "Product") or -1)
        if product is None:
            path = ["identifier", "id"] if identifier.get("id") else ["input", "id"]
            errors.append(user_error(path, "Product does not exist", "PRODUCT_DOES_NOT_EXIST"))
        return product, None
    handle = identifier.get("handle")
    if isinstance(handle, str) and handle:
        return catalog.product_by_handle(handle), handle
    return None, None


def product_set(
    catalog: Catalog, identifier: dict[str, Any] | None, product_input: dict[str, Any], media: MediaLibrary
) -> ProductSetOutcome:
    errors: UserErrors = []
    target, create_handle = _find_target(catalog, identifier, product_input, errors)
    if errors:
        return ProductSetOutcome(None, errors)
    if target is None or "title" in product_input:
        problem = title_problem(product_input.get("title"))
        if problem:
            errors.append(user_error(["input", "title"], problem, "INVALID_PRODUCT"))
    wanted_handle = product_input.get("handle") or create_handle
    if wanted_handle and catalog.handle_taken_by_other(wanted_handle, target.id if target else None):
        errors.append(
            user_error(
                ["input", "handle"],
                f"Handle '{wanted_handle}' already in use. Please provide a new handle.",
                "HANDLE_NOT_UNIQUE",
            )
        )
    option_inputs = product_input.get("productOptions")
    variant_inputs = product_input.get("variants")
    options = plan_options(option_inputs, errors) if option_inputs is not None else None
    variants: list[PlannedVariant] | None = None
    if variant_inputs is not None and options is None:
        errors.append(
            user_error(
                ["input", "productOptions"],
                "Product options input is required when updating variants.",
                "PRODUCT_OPTIONS_INPUT_MISSING",
            )
        )
    elif options is not None and variant_inputs is None:
        errors.append(
            user_error(
                ["input", "variants"], "Variants input is required when updating options.", "VARIANTS_INPUT_MISSING"
            )
        )
    elif variant_inputs is not None and options is not None:
        variants = plan_variants(catalog, target, variant_inputs, options, errors)
    if product_input.get("metafields") is not None:
        errors.extend(
            metafield_problems(
                product_input["metafields"],
                target.metafields if target else [],
                ["input", "metafields"],
                "INVALID_METAFIELD",
            )
        )
    files = plan_files(media, product_input["files"], errors) if product_input.get("files") is not None else None
    if errors:
        return ProductSetOutcome(None, errors)
    product = _apply(catalog, target, product_input, wanted_handle, options, variants)
    if files is not None:
        apply_files(media, product, files)
    return ProductSetOutcome(product, [])


def _apply(
    catalog: Catalog,
    target: Product | None,
    product_input: dict[str, Any],
    wanted_handle: str | None,
    options: list[tuple[str, list[str]]] | None,
    variants: list[PlannedVariant] | None,
) -> Product:
    now = now_iso()
    previous_handle = target.handle if target else None
    product = target or Product(
        id=catalog.next_id("Product"),
        title=str(product_input["title"]),
        handle=catalog.unique_handle(wanted_handle or str(product_input["title"])),
        status="ACTIVE",
        created_at=now,
        updated_at=now,
    )
    if target is not None and wanted_handle:
        product.handle = wanted_handle
    for key, attribute in (
        ("title", "title"),
        ("vendor", "vendor"),
        ("productType", "product_type"),
        ("descriptionHtml", "description_html"),
        ("status", "status"),
    ):
        if product_input.get(key) is not None:
            setattr(product, attribute, product_input[key])
    if product_input.get("tags") is not None:
        product.tags = clean_tags(product_input["tags"])
    if product_input.get("metafields") is not None:
        product.metafields = replaced_metafields(catalog.ids, product_input["metafields"], product.metafields)
    if target is None and options is None:
        options = [(DEFAULT_OPTION[0], [DEFAULT_OPTION[1]])]
        variants = [PlannedVariant({}, [DEFAULT_OPTION], None, None, None)]
    if options is not None and variants is not None:
        apply_options(catalog, product, options)
        kept = [apply_variant(catalog, product, plan, position, now) for position, plan in enumerate(variants, 1)]
        for number in set(product.variant_ids) - set(kept):
            catalog.remove_variant(number)
        product.variant_ids = kept
    product.updated_at = now
    catalog.put_product(product, previous_handle)
    return product

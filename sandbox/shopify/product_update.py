"""`productUpdate`: change a product's own fields (status, title, vendor, type, tags, …), never its variants."""

from dataclasses import dataclass
from typing import Any

from sandbox.shopify.catalog import Catalog, Product, now_iso, parse_gid
from sandbox.shopify.input_rules import (
    clean_tags,
    metafield_problems,
    title_problem,
    upserted_metafields,
    user_error,
)

_SCALAR_FIELDS = (
    ("title", "title"),
    ("vendor", "vendor"),
    ("productType", "product_type"),
    ("descriptionHtml", "description_html"),
    ("status", "status"),
)


@dataclass
class ProductUpdateOutcome:
    product: Product | None
    user_errors: list[dict[str, Any]]


def _target(catalog: Catalog, product_input: dict[str, Any], identifier: dict[str, Any] | None) -> Product | None:
    identifier = identifier or {}
    if identifier.get("handle"):
        return catalog.product_by_handle(str(identifier["handle"]))
    wanted = identifier.get("id") or product_input.get("id")
    return catalog.products.get(parse_gid(wanted, "Product") or -1)


def product_update(
    catalog: Catalog, product_input: dict[str, Any], identifier: dict[str, Any] | None
) -> ProductUpdateOutcome:
    product = _target(catalog, product_input, identifier)
    if product is None:
        return ProductUpdateOutcome(None, [user_error(["id"], "Product does not exist", None)])
    errors = []
    if "title" in product_input:
        problem = title_problem(product_input["title"])
        if problem:
            errors.append(user_error(["title"], problem, None))
    handle = product_input.get("handle")
    if handle and catalog.handle_taken_by_other(handle, product.id):
        errors.append(user_error(["handle"], f"Handle '{handle}' already in use. Please provide a new handle.", None))
    if product_input.get("metafields") is not None:
        errors.extend(
            {"field": error["field"], "message": error["message"]}
            for error in metafield_problems(product_input["metafields"], product.metafields, ["metafields"], "")
        )
    if errors:
        return ProductUpdateOutcome(None, errors)
    previous_handle = product.handle
    if handle:
        product.handle = handle
    for key, attribute in _SCALAR_FIELDS:
        if product_input.get(key) is not None:
            setattr(product, attribute, product_input[key])
    if product_input.get("tags") is not None:
        product.tags = clean_tags(product_input["tags"])
    if product_input.get("metafields") is not None:
        # productUpdate adds or changes the metafields it names and leaves the others alone.
        product.metafields = upserted_metafields(catalog.ids, product_input["metafields"], product.metafields)
    product.updated_at = now_iso()
    catalog.put_product(product, previous_handle)
    return ProductUpdateOutcome(product, [])

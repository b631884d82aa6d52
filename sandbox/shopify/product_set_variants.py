"""The options and variants half of `productSet`: plan them (collecting user errors), then write them.

A variant input matches an existing variant by `id`, else by its option values (ignoring case); left-out
variants are deleted by the caller. Options keep their ids (and their values' ids) when their names match.
"""

from dataclasses import dataclass
from typing import Any

from sandbox.shopify.catalog import (
    Catalog,
    OptionValue,
    Product,
    ProductOption,
    Variant,
    Weight,
    option_combination,
    parse_gid,
)
from sandbox.shopify.input_rules import metafield_problems, money_text, replaced_metafields, user_error

MAX_OPTIONS = 3
MAX_VARIANTS = 2048

UserErrors = list[dict[str, Any]]


@dataclass
class PlannedVariant:
    source: dict[str, Any]
    option_values: list[tuple[str, str]]
    existing: Variant | None
    price: str | None
    compare_at_price: str | None


def plan_options(option_inputs: list[dict[str, Any]], errors: UserErrors) -> list[tuple[str, list[str]]]:
    if len(option_inputs) > MAX_OPTIONS:
        errors.append(
            user_error(
                ["input", "productOptions"],
                f"Can only specify a maximum of {MAX_OPTIONS} options",
                "OPTIONS_OVER_LIMIT",
            )
        )
    planned: list[tuple[str, list[str]]] = []
    seen_names: set[str] = set()
    for index, option in enumerate(option_inputs):
        path: list[str | int] = ["input", "productOptions", index]
        name = (option.get("name") or "").strip()
        if not name:
            errors.append(user_error([*path, "name"], "Option name can't be blank", "INVALID_INPUT"))
            continue
        if name.casefold() in seen_names:
            errors.append(user_error([*path, "name"], f"Duplicated option name '{name}'", "DUPLICATED_OPTION_NAME"))
        seen_names.add(name.casefold())
        values = [str(value.get("name") or "").strip() for value in option.get("values") or []]
        if not values or not all(values):
            errors.append(
                user_error([*path, "values"], f"Option '{name}' must have at least one value", "OPTION_VALUES_MISSING")
            )
        folded = [value.casefold() for value in values]
        if len(set(folded)) != len(folded):
            errors.append(
                user_error([*path, "values"], f"Duplicated option value for option '{name}'", "DUPLICATED_OPTION_VALUE")
            )
        planned.append((name, values))
    return planned


def _variant_option_values(
    variant: dict[str, Any], index: int, options: list[tuple[str, list[str]]], errors: UserErrors
) -> list[tuple[str, str]] | None:
    path: list[str | int] = ["input", "variants", index, "optionValues"]
    by_name = {name.casefold(): (name, {value.casefold(): value for value in values}) for name, values in options}
    chosen: dict[str, tuple[str, str]] = {}
    ok = True
    for value_index, option_value in enumerate(variant.get("optionValues") or []):
        option_name = str(option_value.get("optionName") or "")
        value_name = str(option_value.get("name") or "")
        known = by_name.get(option_name.casefold())
        if known is None:
            errors.append(
                user_error([*path, value_index], f"Option '{option_name}' does not exist", "OPTION_DOES_NOT_EXIST")
            )
            ok = False
        elif value_name.casefold() not in known[1]:
            errors.append(
                user_error(
                    [*path, value_index],
                    f"Option value '{value_name}' does not exist for option '{known[0]}'",
                    "OPTION_VALUE_DOES_NOT_EXIST",
                )
            )
            ok = False
        elif option_name.casefold() in chosen:
            errors.append(
                user_error([*path, value_index], f"Option '{known[0]}' is given more than once", "INVALID_VARIANT")
            )
            ok = False
        else:
            chosen[option_name.casefold()] = (known[0], known[1][value_name.casefold()])
    missing = [name for name, _ in options if name.casefold() not in chosen]
    if ok and missing:
        errors.append(user_error(path, f"Variant is missing a value for option '{missing[0]}'", "INVALID_VARIANT"))
        ok = False
    return [chosen[name.casefold()] for name, _ in options] if ok else None


def plan_variants(
    catalog: Catalog,
    target: Product | None,
    variant_inputs: list[dict[str, Any]],
    options: list[tuple[str, list[str]]],
    errors: UserErrors,
) -> list[PlannedVariant]:
    if len(variant_inputs) > MAX_VARIANTS:
        errors.append(
            user_error(
                ["input", "variants"], f"Can only specify a maximum of {MAX_VARIANTS} variants", "VARIANTS_OVER_LIMIT"
            )
        )
        return []
    existing = catalog.variants_of(target) if target else []
    by_combination = {variant.combination(): variant for variant in existing}
    by_id = {variant.id: variant for variant in existing}
    planned: list[PlannedVariant] = []
    seen: dict[frozenset[tuple[str, str]], int] = {}
    for index, variant in enumerate(variant_inputs):
        option_values = _variant_option_values(variant, index, options, errors)
        match: Variant | None = None
        if variant.get("id") is not None:
            match = by_id.get(parse_gid(variant["id"], "ProductVariant") or -1)
            if match is None:
                errors.append(
                    user_error(
                        ["input", "variants", index, "id"],
                        "Product variant does not exist",
                        "PRODUCT_VARIANT_DOES_NOT_EXIST",
                    )
                )
        if option_values is not None:
            combination = option_combination(option_values)
            if combination in seen:
                title = " / ".join(value for _, value in option_values)
                errors.append(
                    user_error(
                        ["input", "variants", index, "optionValues"],
                        f"The variant '{title}' already exists.",
                        "DUPLICATED_OPTION_VALUE",
                    )
                )
            seen[combination] = index
            if match is None and variant.get("id") is None:
                match = by_combination.get(combination)
        price = compare_at = None
        for key in ("price", "compareAtPrice"):
            if variant.get(key) is None:
                continue
            text, problem = money_text(variant[key])
            if problem:
                errors.append(user_error(["input", "variants", index, key], problem, "INVALID_VARIANT"))
            elif key == "price":
                price = text
            else:
                compare_at = text
        metafields = variant.get("metafields")
        if metafields is not None:
            errors.extend(
                metafield_problems(
                    metafields,
                    match.metafields if match else [],
                    ["input", "variants", str(index), "metafields"],
                    "INVALID_METAFIELD",
                )
            )
        planned.append(PlannedVariant(variant, option_values or [], match, price, compare_at))
    return planned


def apply_variant(catalog: Catalog, product: Product, plan: PlannedVariant, position: int, now: str) -> int:
    source = plan.source
    variant = plan.existing or Variant(
        id=catalog.next_id("ProductVariant"),
        product_id=product.id,
        inventory_item_id=catalog.next_id("InventoryItem"),
        option_values=[],
        created_at=now,
        updated_at=now,
    )
    variant.option_values = plan.option_values
    variant.position = position
    variant.updated_at = now
    if plan.price is not None:
        variant.price = plan.price
    if "compareAtPrice" in source:
        variant.compare_at_price = plan.compare_at_price
    inventory_item = source.get("inventoryItem") or {}
    if "sku" in source or "sku" in inventory_item:
        variant.sku = source.get("sku") if "sku" in source else inventory_item.get("sku")
    if "barcode" in source:
        variant.barcode = source["barcode"]
    if inventory_item.get("tracked") is not None:
        variant.tracked = bool(inventory_item["tracked"])
    weight = (inventory_item.get("measurement") or {}).get("weight")
    if weight is not None:
        variant.weight = Weight(value=float(weight["value"]), unit=str(weight["unit"]))
    if source.get("metafields") is not None:
        variant.metafields = replaced_metafields(catalog.ids, source["metafields"], variant.metafields)
    catalog.put_variant(variant)
    return variant.id


def apply_options(catalog: Catalog, product: Product, options: list[tuple[str, list[str]]]) -> None:
    previous = {option.name.casefold(): option for option in product.options}
    rebuilt = []
    for position, (name, values) in enumerate(options, start=1):
        old = previous.get(name.casefold())
        old_values = {value.name.casefold(): value.id for value in old.values} if old else {}
        rebuilt.append(
            ProductOption(
                id=old.id if old else catalog.next_id("ProductOption"),
                name=name,
                position=position,
                values=[
                    OptionValue(old_values.get(value.casefold()) or catalog.next_id("ProductOptionValue"), value)
                    for value in values
                ],
            )
        )
    product.options = rebuilt

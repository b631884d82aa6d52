"""Checks Shopify applies to input, shared by the mutations: user errors, titles, money, metafields, tags."""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.shopify.catalog import IdSequence, Metafield

MAX_TITLE_LENGTH = 255
DEFAULT_METAFIELD_NAMESPACE = "custom"

FieldPath = list[str]


def user_error(path: Sequence[str | int], message: str, code: str | None) -> dict[str, Any]:
    """A `…UserError` object; plain `UserError` has no `code`, so None leaves it out."""
    error: dict[str, Any] = {"field": [str(part) for part in path], "message": message}
    if code is not None:
        error["code"] = code
    return error


def title_problem(title: object) -> str | None:
    if not isinstance(title, str) or not title.strip():
        return "Title can't be blank"
    if len(title) > MAX_TITLE_LENGTH:
        return f"Title is too long (maximum is {MAX_TITLE_LENGTH} characters)"
    return None


def money_text(value: object) -> tuple[str | None, str | None]:
    """(normalised decimal string, problem). Kept at the precision sent; at least two decimals."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, "Price is not a valid amount"
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None, f"Price '{value}' is not a valid amount"
    if not amount.is_finite():
        return None, f"Price '{value}' is not a valid amount"
    if amount < 0:
        return None, "Price must be greater than or equal to 0"
    if amount >= Decimal("1000000000000000000"):
        return None, "Price must be less than 1000000000000000000"
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        amount = amount.quantize(Decimal("0.01"))
    return format(amount, "f"), None


def metafield_problems(
    inputs: list[dict[str, Any]], existing: list[Metafield], path: FieldPath, code: str
) -> list[dict[str, Any]]:
    """Key, namespace, value and type rules for a list of `MetafieldInput`."""
    known = {(field.namespace, field.key) for field in existing}
    problems: list[dict[str, Any]] = []
    for index, item in enumerate(inputs):
        where: list[str | int] = [*path, index]
        namespace = item.get("namespace") or DEFAULT_METAFIELD_NAMESPACE
        key = item.get("key")
        if not isinstance(key, str) or not 2 <= len(key) <= 64:
            problems.append(user_error([*where, "key"], "Key must be between 2 and 64 characters", code))
            continue
        if not 3 <= len(namespace) <= 255:
            problems.append(user_error([*where, "namespace"], "Namespace must be between 3 and 255 characters", code))
        if item.get("value") is None:
            problems.append(user_error([*where, "value"], "Value can't be blank", code))
        if not item.get("type") and (namespace, key) not in known:
            problems.append(user_error([*where, "type"], "Type can't be blank", code))
    return problems


def replaced_metafields(ids: IdSequence, inputs: list[dict[str, Any]], existing: list[Metafield]) -> list[Metafield]:
    """The new list of metafields: entries left out are deleted; matched ones keep their ids and type."""
    by_key = {(field.namespace, field.key): field for field in existing}
    result: list[Metafield] = []
    for item in inputs:
        namespace = item.get("namespace") or DEFAULT_METAFIELD_NAMESPACE
        key = str(item["key"])
        previous = by_key.get((namespace, key))
        result.append(
            Metafield(
                id=previous.id if previous else ids.next_id("Metafield"),
                namespace=namespace,
                key=key,
                type=str(item.get("type") or (previous.type if previous else "single_line_text_field")),
                value=str(item["value"]),
            )
        )
    return result


def upserted_metafields(ids: IdSequence, inputs: list[dict[str, Any]], existing: list[Metafield]) -> list[Metafield]:
    """The metafields named in `inputs` added or changed; the others left as they were (an upsert)."""
    named = {(item.get("namespace") or DEFAULT_METAFIELD_NAMESPACE, item.get("key")) for item in inputs}
    untouched = [field for field in existing if (field.namespace, field.key) not in named]
    return untouched + replaced_metafields(ids, inputs, existing)


def clean_tags(tags: list[str]) -> list[str]:
    """Tags trimmed, blanks dropped, duplicates (ignoring case) removed, order kept."""
    seen: set[str] = set()
    result = []
    for tag in tags:
        cleaned = tag.strip()
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            result.append(cleaned)
    return result

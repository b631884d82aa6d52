"""A subscription's `includeFields` (which keys a body keeps) and `filter` (which events it gets).

`includeFields` names top-level keys, or nested ones with dots (`variants.price` keeps each variant's
price only). `filter` is Shopify's search syntax over the payload as the sandbox understands it:
`field:value` terms (dotted paths into nested objects and lists; a list matches when any element does),
`value*` prefixes, `-` negation, `AND`/`OR`, and `>`, `>=`, `<`, `<=` comparisons (numbers compared as
numbers, anything else as text, so ISO timestamps compare in time order). Text without a field matches a
payload with that word in any top-level text value.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.shopify.search_query import SearchTerm, parse_search

_WHOLE = "\x00whole"


def _wanted_tree(include_fields: list[str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in include_fields:
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
        node[_WHOLE] = True
    return tree


def _pick(value: Any, tree: dict[str, Any]) -> Any:
    if tree.get(_WHOLE):
        return value
    if isinstance(value, list):
        return [_pick(item, tree) for item in value]
    if isinstance(value, dict):
        return {key: _pick(value[key], sub) for key, sub in tree.items() if key != _WHOLE and key in value}
    return value


def trimmed(payload: dict[str, Any], include_fields: list[str]) -> dict[str, Any]:
    """The payload with only the included fields (all of it when the list is empty)."""
    if not include_fields:
        return payload
    picked: dict[str, Any] = _pick(payload, _wanted_tree(include_fields))
    return picked


def _values_at(value: Any, path: list[str]) -> list[Any]:
    if isinstance(value, list):
        return [found for item in value for found in _values_at(item, path)]
    if not path:
        return [value]
    if isinstance(value, dict) and path[0] in value:
        return _values_at(value[path[0]], path[1:])
    return []


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _ordered(left: str, right: str) -> tuple[Any, Any]:
    try:
        return Decimal(left), Decimal(right)
    except InvalidOperation:
        return left.casefold(), right.casefold()


def _compare(wanted: str, value: Any) -> bool:
    for operator in (">=", "<=", ">", "<"):
        if wanted.startswith(operator):
            have, limit = _ordered(_text(value), wanted[len(operator) :])
            if operator == ">=":
                return bool(have >= limit)
            if operator == "<=":
                return bool(have <= limit)
            return bool(have > limit) if operator == ">" else bool(have < limit)
    return SearchTerm(None, wanted).matches_text(_text(value))


def _term_matches(term: SearchTerm, payload: dict[str, Any]) -> bool:
    if term.field is None:
        word = term.value.casefold()
        hit = any(isinstance(value, str) and word in value.casefold() for value in payload.values())
    else:
        hit = any(_compare(term.value, value) for value in _values_at(payload, term.field.split(".")))
    return hit != term.negated


def filter_matches(filter_text: str | None, payload: dict[str, Any]) -> bool:
    groups = parse_search(filter_text)
    if not groups:
        return True
    return any(all(_term_matches(term, payload) for term in group) for group in groups)

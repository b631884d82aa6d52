"""Shopify's search syntax as the sandbox understands it: `field:value` terms, `OR`, `AND`, `-` negation.

`sku:"A B"` and `sku:'A B'` quote values with spaces; `value*` matches a prefix. Terms side by side are
joined by AND; `OR` binds looser than AND, as in Shopify. Parentheses are not supported.
"""

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"""(-)?(?:([A-Za-z_][\w.]*):)?("(?:[^"\\]|\\.)*"|'[^']*'|[^\s]+)""")


@dataclass(frozen=True)
class SearchTerm:
    field: str | None
    value: str
    negated: bool = False

    def matches_text(self, candidate: str | None) -> bool:
        """Case-insensitive equality, or prefix match when the value ends with `*`."""
        if candidate is None:
            return False
        wanted, text = self.value.casefold(), candidate.casefold()
        if wanted.endswith("*"):
            return text.startswith(wanted[:-1])
        return text == wanted


def _unquote(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return re.sub(r"\\(.)", r"\1", raw[1:-1]) if raw[0] == '"' else raw[1:-1]
    return raw


def parse_search(text: str | None) -> list[list[SearchTerm]]:
    """Alternatives (OR) of conjunctions (AND) of terms; an empty list means "everything"."""
    if not text or not text.strip():
        return []
    groups: list[list[SearchTerm]] = [[]]
    for match in _TOKEN.finditer(text):
        negated, field, raw = match.group(1), match.group(2), match.group(3)
        if field is None and not negated and raw == "OR":
            groups.append([])
            continue
        if field is None and not negated and raw == "AND":
            continue
        groups[-1].append(SearchTerm(field.casefold() if field else None, _unquote(raw), bool(negated)))
    return [group for group in groups if group]

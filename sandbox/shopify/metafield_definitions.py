"""Metafield definitions: `metafieldDefinitionCreate` and the `metafieldDefinitions` query.

A definition is unique per (owner type, namespace, key). With `capabilities.uniqueValues.enabled` no two
resources of the owner type may hold the same value, which is what lets `customerSet` upsert by
`identifier.customId`. A namespace left out is the app-reserved one, written `$app` here.
"""

import re
from dataclasses import dataclass
from typing import Any

from sandbox.shopify.catalog import IdSequence, gid, now_iso
from sandbox.shopify.input_rules import user_error
from sandbox.shopify.metafield_objects import GraphObject

APP_NAMESPACE = "$app"
_NAME_LIMIT = 255
_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
_NAMESPACE_PATTERN = re.compile(r"^(\$app(:[A-Za-z0-9_-]+)?|[A-Za-z0-9_-]+)$")
# Types that may carry the unique-values capability (Shopify: text, integer, URL and id).
UNIQUE_VALUE_TYPES = frozenset({"single_line_text_field", "number_integer", "url", "id"})
_BASE_TYPES = {
    "single_line_text_field": "TEXT",
    "multi_line_text_field": "TEXT",
    "rich_text_field": "TEXT",
    "number_integer": "NUMBER",
    "number_decimal": "NUMBER",
    "boolean": "TRUE_FALSE",
    "date": "DATE_TIME",
    "date_time": "DATE_TIME",
    "url": "URL",
    "link": "URL",
    "json": "JSON",
    "color": "COLOR",
    "weight": "MEASUREMENT",
    "volume": "MEASUREMENT",
    "dimension": "MEASUREMENT",
    "rating": "RATING",
    "money": "MONEY",
    "id": "TEXT",
    "product_reference": "REFERENCE",
    "variant_reference": "REFERENCE",
    "collection_reference": "REFERENCE",
    "customer_reference": "REFERENCE",
    "company_reference": "REFERENCE",
    "page_reference": "REFERENCE",
    "file_reference": "REFERENCE",
    "metaobject_reference": "REFERENCE",
    "mixed_reference": "REFERENCE",
}
_LIST_TYPES = {
    f"list.{name}": category
    for name, category in _BASE_TYPES.items()
    if name not in ("json", "money", "boolean", "rich_text_field", "multi_line_text_field", "id")
}
METAFIELD_TYPES = {**_BASE_TYPES, **_LIST_TYPES}


@dataclass
class MetafieldDefinition:
    id: int
    name: str
    namespace: str
    key: str
    owner_type: str
    type: str
    created_at: str
    description: str | None = None
    unique_values: bool = False


class MetafieldDefinitions:
    """Definitions by number; `revision` goes up on every write."""

    def __init__(self, ids: IdSequence) -> None:
        self.revision = 0
        self.ids = ids
        self.by_id: dict[int, MetafieldDefinition] = {}

    def find(self, owner_type: str, namespace: str | None, key: str) -> MetafieldDefinition | None:
        wanted = (owner_type, namespace or APP_NAMESPACE, key)
        return next((d for d in self.by_id.values() if (d.owner_type, d.namespace, d.key) == wanted), None)

    def put(self, definition: MetafieldDefinition) -> None:
        self.revision += 1
        self.by_id[definition.id] = definition

    def select(self, owner_type: str, namespace: str | None, key: str | None) -> list[int]:
        return [
            d.id
            for d in self.by_id.values()
            if d.owner_type == owner_type and namespace in (None, d.namespace) and key in (None, d.key)
        ]


def _length_problems(value: str, low: int, high: int, label: str, path: list[str]) -> list[dict[str, Any]]:
    if len(value) < low:
        return [user_error(path, f"{label} is too short (minimum is {low} characters)", "TOO_SHORT")]
    if len(value) > high:
        return [user_error(path, f"{label} is too long (maximum is {high} characters)", "TOO_LONG")]
    return []


def definition_problems(definitions: MetafieldDefinitions, given: dict[str, Any]) -> list[dict[str, Any]]:
    problems: list[dict[str, Any]] = []
    name = str(given.get("name") or "")
    if not name.strip():
        problems.append(user_error(["definition", "name"], "Name can't be blank", "BLANK"))
    elif len(name) > _NAME_LIMIT:
        problems.append(user_error(["definition", "name"], "Name is too long (maximum is 255 characters)", "TOO_LONG"))
    key = str(given["key"])
    key_problems = _length_problems(key, 2, 64, "Key", ["definition", "key"])
    if not key_problems and not _KEY_PATTERN.match(key):
        key_problems.append(
            user_error(["definition", "key"], "Key contains one or more invalid characters.", "INVALID_CHARACTER")
        )
    problems.extend(key_problems)
    namespace = given.get("namespace")
    if namespace is not None:
        namespace_problems = _length_problems(namespace, 3, 255, "Namespace", ["definition", "namespace"])
        if not namespace_problems and not _NAMESPACE_PATTERN.match(namespace):
            message = "Namespace contains one or more invalid characters."
            namespace_problems.append(user_error(["definition", "namespace"], message, "INVALID_CHARACTER"))
        problems.extend(namespace_problems)
    type_name = str(given["type"])
    if type_name not in METAFIELD_TYPES:
        problems.append(user_error(["definition", "type"], "Type name is not included in the list.", "INCLUSION"))
    unique = ((given.get("capabilities") or {}).get("uniqueValues") or {}).get("enabled") is True
    if unique and type_name in METAFIELD_TYPES and type_name not in UNIQUE_VALUE_TYPES:
        problems.append(
            user_error(
                ["definition", "capabilities", "uniqueValues"],
                f"The unique values capability is not supported for the type '{type_name}'.",
                "INVALID_CAPABILITY",
            )
        )
    if not key_problems and definitions.find(given["ownerType"], namespace, key) is not None:
        shown = namespace or APP_NAMESPACE
        message = f"Key is in use for {given['ownerType']} metafields on the '{shown}' namespace."
        problems.append(user_error(["definition", "key"], message, "TAKEN"))
    return problems


def metafield_definition_create(definitions: MetafieldDefinitions, given: dict[str, Any]) -> GraphObject:
    """The `MetafieldDefinitionCreatePayload`; nothing is stored when there is any user error."""
    problems = definition_problems(definitions, given)
    if problems:
        return {"createdDefinition": None, "userErrors": problems}
    definition = MetafieldDefinition(
        id=definitions.ids.next_id("MetafieldDefinition"),
        name=str(given["name"]).strip(),
        namespace=given.get("namespace") or APP_NAMESPACE,
        key=str(given["key"]),
        owner_type=str(given["ownerType"]),
        type=str(given["type"]),
        created_at=now_iso(),
        description=given.get("description"),
        unique_values=((given.get("capabilities") or {}).get("uniqueValues") or {}).get("enabled") is True,
    )
    definitions.put(definition)
    return {"createdDefinition": definition_object(definition), "userErrors": []}


def _capability(enabled: bool, eligible: bool) -> dict[str, bool]:
    return {"enabled": enabled, "eligible": eligible}


def definition_object(definition: MetafieldDefinition) -> GraphObject:
    return {
        "__typename": "MetafieldDefinition",
        "id": gid("MetafieldDefinition", definition.id),
        "name": definition.name,
        "namespace": definition.namespace,
        "key": definition.key,
        "ownerType": definition.owner_type,
        "description": definition.description,
        "type": {
            "name": definition.type,
            "category": METAFIELD_TYPES.get(definition.type, "TEXT"),
            "supportedValidations": [],
            "supportsDefinitionMigrations": True,
        },
        "capabilities": {
            "uniqueValues": _capability(definition.unique_values, definition.type in UNIQUE_VALUE_TYPES),
            "adminFilterable": {**_capability(False, True), "status": "NOT_FILTERABLE"},
            "smartCollectionCondition": _capability(False, definition.owner_type == "PRODUCT"),
            "analyticsQueryable": _capability(False, False),
            "cartToOrderCopyable": _capability(False, False),
        },
        "validations": [],
        "validationStatus": "ALL_VALID",
        "useAsCollectionCondition": False,
        "pinnedPosition": None,
        "constraints": None,
        "standardTemplate": None,
    }

"""Metafields as GraphQL objects and as inspection JSON, for every owner (products, variants, locations, customers)."""

from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify.catalog import Metafield, gid
from sandbox.shopify.connections import PageRequest, connection

GraphObject = dict[str, Any]


def metafield_object(field: Metafield, owner_type: str) -> GraphObject:
    return {
        "__typename": "Metafield",
        "id": gid("Metafield", field.id),
        "legacyResourceId": str(field.id),
        "namespace": field.namespace,
        "key": field.key,
        "type": field.type,
        "value": field.value,
        "jsonValue": field.value,
        "ownerType": owner_type,
    }


def metafield_resolvers(fields: list[Metafield], owner_type: str) -> GraphObject:
    """`metafields(first:, namespace:, keys:)` and `metafield(namespace:, key:)` over one owner's metafields.

    `owner_type` is the `MetafieldOwnerType` value (`PRODUCT`, `PRODUCTVARIANT`, `LOCATION`, `CUSTOMER`).
    """

    def metafields(_info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        chosen = [f for f in fields if args.get("namespace") in (None, f.namespace)]
        if args.get("keys"):
            chosen = [f for f in chosen if f"{f.namespace}.{f.key}" in args["keys"]]
        by_number = {f.id: f for f in chosen}
        return connection(
            sorted(by_number),
            PageRequest.from_args(args),
            lambda number: metafield_object(by_number[number], owner_type),
        )

    def metafield(_info: GraphQLResolveInfo, key: str, namespace: str | None = None) -> GraphObject | None:
        if namespace is None and "." in key:
            namespace, key = key.split(".", 1)
        for field in fields:
            if field.key == key and field.namespace == (namespace or "custom"):
                return metafield_object(field, owner_type)
        return None

    return {"metafields": metafields, "metafield": metafield}


def metafields_json(fields: list[Metafield]) -> list[dict[str, Any]]:
    """Metafields as plain JSON for the `/_sandbox` inspection routes."""
    return [
        {"id": gid("Metafield", f.id), "namespace": f.namespace, "key": f.key, "type": f.type, "value": f.value}
        for f in fields
    ]

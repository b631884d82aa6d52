"""Catalogue records as GraphQL objects: plain dicts whose callables resolve arguments lazily.

graphql-core's default resolver reads dict keys and calls a callable value with `(info, **args)`, so
nested connections (`product.variants(first:)`, `metafields(first:)`) are computed only when selected.
"""

from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify.catalog import Catalog, Metafield, Product, ProductOption, Variant, gid
from sandbox.shopify.connections import PageRequest, connection

GraphObject = dict[str, Any]


def metafield_object(field: Metafield, owner_gid: str) -> GraphObject:
    return {
        "__typename": "Metafield",
        "id": gid("Metafield", field.id),
        "namespace": field.namespace,
        "key": field.key,
        "type": field.type,
        "value": field.value,
        "jsonValue": field.value,
        "ownerType": "PRODUCTVARIANT" if "ProductVariant" in owner_gid else "PRODUCT",
    }


def _metafield_resolvers(fields: list[Metafield], owner_gid: str) -> GraphObject:
    def metafields(_info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        chosen = [f for f in fields if args.get("namespace") in (None, f.namespace)]
        if args.get("keys"):
            chosen = [f for f in chosen if f"{f.namespace}.{f.key}" in args["keys"]]
        by_number = {f.id: f for f in chosen}
        return connection(
            sorted(by_number),
            PageRequest.from_args(args),
            lambda number: metafield_object(by_number[number], owner_gid),
        )

    def metafield(_info: GraphQLResolveInfo, key: str, namespace: str | None = None) -> GraphObject | None:
        if namespace is None and "." in key:
            namespace, key = key.split(".", 1)
        for field in fields:
            if field.key == key and field.namespace == (namespace or "custom"):
                return metafield_object(field, owner_gid)
        return None

    return {"metafields": metafields, "metafield": metafield}


def _option_object(option: ProductOption, used_values: set[str]) -> GraphObject:
    return {
        "__typename": "ProductOption",
        "id": gid("ProductOption", option.id),
        "name": option.name,
        "position": option.position,
        "values": [value.name for value in option.values],
        "optionValues": [
            {
                "__typename": "ProductOptionValue",
                "id": gid("ProductOptionValue", value.id),
                "name": value.name,
                "hasVariants": value.name.casefold() in used_values,
            }
            for value in option.values
        ],
        "linkedMetafield": None,
    }


def product_object(catalog: Catalog, product: Product) -> GraphObject:
    product_gid = gid("Product", product.id)

    def variants(_info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return connection(
            product.variant_ids,
            PageRequest.from_args(args),
            lambda number: variant_object(catalog, catalog.variants[number]),
            ascending=False,
        )

    def options(_info: GraphQLResolveInfo, first: int | None = None) -> list[GraphObject]:
        used = {value.casefold() for variant in catalog.variants_of(product) for _, value in variant.option_values}
        chosen = product.options if first is None else product.options[:first]
        return [_option_object(option, used) for option in chosen]

    return {
        "__typename": "Product",
        "id": product_gid,
        "legacyResourceId": str(product.id),
        **_product_fields(product),
        "hasOnlyDefaultVariant": [(o.name, [v.name for v in o.values]) for o in product.options]
        == [("Title", ["Default Title"])],
        "totalInventory": 0,
        "variantsCount": {"__typename": "Count", "count": len(product.variant_ids), "precision": "EXACT"},
        "variants": variants,
        "options": options,
        **_metafield_resolvers(product.metafields, product_gid),
    }


def variant_object(catalog: Catalog, variant: Variant) -> GraphObject:
    variant_gid = gid("ProductVariant", variant.id)
    item_gid = gid("InventoryItem", variant.inventory_item_id)
    weight = None if variant.weight is None else {"value": variant.weight.value, "unit": variant.weight.unit}

    def product(_info: GraphQLResolveInfo) -> GraphObject:
        return product_object(catalog, catalog.products[variant.product_id])

    return {
        "__typename": "ProductVariant",
        "id": variant_gid,
        "legacyResourceId": str(variant.id),
        "sku": variant.sku,
        "price": variant.price,
        "compareAtPrice": variant.compare_at_price,
        "barcode": variant.barcode,
        "title": variant.title,
        "displayName": variant.title,
        "position": variant.position,
        "createdAt": variant.created_at,
        "updatedAt": variant.updated_at,
        "inventoryQuantity": 0,
        "selectedOptions": [
            {
                "__typename": "SelectedOption",
                "name": name,
                "value": value,
                "optionValue": {
                    "__typename": "ProductOptionValue",
                    "name": value,
                    "id": _option_value_gid(catalog, variant, name, value),
                    "hasVariants": True,
                },
            }
            for name, value in variant.option_values
        ],
        "inventoryItem": {
            "__typename": "InventoryItem",
            "id": item_gid,
            "legacyResourceId": str(variant.inventory_item_id),
            "sku": variant.sku,
            "tracked": True,
            "requiresShipping": True,
            "measurement": {
                "__typename": "InventoryItemMeasurement",
                "id": gid("InventoryItemMeasurement", variant.inventory_item_id),
                "weight": weight,
            },
        },
        "product": product,
        **_metafield_resolvers(variant.metafields, variant_gid),
    }


def _option_value_gid(catalog: Catalog, variant: Variant, option_name: str, value_name: str) -> str:
    owner = catalog.products.get(variant.product_id)
    for option in owner.options if owner else []:
        if option.name == option_name:
            for value in option.values:
                if value.name == value_name:
                    return gid("ProductOptionValue", value.id)
    return gid("ProductOptionValue", 0)


def inspection_view(catalog: Catalog, product: Product) -> dict[str, Any]:
    """Everything the sandbox holds about a product, as plain JSON for `/_sandbox/.../products`."""

    def metafields(fields: list[Metafield]) -> list[dict[str, Any]]:
        return [
            {"id": gid("Metafield", f.id), "namespace": f.namespace, "key": f.key, "type": f.type, "value": f.value}
            for f in fields
        ]

    return {
        "id": gid("Product", product.id),
        **_product_fields(product),
        "options": [
            {
                "id": gid("ProductOption", o.id),
                "name": o.name,
                "position": o.position,
                "values": [v.name for v in o.values],
            }
            for o in product.options
        ],
        "metafields": metafields(product.metafields),
        "variants": [
            {
                "id": gid("ProductVariant", v.id),
                "sku": v.sku,
                "price": v.price,
                "compareAtPrice": v.compare_at_price,
                "barcode": v.barcode,
                "position": v.position,
                "title": v.title,
                "selectedOptions": [{"name": name, "value": value} for name, value in v.option_values],
                "weight": None if v.weight is None else {"value": v.weight.value, "unit": v.weight.unit},
                "inventoryItem": {"id": gid("InventoryItem", v.inventory_item_id)},
                "metafields": metafields(v.metafields),
            }
            for v in catalog.variants_of(product)
        ],
    }


def _product_fields(product: Product) -> dict[str, Any]:
    """The plain fields a product shows both to GraphQL and to the inspection route."""
    return {
        "handle": product.handle,
        "title": product.title,
        "status": product.status,
        "vendor": product.vendor,
        "productType": product.product_type,
        "descriptionHtml": product.description_html,
        "tags": list(product.tags),
        "createdAt": product.created_at,
        "updatedAt": product.updated_at,
    }

"""Catalogue records as GraphQL objects: plain dicts whose callables resolve arguments lazily.

graphql-core's default resolver reads dict keys and calls a callable value with `(info, **args)`, so
nested connections (`product.variants(first:)`, `metafields(first:)`) are computed only when selected.
"""

from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify.catalog import Catalog, Product, ProductOption, Variant, gid
from sandbox.shopify.connections import PageRequest, connection
from sandbox.shopify.media_library import MediaLibrary
from sandbox.shopify.media_objects import product_media_json, product_media_resolvers
from sandbox.shopify.metafield_objects import GraphObject, metafield_resolvers, metafields_json
from sandbox.shopify.shop import Shop
from sandbox.shopify.stock_objects import inventory_item_object


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


def product_object(shop: Shop, product: Product) -> GraphObject:
    catalog = shop.catalog
    product_gid = gid("Product", product.id)

    def variants(_info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return connection(
            product.variant_ids,
            PageRequest.from_args(args),
            lambda number: variant_object(shop, catalog.variants[number]),
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
        "totalInventory": lambda _info: sum(
            shop.inventory.available_total(variant.inventory_item_id) for variant in catalog.variants_of(product)
        ),
        "variantsCount": {"__typename": "Count", "count": len(product.variant_ids), "precision": "EXACT"},
        "variants": variants,
        "options": options,
        **product_media_resolvers(shop.media, product),
        **metafield_resolvers(product.metafields, "PRODUCT"),
    }


def variant_object(shop: Shop, variant: Variant) -> GraphObject:
    catalog = shop.catalog
    variant_gid = gid("ProductVariant", variant.id)

    def product(_info: GraphQLResolveInfo) -> GraphObject:
        return product_object(shop, catalog.products[variant.product_id])

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
        "inventoryQuantity": lambda _info: shop.inventory.available_total(variant.inventory_item_id),
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
        "inventoryItem": lambda _info: inventory_item_object(shop, variant),
        "product": product,
        **metafield_resolvers(variant.metafields, "PRODUCTVARIANT"),
    }


def _option_value_gid(catalog: Catalog, variant: Variant, option_name: str, value_name: str) -> str:
    owner = catalog.products.get(variant.product_id)
    for option in owner.options if owner else []:
        if option.name == option_name:
            for value in option.values:
                if value.name == value_name:
                    return gid("ProductOptionValue", value.id)
    return gid("ProductOptionValue", 0)


def inspection_view(catalog: Catalog, product: Product, media: MediaLibrary) -> dict[str, Any]:
    """Everything the sandbox holds about a product, as plain JSON for `/_sandbox/.../products`."""

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
        "metafields": metafields_json(product.metafields),
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
                "inventoryItem": {"id": gid("InventoryItem", v.inventory_item_id), "tracked": v.tracked},
                "metafields": metafields_json(v.metafields),
            }
            for v in catalog.variants_of(product)
        ],
        "media": product_media_json(media, product),
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

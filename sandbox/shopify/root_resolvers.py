"""The root fields the sandbox implements, named as in the schema, plus access and "not implemented" rules."""

from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, OperationType, default_field_resolver

from sandbox.shopify.catalog import gid, parse_gid
from sandbox.shopify.connections import PageRequest, connection
from sandbox.shopify.graph_objects import GraphObject, product_object, variant_object
from sandbox.shopify.plans import plan_display_name
from sandbox.shopify.product_set import product_set
from sandbox.shopify.product_update import product_update
from sandbox.shopify.search_filters import (
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    select_products,
    select_variants,
    unknown_fields,
)
from sandbox.shopify.search_query import parse_search
from sandbox.shopify.shop import Shop

QUERY_FIELDS = frozenset({"shop", "product", "productVariant", "products", "productVariants"})
MUTATION_FIELDS = frozenset({"productSet", "productUpdate"})

_SCOPE_BY_PREFIX = (
    ("inventory", "write_inventory"),
    ("location", "write_locations"),
    ("customer", "write_customers"),
    ("file", "write_files"),
    ("stagedUpload", "write_files"),
    ("bulkOperation", "write_products"),
    ("metafield", "write_products"),
)


def required_write_scope(mutation_field: str) -> str:
    for prefix, scope in _SCOPE_BY_PREFIX:
        if mutation_field.startswith(prefix):
            return scope
    return "write_products"


def access_denied(field_name: str) -> GraphQLError:
    scope = f"`{required_write_scope(field_name)}` access scope"
    return GraphQLError(
        f"Access denied for {field_name} field. Required access: {scope}.",
        extensions={
            "code": "ACCESS_DENIED",
            "documentation": "https://shopify.dev/api/usage/access-scopes",
            "requiredAccess": f"{scope}.",
        },
    )


class AdminRoot:
    """Root value of one request against one shop: queries and mutations read and change its catalogue."""

    def __init__(self, shop: Shop) -> None:
        self.shop_state = shop
        self.catalog = shop.catalog
        self.search_warnings: list[dict[str, Any]] = []

    def _search_groups(self, info: GraphQLResolveInfo, query: str | None, supported: frozenset[str]) -> Any:
        groups = parse_search(query)
        unknown = unknown_fields(groups, supported)
        if unknown:
            self.search_warnings.append(
                {
                    "path": [info.field_name],
                    "query": query,
                    "warnings": [
                        {"field": field, "message": "Invalid search field for this query."} for field in unknown
                    ],
                }
            )
        return groups

    def shop(self, _info: GraphQLResolveInfo) -> GraphObject:
        shop = self.shop_state
        return {
            "__typename": "Shop",
            "id": gid("Shop", 1),
            "name": shop.name,
            "myshopifyDomain": shop.domain,
            "email": f"owner@{shop.domain}",
            "currencyCode": "NZD",
            "plan": {
                "displayName": plan_display_name(shop.plan),
                "publicDisplayName": plan_display_name(shop.plan),
                "partnerDevelopment": shop.plan == "unlimited",
                "shopifyPlus": shop.plan in ("plus", "enterprise"),
            },
        }

    def product(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        found = self.catalog.products.get(parse_gid(args["id"], "Product") or -1)
        return None if found is None else product_object(self.catalog, found)

    def productVariant(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        found = self.catalog.variants.get(parse_gid(args["id"], "ProductVariant") or -1)
        return None if found is None else variant_object(self.catalog, found)

    def products(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        page = PageRequest.from_args(args)
        numbers = select_products(self.catalog, self._search_groups(info, args.get("query"), PRODUCT_FIELDS))
        return connection(numbers, page, lambda n: product_object(self.catalog, self.catalog.products[n]))

    def productVariants(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        page = PageRequest.from_args(args)
        numbers = select_variants(self.catalog, self._search_groups(info, args.get("query"), VARIANT_FIELDS))
        return connection(numbers, page, lambda n: variant_object(self.catalog, self.catalog.variants[n]))

    def productSet(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        outcome = product_set(self.catalog, args.get("identifier"), args["input"])
        product = None if outcome.product is None else product_object(self.catalog, outcome.product)
        if args.get("synchronous", True) is False:
            operation = {
                "__typename": "ProductSetOperation",
                "id": gid("ProductSetOperation", self.catalog.next_id("ProductSetOperation")),
                "status": "COMPLETE",
                "product": product,
                "userErrors": outcome.user_errors,
            }
            return {"product": None, "productSetOperation": operation, "userErrors": outcome.user_errors}
        return {"product": product, "productSetOperation": None, "userErrors": outcome.user_errors}

    def productUpdate(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        product_input = args.get("product") or args.get("input") or {}
        outcome = product_update(self.catalog, product_input, args.get("identifier"))
        product = None if outcome.product is None else product_object(self.catalog, outcome.product)
        return {"product": product, "userErrors": outcome.user_errors}


def sandbox_field_resolver(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """Root fields: access scope first, then the sandbox's own resolver or a "not implemented" error."""
    if not isinstance(source, AdminRoot):
        return default_field_resolver(source, info, **args)
    name = info.field_name
    is_mutation = info.operation.operation == OperationType.MUTATION
    if is_mutation and not source.shop_state.write_access:
        raise access_denied(name)
    if name not in (MUTATION_FIELDS if is_mutation else QUERY_FIELDS):
        kind = "Mutation" if is_mutation else "QueryRoot"
        raise GraphQLError(
            f"Field '{name}' on {kind} is not implemented by the sandbox", extensions={"code": "NOT_IMPLEMENTED"}
        )
    return getattr(source, name)(info, **args)

"""The root fields the sandbox implements, named as in the schema, plus access and "not implemented" rules.

Each root field is a thin method of `AdminRoot` that hands its arguments to the module owning the resource:
products (`product_set`, `product_update`; media in `product_files`), locations (`location_mutations`),
customers (`customer_set`), metafield definitions (`metafield_definitions`), inventory
(`inventory_mutations`), webhook subscriptions (`webhook_objects`) and bulk operations with their staged
uploads (`bulk_root_fields`). Webhook subscriptions, bulk queries and cancelling a bulk operation need no
write scope, so a read-only app can use them.

A root built with `bulk=True` runs one line of a bulk mutation: the same resolvers, except that `productSet`
always runs synchronously (its `synchronous` argument is ignored in bulk, as the schema says).
"""

from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, OperationType, default_field_resolver

from sandbox.shopify import customer_set, inventory_mutations, location_mutations
from sandbox.shopify.admin_schema import LATEST_VERSION
from sandbox.shopify.bulk_root_fields import BulkRootFields
from sandbox.shopify.catalog import gid, parse_gid
from sandbox.shopify.connections import PageRequest, connection
from sandbox.shopify.customer_objects import customer_object
from sandbox.shopify.customers import CUSTOMER_FIELDS, select_customers
from sandbox.shopify.graph_objects import product_object, variant_object
from sandbox.shopify.idempotency import IdempotentCall, refuse_unsupported_directive
from sandbox.shopify.locations import LOCATION_FIELDS, select_locations
from sandbox.shopify.metafield_definitions import definition_object, metafield_definition_create
from sandbox.shopify.metafield_objects import GraphObject
from sandbox.shopify.plans import plan_display_name
from sandbox.shopify.product_set import product_set
from sandbox.shopify.product_update import product_update
from sandbox.shopify.root_fields import MUTATION_FIELDS, NO_WRITE_SCOPE_FIELDS, NO_WRITE_SCOPE_PREFIX, QUERY_FIELDS
from sandbox.shopify.search_filters import (
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    select_products,
    select_variants,
    unknown_fields,
)
from sandbox.shopify.search_query import parse_search
from sandbox.shopify.shop import Shop
from sandbox.shopify.stock_objects import (
    inventory_item_object,
    inventory_level_object,
    location_object,
    parse_level_gid,
)
from sandbox.shopify.webhook_objects import (
    webhook_subscription,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
    webhook_subscriptions,
)

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


DEFAULT_ORIGIN = "http://127.0.0.1:8090"


class AdminRoot(BulkRootFields):
    """Root value of one request against one shop at one API version: queries read its data, mutations change it.

    `origin` (`http://host:port` the request came in on) is where the URLs the sandbox hands out point.
    """

    def __init__(
        self, shop: Shop, version: str = LATEST_VERSION, origin: str = DEFAULT_ORIGIN, bulk: bool = False
    ) -> None:
        self.shop_state = shop
        self.version = version
        self.origin = origin
        self.bulk = bulk
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
        return None if found is None else product_object(self.shop_state, found)

    def productVariant(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        found = self.catalog.variants.get(parse_gid(args["id"], "ProductVariant") or -1)
        return None if found is None else variant_object(self.shop_state, found)

    def products(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        page = PageRequest.from_args(args)
        numbers = select_products(self.catalog, self._search_groups(info, args.get("query"), PRODUCT_FIELDS))
        return connection(numbers, page, lambda n: product_object(self.shop_state, self.catalog.products[n]))

    def productsCount(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        """Up to `limit` (10000 by default; null: no limit), `AT_LEAST` when the limit cut the count."""
        count = len(select_products(self.catalog, self._search_groups(info, args.get("query"), PRODUCT_FIELDS)))
        limit = args.get("limit", 10000)
        capped = limit is not None and count > limit
        return {
            "__typename": "Count",
            "count": limit if capped else count,
            "precision": "AT_LEAST" if capped else "EXACT",
        }

    def productVariants(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        page = PageRequest.from_args(args)
        numbers = select_variants(self.catalog, self._search_groups(info, args.get("query"), VARIANT_FIELDS))
        return connection(numbers, page, lambda n: variant_object(self.shop_state, self.catalog.variants[n]))

    def productSet(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        outcome = product_set(self.catalog, args.get("identifier"), args["input"], self.shop_state.media)
        product = None if outcome.product is None else product_object(self.shop_state, outcome.product)
        if args.get("synchronous", True) is False and not self.bulk:
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
        product = None if outcome.product is None else product_object(self.shop_state, outcome.product)
        return {"product": product, "userErrors": outcome.user_errors}

    # --- locations ----------------------------------------------------------------------------------------

    def location(self, _info: GraphQLResolveInfo, id: str | None = None) -> GraphObject | None:
        """No id: the shop's primary location, as Shopify answers."""
        shop = self.shop_state
        found = shop.locations.primary if id is None else shop.locations.find(id)
        return None if found is None else location_object(shop, found)

    def locations(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        """Ordered by `sortKey`, NAME by default as in the schema (ID: creation order)."""
        shop = self.shop_state
        page = PageRequest.from_args(args)
        groups = self._search_groups(info, args.get("query"), LOCATION_FIELDS)
        numbers = select_locations(shop.locations, groups, bool(args.get("includeInactive")))
        if args.get("sortKey", "NAME") == "NAME":
            numbers.sort(key=lambda n: (shop.locations.by_id[n].name.casefold(), n))
        return connection(
            numbers,
            page,
            lambda n: location_object(shop, shop.locations.by_id[n]),
            ascending=args.get("sortKey") == "ID",
        )

    def locationAdd(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return location_mutations.location_add(self.shop_state, args["input"])

    def locationEdit(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return location_mutations.location_edit(self.shop_state, args["id"], args["input"])

    def locationActivate(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        call = IdempotentCall.of(info, args, self.version)
        return location_mutations.location_activate(self.shop_state, call, args["locationId"])

    def locationDeactivate(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        call = IdempotentCall.of(info, args, self.version)
        destination = args.get("destinationLocationId")
        return location_mutations.location_deactivate(self.shop_state, call, args["locationId"], destination)

    # --- customers and metafield definitions --------------------------------------------------------------

    def customer(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        found = self.shop_state.customers.find(args["id"])
        return None if found is None else customer_object(self.shop_state, found)

    def customers(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        shop = self.shop_state
        page = PageRequest.from_args(args)
        numbers = select_customers(shop.customers, self._search_groups(info, args.get("query"), CUSTOMER_FIELDS))
        return connection(numbers, page, lambda n: customer_object(shop, shop.customers.by_id[n]))

    def customerSet(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return customer_set.customer_set(self.shop_state, args.get("identifier"), args["input"])

    def metafieldDefinitions(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        definitions = self.shop_state.definitions
        numbers = definitions.select(args["ownerType"], args.get("namespace"), args.get("key"))
        page = PageRequest.from_args(args)
        return connection(numbers, page, lambda n: definition_object(definitions.by_id[n]))

    def metafieldDefinitionCreate(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return metafield_definition_create(self.shop_state.definitions, args["definition"])

    # --- inventory ----------------------------------------------------------------------------------------

    def inventoryItem(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        variant = self.catalog.variant_of_item(parse_gid(args["id"], "InventoryItem") or -1)
        return None if variant is None else inventory_item_object(self.shop_state, variant)

    def inventoryLevel(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        level = self.shop_state.inventory.level_by_id(parse_level_gid(args["id"]) or -1)
        return None if level is None else inventory_level_object(self.shop_state, level)

    def inventoryBulkToggleActivation(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        updates = args["inventoryItemUpdates"]
        return inventory_mutations.inventory_bulk_toggle_activation(self.shop_state, args["inventoryItemId"], updates)

    def inventoryActivate(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        call = IdempotentCall.of(info, args, self.version)
        return inventory_mutations.inventory_activate(self.shop_state, call, args)

    def inventorySetQuantities(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        call = IdempotentCall.of(info, args, self.version)
        return inventory_mutations.inventory_set_quantities(self.shop_state, call, args["input"], self.version)

    # --- webhook subscriptions ----------------------------------------------------------------------------

    def webhookSubscriptions(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return webhook_subscriptions(self.shop_state.webhooks, args)

    def webhookSubscription(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        return webhook_subscription(self.shop_state.webhooks, args["id"])

    def webhookSubscriptionCreate(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return webhook_subscription_create(self.shop_state.webhooks, args, self.version)

    def webhookSubscriptionUpdate(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return webhook_subscription_update(self.shop_state.webhooks, args)

    def webhookSubscriptionDelete(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return webhook_subscription_delete(self.shop_state.webhooks, args["id"])


def sandbox_field_resolver(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """Root fields: access scope first, then the sandbox's own resolver or a "not implemented" error."""
    if not isinstance(source, AdminRoot):
        return default_field_resolver(source, info, **args)
    name = info.field_name
    is_mutation = info.operation.operation == OperationType.MUTATION
    needs_write = name not in NO_WRITE_SCOPE_FIELDS and not name.startswith(NO_WRITE_SCOPE_PREFIX)
    if is_mutation and needs_write and not source.shop_state.write_access:
        raise access_denied(name)
    if name not in (MUTATION_FIELDS if is_mutation else QUERY_FIELDS):
        kind = "Mutation" if is_mutation else "QueryRoot"
        raise GraphQLError(
            f"Field '{name}' on {kind} is not implemented by the sandbox", extensions={"code": "NOT_IMPLEMENTED"}
        )
    if is_mutation:
        refuse_unsupported_directive(info)
    return getattr(source, name)(info, **args)

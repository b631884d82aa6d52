"""The bulk-operation root fields of `AdminRoot`: staged uploads, running, polling and cancelling operations.

`bulkOperation(id:)` and `currentBulkOperation(type:)` (deprecated, still in the schema: the app's latest
operation of that type, whatever its status) answer null when there is none.
"""

from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify import bulk_mutations
from sandbox.shopify.bulk_objects import BULK_OPERATION_FIELDS, list_operations, operation_object
from sandbox.shopify.metafield_objects import GraphObject
from sandbox.shopify.shop import Shop


class BulkRootFields:
    """Mixed into `AdminRoot`, which sets these attributes and provides `_search_groups`."""

    shop_state: Shop
    version: str
    origin: str

    def _search_groups(self, info: GraphQLResolveInfo, query: str | None, supported: frozenset[str]) -> Any:
        raise NotImplementedError

    def stagedUploadsCreate(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return bulk_mutations.staged_uploads_create(self.shop_state, args["input"], self.origin)

    def bulkOperationRunMutation(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return bulk_mutations.bulk_operation_run_mutation(self.shop_state, args, self.version, self.origin)

    def bulkOperationRunQuery(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return bulk_mutations.bulk_operation_run_query(self.shop_state, args, self.version, self.origin)

    def bulkOperationCancel(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        return bulk_mutations.bulk_operation_cancel(self.shop_state, args["id"])

    def bulkOperation(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        shop = self.shop_state
        found = shop.bulk.find(args["id"])
        return None if found is None else operation_object(found, shop.storage.clock())

    def currentBulkOperation(self, _info: GraphQLResolveInfo, **args: Any) -> GraphObject | None:
        shop = self.shop_state
        found = shop.bulk.latest(args.get("type") or "QUERY")
        return None if found is None else operation_object(found, shop.storage.clock())

    def bulkOperations(self, info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        shop = self.shop_state
        groups = self._search_groups(info, args.get("query"), BULK_OPERATION_FIELDS)
        return list_operations(shop.bulk, groups, args, shop.storage.clock())

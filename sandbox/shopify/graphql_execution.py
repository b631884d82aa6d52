"""Executing a prepared operation against a shop: the one path every request and every bulk mutation line takes.

A request (`graphql_endpoint`) adds the cost, the bucket and the response's `extensions` around it; a bulk
mutation line adds nothing: its variables are coerced the same way (invalid ones answer `INVALID_VARIABLE`
for that line), the same resolvers run (access scope, validation, userErrors, idempotency keys), and it
draws nothing from the shop's bucket. A bulk query runs with every connection unbounded.
"""

from typing import Any

from graphql import ExecutionResult, execute_sync

from sandbox.shopify.admin_schema import PreparedOperation, admin_schema
from sandbox.shopify.connections import unbounded_pages
from sandbox.shopify.responses import formatted_errors
from sandbox.shopify.root_resolvers import AdminRoot, sandbox_field_resolver
from sandbox.shopify.shop import Shop
from sandbox.shopify.variables import VariableProblems, coerce_variables


def execute(prepared: PreparedOperation, root: AdminRoot, variables: dict[str, Any]) -> tuple[ExecutionResult, bool]:
    """(the result, whether the shop's data changed)."""
    shop = root.shop_state
    revision_before = shop.revision
    result = execute_sync(
        admin_schema(),
        prepared.document,
        root_value=root,
        variable_values=variables,
        operation_name=prepared.operation.name.value if prepared.operation.name else None,
        field_resolver=sandbox_field_resolver,
    )
    return result, shop.revision != revision_before


def run_bulk_line(
    shop: Shop, prepared: PreparedOperation, variables: dict[str, Any], version: str, origin: str
) -> dict[str, Any]:
    """One line of a bulk mutation: the body Shopify writes for it, without `__lineNumber`."""
    shop.bulk.stats.lines += 1
    try:
        coerce_variables(admin_schema(), prepared.operation, variables)
    except VariableProblems as problems:
        return {"errors": formatted_errors(problems.errors, "INVALID_VARIABLE")}
    result, applied = execute(prepared, AdminRoot(shop, version, origin, bulk=True), variables)
    shop.bulk.stats.lines_applied += applied
    answer: dict[str, Any] = {}
    if result.errors:
        answer["errors"] = [error.formatted for error in result.errors]
    answer["data"] = result.data
    return answer


def run_bulk_query(shop: Shop, prepared: PreparedOperation, version: str, origin: str) -> ExecutionResult:
    """The whole query over the whole shop: no cost, no bucket, every connection's every node."""
    with unbounded_pages():
        result, _ = execute(prepared, AdminRoot(shop, version, origin, bulk=True), {})
    return result

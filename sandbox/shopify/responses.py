"""Response bodies of the Admin GraphQL endpoint, shaped like Shopify's."""

from typing import Any

from graphql import GraphQLError

from sandbox.shopify.leaky_bucket import LeakyBucket
from sandbox.shopify.query_cost import MAX_QUERY_COST

RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"


def cost_extension(requested: int, actual: int | None, bucket: LeakyBucket) -> dict[str, Any]:
    return {
        "cost": {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": bucket.throttle_status()}
    }


def formatted_errors(errors: list[GraphQLError] | tuple[GraphQLError, ...], code: str | None = None) -> list[Any]:
    result = []
    for error in errors:
        shaped: dict[str, Any] = dict(error.formatted)
        if code is not None:
            extensions: dict[str, Any] = dict(error.extensions or {})
            shaped["extensions"] = {**extensions, "code": code}
        result.append(shaped)
    return result


def throttled_body(requested: int, bucket: LeakyBucket) -> dict[str, Any]:
    return {
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": RATE_LIMIT_DOCS}}],
        "extensions": cost_extension(requested, None, bucket),
    }


def max_cost_body(requested: int, bucket: LeakyBucket) -> dict[str, Any]:
    message = (
        f"Query cost is {requested}, which exceeds the single query max cost limit ({MAX_QUERY_COST}).\n\n"
        "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the cost of a "
        "query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be "
        "used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage "
        "details.\n"
    )
    return {
        "errors": [
            {
                "message": message,
                "extensions": {
                    "code": "MAX_COST_EXCEEDED",
                    "cost": requested,
                    "maxCost": MAX_QUERY_COST,
                    "documentation": "https://shopify.dev/api/usage/limits#rate-limits",
                },
            }
        ],
        "extensions": cost_extension(requested, None, bucket),
    }

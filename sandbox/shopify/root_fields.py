"""The root fields the sandbox implements, by operation type (every other field answers NOT_IMPLEMENTED)."""

QUERY_FIELDS = frozenset(
    {
        "shop",
        "product",
        "productVariant",
        "products",
        "productsCount",
        "productVariants",
        "location",
        "locations",
        "customer",
        "customers",
        "inventoryItem",
        "inventoryLevel",
        "metafieldDefinitions",
        "webhookSubscription",
        "webhookSubscriptions",
        "bulkOperation",
        "bulkOperations",
        "currentBulkOperation",
    }
)
MUTATION_FIELDS = frozenset(
    {
        "productSet",
        "productUpdate",
        "locationAdd",
        "locationEdit",
        "locationActivate",
        "locationDeactivate",
        "metafieldDefinitionCreate",
        "customerSet",
        "inventoryBulkToggleActivation",
        "inventoryActivate",
        "inventorySetQuantities",
        "webhookSubscriptionCreate",
        "webhookSubscriptionUpdate",
        "webhookSubscriptionDelete",
        "stagedUploadsCreate",
        "bulkOperationRunMutation",
        "bulkOperationRunQuery",
        "bulkOperationCancel",
    }
)
# Mutations a read-only app may call: webhook subscriptions ask for the topic's read scope, a bulk query for
# the read scopes of what it reads, and cancelling one of the app's own operations for nothing more.
NO_WRITE_SCOPE_FIELDS = frozenset({"bulkOperationRunQuery", "bulkOperationCancel"})
NO_WRITE_SCOPE_PREFIX = "webhookSubscription"
# Mutations a bulk mutation may not run.
NOT_IN_BULK_FIELDS = frozenset({"bulkOperationRunMutation", "bulkOperationRunQuery"})

"""Every GraphQL document the product sends to Shopify, loaded once from `shared/graphql/*.graphql`.

A test validates each of them against the real Admin schema; add new documents as files here.
"""

from importlib import resources
from typing import Final


def _load(name: str) -> str:
    return resources.files("shared.graphql").joinpath(f"{name}.graphql").read_text(encoding="utf-8")


PRODUCT_SET: Final = _load("product_set")
PRODUCT_ARCHIVE: Final = _load("product_archive")
PRODUCT_VARIANTS_PAGE: Final = _load("product_variants_page")

LOCATIONS_PAGE: Final = _load("locations_page")
CUSTOMERS_PAGE: Final = _load("customers_page")
CUSTOMER_CODE_DEFINITIONS: Final = _load("customer_code_definitions")

ALL_DOCUMENTS: Final[dict[str, str]] = {
    "ProductSet": PRODUCT_SET,
    "ProductArchive": PRODUCT_ARCHIVE,
    "ProductVariantsPage": PRODUCT_VARIANTS_PAGE,
    "LocationAdd": _load("location_add"),
    "LocationEdit": _load("location_edit"),
    "LocationActivate": _load("location_activate"),
    "LocationDeactivate": _load("location_deactivate"),
    "LocationsPage": LOCATIONS_PAGE,
    "CustomerCodeDefinition": _load("customer_code_definition"),
    "CustomerCodeDefinitions": CUSTOMER_CODE_DEFINITIONS,
    "CustomerSet": _load("customer_set"),
    "CustomersPage": CUSTOMERS_PAGE,
    "InventoryActivate": _load("inventory_activate"),
    "InventorySetQuantities": _load("inventory_set_quantities"),
    "ProductMediaSet": _load("product_media_set"),
    "WebhookSubscriptionsPage": _load("webhook_subscriptions_page"),
    "WebhookSubscriptionCreate": _load("webhook_subscription_create"),
    "ProductsCount": _load("products_count"),
    "ProductVariantsExport": _load("product_variants_export"),
    "BulkOperationRunQuery": _load("bulk_operation_run_query"),
    "BulkOperation": _load("bulk_operation"),
    "StagedUploadsCreate": _load("staged_uploads_create"),
    "BulkOperationRunMutation": _load("bulk_operation_run_mutation"),
    "BulkOperationsRecent": _load("bulk_operations_recent"),
}

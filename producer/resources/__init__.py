"""The resources a sync covers, side by side; each fills in the one pipeline (`producer.pipeline`)."""

from typing import Any

from producer.pipeline.step import ResourceStep
from producer.resources.customers.step import CustomersStep
from producer.resources.inventory.step import InventoryStep
from producer.resources.locations.step import LocationsStep
from producer.resources.products.step import ProductsStep
from producer.resources.promidata.step import PromidataStep
from shared.models import SyncStep
from shared.tenants import Tenant

STEPS: dict[SyncStep, ResourceStep[Any]] = {
    SyncStep.LOCATIONS: LocationsStep(),
    SyncStep.PRODUCTS: ProductsStep(),
    SyncStep.CUSTOMERS: CustomersStep(),
    SyncStep.INVENTORY: InventoryStep(),
    SyncStep.PROMIDATA: PromidataStep(),
}

UNLEASHED_STEPS = (SyncStep.LOCATIONS, SyncStep.PRODUCTS, SyncStep.CUSTOMERS, SyncStep.INVENTORY)


def comprehensive_steps(tenant: Tenant) -> list[SyncStep]:
    """What `comprehensive-sync` covers: every resource of each source the tenant has (Unleashed's four when it
    has Unleashed credentials or no Promidata feed, so a tenant with neither learns what is missing)."""
    steps: list[SyncStep] = []
    if tenant.unleashed_api_id or not tenant.promidata_import_url:
        steps += UNLEASHED_STEPS
    if tenant.promidata_import_url:
        steps.append(SyncStep.PROMIDATA)
    return steps

"""The resources a sync covers, side by side; each fills in the one pipeline (`producer.pipeline`)."""

from typing import Any

from producer.pipeline.step import ResourceStep
from producer.resources.customers.step import CustomersStep
from producer.resources.inventory.step import InventoryStep
from producer.resources.locations.step import LocationsStep
from producer.resources.products.step import ProductsStep
from shared.models import SyncStep

STEPS: dict[SyncStep, ResourceStep[Any]] = {
    SyncStep.LOCATIONS: LocationsStep(),
    SyncStep.PRODUCTS: ProductsStep(),
    SyncStep.CUSTOMERS: CustomersStep(),
    SyncStep.INVENTORY: InventoryStep(),
}

# What `comprehensive-sync` covers: every Unleashed resource (Promidata has its own route).
COMPREHENSIVE: tuple[SyncStep, ...] = tuple(step for step in STEPS if step is not SyncStep.PROMIDATA)

"""The contract between the planners and the mutator's effects table: every (entity kind, action) a planner
emits has an effect, every effect is emitted by some planner, and the variables each planner builds fit its
document's variable types in the real Admin schema (as the mutator will send them)."""

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, build_client_schema, parse
from graphql.execution.values import get_variable_values

from mutator.apply import IDEMPOTENCY_VARIABLE
from mutator.effects import EFFECTS
from producer.pipeline.mirror import MirrorEntry
from producer.pipeline.plan import PlannedChange
from producer.resources.customers.desired import build_desired_customers
from producer.resources.customers.plan import ShopifyCustomer, plan_customer_changes
from producer.resources.inventory.plan import plan_inventory_changes
from producer.resources.locations.desired import build_desired_locations
from producer.resources.locations.plan import ShopifyLocation, plan_location_changes
from producer.resources.products.desired import build_desired_products
from producer.resources.products.plan import ShopifyProduct, plan_product_changes
from producer.resources.promidata.desired import build_desired_families, preferences
from producer.resources.promidata.media import plan_media_changes
from shared.bulk import BULKABLE
from shared.models import EntityKind, MutationAction
from shared.shopify_documents import ALL_DOCUMENTS
from tests.promidata_records import sample_record
from tests.test_planner import grouped, record

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "sandbox" / "schema" / "admin_2026-10.json.gz"


@pytest.fixture(scope="module")
def admin_schema() -> GraphQLSchema:
    with gzip.open(SCHEMA_FILE, "rt", encoding="utf-8") as handle:
        return build_client_schema(json.load(handle)["data"])


def warehouse(code: str, **overrides: Any) -> dict[str, Any]:
    base = {"WarehouseCode": code, "WarehouseName": f"Store {code}", "AddressLine1": "1 Queen St", "City": "Auckland",
            "Region": "Auckland", "Country": "New Zealand", "PostCode": "1010", "Obsolete": False}  # fmt: skip
    return {**base, **overrides}


def customer(code: str, **overrides: Any) -> dict[str, Any]:
    base = {"CustomerCode": code, "CustomerName": f"Customer {code}", "Email": f"{code.lower()}@example.com",
            "PhoneNumber": "09 555 0100", "Addresses": [{"AddressType": "Postal", "StreetAddress": "1 Queen St",
            "City": "Auckland", "Region": "Auckland", "Country": "New Zealand", "PostalCode": "1010"}]}  # fmt: skip
    return {**base, **overrides}


def entry(key: str, shopify_id: str, **fields: Any) -> MirrorEntry:
    return MirrorEntry(entity_key=key, shopify_id=shopify_id, content_hash=fields.pop("content_hash", "old"), **fields)


def every_kind_of_change() -> list[PlannedChange]:
    """Plans from small scenarios that together make every action of every resource."""
    changes: list[PlannedChange] = []
    products, _ = build_desired_products(
        [record("P1"), grouped("G1", "Tee", "Red", "S"), grouped("G2", "Tee", "Blue", "S")]
    )
    gone = entry("sku:GONE", "gid://shopify/Product/9", status="ACTIVE", skus=("GONE",))
    kept = entry("sku:P1", "gid://shopify/Product/1", status="ACTIVE", skus=("P1",))
    shop = [ShopifyProduct(id="gid://shopify/Product/9", status="ACTIVE", skus=("GONE",)),
            ShopifyProduct(id="gid://shopify/Product/1", status="ACTIVE", skus=("P1",))]  # fmt: skip
    changes += plan_product_changes(products, shop, [gone, kept]).changes

    locations, _, _ = build_desired_locations([warehouse("NEW"), warehouse("EDIT"), warehouse("OFF", Obsolete=True),
                                               warehouse("BACK")])  # fmt: skip
    shop_locations = [
        ShopifyLocation(id=f"gid://shopify/Location/{n}", name=f"Store {code}", is_active=code != "BACK",
                        is_primary=False, warehouse_code=code)
        for n, code in ((2, "EDIT"), (3, "OFF"), (4, "BACK"))
    ] + [ShopifyLocation(id="gid://shopify/Location/1", name="Shop", is_active=True, is_primary=True,
                         warehouse_code=None)]  # fmt: skip
    location_mirror = [entry(code, f"gid://shopify/Location/{n}", status="ACTIVE" if code != "BACK" else "INACTIVE")
                       for n, code in ((2, "EDIT"), (3, "OFF"), (4, "BACK"))]  # fmt: skip
    changes += plan_location_changes(locations, shop_locations, location_mirror).changes

    customers, _, _ = build_desired_customers([customer("C1"), customer("C2")])
    shop_customers = [ShopifyCustomer(id="gid://shopify/Customer/2", email="c2@example.com", phone=None,
                                      customer_code="C2")]  # fmt: skip
    changes += plan_customer_changes(
        customers, shop_customers, [entry("C2", "gid://shopify/Customer/2")], definition_exists=False
    ).changes

    variants = {"P1": {"id": "gid://shopify/ProductVariant/1", "inventoryItemId": "gid://shopify/InventoryItem/1"}}
    product_rows = [entry("sku:P1", "gid://shopify/Product/1", status="ACTIVE", details={"variants": variants})]
    rows = [{"ProductCode": "P1", "WarehouseCode": "EDIT", "AvailableQty": 7.0}]
    changes += plan_inventory_changes(rows, product_rows, location_mirror, []).changes

    families = build_desired_families([sample_record()], preferences(None, "en", "NL", "EURO"))
    placements = plan_product_changes(families.products, [], [], source="promidata").placements
    changes += plan_media_changes(families.images, placements, [])
    return changes


BULK_STAGES = {(EntityKind.BULK_OPERATION, action) for action in (MutationAction.STAGE, MutationAction.RUN,
                                                                   MutationAction.COLLECT)}  # fmt: skip


def test_every_planned_kind_of_change_has_an_effect_and_every_effect_is_planned() -> None:
    emitted = {(change.entity_kind, change.action) for change in every_kind_of_change()}
    # A bulk batch's three jobs are made by the pipeline and the mutator, not by a resource's planner.
    assert emitted | BULK_STAGES == set(EFFECTS)
    assert all(EFFECTS[stage].perform is not None for stage in BULK_STAGES)


def test_what_may_run_in_bulk_runs_through_the_document_its_single_jobs_send() -> None:
    assert set(BULKABLE) <= set(EFFECTS)
    assert all(EFFECTS[kind].document == document for kind, document in BULKABLE.items())


def test_every_planned_change_fits_its_document(admin_schema: GraphQLSchema) -> None:
    for change in every_kind_of_change():
        document = ALL_DOCUMENTS[EFFECTS[(change.entity_kind, change.action)].document]
        (operation,) = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
        variables = dict(change.variables)
        if IDEMPOTENCY_VARIABLE in document:
            variables["idempotencyKey"] = "a-key"
        coerced = get_variable_values(admin_schema, operation.variable_definitions or [], variables)
        assert not isinstance(coerced, list), (change.entity_kind, change.action, [e.message for e in coerced])

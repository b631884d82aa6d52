"""The pure planners of locations, customers and inventory. No I/O."""

from typing import Any

from producer.pipeline.mirror import MirrorEntry
from producer.resources.customers.desired import build_desired_customers
from producer.resources.customers.plan import ShopifyCustomer, plan_customer_changes
from producer.resources.inventory.plan import BATCH_SIZE, plan_inventory_changes
from producer.resources.locations.desired import build_desired_locations
from producer.resources.locations.plan import ShopifyLocation, plan_location_changes
from shared.models import EntityKind, MutationAction
from tests.test_effects_contract import customer, entry, warehouse

PRIMARY = ShopifyLocation(id="gid://shopify/Location/1", name="Shop", is_active=True, is_primary=True,
                          warehouse_code=None)  # fmt: skip


def test_warehouses_become_locations_with_iso_codes_and_bad_ones_are_reported() -> None:
    raws = [
        warehouse("AKL"),
        warehouse("WLG", Region="Wellington", City="Wellington"),
        warehouse("SYD", Country="Australia", Region="NSW", City="Sydney"),
        warehouse("XX", Country="Atlantis"),
        warehouse("DUP", WarehouseName="Store AKL"),
        warehouse("ODD", Region="Middle Earth"),
        {"WarehouseName": "no code"},
    ]
    desired, skipped, warnings = build_desired_locations(raws)
    by_code = {location.key: location for location in desired}
    assert by_code["AKL"].address["countryCode"] == "NZ" and by_code["AKL"].address["provinceCode"] == "AUK"
    assert by_code["WLG"].address["provinceCode"] == "WGN"
    assert by_code["SYD"].address == {**by_code["SYD"].address, "countryCode": "AU", "provinceCode": "NSW"}
    assert "provinceCode" not in by_code["ODD"].address
    reasons = {s.reference: s.reason for s in skipped}
    assert "Atlantis" in reasons["warehouse 'XX'"] and "Store AKL" in reasons["warehouse 'DUP'"]
    assert any("WarehouseCode is missing" in reason for reason in reasons.values())
    assert [w.reference for w in warnings] == ["warehouse 'ODD'"]


def test_an_obsolete_warehouse_moves_its_stock_to_the_default_one_and_comes_back_with_a_new_stock_epoch() -> None:
    desired, _, _ = build_desired_locations([warehouse("MAIN", IsDefault=True), warehouse("OLD", Obsolete=True)])
    shop = [PRIMARY] + [
        ShopifyLocation(id=f"gid://shopify/Location/{n}", name=f"Store {code}", is_active=True, is_primary=False,
                        warehouse_code=code)
        for n, code in ((2, "MAIN"), (3, "OLD"))
    ]  # fmt: skip
    mirror = [entry(d.key, f"gid://shopify/Location/{n}", content_hash=d.content_hash(), status="ACTIVE",
                    details={"stockEpoch": 4}) for n, d in ((2, desired[0]), (3, desired[1]))]  # fmt: skip
    (change,) = plan_location_changes(desired, shop, mirror).changes
    assert change.action is MutationAction.DEACTIVATE
    assert change.variables["destinationLocationId"] == "gid://shopify/Location/2"
    moved_to = [w for w in change.writes if w.entity_key == "MAIN"]
    assert moved_to and moved_to[0].details == {"stockEpoch": 5}, "the default location's stock is set again"

    back, _, _ = build_desired_locations([warehouse("MAIN", IsDefault=True), warehouse("OLD")])
    inactive = [mirror[0], mirror[1].model_copy(update={"status": "INACTIVE"})]
    shop[2] = shop[2].model_copy(update={"is_active": False})
    (change,) = plan_location_changes(back, shop, inactive).changes
    assert change.action is MutationAction.ACTIVATE and change.writes[0].details == {"stockEpoch": 5}


def test_a_never_synced_obsolete_warehouse_is_not_created_and_a_named_one_is_adopted() -> None:
    desired, _, _ = build_desired_locations([warehouse("OLD", Obsolete=True), warehouse("AKL")])
    merchant_made = ShopifyLocation(id="gid://shopify/Location/7", name="store akl", is_active=True,
                                    is_primary=False, warehouse_code=None)  # fmt: skip
    plan = plan_location_changes(desired, [PRIMARY, merchant_made], [])
    assert [(c.action, c.shopify_id) for c in plan.changes] == [(MutationAction.UPDATE, "gid://shopify/Location/7")]
    assert plan.counts == {"adopted": 1} and plan.notes


def test_customers_get_e164_phones_from_their_country_and_contacts_another_customer_has_are_dropped() -> None:
    no_address = customer("C3", Addresses=[], PhoneNumber="021 889 3870", Currency={"CurrencyCode": "NZD"})
    raws = [customer("C1"), customer("C2", Email="C1@example.com", PhoneNumber="call me"), no_address,
            customer("C4", Obsolete=True, Email=None, PhoneNumber=None)]  # fmt: skip
    desired, skipped, warnings = build_desired_customers(raws)
    by_code = {c.key: c for c in desired}
    assert skipped == []
    assert by_code["C1"].phone == "+6495550100" and by_code["C1"].email == "c1@example.com"
    assert by_code["C2"].email is None and by_code["C2"].phone is None
    assert by_code["C3"].phone == "+64218893870"
    assert by_code["C4"].customer_input["tags"] == ["commerce-sync", "unleashed-obsolete"]
    reasons = " | ".join(f"{w.reference}: {w.reason}" for w in warnings)
    assert "customer 'C2': PhoneNumber 'call me' is not a valid phone number" in reasons
    assert "email 'c1@example.com' is also customer 'C1'" in reasons


def test_new_customers_upsert_by_code_after_the_definition_and_existing_ones_are_adopted() -> None:
    desired, _, _ = build_desired_customers([customer("NEW"), customer("OLD")])
    merchant_made = ShopifyCustomer(id="gid://shopify/Customer/5", email="old@example.com", phone=None,
                                    customer_code=None)  # fmt: skip
    plan = plan_customer_changes(desired, [merchant_made], [], definition_exists=False)
    kinds = [(c.entity_kind, c.action, c.wave) for c in plan.changes]
    assert kinds == [
        (EntityKind.CUSTOMER_CODE_DEFINITION, MutationAction.CREATE, 0),
        (EntityKind.CUSTOMER, MutationAction.CREATE, 1),
        (EntityKind.CUSTOMER, MutationAction.UPDATE, 0),
    ]
    create = plan.changes[1]
    assert create.variables["identifier"] == {"customId": {"namespace": "unleashed", "key": "customer_code",
                                                           "value": "NEW"}}  # fmt: skip
    assert plan.changes[2].shopify_id == "gid://shopify/Customer/5"
    with_definition = plan_customer_changes(desired, [merchant_made], [], definition_exists=True)
    assert {c.wave for c in with_definition.changes} == {0}


def stock(sku: str, warehouse_code: str, quantity: Any) -> dict[str, Any]:
    return {"ProductCode": sku, "WarehouseCode": warehouse_code, "AvailableQty": quantity}


def managed_products(count: int) -> list[MirrorEntry]:
    variants = {f"S{i}": {"id": f"v{i}", "inventoryItemId": f"gid://shopify/InventoryItem/{i}"} for i in range(count)}
    return [entry("title:all", "gid://shopify/Product/1", status="ACTIVE", details={"variants": variants})]


def test_stock_is_sent_in_batches_once_stocked_and_only_what_changed() -> None:
    products = managed_products(300)
    locations = [entry("MAIN", "gid://shopify/Location/2", status="ACTIVE")]
    rows = [stock(f"S{i}", "MAIN", i) for i in range(300)]
    rows += [stock("UNKNOWN", "MAIN", 1), stock("S1", "GONE", 1), stock("S2", "MAIN", "lots")]
    plan = plan_inventory_changes(rows, products, locations, [])
    stockings = [c for c in plan.changes if c.entity_kind is EntityKind.INVENTORY_ITEM]
    batches = [c for c in plan.changes if c.entity_kind is EntityKind.INVENTORY_LEVELS]
    assert len(stockings) == 300 and {c.wave for c in stockings} == {0}
    assert [len(c.variables["input"]["quantities"]) for c in batches] == [BATCH_SIZE, 300 - BATCH_SIZE]
    assert {c.wave for c in batches} == {1}, "quantities wait until their items are stocked"
    assert plan.counts["skipped_unmanaged_sku"] == 1 and plan.counts["skipped_no_location"] == 1
    assert "AvailableQty is not a number" in plan.skipped[0].reason

    confirmed = [MirrorEntry(entity_key=w.entity_key, shopify_id=w.shopify_id, content_hash=w.content_hash or "",
                             details=w.details) for c in batches for w in c.writes]  # fmt: skip
    rows[5] = stock("S5", "MAIN", 555)
    (change,) = plan_inventory_changes(rows, products, locations, confirmed).changes
    assert change.wave == 0 and change.variables["input"]["quantities"][0]["quantity"] == 555

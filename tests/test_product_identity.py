"""A product we manage is known by its SKUs: renames and regrouping update it in place, and no SKU is ever on
two live products, whatever order the jobs of one wave run in. Pure: the plan is applied by a small model of
the mutator and the shop below."""

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from producer.pipeline.mirror import MirrorEntry
from producer.pipeline.plan import PlannedChange
from producer.resources.products.desired import build_desired_products
from producer.resources.products.plan import ShopifyProduct, plan_product_changes
from shared.models import MutationAction
from tests.test_planner import grouped, record


@dataclass
class Shop:
    """What the shop holds (id → status, SKUs) and what our mirror says, changed job by job."""

    products: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    mirror: dict[str, MirrorEntry] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    mutations: int = 0

    def read(self) -> list[ShopifyProduct]:
        return [ShopifyProduct(id=i, status=s, skus=skus) for i, (s, skus) in self.products.items()]

    def live_skus(self) -> Counter[str]:
        return Counter(sku for status, skus in self.products.values() if status != "ARCHIVED" for sku in skus)

    def apply(self, change: PlannedChange) -> None:
        self.mutations += 1
        (write,) = change.writes
        if change.action is MutationAction.ARCHIVE:
            product_id = change.variables["product"]["id"]
            self.products[product_id] = ("ARCHIVED", self.products[product_id][1])
        else:
            identifier = change.variables["identifier"]
            product_id = identifier.get("id") or self.handles.get(identifier["handle"])
            if product_id is None:
                product_id = f"gid://shopify/Product/{len(self.products) + 1}"
                self.handles[identifier["handle"]] = product_id
            skus = tuple(v["sku"] for v in change.variables["input"]["variants"])
            self.products[product_id] = (change.variables["input"]["status"], skus)
        self.mirror[write.entity_key] = MirrorEntry(
            entity_key=write.entity_key,
            shopify_id=product_id,
            content_hash=write.content_hash,
            status=write.status,
            skus=write.skus,
        )

    def copy(self) -> "Shop":
        return Shop(dict(self.products), dict(self.mirror), dict(self.handles))

    def sync(self, records: list[dict[str, Any]], *, reverse: bool = False) -> list[PlannedChange]:
        """Plan against the shop and run the jobs wave by wave; no SKU is on two live products after any job,
        whether the jobs of a wave run in plan order or in reverse (checked on a copy first)."""
        if not reverse:
            other = self.copy()
            other.sync(records, reverse=True)
        desired, _ = build_desired_products(records)
        plan = plan_product_changes(desired, self.read(), list(self.mirror.values()))
        for wave in sorted({c.wave for c in plan.changes}):
            jobs = [c for c in plan.changes if c.wave == wave]
            for change in reversed(jobs) if reverse else jobs:
                self.apply(change)
                doubled = [sku for sku, n in self.live_skus().items() if n > 1]
                assert not doubled, f"SKUs on two live products after {change.action} {change.entity_key}: {doubled}"
        return plan.changes

    def product_with(self, sku: str) -> tuple[str, str, tuple[str, ...]]:
        (found,) = [(i, s, skus) for i, (s, skus) in self.products.items() if sku in skus and s != "ARCHIVED"]
        return found


def tee(code: str, colour: str, title: str = "Tee", size: str = "M") -> dict[str, Any]:
    return grouped(code, title, colour, size)


def idle(shop: Shop, records: list[dict[str, Any]]) -> None:
    """An idle re-sync after a change plans nothing."""
    assert shop.sync(records) == [], "an idle re-sync planned changes"


def test_a_renamed_group_is_updated_in_place() -> None:
    shop = Shop()
    shop.sync([tee("T1", "Red"), tee("T2", "Blue"), tee("T3", "Green")])
    product_id, _, _ = shop.product_with("T1")
    renamed = [tee("T1", "Red", "Tee (rev 2)"), tee("T2", "Blue", "Tee (rev 2)"), tee("T3", "Green", "Tee (rev 2)")]
    renamed[1]["DefaultSellPrice"] = 99
    changes = shop.sync(renamed)
    assert [(c.action, c.shopify_id) for c in changes] == [(MutationAction.UPDATE, product_id)]
    assert changes[0].variables["input"]["title"] == "Tee (rev 2)"
    assert len(shop.products) == 1 and shop.sync(renamed) == []


def test_a_sku_moving_to_another_group_leaves_first_then_arrives() -> None:
    shop = Shop()
    alpha = [tee("A1", "Red", "Alpha"), tee("A2", "Blue", "Alpha"), tee("A3", "Teal", "Alpha")]
    shop.sync([*alpha, tee("B1", "Red", "Beta"), tee("B2", "Blue", "Beta")])
    moved = [tee("A1", "Red", "Alpha"), tee("A2", "Blue", "Alpha")]
    moved += [tee("A3", "Teal", "Beta"), tee("B1", "Red", "Beta"), tee("B2", "Blue", "Beta")]
    changes = [c for c in shop.sync(moved)]
    assert sorted((c.wave, c.action) for c in changes) == [(0, MutationAction.UPDATE), (1, MutationAction.UPDATE)]
    assert shop.product_with("A3")[2] == ("A3", "B1", "B2")
    assert len(shop.products) == 2
    idle(shop, moved)


def test_a_group_split_in_two_keeps_one_product_and_creates_the_other() -> None:
    shop = Shop()
    four = [tee(c, colour) for c, colour in (("G1", "Red"), ("G2", "Blue"), ("G3", "Teal"), ("G4", "Sand"))]
    shop.sync(four)
    original, _, _ = shop.product_with("G1")
    split = [*four[:2], tee("G3", "Teal", "Tee Two"), tee("G4", "Sand", "Tee Two")]
    shop.sync(split)
    assert shop.product_with("G1")[0] == original
    assert shop.product_with("G3")[0] != original
    idle(shop, split)


def test_two_groups_merged_keep_one_product_and_archive_the_other() -> None:
    shop = Shop()
    shop.sync([tee("M1", "Red", "Left"), tee("M2", "Blue", "Left"), tee("M3", "Teal", "Right"),
               tee("M4", "Sand", "Right")])  # fmt: skip
    merged = [tee(code, colour, "Left") for code, colour in (("M1", "Red"), ("M2", "Blue"), ("M3", "Teal"))]
    merged.append(tee("M4", "Sand", "Left"))
    shop.sync(merged)
    assert shop.product_with("M1")[2] == ("M1", "M2", "M3", "M4")
    assert [s for s, _ in shop.products.values()].count("ARCHIVED") == 1, "the other group is archived, not deleted"
    idle(shop, merged)


def test_a_single_product_joining_a_group() -> None:
    shop = Shop()
    shop.sync([record("S1"), tee("J1", "Red", "Joined"), tee("J2", "Blue", "Joined")])
    group_id = shop.product_with("J1")[0]
    joined = [tee("S1", "Sand", "Joined"), tee("J1", "Red", "Joined"), tee("J2", "Blue", "Joined")]
    shop.sync(joined)
    assert shop.product_with("S1")[0] == group_id
    idle(shop, joined)


def test_a_group_dissolving_into_single_products() -> None:
    shop = Shop()
    shop.sync([tee("D1", "Red"), tee("D2", "Blue"), tee("D3", "Teal")])
    group_id = shop.product_with("D1")[0]
    singles = [record("D1"), record("D2"), record("D3")]
    shop.sync(singles)
    holders = {shop.product_with(code)[0] for code in ("D1", "D2", "D3")}
    assert len(holders) == 3 and group_id in holders, "one of them keeps the group's product"
    idle(shop, singles)


def test_a_group_whose_members_all_become_obsolete_is_archived_in_place() -> None:
    shop = Shop()
    shop.sync([tee("O1", "Red"), tee("O2", "Blue")])
    (product_id,) = shop.products
    gone = [{**tee("O1", "Red"), "Obsolete": True}, {**tee("O2", "Blue"), "Obsolete": True}]
    shop.sync(gone)
    assert shop.products == {product_id: ("ARCHIVED", ("O1", "O2"))}
    idle(shop, gone)


def test_a_unique_product_title_makes_a_single_product_titled_from_its_description() -> None:
    desired, _ = build_desired_products([tee("U1", "Red", "Lonely Title"), record("X1")])
    lonely = next(p for p in desired if "U1" in p.skus)
    assert lonely.key == "sku:U1" and lonely.title == "Product U1"
    assert lonely.option_names == ("Title",)
    shop = Shop()
    shop.sync([tee("U1", "Red", "Lonely Title")])
    product_id = shop.product_with("U1")[0]
    shop.sync([tee("U1", "Red", "Lonely Title"), tee("U2", "Blue", "Lonely Title")])
    assert shop.product_with("U2")[0] == product_id, "gaining a second member keeps the product"


def test_two_products_swapping_skus_shed_first_then_take() -> None:
    shop = Shop()
    shop.sync([tee("W1", "Red", "Left"), tee("W2", "Blue", "Left"), tee("W3", "Red", "Right"),
               tee("W4", "Blue", "Right")])  # fmt: skip
    swapped = [tee("W1", "Red", "Left"), tee("W3", "Teal", "Left"), tee("W2", "Blue", "Right"),
               tee("W4", "Sand", "Right")]  # fmt: skip
    changes = shop.sync(swapped)
    assert sorted(c.wave for c in changes) == [0, 0, 1, 1]
    assert len(shop.products) == 2
    idle(shop, swapped)


def test_a_change_reverted_before_its_job_ran_is_planned_again() -> None:
    """h0 → h1 → h0 with the h1 job still queued: the projected mirror says h1, so h0 is planned again."""
    shop = Shop()
    shop.sync([record("R1", DefaultSellPrice=10)])
    desired_h1, _ = build_desired_products([record("R1", DefaultSellPrice=11)])
    (pending,) = plan_product_changes(desired_h1, shop.read(), list(shop.mirror.values())).changes
    projected = [entry.model_copy(update={"content_hash": pending.content_hash, "pending": True})
                 for entry in shop.mirror.values()]  # fmt: skip
    desired_h0, _ = build_desired_products([record("R1", DefaultSellPrice=10)])
    (again,) = plan_product_changes(desired_h0, shop.read(), projected).changes
    assert again.variables["input"]["variants"][0]["price"] == "10.00"


def test_a_group_renamed_while_its_create_is_queued_is_not_created_twice() -> None:
    desired, _ = build_desired_products([tee("Q1", "Red"), tee("Q2", "Blue")])
    (create,) = plan_product_changes(desired, [], []).changes
    (write,) = create.writes
    queued = MirrorEntry(entity_key=write.entity_key, shopify_id=None, content_hash=write.content_hash,
                         status="ACTIVE", skus=write.skus, details=write.details, pending=True)  # fmt: skip
    renamed, _ = build_desired_products([tee("Q1", "Red", "Tee 2"), tee("Q2", "Blue", "Tee 2")])
    (again,) = plan_product_changes(renamed, [], [queued]).changes
    assert again.entity_key == write.entity_key
    assert again.variables["identifier"] == create.variables["identifier"], "same upsert handle: one product"


def test_a_sku_on_a_product_we_do_not_manage_is_not_added_to_ours() -> None:
    shop = Shop()
    shop.sync([tee("F1", "Red"), tee("F2", "Blue")])
    shop.products["gid://shopify/Product/900"] = ("ACTIVE", ("F3",))  # the merchant's own
    desired, _ = build_desired_products([tee("F1", "Red"), tee("F2", "Blue"), tee("F3", "Teal")])
    plan = plan_product_changes(desired, shop.read(), list(shop.mirror.values()))
    assert plan.changes == [] and "F3" in plan.skipped[0].reference


def test_every_order_of_a_random_regrouping_keeps_one_live_variant_per_sku() -> None:
    codes = [f"K{i}" for i in range(8)]
    colours = ["Red", "Blue", "Teal", "Sand", "Navy", "Pink", "Gold", "Grey"]
    layouts = [[0, 0, 1, 1, 2, 2, 3, 3], [0, 1, 1, 2, 2, 3, 3, 0], [0, 0, 0, 0, 1, 1, 1, 1], [0, 1, 2, 3, 4, 5, 6, 7]]
    for first, second in itertools.permutations(layouts, 2):
        shop = Shop()
        shop.sync([tee(c, colours[i], f"Group {first[i]}") for i, c in enumerate(codes)])
        after = [tee(c, colours[i], f"Group {second[i]}") for i, c in enumerate(codes)]
        shop.sync(after)
        idle(shop, after)

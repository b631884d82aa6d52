"""Products keep their identity through renames and regrouping, on real processes: after each change the shop
holds exactly what the source calls for, the products we already had are updated in place (none deleted), no
SKU is on two live variants, and an idle re-sync sends nothing."""

from typing import Any

import pytest

from devtools.infra import Infra
from devtools.stack_client import StackClient
from tests.conftest import make_merchant
from tests.expectations import assert_exact_products
from tests.test_planner import grouped, record


def tee(code: str, colour: str, title: str = "Tee") -> dict[str, Any]:
    return grouped(code, title, colour, "M")


def obsolete(raw: dict[str, Any]) -> dict[str, Any]:
    return {**raw, "Obsolete": True}


ALPHA = [tee("A1", "Red", "Alpha"), tee("A2", "Blue", "Alpha"), tee("A3", "Teal", "Alpha")]
BETA = [tee("B1", "Red", "Beta"), tee("B2", "Blue", "Beta")]
RENAMED = [{**tee(r["ProductCode"], r["AttributeSet"]["Option 1 Value"], "Alpha (rev 2)")} for r in ALPHA]
RENAMED[1] = {**RENAMED[1], "DefaultSellPrice": 42.5}

# name: (before, after, planned in the sync of the change)
CASES: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, int]]] = {
    "group renamed": (ALPHA, RENAMED, {"creates": 0, "updates": 1, "archives": 0}),
    "sku moves to another group": (
        ALPHA + BETA,
        [*ALPHA[:2], tee("A3", "Teal", "Beta"), *BETA],
        {"creates": 0, "updates": 2, "archives": 0},
    ),
    "group split in two": (
        [*ALPHA, tee("A4", "Sand", "Alpha")],
        [*ALPHA[:2], tee("A3", "Teal", "Gamma"), tee("A4", "Sand", "Gamma")],
        {"creates": 1, "updates": 1, "archives": 0},
    ),
    "two groups merged": (
        ALPHA + BETA,
        [*ALPHA, tee("B1", "Navy", "Alpha"), tee("B2", "Sand", "Alpha")],
        {"creates": 0, "updates": 1, "archives": 1},
    ),
    "single joins a group": (
        [record("S1"), *BETA],
        [tee("S1", "Sand", "Beta"), *BETA],
        {"creates": 0, "updates": 1, "archives": 1},
    ),
    "group dissolves into singles": (
        ALPHA,
        [record("A1"), record("A2"), record("A3")],
        {"creates": 2, "updates": 1, "archives": 0},
    ),
    "all members obsolete": (
        ALPHA + BETA,
        [*ALPHA, *(obsolete(r) for r in BETA)],
        {"creates": 0, "updates": 1, "archives": 0},
    ),
}


async def synced(client: StackClient, domain: str) -> dict[str, Any]:
    status = await client.wait_for_sync(await client.start_sync(domain), within_seconds=60)
    assert status["state"] == "completed", status
    assert status["totals"]["progress"]["failed"] == 0, status["errors"]
    return status


@pytest.mark.parametrize("case", list(CASES))
async def test_regrouping_updates_the_products_we_manage_in_place(client: StackClient, infra: Infra, case: str) -> None:
    before, after, planned = CASES[case]
    merchant = await make_merchant(client, infra, size=10, seed=61)
    await client.replace_unleashed_products(merchant.api_id, before)
    await synced(client, merchant.domain)
    first = await client.shop_products(merchant.shop)
    assert_exact_products(first, before)
    holders_before = {v["sku"]: p["id"] for p in first if p["status"] != "ARCHIVED" for v in p["variants"]}

    await client.replace_unleashed_products(merchant.api_id, after)
    status = await synced(client, merchant.domain)
    assert status["totals"]["planned"] == planned
    shop = await client.shop_products(merchant.shop)
    live = assert_exact_products(shop, after)
    assert {p["id"] for p in first} <= {p["id"] for p in shop}, "a product was deleted"
    kept = {p["id"] for p in live.values()} & set(holders_before.values())
    created = len({p["id"] for p in shop} - {p["id"] for p in first})
    assert created == planned["creates"], "a product was created where one we manage could be updated"
    if planned["creates"] == 0 and live:
        assert kept, "the products we managed were not the ones updated"

    mutations = (await client.shop_stats(merchant.shop))["mutations"]
    idle = await synced(client, merchant.domain)
    assert sum(idle["totals"]["planned"].values()) == 0
    assert (await client.shop_stats(merchant.shop))["mutations"] == mutations

"""Promidata on real processes: a supplier feed becomes products with variants and images in the emulated shop,
incrementally by Import.txt hash; hostile input is reported while the rest syncs; private URLs are refused."""

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from devtools.infra import Infra
from devtools.stack_client import StackClient, provision_tenant
from tests.conftest import make_merchant
from tests.promidata_expectations import assert_exact_promidata_shop

ROUTE = "sync-promidata"


@dataclass(frozen=True)
class FeedTenant:
    domain: str
    shop: str
    token: str
    feed: str


async def feed_tenant(client: StackClient, infra: Infra, families: int, seed: int, *, import_url: str | None = None,
                      children: tuple[int, int] = (1, 4)) -> FeedTenant:  # fmt: skip
    """A tenant with a shop of its own and a seeded Promidata feed of its own (no Unleashed account)."""
    tag = uuid.uuid4().hex[:8]
    tenant = FeedTenant(f"promi-{tag}.example", f"promi-{tag}.myshopify.com", f"shpat_{uuid.uuid4().hex}", f"f{tag}")
    await client.register_shop(tenant.shop, tenant.token)
    body = {"feed": tenant.feed, "seed": seed, "families": families, "children": list(children)}
    registered = await client.promidata("POST", "", json=body)
    url = import_url or registered["import_url"]
    await provision_tenant(
        infra.redis_url,
        tenant.domain,
        shop=tenant.shop,
        shopify_token=tenant.token,
        promidata_import_url=url,
        promidata_languages="en,de,nl,fr",
        promidata_price_country="NL",
    )
    return tenant


async def synced(client: StackClient, tenant: FeedTenant, *, ok: bool = True) -> dict[str, Any]:
    status = await client.wait_for_sync(await client.start_sync(tenant.domain, route=ROUTE), within_seconds=120)
    if ok:
        assert status["state"] == "completed", status
        assert status["totals"]["progress"]["failed"] == 0, status["errors"]
    return status


async def feed(client: StackClient, tenant: FeedTenant) -> dict[str, Any]:
    body: dict[str, Any] = await client.promidata("GET", f"/{tenant.feed}")
    return body


async def fetched(client: StackClient, tenant: FeedTenant) -> dict[str, int]:
    """Family files fetched since the last reset, by SKU (the counters reset after)."""
    counts: dict[str, int] = (await client.promidata("GET", f"/{tenant.feed}/requests"))["families"]
    await client.promidata("DELETE", f"/{tenant.feed}/requests")
    return {sku: n for sku, n in counts.items() if n}


async def settled_shop(client: StackClient, tenant: FeedTenant) -> list[dict[str, Any]]:
    """The shop's products once Shopify has processed every image it was given (it fetches them afterwards)."""
    for _ in range(100):
        products = await client.shop_products(tenant.shop)
        if all(m["status"] in ("READY", "FAILED") for p in products for m in p["media"]):
            return products
        await asyncio.sleep(0.1)
    raise AssertionError("media still processing")


async def test_first_sync_is_exact_and_an_unchanged_feed_fetches_no_family_and_sends_nothing(
    client: StackClient, infra: Infra
) -> None:
    tenant = await feed_tenant(client, infra, families=12, seed=1)
    status = await synced(client, tenant)
    step = status["steps"]["promidata"]
    assert step["counts"]["families_listed"] == 12 and step["counts"]["families_fetched"] == 12
    assert step["planned"]["creates"] == 12 and step["queues"]["media-mutations"]["jobs"] == 12
    assert step["queues"]["product-mutations"]["progress"]["succeeded"] == 12
    products = await settled_shop(client, tenant)
    found = assert_exact_promidata_shop(await feed(client, tenant), products)
    assert all(m["status"] == "READY" for p in found.values() for m in p["media"])
    await fetched(client, tenant)

    mutations = (await client.shop_stats(tenant.shop))["mutations"]
    again = await synced(client, tenant)
    assert again["steps"]["promidata"]["counts"]["families_unchanged"] == 12
    assert sum(again["totals"]["planned"].values()) == 0 and again["totals"]["progress"]["succeeded"] == 0
    assert await fetched(client, tenant) == {}, "no family file was fetched"
    assert (await client.shop_stats(tenant.shop))["mutations"] == mutations


async def test_two_changed_families_are_the_only_ones_fetched_and_mutated_and_a_delisted_one_is_archived(
    client: StackClient, infra: Infra
) -> None:
    tenant = await feed_tenant(client, infra, families=14, seed=2)
    await synced(client, tenant)
    await fetched(client, tenant)
    synced_products = len(await client.shop_products(tenant.shop))  # families priced only on request are not
    changed = await client.promidata(
        "POST", f"/{tenant.feed}/changes", json={"families": 2, "kinds": ["price", "title"]}
    )
    skus = {item["sku"] for item in changed["changed"]}
    mutations = (await client.shop_stats(tenant.shop))["mutations"]
    status = await synced(client, tenant)
    step = status["steps"]["promidata"]
    assert step["counts"]["families_fetched"] == 2 and step["queues"]["product-mutations"]["jobs"] == 2
    # A new title is also the new alt text of the family's images that have none of their own: one media job.
    media_jobs = step["queues"].get("media-mutations", {"jobs": 0})["jobs"]
    assert media_jobs <= 1 and step["planned"] == {"creates": 0, "updates": 2 + media_jobs, "archives": 0}
    assert set(await fetched(client, tenant)) == skus
    assert (await client.shop_stats(tenant.shop))["mutations"] == mutations + 2 + media_jobs
    assert_exact_promidata_shop(await feed(client, tenant), await settled_shop(client, tenant))

    # A new image on one family: one media job; the images already attached are kept, not fetched again.
    (image_change,) = (await client.promidata("POST", f"/{tenant.feed}/changes",
                                              json={"families": 1, "kinds": ["image"]}))["changed"]  # fmt: skip
    files_before = len(await client.shop_records(tenant.shop, "files"))
    status = await synced(client, tenant)
    assert status["steps"]["promidata"]["queues"]["media-mutations"]["jobs"] == 1, image_change
    assert len(await client.shop_records(tenant.shop, "files")) == files_before + 1
    assert_exact_promidata_shop(await feed(client, tenant), await settled_shop(client, tenant))

    gone = (await feed(client, tenant))["families"][0]["sku"]
    await client.promidata("DELETE", f"/{tenant.feed}/families/{gone}")
    status = await synced(client, tenant)
    assert status["steps"]["promidata"]["planned"] == {"creates": 0, "updates": 0, "archives": 1}
    products = await settled_shop(client, tenant)
    assert_exact_promidata_shop(await feed(client, tenant), products)
    archived = [p for p in products if p["status"] == "ARCHIVED"]
    assert len(archived) == 1 and len(products) == synced_products, "archived, never deleted"


async def test_an_empty_or_truncated_import_txt_archives_nothing_and_the_sync_says_why(
    client: StackClient, infra: Infra
) -> None:
    tenant = await feed_tenant(client, infra, families=30, seed=3, children=(1, 2))
    await synced(client, tenant)
    for mode in ("empty", "truncated"):
        await client.promidata("PUT", f"/{tenant.feed}/import", json={"mode": mode, "lines": 3})
        status = await synced(client, tenant, ok=False)
        assert status["state"] == "failed" and status["steps"]["promidata"]["state"] == "failed"
        (error,) = [e for e in status["errors"] if e["kind"] == "implausible_pull"]
        assert "nothing was promoted, archived or deactivated" in error["message"], error
        assert all(p["status"] == "ACTIVE" for p in await client.shop_products(tenant.shop))
    await client.promidata("PUT", f"/{tenant.feed}/import", json={"mode": "normal"})
    status = await synced(client, tenant)
    assert sum(status["totals"]["planned"].values()) == 0


async def test_hostile_families_are_reported_and_the_rest_syncs(client: StackClient, infra: Infra) -> None:
    tenant = await feed_tenant(client, infra, families=12, seed=4, children=(1, 3))
    skus = [family["sku"] for family in (await feed(client, tenant))["families"]]
    faults = dict(zip(["404", "timeout", "invalid_json", "no_children", "bad_price", "huge", "no_hash_line"], skus,
                      strict=False))  # fmt: skip
    for kind, sku in faults.items():
        await client.promidata("POST", f"/{tenant.feed}/faults", json={"family": sku, "kind": kind, "seconds": 8})
    status = await synced(client, tenant)
    reported = {e.get("reference", ""): e.get("reason", "") for e in status["errors"]}
    text = " | ".join(f"{ref}: {why}" for ref, why in reported.items())
    for kind, sku in faults.items():
        if kind == "no_hash_line":
            assert "no hash" in text, text
        else:
            assert f"family {sku!r}" in text, (kind, text)
    assert "HTTP 404" in reported[f"family {faults['404']!r}"]
    assert "not valid JSON" in reported[f"family {faults['invalid_json']!r}"]
    assert "byte limit" in reported[f"family {faults['huge']!r}"]
    assert "not a number" in text and "no ChildProducts" in text
    assert status["steps"]["promidata"]["counts"]["families_failed"] == 4
    products = await settled_shop(client, tenant)
    assert_exact_promidata_shop(await feed(client, tenant), products, left_out=frozenset(faults.values()))
    assert len(products) == 12 - len(faults)


async def test_an_import_url_at_a_private_address_is_refused(client: StackClient, infra: Infra) -> None:
    # 127.0.0.2 is loopback but not the one host the test stack allows (the sandbox's 127.0.0.1).
    port = client.sandbox_url.rsplit(":", 1)[1]
    tenant = await feed_tenant(client, infra, families=2, seed=5,
                               import_url=f"http://127.0.0.2:{port}/promidata/x/Import/Import.txt")  # fmt: skip
    status = await synced(client, tenant, ok=False)
    (error,) = [e for e in status["errors"] if e["kind"] == "pull_failed"]
    assert "loopback, private or link-local" in error["message"], error
    assert await client.shop_products(tenant.shop) == []


async def test_a_tenant_with_both_sources_gets_both_in_one_comprehensive_sync(
    client: StackClient, infra: Infra
) -> None:
    merchant = await make_merchant(client, infra, size=20, seed=9)
    registered = await client.promidata("POST", "", json={"feed": f"both{merchant.shop[5:13]}", "families": 5})
    await provision_tenant(infra.redis_url, merchant.domain, shop=merchant.shop, shopify_token=merchant.shopify_token,
                           unleashed_api_id=merchant.api_id, unleashed_api_key=merchant.api_key,
                           promidata_import_url=registered["import_url"])  # fmt: skip
    status = await client.wait_for_sync(await client.start_sync(merchant.domain, route="comprehensive-sync"))
    assert status["state"] == "completed", status["errors"]
    assert set(status["steps"]) == {"locations", "products", "customers", "inventory", "promidata"}
    assert status["steps"]["promidata"]["dependsOn"] == ["products"]
    assert status["steps"]["promidata"]["planned"]["creates"] >= 4


async def test_lost_answers_and_shopify_errors_leave_no_duplicate_product_or_image(
    client: StackClient, infra: Infra
) -> None:
    tenant = await feed_tenant(client, infra, families=24, seed=6, children=(1, 3))
    faults = {
        "http_503": 0.05,
        "internal_error": 0.05,
        "applied_then_dropped": 0.2,
        "retry_after_seconds": 1,
        "seed": 3,
    }
    async with client.session.patch(f"{client.sandbox_url}/_sandbox/shops/{tenant.shop}", json={"faults": faults}) as r:
        assert r.status == 200, await r.text()
    await synced(client, tenant)
    assert (await client.shop_stats(tenant.shop))["faults"]["applied_then_dropped"] >= 3, "the run met lost answers"
    products = await settled_shop(client, tenant)
    assert_exact_promidata_shop(await feed(client, tenant), products)  # one product per family, media each once
    files = await client.shop_records(tenant.shop, "files")
    assert len(files) == sum(len(product["media"]) for product in products), "a retried attach made no second file"

"""The webhook scenario of `make bench`: a synced catalogue whose prices a merchant edits in the shop's admin
10 times a second for a minute; the shop sends a signed products/update for each edit (and for each of our
repairs), the product sets every price back. Reports webhook-to-repair latency (Shopify's trigger time →
the repair's mutation done), median and p99, and that the echoes of our repairs caused no mutation."""

import argparse
import asyncio
import statistics
import time
from typing import Any

import asyncpg

from devtools.bench_report import Row
from devtools.stack import Stack
from devtools.stack_client import StackClient, provision_tenant

NAME = "6 webhooks"
SECRET = "bench-webhook-secret"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


async def webhooks(client: StackClient, stack: Stack, args: argparse.Namespace, run_sync: Any) -> dict[str, Any]:
    name = "bench-webhooks"
    shop, token, domain = f"{name}.myshopify.com", f"shpat_{name}", f"{name}.example"
    await client.register_shop(shop, token, plan="unlimited")
    async with client.session.patch(f"{client.sandbox_url}/_sandbox/shops/{shop}", json={"webhook_secret": SECRET}):
        pass
    await client.create_unleashed_account(name, f"{name}-key", size=args.webhook_products, seed=args.seed)
    await provision_tenant(
        stack.infra.redis_url, domain, shop=shop, shopify_token=token, unleashed_api_id=name,
        unleashed_api_key=f"{name}-key", shopify_webhook_secret=SECRET,
    )  # fmt: skip
    stack.start_mutator()
    synced = await run_sync(client, domain, shop, [], give_up_after=args.sync_timeout)
    status, subscribed = await client.call("POST", "/api/v2/webhooks/subscribe", [domain], json={"domain": domain})
    assert status == 200, subscribed
    products = [p for p in await client.shop_products(shop) if p["status"] == "ACTIVE"]
    before = await client.shop_stats(shop)
    edits = 0
    started = time.monotonic()
    rate, seconds = args.webhook_rate, args.webhook_seconds
    while edits < rate * seconds:
        product = products[edits % len(products)]
        variant = product["variants"][0]
        body = {"variants": [{"sku": variant["sku"], "price": f"{900 + edits % 97}.{edits % 100:02d}"}]}
        async with client.session.patch(f"{client.sandbox_url}/_sandbox/shops/{shop}/products/{product['id']}",
                                        json=body) as response:  # fmt: skip
            assert response.status == 200, await response.text()
        edits += 1
        await asyncio.sleep(max(0.0, started + edits / rate - time.monotonic()))
    edit_seconds = time.monotonic() - started
    figures = await _settled(stack, domain, expected_repairs=edits, within=120)
    after = await client.shop_stats(shop)
    stack.stop_mutators()
    latencies = figures.pop("latencies")
    return {
        "state": synced.status["state"],
        "products": len(products),
        "edits": edits,
        "edit_seconds": edit_seconds,
        **figures,
        "mutations": after["mutations"] - before["mutations"],
        "latency_median_seconds": statistics.median(latencies) if latencies else None,
        "latency_p99_seconds": percentile(latencies, 0.99) if latencies else None,
        "latency_max_seconds": max(latencies) if latencies else None,
    }


async def _settled(stack: Stack, domain: str, *, expected_repairs: int, within: float) -> dict[str, Any]:
    """Wait until every delivery is processed and every repair ended; the figures from the webhook log."""
    connection = await asyncpg.connect(stack.infra.database_url)
    deadline = time.monotonic() + within
    try:
        while True:
            open_count = await connection.fetchval(
                "SELECT count(*) FROM webhook_deliveries AS d LEFT JOIN syncs AS s ON s.sync_id = d.repair_sync_id"
                " WHERE d.domain = $1 AND (d.state IN ('received', 'processing')"
                " OR (d.repair_sync_id IS NOT NULL AND s.finished_at IS NULL))",
                domain,
            )
            repairs = await connection.fetchval(
                "SELECT count(*) FROM webhook_deliveries WHERE domain = $1 AND repair_sync_id IS NOT NULL", domain
            )
            if (open_count == 0 and repairs >= expected_repairs) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        rows = await connection.fetch(
            "SELECT d.repair_sync_id, extract(epoch FROM s.finished_at - d.triggered_at)::float8 AS seconds"
            " FROM webhook_deliveries AS d LEFT JOIN syncs AS s ON s.sync_id = d.repair_sync_id WHERE d.domain = $1",
            domain,
        )
    finally:
        await connection.close()
    repaired = [row for row in rows if row["repair_sync_id"]]
    return {
        "deliveries": len(rows),
        "repairs": len(repaired),
        "not_repaired": len(rows) - len(repaired),
        "latencies": [row["seconds"] for row in repaired if row["seconds"] is not None],
    }


def table_rows(results: dict[str, Any]) -> list[Row]:
    figures = results.get("webhooks")
    if figures is None:
        return []

    def seconds(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f} s"

    median, p99 = figures["latency_median_seconds"], figures["latency_p99_seconds"]
    return [
        Row(NAME, "price edits in the shop's admin (unlimited shop, 1 mutator)",
            f"{figures['edits']:,} in {figures['edit_seconds']:.0f} s over {figures['products']} products"),
        Row(NAME, "deliveries received / repaired / echoes and others",
            f"{figures['deliveries']:,} / {figures['repairs']:,} / {figures['not_repaired']:,}"),
        Row(NAME, "webhook → repair done, median / p99 / max",
            f"{seconds(median)} / {seconds(p99)} / {seconds(figures['latency_max_seconds'])}", "≤ 90 s",
            p99 is not None and p99 <= 90 and figures["repairs"] == figures["edits"]),
        Row(NAME, "mutations sent (one per edit; echoes cause none)", f"{figures['mutations']:,}",
            f"{figures['edits']:,}", figures["mutations"] == figures["edits"]),
    ]  # fmt: skip

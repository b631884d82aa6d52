"""The Promidata scenario of `make bench`: a 2,000-family feed into an unlimited shop with one mutator, then
the same feed re-synced unchanged. Reports the feed fetch time (Import.txt and every family file), plan +
enqueue, the time end to end (products and their images), and what the unchanged re-sync fetched and sent."""

import argparse
import json
from pathlib import Path
from typing import Any

from devtools.bench_comprehensive import step_phases
from devtools.bench_report import ProcessMeter, Row
from devtools.stack import Stack
from devtools.stack_client import StackClient, provision_tenant

NAME = "5 promidata"


def feed_fetch_seconds(log_path: Path, sync_id: str) -> float | None:
    """The step's own measure of reading Import.txt and fetching the families (its `pulled` event)."""
    for line in log_path.read_text(errors="replace").splitlines() if log_path.exists() else []:
        if sync_id in line and '"pulled"' in line and '"promidata"' in line:
            seconds = json.loads(line).get("feed_fetch_seconds")
            return float(seconds) if seconds is not None else None
    return None


async def promidata(client: StackClient, stack: Stack, args: argparse.Namespace, run_sync: Any) -> dict[str, Any]:
    """`run_sync(client, domain, shop, meters, give_up_after=..., route=...)` is the bench's own watcher."""
    name = "bench-promidata"
    shop, token = f"{name}.myshopify.com", f"shpat_{name}"
    await client.register_shop(shop, token, plan="unlimited")
    feed = await client.promidata("POST", "", json={"feed": name, "seed": args.seed, "families": args.families})
    await provision_tenant(
        stack.infra.redis_url, f"{name}.example", shop=shop, shopify_token=token,
        promidata_import_url=feed["import_url"], promidata_languages="en,de,nl,fr", promidata_price_country="NL",
    )  # fmt: skip
    mutator = stack.start_mutator()
    assert stack.producer is not None
    meters = [ProcessMeter(mutator.pid), ProcessMeter(stack.producer.pid)]
    route = "sync-promidata"
    run = await run_sync(client, f"{name}.example", shop, meters, give_up_after=args.sync_timeout, route=route)
    await client.promidata("DELETE", f"/{name}/requests")
    idle = await run_sync(client, f"{name}.example", shop, [], give_up_after=300, poll=0.05, route=route)
    fetched_again = sum((await client.promidata("GET", f"/{name}/requests"))["families"].values())
    stack.stop_mutators()
    step = run.status["steps"]["promidata"]
    log = stack.log_dir / "producer.log"
    phases = step_phases(log, run.sync_id).get("promidata", {})
    products = await client.shop_products(shop)
    return {
        "sync_id": run.sync_id,
        "state": run.status["state"],
        "timed_out": run.timed_out,
        "families": args.families,
        "counts": step.get("counts") or {},
        "queues": step.get("queues") or {},
        "products": len(products),
        "variants": sum(len(product["variants"]) for product in products),
        "images": sum(len(product["media"]) for product in products),
        "mutations": run.stats["mutations"],
        "feed_fetch_seconds": feed_fetch_seconds(log, run.sync_id),
        "plan_and_enqueue_seconds": phases.get("plan_and_enqueue_seconds"),
        "seconds": run.seconds,
        "producer_cpu_seconds": meters[1].cpu_used(),
        "unchanged_resync": {
            "state": idle.status["state"],
            "seconds": idle.seconds,
            "families_fetched": fetched_again,
            "feed_fetch_seconds": feed_fetch_seconds(log, idle.sync_id),
            "planned": sum(idle.status["totals"]["planned"].values()),
            "mutations": idle.stats["mutations"],
        },
    }


def table_rows(results: dict[str, Any]) -> list[Row]:
    figures = results.get("promidata")
    if figures is None:
        return []
    state = f"{figures['state']}, cut short" if figures["timed_out"] else figures["state"]
    counts, queues = figures["counts"], figures["queues"]

    def seconds(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f} s"

    idle = figures["unchanged_resync"]
    product_jobs = queues.get("product-mutations", {}).get("jobs", 0)
    image_jobs = queues.get("media-mutations", {}).get("jobs", 0)
    return [
        Row(NAME, "Promidata feed (unlimited shop, 1 mutator)", f"{figures['families']:,} families"),
        Row(
            NAME,
            "families fetched / failed; products / variants / images now",
            f"{counts.get('families_fetched', 0):,} / {counts.get('families_failed', 0)}; {figures['products']:,} /"
            f" {figures['variants']:,} / {figures['images']:,}",
        ),
        Row(
            NAME,
            "mutations: products + images (sync state)",
            f"{product_jobs:,} + {image_jobs:,} ({state})",
        ),
        Row(NAME, "feed fetch (Import.txt + family files)", seconds(figures["feed_fetch_seconds"])),
        Row(NAME, "plan + enqueue", seconds(figures["plan_and_enqueue_seconds"])),
        Row(NAME, "end to end, sync start → completed", f"{figures['seconds']:.1f} s"),
        Row(
            NAME,
            "unchanged re-sync: families fetched / mutations",
            f"{idle['families_fetched']} / {idle['mutations']} (planned {idle['planned']}, {idle['seconds']:.1f} s)",
            "0 / 0",
            idle["families_fetched"] == 0 and idle["mutations"] == 0,
        ),
    ]

"""`make demo`: the main job end to end on this machine, then a summary.

Starts Redis and PostgreSQL (the configured ones, or embedded real ones), the sandbox, the producer and a
mutator as separate processes; provisions a tenant with both sources; runs a comprehensive sync (locations,
products and customers at once, stock once the products and locations have ended, then the Promidata feed's
families with their images) of a seeded Unleashed account and a seeded Promidata feed into the emulated
Shopify; runs it again to show that an unchanged source sends nothing; stops what it started.
"""

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from devtools.infra import drop_database, ensure_database, start_infra
from devtools.stack import Stack
from devtools.stack_client import StackClient, provision_tenant
from shared.queues import Queue
from shared.settings import get_settings

REPO = Path(__file__).resolve().parent.parent
DEMO_DATABASE = "commerce_sync_demo"
DOMAIN = "demo-merchant.example"
SHOP = "demo-merchant.myshopify.com"
PRODUCTS, MEDIA = Queue.PRODUCTS.value, Queue.MEDIA.value


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=200, help="Unleashed products in the seeded catalogue")
    parser.add_argument("--plan", default="plus", help="Shopify plan of the emulated shop (rate limit)")
    parser.add_argument("--mutators", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--promidata", type=int, default=40, help="Promidata families in the tenant's feed (0: none)")
    return parser.parse_args()


def progress_line(name: str, step: dict[str, Any]) -> str:
    """One step's state and progress; a Promidata step by its stages: the feed, the products, the images."""
    done = f"{step['progress']['succeeded']}/{sum(step['planned'].values())}"
    if name != "promidata":
        return f"{name} {step['state']} {done}"
    counts = step.get("counts") or {}
    queues = step.get("queues") or {}

    def stage(queue: str) -> str:
        jobs = queues.get(queue, {"jobs": 0, "progress": {"succeeded": 0}})
        return f"{jobs['progress']['succeeded']}/{jobs['jobs']}"

    feed = (
        f"feed {counts.get('families_listed', '?')} listed, {counts.get('families_unchanged', '?')} unchanged,"
        f" {counts.get('families_fetched', '?')} fetched, {counts.get('families_failed', '?')} failed"
        if counts
        else "feed reading"
    )
    return f"promidata {step['state']} [{feed}; products {stage(PRODUCTS)}; images {stage(MEDIA)}]"


async def run_demo(stack: Stack, args: argparse.Namespace) -> int:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        client = StackClient(session, stack.sandbox_url, stack.producer_url, stack.jwt_secret)
        shop_token = "shpat_demo_token"
        await client.register_shop(SHOP, shop_token, plan=args.plan)
        await client.create_unleashed_account("demo-api-id", "demo-api-key", size=args.size, seed=args.seed)
        feed: dict[str, str] = {}
        if args.promidata:
            body = {"feed": "demo", "seed": args.seed, "families": args.promidata}
            registered = await client.promidata("POST", "", json=body)
            feed = {"promidata_import_url": registered["import_url"], "promidata_languages": "en,de,nl,fr",
                    "promidata_price_country": "NL"}  # fmt: skip
        await provision_tenant(
            stack.infra.redis_url,
            DOMAIN,
            shop=SHOP,
            shopify_token=shop_token,
            unleashed_api_id="demo-api-id",
            unleashed_api_key="demo-api-key",
            **feed,
        )
        print(f"tenant tenant:{DOMAIN} provisioned; comprehensive sync of {args.size} Unleashed products,")
        print(f"their warehouses, customers and stock, and {args.promidata} Promidata families into {SHOP} ...")
        started = time.monotonic()
        sync_id = await client.start_sync(DOMAIN, route="comprehensive-sync")
        last_line = ""
        while True:
            status = await client.sync_status(sync_id)
            line = f"  {status['state']:<10}" + " | ".join(
                progress_line(name, step) for name, step in sorted(status["steps"].items())
            )
            if line != last_line:
                print(line, flush=True)
                last_line = line
            if status["state"] in ("completed", "failed"):
                break
            await asyncio.sleep(1.0)
        elapsed = time.monotonic() - started
        shop_products = await client.shop_products(SHOP)
        variants = sum(len(product["variants"]) for product in shop_products)
        held = {name: len(await client.shop_records(SHOP, name)) for name in ("locations", "customers", "inventory")}
        stats = await client.shop_stats(SHOP)

        resync_started = time.monotonic()
        again = await client.wait_for_sync(await client.start_sync(DOMAIN, route="comprehensive-sync"))
        resync_elapsed = time.monotonic() - resync_started
        stats_after = await client.shop_stats(SHOP)

    planned = status["totals"]["planned"]
    progress = status["totals"]["progress"]
    skipped = [error for error in status["errors"] if error.get("kind") == "skipped_record"]
    rows = [("sync", sync_id), ("state", status["state"])]
    for name, step in sorted(status["steps"].items()):
        p, done = step["planned"], step["progress"]
        rows.append(
            (
                f"  {name} (creates/updates/archives → ok/failed)",
                f"{p['creates']}/{p['updates']}/{p['archives']} → {done['succeeded']}/{done['failed']}"
                f"  {step['state']}" + (f"  {step['counts']}" if step.get("counts") else ""),
            )
        )
    rows += [
        (
            "planned creates / updates / archives",
            f"{planned['creates']} / {planned['updates']} / {planned['archives']}",
        ),
        ("succeeded / failed / pending", f"{progress['succeeded']} / {progress['failed']} / {progress['pending']}"),
        ("source records skipped (reported)", str(len(skipped))),
        ("Shopify products / variants now", f"{len(shop_products)} / {variants}"),
        (
            "Shopify locations / customers / stock levels",
            f"{held['locations']} / {held['customers']} / {held['inventory']}",
        ),
        ("Shopify product images", str(sum(len(product["media"]) for product in shop_products))),
        ("GraphQL mutations sent / throttled", f"{stats['mutations']} / {stats['throttled']}"),
        ("end-to-end time", f"{elapsed:.1f} s ({progress['succeeded'] / elapsed:.1f} mutations/s)"),
        (
            "re-sync, unchanged source",
            f"{again['state']}, planned {sum(again['totals']['planned'].values())}, "
            f"mutations sent {stats_after['mutations'] - stats['mutations']}, {resync_elapsed:.1f} s",
        ),
    ]
    if "promidata" in again["steps"]:
        rows.append(("re-sync, Promidata stages", progress_line("promidata", again["steps"]["promidata"])))
    width = max(len(name) for name, _ in rows)
    print("\nDemo summary")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    for error in status["errors"][:5]:
        print(
            f"  note: {error.get('reference', error.get('entity', ''))} {error.get('reason', error.get('message', ''))}"
        )
    ok = status["state"] == "completed" and progress["failed"] == 0 and stats_after["mutations"] == stats["mutations"]
    return 0 if ok else 1


def main() -> int:
    args = parse_args()
    settings = get_settings()
    workdir = REPO / ".run" / "demo"
    infra = start_infra(settings.redis_url, settings.database_url, workdir / "infra")
    print(
        f"Redis: {'embedded' if 'redis' in infra.embedded else 'configured'}; "
        f"PostgreSQL: {'embedded' if 'postgres' in infra.embedded else 'configured'}"
    )
    stack: Stack | None = None
    try:
        drop_database(infra.database_url, DEMO_DATABASE)  # starts empty, as the emulated shop does
        infra.database_url = ensure_database(infra.database_url, DEMO_DATABASE)
        stack = Stack(infra=infra, workdir=workdir)
        stack.start_sandbox()
        stack.start_producer()
        for _ in range(args.mutators):
            stack.start_mutator()
        print(
            f"sandbox {stack.sandbox_url}, producer {stack.producer_url},"
            f" {args.mutators} mutator(s); logs in {stack.log_dir}"
        )
        return asyncio.run(run_demo(stack, args))
    finally:
        if stack is not None:
            stack.stop()
        infra.stop()


if __name__ == "__main__":
    sys.exit(main())

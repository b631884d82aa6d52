"""The comprehensive scenario of `make bench`: every Unleashed resource of a large account into an unlimited
shop, then an idle re-sync. Reports mutations per resource, inventory mutations per 1,000 stock levels, each
step's plan + enqueue time (from the producer's log) and the time end to end."""

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from devtools.bench_report import ProcessMeter, Row
from devtools.stack import Stack
from devtools.stack_client import StackClient, provision_tenant

NAME = "4 comprehensive"
STEPS = ("locations", "products", "customers", "inventory")


def step_phases(log_path: Path, sync_id: str) -> dict[str, dict[str, float | None]]:
    """Per step: seconds of pull, plan, record + enqueue, from its 'pulled', 'planned' and 'queued' events."""
    started: datetime | None = None
    seen: dict[str, dict[str, datetime]] = {}
    for line in log_path.read_text(errors="replace").splitlines() if log_path.exists() else []:
        if sync_id not in line:
            continue
        try:
            event = json.loads(line)
            at = datetime.fromisoformat(str(event["timestamp"]))
        except (ValueError, KeyError):
            continue
        if event.get("message") == "sync started":
            started = started or at
        elif event.get("step") and event.get("message") in ("pulled", "planned", "queued"):
            seen.setdefault(str(event["step"]), {}).setdefault(str(event["message"]), at)

    def between(first: datetime | None, then: datetime | None) -> float | None:
        return (then - first).total_seconds() if first and then else None

    return {
        step: {
            "waited_and_pulled_seconds": between(started, events.get("pulled")),
            "plan_seconds": between(events.get("pulled"), events.get("planned")),
            "plan_and_enqueue_seconds": between(events.get("pulled"), events.get("queued")),
        }
        for step, events in seen.items()
    }


async def comprehensive(client: StackClient, stack: Stack, args: argparse.Namespace, run_sync: Any) -> dict[str, Any]:
    """`run_sync(client, domain, shop, meters, give_up_after=..., route=...)` is the bench's own watcher."""
    name = "bench-comprehensive"
    shop, token = f"{name}.myshopify.com", f"shpat_{name}"
    await client.register_shop(shop, token, plan="unlimited")
    body = {
        "api_id": name,
        "api_key": f"{name}-key",
        "seed": args.seed,
        "size": args.comprehensive_products,
        "warehouses": args.comprehensive_warehouses,
        "customers": args.comprehensive_customers,
        "stock_share": args.comprehensive_stock_share,
    }
    async with client.session.post(f"{client.sandbox_url}/_sandbox/unleashed/accounts", json=body) as response:
        account = await response.json()
        assert response.status == 201, account
    await provision_tenant(
        stack.infra.redis_url, f"{name}.example", shop=shop, shopify_token=token,
        unleashed_api_id=name, unleashed_api_key=f"{name}-key",
    )  # fmt: skip
    mutator = stack.start_mutator()
    assert stack.producer is not None
    meters = [ProcessMeter(mutator.pid), ProcessMeter(stack.producer.pid)]
    run = await run_sync(
        client, f"{name}.example", shop, meters, give_up_after=args.sync_timeout, route="comprehensive-sync"
    )
    idle = await run_sync(
        client, f"{name}.example", shop, [], give_up_after=120, poll=0.05, status_poll=0.05, route="comprehensive-sync"
    )
    stack.stop_mutators()
    steps = run.status["steps"]
    levels = (steps.get("inventory", {}).get("counts") or {}).get("levels", 0)
    inventory_mutations = sum(steps.get("inventory", {}).get("progress", {}).values())
    phases = step_phases(stack.log_dir / "producer.log", run.sync_id)
    return {
        "sync_id": run.sync_id,
        "state": run.status["state"],
        "timed_out": run.timed_out,
        "account": account,
        "steps": {step: {**steps[step], "phases": phases.get(step, {})} for step in steps},
        "mutations": run.stats["mutations"],
        "mutations_by_step": {step: sum(steps[step]["progress"].values()) for step in steps},
        "stock_levels": levels,
        "inventory_mutations_per_1000_levels": 1000 * inventory_mutations / levels if levels else None,
        "plan_and_enqueue_seconds": sum(p.get("plan_and_enqueue_seconds") or 0 for p in phases.values()),
        "seconds": run.seconds,
        "mutator_cpu_ms_per_mutation": 1000 * meters[0].cpu_used() / run.stats["mutations"]
        if run.stats["mutations"]
        else None,
        "producer_cpu_seconds": meters[1].cpu_used(),
        "idle_resync": {
            "state": idle.status["state"],
            "seconds": idle.seconds,
            "planned": sum(idle.status["totals"]["planned"].values()),
            "mutations": idle.stats["mutations"],
        },
    }


def table_rows(results: dict[str, Any]) -> list[Row]:
    figures = results.get("comprehensive")
    if figures is None:
        return []
    account = figures["account"]
    source = (
        f"{account['products']:,} products, {account['warehouses']} warehouses, {account['customers']:,} customers,"
        f" {account['stock_on_hand']:,} stock rows"
    )
    state = f"{figures['state']}, cut short" if figures["timed_out"] else figures["state"]
    rows = [
        Row(NAME, "Unleashed account (unlimited shop, 1 mutator)", source),
        Row(NAME, "mutations sent (sync state)", f"{figures['mutations']:,} ({state})"),
    ]
    for step in STEPS:
        if step in figures["steps"]:
            planned = figures["steps"][step]["planned"]
            phases = figures["steps"][step]["phases"]
            plan = phases.get("plan_and_enqueue_seconds")
            rows.append(
                Row(
                    NAME,
                    f"  {step}: mutations (creates/updates/archives); plan + enqueue",
                    f"{figures['mutations_by_step'][step]:,} ({planned['creates']:,}/{planned['updates']:,}/"
                    f"{planned['archives']:,}); " + ("n/a" if plan is None else f"{plan:.2f} s"),
                )
            )
    per_1000 = figures["inventory_mutations_per_1000_levels"]
    rows += [
        Row(
            NAME,
            "stock levels set / inventory mutations per 1,000",
            f"{figures['stock_levels']:,} / " + ("n/a" if per_1000 is None else f"{per_1000:.1f}"),
        ),
        Row(NAME, "plan + enqueue, all steps", f"{figures['plan_and_enqueue_seconds']:.2f} s"),
        Row(NAME, "end to end, sync start → completed", f"{figures['seconds']:.1f} s"),
        Row(
            NAME,
            "mutator CPU per mutation",
            "n/a"
            if figures["mutator_cpu_ms_per_mutation"] is None
            else f"{figures['mutator_cpu_ms_per_mutation']:.2f} ms",
        ),
        Row(
            NAME,
            "idle re-sync mutations sent",
            f"{figures['idle_resync']['mutations']} (planned {figures['idle_resync']['planned']},"
            f" {figures['idle_resync']['seconds']:.1f} s)",
            "0",
            figures["idle_resync"]["mutations"] == 0 and figures["idle_resync"]["planned"] == 0,
        ),
    ]
    return rows

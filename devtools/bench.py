"""`make bench`: the engine's own ceiling, an arq-defaults baseline and rate-limit budget use, as a table.

Starts Redis and PostgreSQL (configured or embedded; Redis database 13, flushed; PostgreSQL database
`commerce_sync_bench`, recreated), the sandbox, the producer and mutators as real processes on loopback,
then runs these scenarios:

1. engine ceiling: a big catalogue into an unthrottled shop with one mutator, then an idle re-sync;
2. arq-defaults baseline: a mutator with arq's poll delay (0.5 s) and one job at a time, for a fixed window;
3. budget use: a throttled shop (restore 200/s, bucket 4,000) with several mutators;
4. comprehensive: every Unleashed resource of a large account into an unlimited shop (devtools/bench_comprehensive);
5. promidata: a 2,000-family supplier feed into an unlimited shop, then re-synced unchanged (devtools/bench_promidata);
6. webhooks: 10 price edits per second for a minute in the shop's admin, each set back by a webhook's drift repair
   (devtools/bench_webhooks).

Prints a table and writes `bench/results.json`.  Exits 0 whatever the timings; non-zero only on a crash.
"""

import argparse
import asyncio
import math
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import aiohttp
import redis

from devtools import bench_comprehensive, bench_promidata, bench_report, bench_webhooks
from devtools.bench_catalogue import describe_catalogue, provision
from devtools.bench_report import ProcessMeter
from devtools.infra import drop_database, ensure_database, start_infra
from devtools.stack import Stack
from devtools.stack_client import TERMINAL_STATES, StackClient
from shared.settings import get_settings

REPO = Path(__file__).resolve().parent.parent
WORKDIR = REPO / ".run" / "bench"
BENCH_DATABASE = "commerce_sync_bench"
BENCH_REDIS_DB = 13
CUSTOM_PLAN = {"restore_rate": 200, "bucket": 4000}
PROGRESS_EVERY_SECONDS = 10.0
_STARTED = time.monotonic()


def seconds_left(args: argparse.Namespace, reserve: float) -> float:
    """How long a sync may still run so that the whole bench, with `reserve` s for what follows, fits."""
    return min(float(args.sync_timeout), _STARTED + float(args.max_seconds) - reserve - time.monotonic())


def progress(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f}s] {message}", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--ceiling-mutations", type=int, default=10_000, help="size of the engine-ceiling run")
    parser.add_argument("--baseline-seconds", type=float, default=60.0, help="window of the arq-defaults baseline")
    parser.add_argument(
        "--baseline-mutations", type=int, default=400, help="catalogue of the baseline (>= window × 2/s)"
    )
    parser.add_argument("--budget-mutations", type=int, default=1_800, help="catalogue of the budget-use run")
    parser.add_argument("--budget-mutators", type=int, default=4)
    parser.add_argument("--sync-timeout", type=float, default=300.0, help="give up waiting for one sync after this")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="whole-run budget; long syncs are cut short")
    parser.add_argument("--comprehensive-products", type=int, default=10_000)
    parser.add_argument("--comprehensive-warehouses", type=int, default=20)
    parser.add_argument("--comprehensive-customers", type=int, default=2_000)
    parser.add_argument("--comprehensive-stock-share", type=float, default=0.30, help="~50,000 levels at defaults")
    scenarios = "ceiling,baseline,budget,comprehensive,promidata,webhooks"
    parser.add_argument("--scenarios", default=scenarios, help="comma-separated subset to run")
    parser.add_argument("--families", type=int, default=2_000, help="Promidata families of the promidata scenario")
    parser.add_argument("--webhook-products", type=int, default=200)
    parser.add_argument("--webhook-rate", type=float, default=10.0, help="merchant edits (webhooks) per second")
    parser.add_argument("--webhook-seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results.json")
    return parser.parse_args(argv)


def with_redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    query = {key: values for key, values in parse_qs(parts.query).items() if key != "db"}
    return urlunsplit(parts._replace(path=f"/{db}", query=urlencode(query, doseq=True)))


def flush_bench_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        db = int(client.connection_pool.connection_kwargs.get("db", 0))
        if db != BENCH_REDIS_DB:  # never anybody else's data
            raise RuntimeError(f"refusing to flush Redis database {db}")
        client.flushdb()
    finally:
        client.close()


# ------------------------------------------------------------------------------------------- watching


@dataclass
class SyncRun:
    sync_id: str
    status: dict[str, Any]
    seconds: float
    timed_out: bool
    stats: dict[str, Any]  # shop stats deltas over the run
    first_mutation_s: float | None
    last_mutation_s: float | None
    sandbox_cpu_seconds: float

    @property
    def mutating_seconds(self) -> float | None:
        if self.first_mutation_s is None or self.last_mutation_s is None:
            return None
        return self.last_mutation_s - self.first_mutation_s


def stats_delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {key: after[key] - before[key] for key in ("requests", "mutations", "throttled", "points_used")}


async def sandbox_cpu_seconds(client: StackClient) -> float:
    async with client.session.get(f"{client.sandbox_url}/_sandbox/process") as response:
        return float((await response.json())["cpu_seconds"])


async def run_sync(
    client: StackClient,
    domain: str,
    shop: str,
    meters: list[ProcessMeter],
    *,
    give_up_after: float,
    poll: float = 0.1,
    status_poll: float = 0.25,
    route: str = "sync-products",
) -> SyncRun:
    """Start a sync (products unless `route` says otherwise) and watch it until it ends or `give_up_after` s pass.

    Shop stats (and RSS) are read every `poll` s, which times the first and last mutation to that
    resolution; the sync's status, a heavier query, every `status_poll` s.
    """
    stats_before = await client.shop_stats(shop)
    cpu_before = await sandbox_cpu_seconds(client)
    for meter in meters:
        meter.restart()
    started = time.monotonic()
    sync_id = await client.start_sync(domain, route=route)
    first = last = None
    mutations_seen = stats_before["mutations"]
    next_report = PROGRESS_EVERY_SECONDS
    status_read_at = -status_poll
    while True:
        stats = await client.shop_stats(shop)
        now = time.monotonic() - started
        if now - status_read_at >= status_poll:
            status, status_read_at = await client.sync_status(sync_id), now
        if stats["mutations"] != mutations_seen:
            first = now if first is None else first
            last, mutations_seen = now, stats["mutations"]
        for meter in meters:
            meter.sample()
        timed_out = now > give_up_after
        if status["state"] in TERMINAL_STATES or timed_out:
            break
        if now >= next_report:
            sent = stats["mutations"] - stats_before["mutations"]
            pending = status["totals"]["progress"]["pending"]
            progress(f"  {status['state']:<8} {now:5.0f} s: {sent:,} mutations sent, {pending:,} pending")
            next_report += PROGRESS_EVERY_SECONDS
        await asyncio.sleep(poll)
    for meter in meters:
        meter.freeze()
    return SyncRun(
        sync_id=sync_id,
        status=status,
        seconds=now,
        timed_out=timed_out,
        stats=stats_delta(stats_before, stats),
        first_mutation_s=first,
        last_mutation_s=last,
        sandbox_cpu_seconds=await sandbox_cpu_seconds(client) - cpu_before,
    )


# ------------------------------------------------------------------------------------------- scenarios


async def engine_ceiling(client: StackClient, stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    progress(f"1/6 engine ceiling: {args.ceiling_mutations:,} mutations, unlimited plan, one mutator")
    tenant = await provision(client, stack, "bench-ceiling", "unlimited", args.ceiling_mutations, args.seed)
    progress(f"bench-ceiling: {describe_catalogue(tenant['catalogue'])}")
    mutator = stack.start_mutator()
    assert stack.producer is not None
    meters = [ProcessMeter(mutator.pid), ProcessMeter(stack.producer.pid)]
    reserve = args.baseline_seconds + 150 if "baseline" in args.scenarios else 120
    give_up = seconds_left(args, reserve)
    run = await run_sync(client, tenant["domain"], tenant["shop"], meters, give_up_after=give_up)
    mutations = run.stats["mutations"]
    progress(f"  {run.status['state']} in {run.seconds:.1f} s: {mutations:,} mutations; idle re-sync ...")
    idle_limit = min(60, give_up)
    idle = await run_sync(
        client, tenant["domain"], tenant["shop"], [], give_up_after=idle_limit, poll=0.05, status_poll=0.05
    )
    progress(f"  idle re-sync {idle.status['state']} in {idle.seconds:.2f} s, {idle.stats['mutations']} mutations")
    stack.stop_mutators()
    flush_bench_redis(stack.infra.redis_url)  # jobs left by a sync cut short must not reach the next scenario
    totals = run.status["totals"]
    mutating = run.mutating_seconds
    return {
        "sync_id": run.sync_id,
        "state": run.status["state"],
        "timed_out": run.timed_out,
        "catalogue": tenant["catalogue"],
        "planned": sum(totals["planned"].values()),
        "progress": totals["progress"],
        "mutations": mutations,
        "seconds": run.seconds,
        "mutations_per_second": mutations / run.seconds,
        "first_mutation_seconds": run.first_mutation_s,
        "last_mutation_seconds": run.last_mutation_s,
        "mutations_per_second_mutating": mutations / mutating if mutating else None,
        "mutator_cpu_seconds": meters[0].cpu_used(),
        "mutator_cpu_ms_per_mutation": 1000 * meters[0].cpu_used() / mutations if mutations else None,
        "mutator_peak_rss_bytes": meters[0].peak_rss(),
        "producer_cpu_seconds": meters[1].cpu_used(),
        "sandbox_cpu_seconds": run.sandbox_cpu_seconds,
        "shop_stats": run.stats,
        "producer": bench_report.producer_phases(stack.log_dir / "producer.log", run.sync_id),
        "idle_resync": {
            "sync_id": idle.sync_id,
            "state": idle.status["state"],
            "seconds": idle.seconds,
            "planned": sum(idle.status["totals"]["planned"].values()),
            "mutations": idle.stats["mutations"],
            "producer": bench_report.producer_phases(stack.log_dir / "producer.log", idle.sync_id),
        },
    }


async def arq_defaults_baseline(client: StackClient, stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    window = args.baseline_seconds
    progress(f"2/6 arq-defaults baseline: poll delay 0.5 s, 1 job at a time, {window:.0f} s window")
    tenant = await provision(client, stack, "bench-baseline", "unlimited", args.baseline_mutations, args.seed + 1)
    progress(f"bench-baseline: {describe_catalogue(tenant['catalogue'])}")
    stack.start_mutator(MUTATOR_POLL_DELAY_SECONDS="0.5", MUTATOR_MAX_JOBS="1")
    shop = tenant["shop"]
    before = (await client.shop_stats(shop))["mutations"]
    sync_id = await client.start_sync(tenant["domain"])
    deadline = time.monotonic() + args.sync_timeout
    while (await client.shop_stats(shop))["mutations"] == before:  # the window opens at the first mutation
        if time.monotonic() > deadline:
            raise RuntimeError(f"baseline: no mutation within {args.sync_timeout:.0f} s")
        await asyncio.sleep(0.05)
    opened = time.monotonic()
    at_open = (await client.shop_stats(shop))["mutations"]
    exhausted = False
    while (elapsed := time.monotonic() - opened) < window:
        if (await client.sync_status(sync_id))["state"] in TERMINAL_STATES:
            exhausted = True  # the catalogue ran out before the window closed
            break
        await asyncio.sleep(min(1.0, window - elapsed))
    at_close = (await client.shop_stats(shop))["mutations"]
    elapsed = time.monotonic() - opened
    stack.stop_mutators()  # SIGTERM at the end of the window; the sync is left unfinished
    flush_bench_redis(stack.infra.redis_url)  # its unfinished jobs must not reach the next scenario's mutators
    mutations = at_close - at_open
    progress(f"  {mutations} mutations in {elapsed:.1f} s ({mutations / elapsed:.2f}/s); mutator stopped")
    return {
        "sync_id": sync_id,
        "catalogue": tenant["catalogue"],
        "mutations": mutations,
        "window_seconds": elapsed,
        "catalogue_exhausted": exhausted,
        "mutations_per_second": mutations / elapsed,
    }


async def budget_use(client: StackClient, stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    progress(f"3/6 budget use: restore 200/s, bucket 4,000, {args.budget_mutators} mutators")
    tenant = await provision(client, stack, "bench-budget", CUSTOM_PLAN, args.budget_mutations, args.seed + 2)
    progress(f"bench-budget: {describe_catalogue(tenant['catalogue'])}")
    restore = float(tenant["throttle"]["restoreRate"])
    bucket = float(tenant["throttle"]["maximumAvailable"])
    minimum = bucket / 10 + 60 * restore / 10
    if tenant["catalogue"]["expected_mutations"] < minimum:
        progress(f"  note: fewer than {minimum:,.0f} mutations; the run is shorter than ~60 s at the limit")
    for _ in range(args.budget_mutators):
        stack.start_mutator()
    give_up = seconds_left(args, reserve=20)
    run = await run_sync(client, tenant["domain"], tenant["shop"], [], give_up_after=give_up)
    stack.stop_mutators()
    flush_bench_redis(stack.infra.redis_url)
    stats = run.stats
    mutating = run.mutating_seconds

    def use(seconds: float | None) -> float | None:
        return stats["points_used"] / (restore * seconds + bucket) if seconds else None

    figures = {
        "sync_id": run.sync_id,
        "state": run.status["state"],
        "timed_out": run.timed_out,
        "catalogue": tenant["catalogue"],
        "restore_rate": restore,
        "bucket": bucket,
        "mutators": args.budget_mutators,
        "mutations": stats["mutations"],
        "requests": stats["requests"],
        "throttled": stats["throttled"],
        "points_used": stats["points_used"],
        "sync_seconds": run.seconds,
        "mutating_seconds": mutating,
        "budget_use": use(mutating),
        "budget_use_sync_window": use(run.seconds),
        "budget_use_window": "first → last mutation (shop stats polled every 0.1 s); also sync start → completed",
        "throttled_per_100_requests": 100 * stats["throttled"] / stats["requests"] if stats["requests"] else None,
        "progress": run.status["totals"]["progress"],
    }
    progress(f"  {run.status['state']} in {run.seconds:.1f} s: {stats['mutations']:,} mutations,")
    progress(f"  budget use {100 * (figures['budget_use'] or 0):.1f} %, {stats['throttled']} THROTTLED")
    return figures


# ------------------------------------------------------------------------------------------------ main


async def run_scenarios(stack: Stack, args: argparse.Namespace, results: dict[str, Any]) -> None:
    """Fills `results` scenario by scenario, so what finished is reported even if a later one crashes."""
    wanted = {name.strip() for name in args.scenarios.split(",")}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        client = StackClient(session, stack.sandbox_url, stack.producer_url, stack.jwt_secret)
        if "ceiling" in wanted:
            results["engine_ceiling"] = await engine_ceiling(client, stack, args)
        if "baseline" in wanted:
            baseline = results["arq_defaults_baseline"] = await arq_defaults_baseline(client, stack, args)
            if "engine_ceiling" in results and baseline["mutations_per_second"]:
                ratio = results["engine_ceiling"]["mutations_per_second"] / baseline["mutations_per_second"]
                baseline["ceiling_ratio"] = ratio
        if "budget" in wanted:
            results["budget_use"] = await budget_use(client, stack, args)
        if "comprehensive" in wanted:
            progress("4/6 comprehensive: every Unleashed resource, unlimited shop, one mutator")
            results["comprehensive"] = await bench_comprehensive.comprehensive(client, stack, args, run_sync)
            flush_bench_redis(stack.infra.redis_url)
        if "promidata" in wanted:
            progress(f"5/6 promidata: {args.families:,} families, unlimited shop, one mutator")
            results["promidata"] = await bench_promidata.promidata(client, stack, args, run_sync)
            flush_bench_redis(stack.infra.redis_url)
        if "webhooks" in wanted:
            progress(f"6/6 webhooks: {args.webhook_rate:g} edits/s for {args.webhook_seconds:g} s, drift repairs")
            results["webhooks"] = await bench_webhooks.webhooks(client, stack, args, run_sync)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `finally` that stops every process we started


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    settings = get_settings()
    started_at = bench_report.now_utc()
    redis_url = with_redis_db(settings.redis_url, BENCH_REDIS_DB)
    infra = start_infra(redis_url, settings.database_url, WORKDIR / "infra")
    embedded = {name: name in infra.embedded for name in ("redis", "postgres")}
    progress(
        f"Redis db {BENCH_REDIS_DB}: {'embedded' if embedded['redis'] else 'configured'};"
        f" PostgreSQL {BENCH_DATABASE}: {'embedded' if embedded['postgres'] else 'configured'}"
    )
    stack: Stack | None = None
    results: dict[str, Any] = {}
    failure: str | None = None
    try:
        flush_bench_redis(infra.redis_url)
        drop_database(infra.database_url, BENCH_DATABASE)  # starts empty, as the emulated shop does
        infra.database_url = ensure_database(infra.database_url, BENCH_DATABASE)
        for old_log in (WORKDIR / "logs").glob("*.log"):
            old_log.unlink()
        stack = Stack(infra=infra, workdir=WORKDIR)
        stack.start_sandbox()
        stack.start_producer()
        progress(f"sandbox {stack.sandbox_url}, producer {stack.producer_url}; logs in {stack.log_dir}")
        asyncio.run(run_scenarios(stack, args, results))
    except BaseException as exc:
        failure = f"{type(exc).__name__}: {exc}"
        progress(f"bench crashed: {failure}")
        raise
    finally:
        if stack is not None:
            stack.stop()
        infra.stop()
        rows = (
            bench_report.table_rows(results)
            + bench_comprehensive.table_rows(results)
            + bench_promidata.table_rows(results)
            + bench_webhooks.table_rows(results)
        )
        payload = {
            "date": started_at,
            "run_seconds": time.monotonic() - _STARTED,
            "machine": bench_report.machine_info(),
            "software": bench_report.software_info(),
            "git": bench_report.git_info(REPO),
            "infra": {"embedded": embedded, "redis_db": BENCH_REDIS_DB, "database": BENCH_DATABASE},
            "settings": {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()},
            "failure": failure,
            "scenarios": results,
        }
        bench_report.write_results(args.output, payload, rows)
        if rows:
            print("\n" + bench_report.render_table(rows))
        print(f"\nwrote {args.output} in {math.ceil(time.monotonic() - _STARTED)} s total")
    failed_syncs = [name for name, figures in results.items() if figures.get("state") == "failed"]
    if failed_syncs:
        print(f"sync failed in: {', '.join(failed_syncs)} (see {WORKDIR / 'logs'})")
    return 1 if failed_syncs else 0


if __name__ == "__main__":
    sys.exit(main())

"""`commerce-sync sync DOMAIN` (start one, optionally watch it to its end) and `commerce-sync syncs show|list`."""

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.text import Text

from shared.cli.api_client import ApiClient, client_from_env
from shared.cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, CliProblem, guarded, say_error
from shared.cli.render import JsonOption, console, print_json, sync_report, syncs_table, typer_app
from shared.cli.watch import poll_until_done, sync_failed, watch_with_bars

# What a comprehensive sync covers; each also has its own `POST /api/v2/sync-{resource}` route.
COMPREHENSIVE = ("locations", "products", "customers", "inventory")
RESOURCES = (*COMPREHENSIVE, "promidata")

syncs_app = typer_app("Read syncs: one in detail, or the latest.")


def route_for(resources: Sequence[str] | None) -> str:
    """The API route for `--resources`: all of them (the default) or exactly one; the API has no subset."""
    names = {name.strip().lower() for chunk in resources or () for name in chunk.split(",") if name.strip()}
    unknown = sorted(names - {*RESOURCES, "all"})
    if unknown:
        raise CliProblem(f"unknown resource(s) {', '.join(unknown)}; choose from {', '.join(RESOURCES)} or all")
    if not names or names == {"all"} or names == set(COMPREHENSIVE):
        return "comprehensive-sync"
    if len(names) == 1:
        return f"sync-{names.pop()}"
    raise CliProblem(
        f"--resources {','.join(sorted(names))}: only one resource or all of them ({','.join(COMPREHENSIVE)}) "
        "can be synced at once; run one sync per resource, or leave --resources out for all"
    )


def finish(client: ApiClient, sync_id: str, as_json: bool) -> None:
    """Watch the sync to its end, show how it went, and exit 0 (all done) or 1 (it or one of its jobs failed)."""
    out = console()
    try:
        if as_json:
            status = poll_until_done(client, sync_id)
        else:
            out.print(Text(f"watching sync {sync_id}; Ctrl-C stops watching, not the sync", style="dim"))
            status = watch_with_bars(client, sync_id, out)
    except KeyboardInterrupt:
        say_error(f"stopped watching; sync {sync_id} goes on (commerce-sync syncs show {sync_id} --watch)")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if as_json:
        print_json(status)
    else:
        out.print(sync_report(status))
        verdict = "failed" if sync_failed(status) else "completed"
        out.print(Text(f"sync {sync_id} {verdict}", style="bold red" if verdict == "failed" else "bold green"))
    raise typer.Exit(EXIT_FAILED if sync_failed(status) else EXIT_OK)


@guarded
def sync(
    domain: Annotated[
        str, typer.Argument(metavar="DOMAIN", help="The tenant's domain (its hash is tenant:DOMAIN in Redis).")
    ],
    resources: Annotated[
        list[str] | None,
        typer.Option(
            "--resources",
            "-r",
            metavar="NAMES",
            help=f"One of {', '.join(RESOURCES)}, or all (the default: {','.join(COMPREHENSIVE)}).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Pull and plan, record what would change, send nothing.")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option("--watch", "-w", help="Show a progress bar per step until the sync ends; exit 1 if it fails."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Start a sync of a tenant: every resource, or one."""
    route = route_for(resources)
    client = client_from_env()
    started: dict[str, Any] = client.post(f"/api/v2/{route}", {"domain": domain, "dry_run": dry_run})
    sync_id = str(started["syncId"])
    if watch:
        finish(client, sync_id, as_json)
    if as_json:
        print_json(started)
        return
    out = console()
    steps = ", ".join(started.get("steps", []))
    out.print(Text(f"started sync {sync_id} of {domain} ({steps}){' as a dry run' if dry_run else ''}"))
    out.print(Text(f"status: {client.url(str(started['statusUrl']))}"))
    out.print(Text(f"watch it: commerce-sync syncs show {sync_id} --watch"))


@syncs_app.command("show")
@guarded
def show(
    sync_id: Annotated[str, typer.Argument(metavar="ID", help="The syncId a sync request answered.")],
    watch: Annotated[bool, typer.Option("--watch", "-w", help="Follow it to its end; exit 1 if it fails.")] = False,
    as_json: JsonOption = False,
) -> None:
    """A sync's state, a table per step, and its first errors."""
    client = client_from_env()
    if watch:
        finish(client, sync_id, as_json)
    status = client.get(f"/api/v2/syncs/{sync_id}")
    if as_json:
        print_json(status)
    else:
        console().print(sync_report(status))


@syncs_app.command("list")
@guarded
def list_syncs(
    domain: Annotated[str | None, typer.Option("--domain", "-d", help="Only this tenant's syncs.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="How many, newest first.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """The most recent syncs the token may see."""
    answer = client_from_env().get("/api/v2/syncs", {"domain": domain, "limit": limit})
    if as_json:
        print_json(answer)
    else:
        console().print(syncs_table(answer["items"]))

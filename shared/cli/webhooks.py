"""`commerce-sync webhooks subscribe|list|replay`: a shop's webhook subscriptions and the webhook log."""

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from shared.cli.api_client import client_from_env
from shared.cli.errors import guarded
from shared.cli.operations import DomainOption, split_ids
from shared.cli.render import JsonOption, console, print_json, typer_app

webhooks_app = typer_app("Shopify webhooks: subscribe a shop, read the webhook log, process deliveries again.")


@webhooks_app.command("subscribe")
@guarded
def subscribe(domain: Annotated[str, typer.Argument(help="The tenant's domain.")], as_json: JsonOption = False) -> None:
    """Subscribe the tenant's shop to the topics the product acts on, at WEBHOOK_PUBLIC_URL (idempotent)."""
    answer = client_from_env().post("/api/v2/webhooks/subscribe", {"domain": domain})
    if as_json:
        print_json(answer)
        return
    console().print(Text(f"{domain}: {len(answer['topics'])} topics at {answer['uri']}"))
    console().print(Text(f"  created: {', '.join(answer['created']) or 'none'}"))
    console().print(Text(f"  kept:    {', '.join(answer['kept']) or 'none'}"))


@webhooks_app.command("list")
@guarded
def list_deliveries(
    domain: DomainOption,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 50,
    as_json: JsonOption = False,
) -> None:
    """The newest deliveries of the tenant's webhook log, with what came of each."""
    answer = client_from_env().get("/api/v2/webhooks", {"domain": domain, "limit": str(limit)})
    if as_json:
        print_json(answer)
        return
    table = Table("received", "topic", "state", "outcome", "repair sync", box=None)
    for item in answer["items"]:
        table.add_row(
            Text(item["receivedAt"][:19]), Text(item["topic"]), Text(item["state"]), Text(item["outcome"] or ""),
            Text(item["repairSyncId"] or ""),
        )  # fmt: skip
    console().print(table)


@webhooks_app.command("replay")
@guarded
def replay(
    domain: DomainOption,
    ids: Annotated[
        list[str] | None, typer.Option("--ids", metavar="IDS", help="Webhook ids (default: every failed delivery).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Process deliveries of the webhook log again."""
    body: dict[str, Any] = {"domain": domain}
    chosen = split_ids(ids)
    if chosen:
        body["ids"] = chosen
    answer = client_from_env().post("/api/v2/webhooks/replay", body)
    if as_json:
        print_json(answer)
    else:
        console().print(Text(f"processing {answer['replayed']} delivery(ies) of {domain} again"))

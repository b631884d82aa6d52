"""`commerce-sync queues` and `commerce-sync dead-letters list|replay`: what an operator looks at and does by hand."""

from typing import Annotated, Any

import typer
from rich.text import Text

from shared.cli.api_client import client_from_env
from shared.cli.errors import CliProblem, guarded
from shared.cli.render import JsonOption, console, dead_letters_view, print_json, queues_table, typer_app

DomainOption = Annotated[str, typer.Option("--domain", "-d", metavar="DOMAIN", help="The tenant's domain.")]

dead_letters_app = typer_app("Jobs that failed for good: list them, queue them again.")


@guarded
def queues(as_json: JsonOption = False) -> None:
    """Jobs per queue: queued, in progress, retrying, dead-lettered, done (limited to the token's domains)."""
    answer = client_from_env().get("/api/v2/queues")
    if as_json:
        print_json(answer)
    else:
        console().print(queues_table(answer["queues"]))


@dead_letters_app.command("list")
@guarded
def list_dead_letters(domain: DomainOption, as_json: JsonOption = False) -> None:
    """A tenant's dead letters with their error class and message."""
    answer = client_from_env().get("/api/v2/dead-letters", {"domain": domain})
    if as_json:
        print_json(answer)
    else:
        console().print(dead_letters_view(answer["items"]))


def split_ids(ids: list[str] | None) -> list[str] | None:
    if ids is None:
        return None
    return [part.strip() for chunk in ids for part in chunk.split(",") if part.strip()]


@dead_letters_app.command("replay")
@guarded
def replay(
    domain: DomainOption,
    ids: Annotated[
        list[str] | None,
        typer.Option("--ids", metavar="IDS", help="Dead-letter ids, comma-separated (or the option repeated)."),
    ] = None,
    replay_all: Annotated[bool, typer.Option("--all", help="Every dead letter of the tenant.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Queue dead letters again; they keep their syncId and count again in that sync's status."""
    chosen = split_ids(ids)
    if replay_all == (chosen is not None):
        raise CliProblem("give either --ids a,b,... or --all")
    if chosen == []:
        raise CliProblem("--ids names no id")
    body: dict[str, Any] = {"domain": domain, **({"all": True} if replay_all else {"ids": chosen})}
    answer = client_from_env().post("/api/v2/dead-letters/replay", body)
    if as_json:
        print_json(answer)
    else:
        console().print(Text(f"replayed {answer['replayed']} dead letter(s) of {domain}"))

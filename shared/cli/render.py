"""How the CLI shows things: rich tables for people, plain JSON for machines (`--json`).

Values that come from the API or Redis go into tables as `Text`, never as markup, so a message holding
`[brackets]` is shown as it is.
"""

import json
import os
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the API's JSON instead of tables; nothing else goes to stdout.")
]
STEP_ORDER = ("locations", "products", "customers", "inventory", "promidata")
STATE_STYLE = {"completed": "green", "failed": "red", "running": "cyan", "queued": "blue", "waiting": "dim"}
ERRORS_SHOWN = 10
PIPE_WIDTH = 120


def typer_app(help_text: str) -> typer.Typer:
    """A (sub-)command group with the settings every group of this CLI shares: plain help, no completion
    installer, no rich tracebacks (errors are reported as one line by `errors.guarded`)."""
    return typer.Typer(
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


def console() -> Console:
    """stdout; when it is a pipe or a file (and COLUMNS does not say otherwise) 120 columns, not rich's 80."""
    piped = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(highlight=False, width=PIPE_WIDTH if piped else None)


def error_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """JSON on stdout, exactly, without rich's wrapping or colours."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def new_table(title: str) -> Table:
    """A compact table, no rules and one space between columns, so the nine columns of the steps fit in 80."""
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=None,
        padding=(0, 1, 0, 0),
        header_style="bold underline",
    )


def cell(value: object) -> Text:
    return Text("" if value is None else str(value))


def state_text(state: str) -> Text:
    return Text(state, style=STATE_STYLE.get(state, ""))


def ordered_steps(steps: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Steps in the order a sync runs them (inventory after the ones it waits for), unknown ones last."""
    rank = {name: index for index, name in enumerate(STEP_ORDER)}
    return sorted(steps.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def planned_total(step: dict[str, Any]) -> int:
    return sum(int(step["planned"][key]) for key in ("creates", "updates", "archives"))


def steps_table(status: dict[str, Any]) -> Table:
    grid = new_table("steps")
    for header in ("step", "state", "creates", "updates", "archives", "skipped", "succeeded", "failed", "pending"):
        grid.add_column(header, justify="left" if header in ("step", "state") else "right")
    for name, step in ordered_steps(status["steps"]):
        planned, progress = step["planned"], step["progress"]
        grid.add_row(
            cell(name),
            state_text(step["state"]),
            *(cell(planned[key]) for key in ("creates", "updates", "archives")),
            cell(step.get("skipped", 0)),
            cell(progress["succeeded"]),
            Text(str(progress["failed"]), style="red" if progress["failed"] else ""),
            cell(progress["pending"]),
        )
    return grid


def error_row(error: dict[str, Any]) -> tuple[str, str, str, str]:
    """(kind, step, record, message) of any entry of a sync's `errors`."""
    message = str(error.get("message") or error.get("reason") or "")
    if error.get("errorClass"):
        message = f"{error['errorClass']}: {message}"
    record = error.get("reference") or error.get("entity") or ""
    return str(error.get("kind", "")), str(error.get("step", "")), str(record), message


def errors_table(errors: list[dict[str, Any]], limit: int = ERRORS_SHOWN) -> Table:
    title = f"errors (first {limit} of {len(errors)})" if len(errors) > limit else "errors"
    grid = new_table(title)
    for header in ("kind", "step", "record", "message"):
        grid.add_column(header, overflow="fold")
    for error in errors[:limit]:
        grid.add_row(*(cell(value) for value in error_row(error)))
    return grid


def sync_header(status: dict[str, Any]) -> Text:
    header = Text()
    header.append(f"sync {status['syncId']} ", style="bold")
    header.append(f"({status.get('kind', '?')}{', dry run' if status.get('dryRun') else ''}) of {status['domain']}: ")
    header.append_text(state_text(status["state"]))
    header.append(f"\ncreated {status.get('createdAt', '?')}")
    if status.get("finishedAt"):
        header.append(f", finished {status['finishedAt']}")
    return header


def sync_report(status: dict[str, Any]) -> Group:
    """Header, a table per step, and the first errors (when there are any)."""
    parts: list[Any] = [sync_header(status), Text(""), steps_table(status)]
    if status.get("errors"):
        parts += [Text(""), errors_table(status["errors"])]
    return Group(*parts)


def moment(value: object) -> str:
    """An ISO timestamp as `YYYY-MM-DD HH:MM:SSZ` (UTC); anything else as it is."""
    try:
        return datetime.fromisoformat(str(value)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    except ValueError:
        return "" if value is None else str(value)


def syncs_table(items: Iterable[dict[str, Any]]) -> Table:
    grid = new_table("syncs, newest first")
    grid.add_column("syncId", no_wrap=True)
    for header in ("domain", "kind", "state", "done", "failed", "created"):
        grid.add_column(header, overflow="fold", justify="right" if header in ("done", "failed") else "left")
    for item in items:
        totals = item["totals"]
        kind = item.get("kind", "") + (" (dry run)" if item.get("dryRun") else "")
        grid.add_row(
            cell(item["syncId"]),
            cell(item["domain"]),
            cell(kind),
            state_text(item["state"]),
            cell(f"{totals['progress']['succeeded']}/{planned_total(totals)}"),
            cell(totals["progress"]["failed"]),
            cell(moment(item.get("createdAt"))),
        )
    return grid


def queues_table(queues: dict[str, dict[str, int]]) -> Table:
    columns = ("queued", "inProgress", "retrying", "deadLettered", "done")
    grid = new_table("queues")
    grid.add_column("queue")
    for column in columns:
        grid.add_column(column, justify="right")
    for name, counts in sorted(queues.items()):
        grid.add_row(cell(name), *(cell(counts.get(column, 0)) for column in columns))
    return grid


def dead_letters_view(items: list[dict[str, Any]]) -> Group:
    """Per dead letter its id (whole, for `--ids`), class, attempts and time; its sync and queue; its message."""
    lines: list[Text] = [Text(f"dead letters ({len(items)})", style="bold")]
    for item in items:
        line = Text(str(item.get("id")), style="bold")
        line.append(f"  {item.get('errorClass') or '?'}", style="red")
        line.append(f"  attempts {item.get('attempts')}  failed {moment(item.get('failedAt'))}")
        origin = Text(f"    sync {item.get('syncId')}, queue {item.get('queue')}", style="dim")
        lines += [line, origin, Text("    " + str(item.get("message") or ""))]
    return Group(*lines)


def tenant_table(shown: dict[str, Any]) -> Table:
    grid = new_table(f"tenant:{shown.get('domain', '?')}")
    grid.add_column("field")
    grid.add_column("value", overflow="fold")
    for name, value in shown.items():
        grid.add_row(cell(name), cell(value))
    return grid

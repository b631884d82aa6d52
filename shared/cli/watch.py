"""`--watch`: poll a sync's status about twice a second until it ends, with a live progress bar per step.

A bar's total is what the step planned (creates + updates + archives) and its progress the jobs that ended
(succeeded + failed); the step's state is in its description. On a terminal the bars redraw in place; when
stdout is a file or a pipe each step's state changes are printed as lines and the bars once, at the end.
"""

import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from shared.cli.api_client import ApiClient, Unreachable
from shared.cli.render import STATE_STYLE, ordered_steps, planned_total

TERMINAL_STATES = ("completed", "failed")
ENDED_STEP_STATES = ("completed", "failed")
PLANNING_STATES = ("waiting", "pulling", "planning")
POLL_SECONDS = 0.5
UNREACHABLE_PATIENCE_SECONDS = 30.0


def sync_failed(status: dict[str, Any]) -> bool:
    """A sync that failed, or one that completed with a failed job: what makes `sync --watch` exit 1."""
    return status["state"] == "failed" or int(status["totals"]["progress"]["failed"]) > 0


def poll_until_done(
    client: ApiClient,
    sync_id: str,
    on_status: Callable[[dict[str, Any]], None] = lambda status: None,
    interval: float = POLL_SECONDS,
    patience: float = UNREACHABLE_PATIENCE_SECONDS,
) -> dict[str, Any]:
    """The sync's last status, once it is completed or failed. A producer away for less than `patience`
    seconds (a restart) is waited for; API errors end the watch at once."""
    reached = time.monotonic()
    while True:
        try:
            status: dict[str, Any] = client.get(f"/api/v2/syncs/{sync_id}")
            reached = time.monotonic()
        except Unreachable:
            if time.monotonic() - reached > patience:
                raise
            time.sleep(interval)
            continue
        on_status(status)
        if status["state"] in TERMINAL_STATES:
            return status
        time.sleep(interval)


class StepBars:
    """One rich progress task per step, updated from each status the poll reads."""

    def __init__(self, progress: Progress, console: Console) -> None:
        self.progress = progress
        self.console = console
        self.tasks: dict[str, TaskID] = {}
        self.states: dict[str, str] = {}

    def update(self, status: dict[str, Any]) -> None:
        for name, step in ordered_steps(status["steps"]):
            self._update_step(name, step, bool(status.get("dryRun")))

    def _update_step(self, name: str, step: dict[str, Any], dry_run: bool) -> None:
        state = str(step["state"])
        planned = planned_total(step)
        progress = step["progress"]
        ended = int(progress["succeeded"]) + int(progress["failed"])
        jobs = ended + int(progress["pending"])
        total: float | None = None if state in PLANNING_STATES else float(max(planned, jobs))
        completed = float(ended)
        if dry_run and state in ENDED_STEP_STATES:
            completed = total or 0.0  # a dry run sends nothing: planning was all of it
        if total == 0 and state in ENDED_STEP_STATES:
            total, completed = 1.0, 1.0  # nothing to do is done, shown as a full bar
        count = f"{ended}/{max(planned, jobs)}" if state not in PLANNING_STATES else "…"
        note = f"[red]{progress['failed']} failed[/]" if int(progress["failed"]) else ""
        if dry_run and state in ENDED_STEP_STATES:
            note = f"dry run: {planned} planned, none sent"
        style = STATE_STYLE.get(state, "")
        description = f"{name:<10} [{style}]{state:<9}[/]" if style else f"{name:<10} {state:<9}"
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(description, total=total, count=count, note=note)
        self.progress.update(
            self.tasks[name], description=description, total=total, completed=completed, count=count, note=note
        )
        if self.states.get(name) != state and not self.console.is_terminal:
            self.console.print(Text(f"{name}: {state}" + (f" ({planned} planned)" if planned else "")))
        self.states[name] = state


def watch_with_bars(client: ApiClient, sync_id: str, console: Console) -> dict[str, Any]:
    """Poll until the sync ends, drawing a bar per step; returns its last status."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=32),
        TextColumn("{task.fields[count]:>11}"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[note]}"),
        console=console,
        refresh_per_second=4,
    )
    bars = StepBars(progress, console)
    with progress:
        return poll_until_done(client, sync_id, bars.update)

"""The instruments of `make bench` and its report: process meters, the producer's phase timings,
the machine, the targets, the table and `bench/results.json`.

`devtools.bench` runs the scenarios; this module measures processes, turns the
figures into table rows (each next to its target, with met / not met) and writes the JSON.  A missed target
is reported, never raised.
"""

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from devtools.bench_catalogue import describe_catalogue

# Targets from the issue.
BUDGET_USE_TARGET = 0.95
THROTTLED_PER_100_TARGET = 1.0
MUTATOR_CPU_MS_TARGET = 1.0
PLAN_ENQUEUE_SECONDS_TARGET = 5.0
PACKAGES = ("commerce-sync", "aiohttp", "arq", "redis", "asyncpg", "pydantic", "structlog", "graphql-core", "psutil")


@dataclass(frozen=True)
class Row:
    scenario: str
    measure: str
    value: str
    target: str = ""
    met: bool | None = None  # None: no target for this figure

    @property
    def verdict(self) -> str:
        return "" if self.met is None else ("met" if self.met else "NOT met")


# ------------------------------------------------------------------------------------------- machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict[str, Any]:
    return {
        "cpu_model": _cpu_model(),
        "cpu_count_logical": os.cpu_count(),
        "cpu_count_physical": psutil.cpu_count(logical=False),
        "memory_bytes": int(psutil.virtual_memory().total),
        "platform": platform.platform(),
    }


def software_info() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"python": platform.python_version(), "implementation": platform.python_implementation(), **versions}


def git_info(repo: Path) -> dict[str, Any]:
    def git(*args: str) -> str:
        completed = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
        return completed.stdout.strip()

    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--porcelain"))}


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------- producer log timings


def producer_phases(log_path: Path, sync_id: str) -> dict[str, float | None]:
    """Seconds of pull, plan, record + enqueue of one sync, from the producer's JSON log timestamps.

    Events (producer/pipeline/runner.py and each resource's step): "sync started" → "pulled" → "planned"
    → "queued" (the first of each, so for a one-step sync).
    """
    seen: dict[str, datetime] = {}
    try:
        lines = log_path.read_text(errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:
        if sync_id not in line:
            continue
        try:
            event = json.loads(line)
            seen.setdefault(str(event["message"]), datetime.fromisoformat(str(event["timestamp"])))
        except (ValueError, KeyError, TypeError):
            continue

    def between(start: str, end: str) -> float | None:
        if start in seen and end in seen:
            return (seen[end] - seen[start]).total_seconds()
        return None

    return {
        "pull_seconds": between("sync started", "pulled"),
        "plan_seconds": between("pulled", "planned"),
        "record_and_enqueue_seconds": between("planned", "queued"),
        "plan_and_enqueue_seconds": between("pulled", "queued"),
    }


# ------------------------------------------------------------------------------------------- measuring


class ProcessMeter:
    """CPU seconds (user + system) since `restart()` and peak RSS of one process, by psutil."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._process = psutil.Process(pid)
        self._cpu_start = self._cpu()
        self._sampled_peak = 0
        self._frozen: tuple[float, int] | None = None

    def _cpu(self) -> float:
        times = self._process.cpu_times()
        return float(times.user + times.system)

    def restart(self) -> None:
        self._cpu_start = self._cpu()
        self._frozen = None

    def freeze(self) -> None:
        """Keep the figures as they are now (the process may be stopped afterwards)."""
        self._frozen = (self._cpu() - self._cpu_start, self.peak_rss())

    def cpu_used(self) -> float:
        return self._frozen[0] if self._frozen else self._cpu() - self._cpu_start

    def sample(self) -> None:
        try:
            self._sampled_peak = max(self._sampled_peak, int(self._process.memory_info().rss))
        except psutil.Error:
            pass

    def peak_rss(self) -> int:
        """The kernel's high-water mark (VmHWM) where there is one, else the largest sample."""
        if self._frozen:
            return self._frozen[1]
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return max(self._sampled_peak, int(line.split()[1]) * 1024)
        except (OSError, ValueError):
            pass
        return self._sampled_peak


# ------------------------------------------------------------------------------------------------ rows


def _fmt(value: float | None, pattern: str = "{:.1f}", unit: str = "") -> str:
    if value is None:
        return "n/a"
    return pattern.format(value) + (f" {unit}" if unit else "")


def _state(figures: dict[str, Any]) -> str:
    return f"{figures['state']}, cut short" if figures.get("timed_out") else str(figures["state"])


def _at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def ceiling_rows(figures: dict[str, Any]) -> list[Row]:
    name = "1 engine ceiling"
    expected = figures["catalogue"]["expected_mutations"]
    cpu_ms = figures.get("mutator_cpu_ms_per_mutation")
    plan_enqueue = figures["producer"].get("plan_and_enqueue_seconds")
    idle = figures["idle_resync"]
    return [
        Row(name, "catalogue", describe_catalogue(figures["catalogue"])),
        Row(name, "mutations sent (sync state)", f"{figures['mutations']:,} of {expected:,} ({_state(figures)})"),
        Row(name, "end to end, sync start → completed", _fmt(figures["seconds"], unit="s")),
        Row(name, "mutations/s end to end", _fmt(figures["mutations_per_second"])),
        Row(name, "mutations/s first → last mutation", _fmt(figures.get("mutations_per_second_mutating"))),
        Row(name, "mutator CPU per mutation", _fmt(cpu_ms, "{:.2f}", "ms"), "≤ 1 ms", _at_most(cpu_ms, 1.0)),
        Row(name, "mutator peak RSS", _fmt(figures["mutator_peak_rss_bytes"] / 2**20, unit="MiB")),
        Row(name, "sandbox CPU over the run", _fmt(figures["sandbox_cpu_seconds"], unit="s")),
        Row(name, "producer CPU over the run", _fmt(figures.get("producer_cpu_seconds"), unit="s")),
        Row(name, "producer pull", _fmt(figures["producer"].get("pull_seconds"), "{:.2f}", "s")),
        Row(
            name,
            f"producer plan + enqueue ({figures['planned']:,} mutations)",
            _fmt(plan_enqueue, "{:.2f}", "s"),
            "≤ 5 s",
            _at_most(plan_enqueue, PLAN_ENQUEUE_SECONDS_TARGET),
        ),
        Row(name, "idle re-sync, start → completed", _fmt(idle["seconds"], "{:.2f}", "s")),
        Row(
            name,
            "idle re-sync mutations sent",
            f"{idle['mutations']} (planned {idle['planned']})",
            "0",
            idle["mutations"] == 0 and idle["planned"] == 0,
        ),
    ]


def baseline_rows(figures: dict[str, Any]) -> list[Row]:
    name = "2 arq-defaults baseline"
    ran_out = " (catalogue ran out before the window closed)" if figures["catalogue_exhausted"] else ""
    ratio = figures.get("ceiling_ratio")
    return [
        Row(name, "mutations in window", f"{figures['mutations']} in {figures['window_seconds']:.1f} s{ran_out}"),
        Row(name, "mutations/s", _fmt(figures["mutations_per_second"], "{:.2f}")),
        Row(name, "ceiling ÷ baseline", _fmt(ratio, "{:.1f}", "×")),
    ]


def budget_rows(figures: dict[str, Any]) -> list[Row]:
    name = "3 budget use"
    use = figures.get("budget_use")
    use_sync = figures.get("budget_use_sync_window")
    per_100 = figures.get("throttled_per_100_requests")
    limits = f"restore {figures['restore_rate']:g}/s, bucket {figures['bucket']:g}"
    return [
        Row(name, "shop limits", limits),
        Row(name, "catalogue", describe_catalogue(figures["catalogue"])),
        Row(name, "mutators / mutations sent", f"{figures['mutators']} / {figures['mutations']:,} ({_state(figures)})"),
        Row(name, "first → last mutation", _fmt(figures.get("mutating_seconds"), unit="s")),
        Row(
            name,
            "budget use (first → last mutation)",
            _fmt(None if use is None else use * 100, unit="%"),
            "≥ 95 %",
            None if use is None else use >= BUDGET_USE_TARGET,
        ),
        Row(name, "budget use (sync start → completed)", _fmt(None if use_sync is None else use_sync * 100, unit="%")),
        Row(
            name,
            "THROTTLED per 100 requests",
            _fmt(per_100, "{:.2f}") + f" ({figures['throttled']}/{figures['requests']})",
            "< 1",
            None if per_100 is None else per_100 < THROTTLED_PER_100_TARGET,
        ),
    ]


def table_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    if "engine_ceiling" in results:
        rows += ceiling_rows(results["engine_ceiling"])
    if "arq_defaults_baseline" in results:
        rows += baseline_rows(results["arq_defaults_baseline"])
    if "budget_use" in results:
        rows += budget_rows(results["budget_use"])
    return rows


def render_table(rows: list[Row]) -> str:
    headers = ("scenario", "measure", "value", "target", "")
    cells = [headers, *[(r.scenario, r.measure, r.value, r.target, r.verdict) for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def write_results(path: Path, payload: dict[str, Any], rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {**payload, "table": [asdict(row) | {"verdict": row.verdict} for row in rows]}
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")

"""What the producer counts, for `GET /metrics` (see shared.metrics): syncs, steps and their phases, and the
jobs per queue and state as PostgreSQL records them (the gauge KEDA scales the mutators on)."""

import asyncpg
from prometheus_client import Counter, Gauge, Histogram

from producer.pipeline import views
from shared.metrics import PREFIX

SYNCS_STARTED = Counter(f"{PREFIX}_syncs_started", "Syncs started, by kind", ["kind"])
SYNCS_FINISHED = Counter(f"{PREFIX}_syncs_finished", "Syncs that ended, by state", ["state"])
STEPS_FINISHED = Counter(f"{PREFIX}_steps_finished", "Steps that ended, by step and state", ["step", "state"])
STEP_SECONDS = Histogram(
    f"{PREFIX}_step_seconds",
    "A step from its start to its last job's end",
    ["step"],
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)
PHASE_SECONDS = Histogram(
    f"{PREFIX}_step_phase_seconds",
    "Time of each phase of a step (gather, promote, plan, record, enqueue)",
    ["step", "phase"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
STEP_ERRORS = Counter(
    f"{PREFIX}_step_errors", "Steps that failed, by error class (pull_failed, implausible_pull, …)", ["error_class"]
)
WEBHOOKS_RECEIVED = Counter(
    f"{PREFIX}_webhooks_received", "Webhook deliveries answered, by topic and result", ["topic", "result"]
)
WEBHOOKS_PROCESSED = Counter(
    f"{PREFIX}_webhooks_processed",
    "Webhook deliveries processed, by topic and whether a repair was queued",
    ["topic", "repaired"],
)
SCHEDULED_SYNCS = Counter(
    f"{PREFIX}_scheduled_syncs", "Scheduled syncs due, by outcome (started, skipped)", ["outcome"]
)
JOBS = Gauge(
    f"{PREFIX}_jobs",
    "Jobs per queue and state (queued includes held; dead_lettered are the failed ones), from PostgreSQL",
    ["queue", "state"],
)

_STATE_OF = {"queued": "queued", "inProgress": "in_progress", "retrying": "retrying", "deadLettered": "dead_lettered"}


async def refresh_job_counts(pool: asyncpg.Pool) -> None:
    for queue, counts in (await views.queue_counts(pool, None, open_only=True)).items():
        for name, state in _STATE_OF.items():
            JOBS.labels(queue=queue, state=state).set(counts[name])

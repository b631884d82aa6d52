"""What a mutator process counts, for `GET /metrics` on its health port (see shared.metrics)."""

from prometheus_client import Counter, Gauge, Histogram

from shared.metrics import PREFIX

MUTATIONS = Counter(
    f"{PREFIX}_mutations",
    "Mutation jobs by queue and how they ended: succeeded, superseded, user_error, throttled, retried, deferred, "
    "dead_lettered",
    ["queue", "outcome"],
)
IN_PROGRESS = Gauge(f"{PREFIX}_mutator_jobs_in_progress", "Jobs this process is running", ["queue"])
QUEUE_DEPTH = Gauge(
    f"{PREFIX}_queue_depth", "Jobs in the arq queue (waiting, deferred and running) as Redis counts them", ["queue"]
)
ERRORS = Counter(f"{PREFIX}_mutator_errors", "Failures by class (transient ones included)", ["error_class"])
SHOPIFY_SECONDS = Histogram(
    f"{PREFIX}_shopify_request_seconds",
    "Time of one request to Shopify's Admin GraphQL, by document",
    ["document"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
BUDGET_WAIT = Histogram(
    f"{PREFIX}_budget_wait_seconds",
    "Time a mutation waits for room in its shop's budget (a slot later than now, or a deferral)",
    buckets=(0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
POINTS_AVAILABLE = Gauge(
    f"{PREFIX}_shopify_points_available", "Points left in the shop's bucket, as Shopify last reported", ["shop"]
)
POINTS_MAXIMUM = Gauge(f"{PREFIX}_shopify_points_maximum", "Size of the shop's bucket", ["shop"])
POINTS_USED = Counter(f"{PREFIX}_shopify_points_used", "Points Shopify charged (actual query cost)", ["shop"])

"""`GET /metrics` of the producer and of a mutator, scraped before and after a comprehensive sync with some
injected Shopify errors: every family the operator needs is there and moves."""

from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from devtools.infra import Infra
from devtools.stack import Stack
from devtools.stack_client import StackClient
from tests.conftest import make_merchant
from tests.test_comprehensive_sync import COMPREHENSIVE

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(http: aiohttp.ClientSession, url: str) -> Samples:
    async with http.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= set(ls))


def grew(before: Samples, after: Samples, name: str, **labels: str) -> bool:
    return value(after, name, **labels) > value(before, name, **labels)


async def test_metrics_of_producer_and_mutator_move_during_a_sync(
    client: StackClient, infra: Infra, stack: Stack, http: aiohttp.ClientSession
) -> None:
    merchant = await make_merchant(client, infra, size=40, seed=91)
    faults: dict[str, Any] = {"http_503": 0.15, "seed": 3}
    async with http.patch(f"{client.sandbox_url}/_sandbox/shops/{merchant.shop}", json={"faults": faults}) as reply:
        assert reply.status == 200
    producer_url = f"{stack.producer_url}/metrics"
    assert stack.mutators[0].health_url is not None
    mutator_url = stack.mutators[0].health_url.replace("/health", "/metrics")
    producer_before, mutator_before = await scrape(http, producer_url), await scrape(http, mutator_url)

    status = await client.wait_for_sync(await client.start_sync(merchant.domain, route=COMPREHENSIVE))
    assert status["state"] == "completed", status["errors"][:3]
    producer_after, mutator_after = await scrape(http, producer_url), await scrape(http, mutator_url)

    assert grew(producer_before, producer_after, "commerce_sync_syncs_started_total", kind="comprehensive")
    assert grew(producer_before, producer_after, "commerce_sync_syncs_finished_total", state="completed")
    for step in ("products", "locations", "customers", "inventory"):
        assert grew(producer_before, producer_after, "commerce_sync_steps_finished_total", step=step)
        assert grew(producer_before, producer_after, "commerce_sync_step_phase_seconds_count", step=step, phase="plan")
    assert grew(producer_before, producer_after, "commerce_sync_step_seconds_count", step="products")
    for queue in ("product-mutations", "inventory-mutations", "media-mutations"):
        assert ("commerce_sync_jobs", (("queue", queue), ("state", "queued"))) in producer_after

    assert grew(mutator_before, mutator_after, "commerce_sync_mutations_total", queue="product-mutations",
                outcome="succeeded")  # fmt: skip
    assert grew(mutator_before, mutator_after, "commerce_sync_mutations_total", outcome="retried")
    assert grew(mutator_before, mutator_after, "commerce_sync_mutator_errors_total", error_class="transient")
    assert grew(mutator_before, mutator_after, "commerce_sync_shopify_request_seconds_count", document="ProductSet")
    assert grew(mutator_before, mutator_after, "commerce_sync_budget_wait_seconds_count")
    assert grew(mutator_before, mutator_after, "commerce_sync_shopify_points_used_total", shop=merchant.shop)
    assert value(mutator_after, "commerce_sync_shopify_points_maximum", shop=merchant.shop) > 0
    assert ("commerce_sync_queue_depth", (("queue", "customer-mutations"),)) in mutator_after
    assert ("commerce_sync_mutator_jobs_in_progress", (("queue", "product-mutations"),)) in mutator_after
    assert not any("job_id" in dict(labels) or "sku" in dict(labels) for _, labels in mutator_after), "unbounded"

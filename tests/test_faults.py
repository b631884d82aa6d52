"""Shopify answering 502, 503, 429, INTERNAL_SERVER_ERROR, and applying mutations whose answer is then lost;
Unleashed answering 503: the sync still ends with exactly the expected products, none twice."""

from devtools.infra import Infra
from devtools.stack_client import StackClient
from tests.conftest import make_merchant
from tests.expectations import assert_exact_products, expected_products

FAULTS = {
    "http_502": 0.025,
    "http_503": 0.025,
    "http_429": 0.025,
    "internal_error": 0.025,
    "applied_then_dropped": 0.03,
    "retry_after_seconds": 1,
    "seed": 5,
}


async def test_injected_faults_and_lost_answers_leave_the_exact_state(client: StackClient, infra: Infra) -> None:
    merchant = await make_merchant(client, infra, size=200, seed=41)
    async with client.session.patch(
        f"{client.sandbox_url}/_sandbox/shops/{merchant.shop}", json={"faults": FAULTS}
    ) as response:
        assert response.status == 200, await response.text()
    async with client.session.post(
        f"{client.sandbox_url}/_sandbox/unleashed/accounts/{merchant.api_id}/faults",
        json={"status": 503, "count": 2, "retry_after": 1},
    ) as response:
        assert response.status == 200, await response.text()

    status = await client.wait_for_sync(await client.start_sync(merchant.domain), within_seconds=180)

    assert status["state"] == "completed", status["errors"][:5]
    records = await client.unleashed_products(merchant.api_id)
    expected = expected_products(records)
    assert status["totals"]["progress"] == {"succeeded": len(expected), "failed": 0, "pending": 0}
    shop_products = await client.shop_products(merchant.shop)
    assert len(shop_products) == len(expected)
    assert_exact_products(shop_products, records)
    faults = (await client.shop_stats(merchant.shop))["faults"]
    assert faults["applied_then_dropped"] >= 3, faults  # the run really met lost answers
    assert sum(faults.values()) >= 15, faults

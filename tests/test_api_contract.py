"""The API against its own description, on a real producer: schemathesis generates requests for every route
from `GET /api/openapi.json` and finds no 5xx and no answer the description does not allow; the description
lists every route the app serves; a burst over the rate limit gets 429 with Retry-After; a huge body 413."""

import asyncio
from typing import Any

import aiohttp
import schemathesis
from hypothesis import HealthCheck, given, settings

from devtools.stack import Stack
from producer.auth import issue_token
from tests.test_failures import stack_client

EXAMPLES_PER_ROUTE = 25


def test_every_route_keeps_to_the_description(stack: Stack) -> None:
    """Each operation gets generated requests (valid and not), all checks of schemathesis' defaults.
    (Driven through hypothesis directly: schemathesis' pytest plugin does not run under pytest 9.)"""
    schema = schemathesis.openapi.from_url(f"{stack.producer_url}/api/openapi.json")
    schema.config.update(base_url=stack.producer_url)
    headers = {"Authorization": f"Bearer {issue_token(stack.jwt_secret, 'schemathesis', ['*'])}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, suppress_health_check=list(HealthCheck))
        def keeps_to_the_description(case: Any) -> None:
            case.call_and_validate(headers=headers)

        keeps_to_the_description()


async def test_the_description_lists_every_route_the_app_serves(stack: Stack, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{stack.producer_url}/api/openapi.json") as response:
        document = await response.json()
    assert document["openapi"].startswith("3.1")
    described = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    from producer.app import create_app
    from shared.settings import Settings

    app = create_app(Settings(api_jwt_secret="x"))
    served = {
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.resource is not None and route.method != "HEAD"
    }
    assert served == described


async def test_a_burst_over_the_rate_limit_gets_429_with_retry_after(
    isolated_stack: Stack, http: aiohttp.ClientSession
) -> None:
    isolated_stack.start_producer(API_RATE_LIMIT_PER_MINUTE="5")
    client = stack_client(isolated_stack, http)
    answers = [await client.call("GET", "/api/v2/queues", ["*"]) for _ in range(6)]
    assert [status for status, _ in answers[:5]] == [200] * 5
    async with http.get(
        f"{isolated_stack.producer_url}/api/v2/queues", headers={"Authorization": f"Bearer {client.token(['*'])}"}
    ) as response:
        assert response.status == 429
        assert 1 <= int(response.headers["Retry-After"]) <= 61
        assert (await response.json())["error"]["code"] == "rate_limited"
    other = issue_token(isolated_stack.jwt_secret, "another-operator", ["*"])
    async with http.get(
        f"{isolated_stack.producer_url}/api/v2/queues", headers={"Authorization": f"Bearer {other}"}
    ) as response:
        assert response.status == 200, "the limit is per caller"


async def test_a_body_over_the_size_limit_gets_a_json_413(stack: Stack, http: aiohttp.ClientSession) -> None:
    token = issue_token(stack.jwt_secret, "tests", ["*"])
    body = b'{"domain": "' + b"x" * (2 * 1024**2) + b'"}'
    async with http.post(
        f"{stack.producer_url}/api/v2/sync-products",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    ) as response:
        assert response.status == 413
        assert (await response.json())["error"]["code"] == "payload_too_large"
    await asyncio.sleep(0)

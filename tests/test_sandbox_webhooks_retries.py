"""Webhook delivery as Shopify does it: in the background, retried with the same ids, given up, resent on demand."""

import asyncio

from tests.sandbox_shopify_helpers import SHOP, TOKEN, apparel_input, product_set
from tests.test_sandbox_webhooks_helpers import (
    SECRET,
    receiver,
    settle,
    signature,
    signed_by,
    subscribe,
    webhook_sandbox,
    webhooks_log,
)

ADMIN = f"/_sandbox/shops/{SHOP}"


async def test_a_failed_delivery_is_retried_with_the_same_ids_and_body_until_it_succeeds() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        hook.statuses = [500, 503]
        await product_set(client, apparel_input())
        attempts = await hook.wait_for(3)
        await settle(0.3)
        assert len(hook.received) == 3  # no attempt after the success
        assert len({item.webhook_id for item in attempts}) == 1
        assert len({item.event_id for item in attempts}) == 1
        assert len({item.body for item in attempts}) == 1
        assert len({item.headers["X-Shopify-Triggered-At"] for item in attempts}) == 1
        assert all(signed_by(item) for item in attempts)
        [delivery] = (await webhooks_log(client))["deliveries"]
        assert delivery["webhook_id"] == attempts[0].webhook_id
        assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("delivered", 3, 200)
        assert delivery["delivered_at"] is not None


async def test_a_receiver_that_keeps_failing_gets_every_retry_then_the_delivery_is_given_up() -> None:
    async with webhook_sandbox(webhook_retries=2) as (client, hook):
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        hook.status = 500
        await product_set(client, apparel_input())
        await hook.wait_for(3)
        await settle(0.3)
        assert len(hook.received) == 3  # the first attempt and two retries
        log = await webhooks_log(client)
        [delivery] = log["deliveries"]
        assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("failed", 3, 500)
        assert delivery["last_error"] == "answered HTTP 500"
        assert len(log["subscriptions"]) == 1  # 3 consecutive failures are fewer than 8


async def test_a_subscription_is_removed_after_consecutive_failures() -> None:
    async with webhook_sandbox(webhook_retries=2, webhook_remove_after_failures=3) as (client, hook):
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        hook.status = 404
        await product_set(client, apparel_input())
        await hook.wait_for(3)
        await settle(0.3)
        log = await webhooks_log(client)
        assert log["subscriptions"] == []
        [removed] = log["removed_subscriptions"]
        assert removed["topic"] == "PRODUCTS_CREATE" and removed["consecutiveFailures"] == 3
        hook.status = 200
        await product_set(client, apparel_input("Other Hoodie"))
        await settle()
        assert len(hook.received) == 3


async def test_no_answer_in_time_is_a_failure_and_the_graphql_answer_never_waits() -> None:
    async with webhook_sandbox(webhook_timeout=0.5, webhook_retries=1) as (client, hook):
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        hook.delay = 1.0
        loop = asyncio.get_running_loop()
        started = loop.time()
        await product_set(client, apparel_input())
        assert loop.time() - started < 0.45  # waiting for the receiver would take the 0.5 s timeout
        await hook.wait_for(2)
        await settle(0.7)
        [delivery] = (await webhooks_log(client))["deliveries"]
        assert (delivery["status"], delivery["attempts"]) == ("failed", 2)
        assert delivery["last_error"] == "no answer within 0.5 s"


async def test_deliveries_go_out_in_the_order_the_changes_happened() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        titles = [f"Hoodie {n}" for n in range(8)]
        for title in titles:
            await product_set(client, apparel_input(title))
        got = await hook.wait_for(len(titles))
        assert [item.json()["title"] for item in got] == titles


async def test_resend_repeats_a_delivery_with_the_same_ids_and_signature() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        await product_set(client, apparel_input())
        [first] = await hook.wait_for(1)
        response = await client.post(f"{ADMIN}/webhooks/{first.webhook_id}/resend")
        assert response.status == 200
        delivery = (await response.json())["delivery"]
        assert (delivery["attempts"], delivery["status"], delivery["last_status_code"]) == (2, "delivered", 200)
        second = hook.received[1]
        assert (second.webhook_id, second.event_id, second.body) == (first.webhook_id, first.event_id, first.body)
        assert second.headers["X-Shopify-Hmac-Sha256"] == first.headers["X-Shopify-Hmac-Sha256"]
        assert (await client.post(f"{ADMIN}/webhooks/no-such-id/resend")).status == 404


async def test_send_delivers_anything_signed_unsigned_or_wrongly_signed() -> None:
    async with webhook_sandbox() as (client, hook):
        await subscribe(client, "PRODUCTS_UPDATE", hook.url())
        body = {"id": 1, "title": "Forged"}
        for sign in (True, False, "wrong"):
            response = await client.post(
                f"{ADMIN}/webhooks/send", json={"topic": "products/update", "body": body, "sign": sign}
            )
            assert response.status == 200
        signed, unsigned, wrong = await hook.wait_for(3)
        assert signed_by(signed) and signed.json() == body
        assert "X-Shopify-Hmac-Sha256" not in unsigned.headers
        assert wrong.headers["X-Shopify-Hmac-Sha256"] != signature(SECRET, wrong.body) and not signed_by(wrong)
        assert signed.topic == "products/update" and signed.headers["X-Shopify-Shop-Domain"] == SHOP
        hook.status = 401
        refused = await client.post(
            f"{ADMIN}/webhooks/send",
            json={"topic": "PRODUCTS_DELETE", "body": {"id": 2}, "uri": hook.url("/direct"), "sign": "wrong"},
        )
        [delivery] = (await refused.json())["deliveries"]
        assert (delivery["status"], delivery["last_status_code"], delivery["attempts"]) == ("failed", 401, 1)
        assert hook.received[-1].path == "/direct" and hook.received[-1].topic == "products/delete"
        await settle()
        assert len(hook.received) == 4  # a test send is never retried
        nowhere = await client.post(f"{ADMIN}/webhooks/send", json={"topic": "CUSTOMERS_UPDATE", "body": {}})
        assert nowhere.status == 422


async def test_the_shop_secret_is_shown_derived_by_default_and_can_be_changed() -> None:
    async with webhook_sandbox() as (client, hook):
        shown = await (await client.get(ADMIN)).json()
        assert shown["webhook_secret"] == SECRET
        other = await client.post("/_sandbox/shops", json={"shop": "other.myshopify.com", "access_token": TOKEN})
        derived = (await other.json())["webhook_secret"]
        assert derived.startswith("shpss_") and len(derived) == 38
        again = await client.post("/_sandbox/shops", json={"shop": "other.myshopify.com", "access_token": TOKEN})
        assert (await again.json())["webhook_secret"] == derived
        changed = await client.patch(ADMIN, json={"webhook_secret": "rotated"})
        assert (await changed.json())["webhook_secret"] == "rotated"
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        await product_set(client, apparel_input())
        [delivery] = await hook.wait_for(1)
        assert signed_by(delivery, "rotated") and not signed_by(delivery, SECRET)


async def test_shutdown_closes_the_sender_with_deliveries_still_pending() -> None:
    async with receiver() as hook:
        hook.status = 500
        async with webhook_sandbox(webhook_retry_seconds=30.0, webhook_retry_max_seconds=30.0) as (client, _own):
            await subscribe(client, "PRODUCTS_CREATE", hook.url())
            await product_set(client, apparel_input())
            await hook.wait_for(1)
        # The sandbox's cleanup cancelled the pending retry and closed its session without hanging.
        assert len(hook.received) == 1


async def test_a_lane_can_be_given_more_deliveries_in_flight() -> None:
    async with webhook_sandbox(webhook_concurrency=4) as (client, hook):
        await subscribe(client, "PRODUCTS_CREATE", hook.url())
        hook.delay = 1.0
        for n in range(4):
            await product_set(client, apparel_input(f"Hoodie {n}"))
        # One at a time, the second would only arrive after the first's answer, a second later.
        got = await hook.wait_for(4, within=0.9)
        assert sorted(item.json()["title"] for item in got) == [f"Hoodie {n}" for n in range(4)]

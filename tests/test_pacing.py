"""The shared pacing model on real Redis: replicas share one schedule per shop that follows Shopify."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from devtools.infra import Infra
from mutator.pacing import ShopPacer
from shared.shopify_client import ThrottleStatus


@pytest.fixture
async def redis(infra: Infra) -> AsyncIterator[Redis]:
    client = Redis.from_url(infra.redis_url)
    yield client
    await client.aclose()


def status(available: float, maximum: float = 100, restore: float = 10) -> ThrottleStatus:
    return ThrottleStatus(maximum_available=maximum, currently_available=available, restore_rate=restore)


async def test_replicas_share_one_schedule(redis: Redis) -> None:
    shop = f"{uuid.uuid4().hex}.myshopify.com"
    replica_a, replica_b = ShopPacer(redis, max_wait_seconds=5), ShopPacer(redis, max_wait_seconds=5)
    first = await replica_a.reserve(shop, 10, "probe")
    assert first.granted and not first.known  # unknown shop: this request probes it
    await replica_a.observe(shop, status(available=90))
    waits = []
    for index in range(9):  # 90 points left: nine 10-point requests go at once, from either replica
        pacer = replica_a if index % 2 else replica_b
        reservation = await pacer.reserve(shop, 10, f"t{index}")
        waits.append(reservation.wait_seconds)
    assert waits == [0.0] * 9
    later = [await replica_b.reserve(shop, 10, f"late{i}") for i in range(3)]
    # then one slot per cost / restore = 1 s, in order, across replicas
    assert [round(r.wait_seconds) for r in later] == [1, 2, 3]
    assert all(r.granted for r in later)


async def test_a_far_slot_is_kept_as_a_ticket_and_not_taken_twice(redis: Redis) -> None:
    shop = f"{uuid.uuid4().hex}.myshopify.com"
    pacer = ShopPacer(redis, max_wait_seconds=0.5)
    await pacer.reserve(shop, 10, "probe")
    await pacer.observe(shop, status(available=0))
    deferred = await pacer.reserve(shop, 10, "job-1")
    assert not deferred.granted and 0.9 <= deferred.wait_seconds <= 1.1
    again = await pacer.reserve(shop, 10, "job-1")  # woke early: same slot, still deferred
    assert not again.granted and again.wait_seconds <= deferred.wait_seconds
    other = await pacer.reserve(shop, 10, "job-2")
    assert 1.9 <= other.wait_seconds <= 2.1  # the next slot, after job-1's
    await asyncio.sleep(deferred.wait_seconds - 0.3)
    arrived = await pacer.reserve(shop, 10, "job-1")
    assert arrived.granted and arrived.wait_seconds <= 0.5


async def test_model_follows_shopify_and_refunds(redis: Redis) -> None:
    shop = f"{uuid.uuid4().hex}.myshopify.com"
    pacer = ShopPacer(redis, max_wait_seconds=10)
    await pacer.reserve(shop, 10, "probe")
    await pacer.observe(shop, status(available=100))
    assert (await pacer.reserve(shop, 10, "a")).wait_seconds == 0
    # Shopify says less is available than we think (another app): the model follows it down.
    await pacer.observe(shop, status(available=5))
    assert 0.4 <= (await pacer.reserve(shop, 10, "b")).wait_seconds <= 0.6  # 5 points short at 10/s
    # Points reserved but not charged come back.
    await pacer.observe(shop, status(available=5), refund=0)
    before = (await pacer.reserve(shop, 10, "c")).wait_seconds
    await pacer.observe(shop, status(available=0), refund=20)
    after = (await pacer.reserve(shop, 10, "d")).wait_seconds
    assert 1.4 <= before <= 1.6
    # Without the refund "d" would wait ~2.5 s; 20 points back at 10/s is 2 s earlier, and Shopify's
    # report (nothing available: a full 10 s to refill) is the floor: 1 s.
    assert 0.9 <= after <= 1.1


async def test_while_one_request_probes_an_unknown_shop_the_others_wait(redis: Redis) -> None:
    shop = f"{uuid.uuid4().hex}.myshopify.com"
    pacer = ShopPacer(redis, max_wait_seconds=1)
    probe = await pacer.reserve(shop, 10, "p")
    assert probe.granted and not probe.known
    waiting = asyncio.create_task(pacer.reserve(shop, 10, "w"))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await pacer.observe(shop, status(available=100))
    reservation = await asyncio.wait_for(waiting, 2)
    assert reservation.granted and reservation.known and reservation.wait_seconds == 0


async def test_a_probe_that_learned_nothing_hands_over_at_once(redis: Redis) -> None:
    shop = f"{uuid.uuid4().hex}.myshopify.com"
    pacer = ShopPacer(redis, max_wait_seconds=1)
    assert not (await pacer.reserve(shop, 10, "p1")).known
    await pacer.release_probe(shop)  # e.g. the answer was an error without throttleStatus
    second = await asyncio.wait_for(pacer.reserve(shop, 10, "p2"), 0.2)
    assert second.granted and not second.known  # the next request probes, without waiting

"""What a resource fills in to be synced: how to gather its inputs and how to plan from them.

Every resource runs the same path (`pipeline.runner.run_step`): gather (pull the source, read Shopify, load
the mirror) → guard and promote the source snapshot → plan (pure) → record the jobs → queue them.
"""

from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import aiohttp
import asyncpg
from arq import ArqRedis

from producer.pipeline.plan import StepPlan
from producer.pipeline.snapshot import SourcePull
from shared.models import SyncStep
from shared.queues import Queue
from shared.settings import Settings
from shared.shopify_client import ShopifyGraphQLClient
from shared.tenants import Tenant

Inputs = TypeVar("Inputs")


@dataclass(frozen=True)
class StepContext:
    """What a running step needs; built once by the composition root, read-only here."""

    settings: Settings
    pool: asyncpg.Pool
    job_pool: ArqRedis
    http: aiohttp.ClientSession
    shopify: ShopifyGraphQLClient


@dataclass(frozen=True)
class Gathered(Generic[Inputs]):
    """A step's inputs, and the source records among them that go into the snapshot."""

    source: SourcePull
    inputs: Inputs
    notes: list[str] = field(default_factory=list)  # how the pull went, where the sync should say so


class ResourceStep(Protocol[Inputs]):
    name: SyncStep
    queue: Queue
    depends_on: tuple[SyncStep, ...]

    async def gather(self, ctx: StepContext, tenant: Tenant) -> Gathered[Inputs]:
        """Pull the source and the shop, load the mirror. Raises on a failed pull."""
        ...

    def plan(self, inputs: Inputs) -> StepPlan:
        """Pure: the changes that bring Shopify to the source."""
        ...

"""Customers from Unleashed: pulled with the obsolete ones, planned by customer code."""

import asyncio
from dataclasses import dataclass
from typing import Any

from producer.pipeline.mirror import MirrorEntry, load_projected_mirror
from producer.pipeline.plan import StepPlan
from producer.pipeline.snapshot import SourcePull
from producer.pipeline.step import Gathered, StepContext
from producer.resources.customers.desired import build_desired_customers
from producer.resources.customers.plan import CODE_KEY, CODE_NAMESPACE, ShopifyCustomer, plan_customer_changes
from producer.sources.shopify import query_with_retries, read_pages
from producer.sources.unleashed import unleashed_client_for
from shared.logs import get_logger
from shared.models import EntityKind, SyncStep
from shared.queues import Queue
from shared.shopify_client import ShopifyGraphQLClient, shop_of
from shared.shopify_documents import CUSTOMER_CODE_DEFINITIONS, CUSTOMERS_PAGE
from shared.tenants import Tenant

log = get_logger(__name__)

SOURCE = "unleashed:Customers"
PAGE_SIZE = 250


@dataclass(frozen=True)
class CustomerInputs:
    records: list[Any]
    shopify: list[ShopifyCustomer]
    definition_exists: bool
    mirror: list[MirrorEntry]


async def read_shopify_customers(client: ShopifyGraphQLClient, tenant: Tenant) -> list[ShopifyCustomer]:
    found: list[ShopifyCustomer] = []
    pages = read_pages(
        client, tenant, CUSTOMERS_PAGE, {"first": PAGE_SIZE}, connection="customers", page_cost=2 + PAGE_SIZE * 2
    )
    async for nodes in pages:
        found += [
            ShopifyCustomer(
                id=node["id"],
                email=node.get("email"),
                phone=node.get("phone"),
                customer_code=(node.get("customerCode") or {}).get("value"),
            )
            for node in nodes
        ]
    return found


async def code_definition_exists(client: ShopifyGraphQLClient, tenant: Tenant) -> bool:
    result = await query_with_retries(
        client, tenant, CUSTOMER_CODE_DEFINITIONS, {"namespace": CODE_NAMESPACE, "key": CODE_KEY}
    )
    return bool(result.data["metafieldDefinitions"]["nodes"])


class CustomersStep:
    name = SyncStep.CUSTOMERS
    queue = Queue.CUSTOMERS
    depends_on: tuple[SyncStep, ...] = ()

    async def gather(self, ctx: StepContext, tenant: Tenant) -> Gathered[CustomerInputs]:
        shop_of(tenant)
        unleashed = unleashed_client_for(ctx.http, ctx.settings, tenant)
        records, shopify, definition = await asyncio.gather(
            unleashed.fetch_all("Customers", {"includeObsolete": "true"}),
            read_shopify_customers(ctx.shopify, tenant),
            code_definition_exists(ctx.shopify, tenant),
        )
        log.info("pulled", unleashed_customers=len(records), shopify_customers=len(shopify))
        mirror = await load_projected_mirror(ctx.pool, tenant.domain, EntityKind.CUSTOMER)
        source = SourcePull.keyed(SOURCE, records, "CustomerCode")
        return Gathered(source, CustomerInputs(records, shopify, definition, mirror))

    def plan(self, inputs: CustomerInputs) -> StepPlan:
        desired, skipped, warnings = build_desired_customers(inputs.records)
        plan = plan_customer_changes(desired, inputs.shopify, inputs.mirror, definition_exists=inputs.definition_exists)
        plan.skipped[:0] = skipped
        plan.warnings[:0] = warnings
        return plan

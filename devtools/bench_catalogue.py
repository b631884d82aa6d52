"""The tenants of `make bench`: a shop with a given plan and an Unleashed catalogue sized so that a sync
into the empty shop makes about the wanted number of mutations."""

import math
from typing import Any

from devtools.stack import Stack
from devtools.stack_client import StackClient, provision_tenant
from producer.resources.products.desired import build_desired_products
from producer.resources.products.plan import plan_product_changes


def expected_creates(raw_products: list[dict[str, Any]]) -> int:
    """How many mutations the producer will plan for these records into an empty shop (same pure planner)."""
    desired, _skipped = build_desired_products(raw_products)
    return len(plan_product_changes(desired, [], []).changes)


async def _register_account(client: StackClient, api_id: str, size: int, seed: int) -> list[dict[str, Any]]:
    # grouped_share 0: one product per record, so mutations ≈ sellable, live records.
    body = {"api_id": api_id, "api_key": f"{api_id}-key", "seed": seed, "size": size, "grouped_share": 0}
    async with client.session.post(f"{client.sandbox_url}/_sandbox/unleashed/accounts", json=body) as response:
        assert response.status in (200, 201), await response.text()
    return await client.unleashed_products(api_id)


async def prepare_catalogue(client: StackClient, api_id: str, target_mutations: int, seed: int) -> dict[str, Any]:
    """A seeded catalogue, generated once at the target size and once more scaled by what that gave
    (about 4% of records are obsolete, components or not sellable, and make no mutation)."""
    records = await _register_account(client, api_id, target_mutations, seed)
    size = math.ceil(target_mutations * target_mutations / max(expected_creates(records), 1))
    records = await _register_account(client, api_id, size, seed)
    return {"source_products": len(records), "expected_mutations": expected_creates(records)}


def describe_catalogue(catalogue: dict[str, Any]) -> str:
    return f"{catalogue['source_products']:,} Unleashed products → {catalogue['expected_mutations']:,} mutations"


async def provision(client: StackClient, stack: Stack, name: str, plan: Any, target: int, seed: int) -> dict[str, Any]:
    """Shop `name`, Unleashed account `name` sized for `target` mutations, tenant `name.example`."""
    shop, token = f"{name}.myshopify.com", f"shpat_{name}"
    body = {"shop": shop, "access_token": token, "plan": plan, "write_access": True}
    async with client.session.post(f"{client.sandbox_url}/_sandbox/shops", json=body) as response:
        answer = await response.json(content_type=None)
        assert response.status in (200, 201), answer
    catalogue = await prepare_catalogue(client, name, target, seed)
    await provision_tenant(
        stack.infra.redis_url,
        f"{name}.example",
        shop=shop,
        shopify_token=token,
        unleashed_api_id=name,
        unleashed_api_key=f"{name}-key",
    )
    return {"shop": shop, "domain": f"{name}.example", "catalogue": catalogue, "throttle": answer["throttle_status"]}

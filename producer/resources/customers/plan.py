"""Customers: the changes that bring the shop's customers in line with Unleashed's. Pure.

A customer we manage is known by its customer code. A new one is created with `customerSet` upserting by that
code (`identifier.customId`, a metafield with a unique-values definition), so a create that runs twice — a
lost answer, a retried job, a re-run — finds the customer it made instead of making a second one, for
customers with no email or phone too. The definition is created first (wave 0) when the shop lacks it. An
existing customer with the same code, email or phone is adopted. Customers are never deleted: one that
left Unleashed is left as it is.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict

from producer.pipeline.diff import Foreign, Managed, match_entities, unique_key
from producer.pipeline.mirror import MirrorEntry
from producer.pipeline.plan import PlannedChange, StepPlan
from producer.resources.customers.desired import DesiredCustomer
from shared.models import EntityKind, MirrorRow, MutationAction

CODE_NAMESPACE = "unleashed"
CODE_KEY = "customer_code"
DEFINITION_KEY = f"{CODE_NAMESPACE}.{CODE_KEY}"
CODE_DEFINITION = {
    "name": "Unleashed customer code",
    "namespace": CODE_NAMESPACE,
    "key": CODE_KEY,
    "type": "single_line_text_field",
    "ownerType": "CUSTOMER",
    "description": "The customer's code in Unleashed, written by commerce-sync.",
    "pin": True,
    "capabilities": {"uniqueValues": {"enabled": True}},
}


class ShopifyCustomer(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    email: str | None
    phone: str | None
    customer_code: str | None

    @property
    def adoption_keys(self) -> frozenset[str]:
        keys = {f"code:{self.customer_code}"} if self.customer_code else set()
        if self.email:
            keys.add(f"email:{self.email.lower()}")
        if self.phone:
            keys.add(f"phone:{self.phone}")
        return frozenset(keys)


def plan_customer_changes(
    desired_customers: list[DesiredCustomer],
    shopify_customers: list[ShopifyCustomer],
    mirror: list[MirrorEntry],
    *,
    definition_exists: bool,
) -> StepPlan:
    by_id = {customer.id: customer for customer in shopify_customers}
    entries = {entry.entity_key: entry for entry in mirror}
    ours = {entry.shopify_id for entry in mirror if entry.shopify_id}
    matching = match_entities(
        desired_customers,
        key_of=lambda customer: customer.key,
        identities_of=lambda customer: frozenset({customer.key}),
        adoption_keys_of=lambda customer: customer.adoption_keys,
        managed=[Managed(e.entity_key, frozenset({e.entity_key}), True) for e in mirror],
        foreign=[Foreign(c.id, c.adoption_keys) for c in shopify_customers if c.id not in ours],
    )
    plan = StepPlan()
    taken = set(entries)
    creates_wave = 0 if definition_exists else 1
    for match in matching.matches:
        desired = match.desired
        if match.managed is not None:
            entry = entries[match.managed.key]
            customer_id = entry.shopify_id if entry.shopify_id in by_id else None
            if (customer_id or entry.pending) and entry.content_hash == desired.content_hash():
                continue
            key = entry.entity_key
        elif match.adopted is not None:
            key, customer_id = unique_key(desired.key, taken), match.adopted.shopify_id
            plan.counts["adopted"] = plan.counts.get("adopted", 0) + 1
        else:
            key, customer_id = unique_key(desired.key, taken), None
        plan.changes.append(_customer_set(key, customer_id, desired, wave=0 if customer_id else creates_wave))
    if not definition_exists and any(change.shopify_id is None for change in plan.changes):
        plan.changes.insert(0, _definition())
    return plan


def _customer_set(key: str, customer_id: str | None, desired: DesiredCustomer, *, wave: int) -> PlannedChange:
    identifier: dict[str, Any]
    if customer_id:
        identifier = {"id": customer_id}
    else:
        identifier = {"customId": {"namespace": CODE_NAMESPACE, "key": CODE_KEY, "value": desired.key}}
    hash_ = desired.content_hash()
    return PlannedChange(
        action=MutationAction.UPDATE if customer_id else MutationAction.CREATE,
        entity_kind=EntityKind.CUSTOMER,
        entity_key=key,
        content_hash=hash_,
        variables={"identifier": identifier, "input": desired.customer_input},
        shopify_id=customer_id,
        writes=(MirrorRow(entity_kind=EntityKind.CUSTOMER, entity_key=key, content_hash=hash_, status="ENABLED"),),
        wave=wave,
    )


def _definition() -> PlannedChange:
    return PlannedChange(
        action=MutationAction.CREATE,
        entity_kind=EntityKind.CUSTOMER_CODE_DEFINITION,
        entity_key=DEFINITION_KEY,
        content_hash="unique",
        variables={"definition": CODE_DEFINITION},
        writes=(
            MirrorRow(
                entity_kind=EntityKind.CUSTOMER_CODE_DEFINITION, entity_key=DEFINITION_KEY, content_hash="unique"
            ),
        ),
    )

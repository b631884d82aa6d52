"""A shop's plan: one of the named Shopify plans, or a custom restore rate and bucket size for benchmarks."""

from pydantic import BaseModel, ConfigDict, Field

from sandbox.settings import PlanName
from sandbox.shopify.leaky_bucket import PLAN_LIMITS, PlanLimits

_DISPLAY_NAMES: dict[PlanName, str] = {
    "standard": "Basic",
    "advanced": "Advanced",
    "plus": "Shopify Plus",
    "enterprise": "Shopify Plus",
    "unlimited": "Development",
}


class CustomPlan(BaseModel):
    """Exact limits, e.g. `{"restore_rate": 200, "bucket": 4000}`: points restored per second, bucket size."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    restore_rate: float = Field(gt=0)
    bucket: float = Field(gt=0)


ShopPlan = PlanName | CustomPlan


def plan_limits(plan: ShopPlan) -> PlanLimits:
    if isinstance(plan, CustomPlan):
        return PlanLimits(restore_rate=plan.restore_rate, maximum_available=plan.bucket)
    return PLAN_LIMITS[plan]


def plan_json(plan: ShopPlan) -> str | dict[str, float]:
    """The plan as the `/_sandbox` API shows it: its name, or the custom limits."""
    return plan.model_dump() if isinstance(plan, CustomPlan) else plan


def plan_display_name(plan: ShopPlan) -> str:
    """`shop.plan.displayName` as the Admin API would print it."""
    return "Custom" if isinstance(plan, CustomPlan) else _DISPLAY_NAMES[plan]

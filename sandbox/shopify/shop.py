"""Emulated shops: credentials, plan and rate-limit bucket, access scope, request statistics and catalogue."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sandbox.settings import PlanName
from sandbox.shopify.catalog import Catalog
from sandbox.shopify.leaky_bucket import PLAN_LIMITS, LeakyBucket


@dataclass
class ShopStats:
    requests: int = 0
    mutations: int = 0
    throttled: int = 0
    points_used: float = 0.0
    by_root_field: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "mutations": self.mutations,
            "throttled": self.throttled,
            "points_used": self.points_used,
            "by_root_field": dict(self.by_root_field),
        }


class Shop:
    """One `name.myshopify.com` shop as the Admin API sees it for our app."""

    def __init__(self, domain: str, access_token: str, plan: PlanName, write_access: bool) -> None:
        self.domain = domain
        self.access_token = access_token
        self.write_access = write_access
        self.plan: PlanName = plan
        self.bucket = LeakyBucket(PLAN_LIMITS[plan])
        self.stats = ShopStats()
        self.catalog = Catalog()

    @property
    def name(self) -> str:
        return self.domain.split(".", 1)[0].replace("-", " ").title()

    def change_plan(self, plan: PlanName) -> None:
        """A new plan gets a new, full bucket."""
        if plan != self.plan:
            self.plan = plan
            self.bucket = LeakyBucket(PLAN_LIMITS[plan])


class ShopRegistry:
    def __init__(self) -> None:
        self._shops: dict[str, Shop] = {}

    def register(self, domain: str, access_token: str, plan: PlanName, write_access: bool) -> tuple[Shop, bool]:
        """(shop, created). Registering again updates credentials, plan and access but keeps the data."""
        shop = self._shops.get(domain)
        if shop is None:
            shop = Shop(domain, access_token, plan, write_access)
            self._shops[domain] = shop
            return shop, True
        shop.access_token = access_token
        shop.write_access = write_access
        shop.change_plan(plan)
        return shop, False

    def get(self, domain: str) -> Shop | None:
        return self._shops.get(domain)

    def domains(self) -> list[str]:
        return sorted(self._shops)

"""Emulated shops: credentials, plan and rate-limit bucket, access scope, faults, request statistics, and data.

A shop's data: its catalogue, media files, locations, inventory, customers and metafield definitions, plus
the answers remembered for idempotency keys.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sandbox.shopify.catalog import Catalog, IdSequence
from sandbox.shopify.customers import Customers
from sandbox.shopify.faults import FAULT_KINDS, FaultInjector, FaultProfile
from sandbox.shopify.idempotency import IdempotencyKeys
from sandbox.shopify.inventory import Inventory
from sandbox.shopify.leaky_bucket import LeakyBucket
from sandbox.shopify.locations import Locations
from sandbox.shopify.media_library import MediaLibrary
from sandbox.shopify.metafield_definitions import MetafieldDefinitions
from sandbox.shopify.plans import ShopPlan, plan_limits

DEFAULT_COUNTRY = "NZ"


@dataclass
class ShopStats:
    """Counters of the GraphQL endpoint; `GET /_sandbox/shops/{shop}/stats` documents each one."""

    requests: int = 0
    mutations: int = 0
    mutations_applied: int = 0
    throttled: int = 0
    points_used: float = 0.0
    by_root_field: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "mutations": self.mutations,
            "mutations_applied": self.mutations_applied,
            "throttled": self.throttled,
            "points_used": self.points_used,
            "by_root_field": dict(self.by_root_field),
            "faults": {kind: self.faults[kind] for kind in FAULT_KINDS},
        }


class Shop:
    """One `name.myshopify.com` shop as the Admin API sees it for our app.

    It starts with one location, the primary "Shop location" in the shop's country, and nothing else.
    """

    def __init__(
        self,
        domain: str,
        access_token: str,
        plan: ShopPlan,
        write_access: bool,
        faults: FaultProfile | None = None,
    ) -> None:
        self.domain = domain
        self.access_token = access_token
        self.write_access = write_access
        self.plan: ShopPlan = plan
        self.bucket = LeakyBucket(plan_limits(plan))
        self.faults = FaultInjector(faults, domain)
        self.stats = ShopStats()
        self.country_code = DEFAULT_COUNTRY
        ids = IdSequence()
        self.locations = Locations(ids, self.country_code)
        self.inventory = Inventory(ids, self.locations)
        self.catalog = Catalog(ids, watcher=self.inventory)
        self.media = MediaLibrary(ids)
        self.customers = Customers(ids)
        self.definitions = MetafieldDefinitions(ids)
        self.idempotency = IdempotencyKeys()

    @property
    def revision(self) -> int:
        """Goes up on every write to the shop's data, so a caller can tell whether a request changed anything."""
        return (
            self.catalog.revision
            + self.locations.revision
            + self.inventory.revision
            + self.customers.revision
            + self.definitions.revision
            + self.media.revision
        )

    @property
    def name(self) -> str:
        return self.domain.split(".", 1)[0].replace("-", " ").title()

    def change_plan(self, plan: ShopPlan) -> None:
        """A new plan gets a new, full bucket."""
        if plan != self.plan:
            self.plan = plan
            self.bucket = LeakyBucket(plan_limits(plan))

    def set_faults(self, profile: FaultProfile | None) -> None:
        """A new profile (None or all rates 0: no faults) restarts its generator from the seed."""
        self.faults = FaultInjector(profile, self.domain)


class ShopRegistry:
    def __init__(self) -> None:
        self._shops: dict[str, Shop] = {}

    def register(
        self,
        domain: str,
        access_token: str,
        plan: ShopPlan,
        write_access: bool,
        faults: FaultProfile | None = None,
    ) -> tuple[Shop, bool]:
        """(shop, created). Registering again updates credentials, plan, access and faults but keeps the data."""
        shop = self._shops.get(domain)
        if shop is None:
            shop = Shop(domain, access_token, plan, write_access, faults)
            self._shops[domain] = shop
            return shop, True
        shop.access_token = access_token
        shop.write_access = write_access
        shop.change_plan(plan)
        shop.set_faults(faults)
        return shop, False

    def get(self, domain: str) -> Shop | None:
        return self._shops.get(domain)

    def domains(self) -> list[str]:
        return sorted(self._shops)

"""Emulated shops: credentials, plan and rate-limit bucket, access scope, faults, request statistics, and data.

A shop's data: its catalogue, media files, locations, inventory, customers and metafield definitions, plus
the answers remembered for idempotency keys, the app's webhook subscriptions and deliveries, the journal
of records touched since webhooks were last published, and its bulk operations (their staged uploads and
result files live in the storage every shop of the registry shares).
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sandbox.shopify.bulk_operations import BulkConfig, ShopBulkOperations
from sandbox.shopify.bulk_storage import BulkStorage
from sandbox.shopify.catalog import Catalog, IdSequence
from sandbox.shopify.change_journal import ChangeJournal
from sandbox.shopify.customers import Customers
from sandbox.shopify.faults import FAULT_KINDS, FaultInjector, FaultProfile
from sandbox.shopify.idempotency import IdempotencyKeys
from sandbox.shopify.inventory import Inventory
from sandbox.shopify.leaky_bucket import LeakyBucket
from sandbox.shopify.locations import Locations
from sandbox.shopify.media_library import MediaLibrary
from sandbox.shopify.metafield_definitions import MetafieldDefinitions
from sandbox.shopify.plans import ShopPlan, plan_limits
from sandbox.shopify.webhook_subscriptions import ShopWebhooks

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
    `installed` turns False when the merchant uninstalls the app: its token is refused until a new
    registration or a new access token installs it again.
    """

    def __init__(
        self,
        domain: str,
        access_token: str,
        plan: ShopPlan,
        write_access: bool,
        faults: FaultProfile | None = None,
        webhook_secret: str | None = None,
        refuse_internal_webhooks: bool = False,
        storage: BulkStorage | None = None,
        bulk_config: BulkConfig | None = None,
    ) -> None:
        self.domain = domain
        self.access_token = access_token
        self.installed = True
        self.write_access = write_access
        self.plan: ShopPlan = plan
        self.bucket = LeakyBucket(plan_limits(plan))
        self.faults = FaultInjector(faults, domain)
        self.stats = ShopStats()
        self.country_code = DEFAULT_COUNTRY
        ids = IdSequence()
        self.journal = ChangeJournal()
        self.locations = Locations(ids, self.country_code, self.journal)
        self.inventory = Inventory(ids, self.locations, self.journal)
        self.catalog = Catalog(ids, watcher=self.inventory, journal=self.journal)
        self.media = MediaLibrary(ids)
        self.customers = Customers(ids, self.journal)
        self.definitions = MetafieldDefinitions(ids)
        self.idempotency = IdempotencyKeys()
        self.webhooks = ShopWebhooks(domain, ids, webhook_secret, refuse_internal_webhooks)
        self.storage = storage or BulkStorage()
        self.bulk = ShopBulkOperations(ids, bulk_config or BulkConfig())

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
    """Shops by domain. `refuse_internal_webhooks`: `SANDBOX_WEBHOOK_REFUSE_INTERNAL`, for every shop; `storage`
    and `bulk_config`: the staged uploads and result files, and the bulk operations' pace, of every shop."""

    def __init__(
        self,
        refuse_internal_webhooks: bool = False,
        storage: BulkStorage | None = None,
        bulk_config: BulkConfig | None = None,
    ) -> None:
        self._shops: dict[str, Shop] = {}
        self.refuse_internal_webhooks = refuse_internal_webhooks
        self.storage = storage or BulkStorage()
        self.bulk_config = bulk_config or BulkConfig()

    def register(
        self,
        domain: str,
        access_token: str,
        plan: ShopPlan,
        write_access: bool,
        faults: FaultProfile | None = None,
        webhook_secret: str | None = None,
    ) -> tuple[Shop, bool]:
        """(shop, created). Registering again updates credentials, plan, access and faults but keeps the data;
        it installs the app again after an uninstall; a webhook secret left out keeps the shop's."""
        shop = self._shops.get(domain)
        if shop is None:
            shop = Shop(
                domain,
                access_token,
                plan,
                write_access,
                faults,
                webhook_secret,
                self.refuse_internal_webhooks,
                self.storage,
                self.bulk_config,
            )
            self._shops[domain] = shop
            return shop, True
        shop.access_token = access_token
        shop.installed = True
        if webhook_secret is not None:
            shop.webhooks.secret = webhook_secret
        shop.write_access = write_access
        shop.change_plan(plan)
        shop.set_faults(faults)
        return shop, False

    def get(self, domain: str) -> Shop | None:
        return self._shops.get(domain)

    def domains(self) -> list[str]:
        return sorted(self._shops)

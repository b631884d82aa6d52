"""What the source wants a product to be, from the tenant's last good pull (the source snapshot), without asking
the source again: a webhook is answered from what the last sync pulled. Unleashed products are built for the
whole catalogue (grouping needs it) and kept until the snapshot changes; a Promidata family is built alone."""

import asyncio
from dataclasses import dataclass

import asyncpg

from producer.pipeline.snapshot import load_snapshot
from producer.resources.products.desired import DesiredProduct, build_desired_products
from producer.resources.products.plan import UNLEASHED
from producer.resources.products.step import SOURCE as UNLEASHED_SNAPSHOT
from producer.resources.promidata.desired import DesiredImage, build_desired_families, image_hosts, preferences
from producer.resources.promidata.step import PROMIDATA, refused_image_hosts
from producer.resources.promidata.step import SOURCE as PROMIDATA_SNAPSHOT
from shared.settings import Settings
from shared.tenants import Tenant


@dataclass(frozen=True)
class SourceProduct:
    product: DesiredProduct
    images: list[DesiredImage] | None  # a Promidata product's images; None for a source without images


class SourceProducts:
    def __init__(self, pool: asyncpg.Pool, settings: Settings) -> None:
        self._pool = pool
        self._settings = settings
        self._unleashed: dict[str, tuple[tuple[object, ...], dict[str, DesiredProduct]]] = {}

    async def find(
        self, tenant: Tenant, source: str, entity_key: str, skus: tuple[str, ...], *, images: bool = False
    ) -> SourceProduct | None:
        """The product the source wants where we manage `entity_key` (holding `skus`); None when it left.
        `images`: a Promidata product's images too (their hosts checked as the sync checks them)."""
        if source == PROMIDATA:
            return await self._promidata(tenant, entity_key, images)
        if source == UNLEASHED:
            by_key = await self._unleashed_products(tenant.domain)
            found = by_key.get(entity_key.split("#", 1)[0])
            if found is None:  # a key of ours that the desired product no longer has (regrouped): by SKUs
                found = next((p for p in by_key.values() if set(p.skus) & set(skus)), None)
            return SourceProduct(found, None) if found else None
        return None

    async def _unleashed_products(self, domain: str) -> dict[str, DesiredProduct]:
        version = tuple(
            await self._pool.fetchrow(
                "SELECT count(*), max(updated_at) FROM source_snapshot WHERE domain = $1 AND resource = $2",
                domain,
                UNLEASHED_SNAPSHOT,
            )
            or ()
        )
        cached = self._unleashed.get(domain)
        if cached is not None and cached[0] == version:
            return cached[1]
        records = list((await load_snapshot(self._pool, domain, UNLEASHED_SNAPSHOT)).values())
        desired, _skipped = await asyncio.to_thread(build_desired_products, records)
        by_key = {product.key: product for product in desired}
        self._unleashed[domain] = (version, by_key)
        return by_key

    async def _promidata(self, tenant: Tenant, entity_key: str, images: bool) -> SourceProduct | None:
        sku = entity_key.removeprefix("family:").split("#", 1)[0]
        record = await self._pool.fetchval(
            "SELECT record FROM source_snapshot WHERE domain = $1 AND resource = $2 AND record_key = $3",
            tenant.domain,
            PROMIDATA_SNAPSHOT,
            sku,
        )
        if record is None:
            return None
        prefs = preferences(
            tenant.promidata_languages,
            self._settings.promidata_languages,
            tenant.promidata_price_country,
            self._settings.promidata_price_regions,
        )
        allowed = self._settings.promidata_private_hosts()
        refused = await refused_image_hosts(image_hosts([record]), allowed) if images else frozenset()
        families = build_desired_families([record], prefs, refused)
        if not families.products:
            return None
        product = families.products[0]
        return SourceProduct(product, families.images.get(product.key, []))

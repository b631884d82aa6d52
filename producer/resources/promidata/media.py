"""A product's images: one `productSet(files)` job per product whose image list changed. Pure.

The job makes the product's media exactly the family's images, in the feed's order: an image attached before
is named by its media id (so Shopify keeps it, no second fetch), a new one by its source URL for Shopify to
fetch, under a filename of ours (a retried job replaces its own file); an image the family dropped is left out
and so removed. Media jobs wait (wave 2) until the step's product jobs have ended, so their product exists;
a failed image job leaves its product as it is.
"""

from producer.pipeline.mirror import MirrorEntry
from producer.pipeline.plan import PlannedChange, content_hash
from producer.resources.products.plan import Placement
from producer.resources.promidata.desired import DesiredImage
from shared.models import EntityKind, MirrorRow, MutationAction
from shared.queues import Queue

MEDIA_WAVE = 2  # after the products' waves 0 and 1


def images_hash(images: list[DesiredImage]) -> str:
    return content_hash([[image.url, image.alt] for image in images])


def plan_media_changes(
    images: dict[str, list[DesiredImage]], placements: dict[str, Placement], mirror: list[MirrorEntry]
) -> list[PlannedChange]:
    """A media job for every placed product whose images differ from what its media mirror row says."""
    entries = {entry.entity_key: entry for entry in mirror}
    changes: list[PlannedChange] = []
    for product_key, wanted in sorted(images.items()):
        placement = placements.get(product_key)
        if placement is None:
            continue
        entry = entries.get(placement.entity_key)
        wanted_hash = images_hash(wanted)
        if entry is None and not wanted:
            continue
        if (
            entry is not None
            and entry.content_hash == wanted_hash
            and (entry.pending or entry.shopify_id == placement.shopify_id)
        ):
            continue
        known: dict[str, str] = {}
        if entry is not None and placement.shopify_id and entry.shopify_id == placement.shopify_id:
            known = dict(entry.details.get("files") or {})
        changes.append(_media_set(placement, wanted, wanted_hash, known))
    return changes


def _media_set(
    placement: Placement, wanted: list[DesiredImage], wanted_hash: str, known: dict[str, str]
) -> PlannedChange:
    files = [
        {"id": known[image.url], "alt": image.alt}
        if image.url in known
        else {
            "originalSource": image.url,
            "alt": image.alt,
            "filename": image.filename(),
            "contentType": "IMAGE",
            "duplicateResolutionMode": "REPLACE",
        }
        for image in wanted
    ]
    identifier = {"id": placement.shopify_id} if placement.shopify_id else {"handle": placement.handle}
    return PlannedChange(
        action=MutationAction.UPDATE,
        entity_kind=EntityKind.PRODUCT_MEDIA,
        entity_key=placement.entity_key,
        content_hash=wanted_hash,
        variables={"identifier": identifier, "files": files},
        shopify_id=placement.shopify_id,
        writes=(
            MirrorRow(
                entity_kind=EntityKind.PRODUCT_MEDIA,
                entity_key=placement.entity_key,
                content_hash=wanted_hash,
                shopify_id=placement.shopify_id,
                details={"sources": [image.url for image in wanted]},
            ),
        ),
        wave=MEDIA_WAVE,
        queue=Queue.MEDIA,
    )

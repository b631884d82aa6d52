"""A product's media: `productSet(files)` makes it exactly the job's list; the answer's media ids are kept by
source URL, so the next change names the images already attached by id instead of fetching them again."""

from typing import Any

from mutator.effects.base import Effect, Payload, require_id, rows_with
from shared.models import EntityKind, MirrorRow, MutationAction, MutationJob


def media_written(job: MutationJob, payload: Payload) -> list[MirrorRow]:
    product: dict[str, Any] = payload.get("product") or {}
    shopify_id = require_id(product.get("id") or job.shopify_id, "product")
    nodes = [node for node in ((product.get("media") or {}).get("nodes") or []) if isinstance(node, dict)]
    sources = [str(url) for row in job.writes for url in row.details.get("sources", [])]
    # productSet leaves the media in the order of the files it was given; a count that does not match (media
    # added by hand since) keeps no ids, and the next change attaches by URL under our filenames again.
    files = {url: node["id"] for url, node in zip(sources, nodes, strict=True)} if len(nodes) == len(sources) else {}
    return rows_with(job, shopify_id, details={"files": files})


MEDIA_EFFECTS = {
    (EntityKind.PRODUCT_MEDIA, MutationAction.UPDATE): Effect("ProductMediaSet", media_written),
}

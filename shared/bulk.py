"""What producer and mutator agree on about bulk writes: which changes may run in bulk (through which document),
the jobs that carry a batch through its three mutations, and the mark that makes a batch's document its own."""

import hashlib

from shared.models import EntityKind, MutationAction, MutationJob

# (entity kind, action) → the document each line's variables run through. Only idempotent upserts: a file
# applied twice (an answer lost, a worker killed) changes nothing the second time.
BULKABLE: dict[tuple[EntityKind, MutationAction], str] = {
    (EntityKind.PRODUCT, MutationAction.CREATE): "ProductSet",
    (EntityKind.PRODUCT, MutationAction.UPDATE): "ProductSet",
}


def bulk_driver_job(batch: MutationJob, bulk_id: str, action: MutationAction) -> MutationJob:
    """The job of one stage of a batch (stage, run or collect), in the sync, step and queue of `batch`."""
    digest = hashlib.sha256(f"{bulk_id}|{action.value}".encode()).hexdigest()[:40]
    return batch.model_copy(
        update={
            "job_id": f"{EntityKind.BULK_OPERATION.value}:{digest}",
            "action": action,
            "entity_kind": EntityKind.BULK_OPERATION,
            "entity_key": bulk_id,
            "content_hash": digest,
            "variables": {"bulk_id": bulk_id},
            "shopify_id": None,
            "writes": (),
        }
    )


def marked_document(document: str, bulk_id: str) -> str:
    """The batch's own copy of the document: a comment naming the batch, so that the operation it started can
    be told from the others (Shopify gives the document back as the operation's `query`)."""
    return f"# commerce-sync bulk batch {bulk_id}\n{document}"

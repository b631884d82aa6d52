"""Our one door to arq writes jobs exactly as arq would, so arq's own worker reads them."""

from arq.jobs import deserialize_job_raw, serialize_job

from shared.jobqueue import APPLY_MUTATION, arq_job_bytes, deserialize_job
from shared.jobqueue import serialize_job as to_json
from shared.models import EntityKind, MirrorRow, MutationAction, MutationJob, SyncStep
from shared.queues import Queue


def test_a_job_record_reads_back_as_arq_serialised_it() -> None:
    job = MutationJob(
        job_id="product:abc",
        sync_id="s1",
        domain="shop.example",
        step=SyncStep.PRODUCTS,
        queue=Queue.PRODUCTS,
        action=MutationAction.CREATE,
        entity_kind=EntityKind.PRODUCT,
        entity_key="sku:A1",
        content_hash="h",
        variables={"input": {"title": 'Ünïcode "quoted"'}},
        writes=(MirrorRow(entity_kind=EntityKind.PRODUCT, entity_key="sku:A1", content_hash="h", skus=("A1",)),),
    )
    ours = deserialize_job_raw(arq_job_bytes(job, 1_700_000_000_000), deserializer=deserialize_job)
    arqs = deserialize_job_raw(
        serialize_job(APPLY_MUTATION, (job.model_dump(mode="json"),), {}, None, 1_700_000_000_000, serializer=to_json),
        deserializer=deserialize_job,
    )
    assert ours == arqs
    assert MutationJob.model_validate(ours[1][0]) == job

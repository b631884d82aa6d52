"""Prometheus metrics: the names both services use, and the `/metrics` answer.

Labels stay bounded: queue, step, state, outcome, error class, GraphQL document and shop (one per tenant), never
a job id, a SKU or a sync id. Each process has the default registry to itself (one service per process).
"""

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

PREFIX = "commerce_sync"


async def metrics_handler(_request: web.Request) -> web.Response:
    """`GET /metrics` in Prometheus' text format."""
    body = generate_latest(REGISTRY)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

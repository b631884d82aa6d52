"""Shopify webhooks: the receiving route (signed by Shopify, not by our JWT), the webhook log and its replay,
and subscribing a tenant's shop."""

import base64
import hashlib
import hmac
import json
from datetime import datetime

from aiohttp import web

from producer import metrics
from producer.api.endpoint import caller_of, endpoint, read_body, read_query, reply, require_domain
from producer.api.schemas import (
    ErrorBody,
    Replayed,
    Subscribed,
    SubscribeRequest,
    WebhookDeliveries,
    WebhookDelivery,
    WebhookQuery,
    WebhookReceived,
    WebhookReplayRequest,
)
from producer.keys import DB_POOL, SETTINGS, SHOPIFY, TENANTS, WEBHOOKS
from producer.middleware import ApiError
from producer.webhooks import deliveries
from producer.webhooks.subscribe import TOPICS, subscribe
from shared.logs import get_logger
from shared.shopify_client import ShopifyError
from shared.tenants import TenantNotFound

log = get_logger(__name__)


def shopify_hmac(secret: str, body: bytes) -> str:
    """What Shopify sends in `X-Shopify-Hmac-Sha256`: base64 of HMAC-SHA256 of the raw body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _triggered_at(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _refused(status: int, code: str, message: str, topic: str) -> ApiError:
    metrics.WEBHOOKS_RECEIVED.labels(topic=topic[:40], result=code).inc()
    return ApiError(status, code, message)


@endpoint(
    "POST",
    "/webhooks/shopify",
    summary="Shopify webhooks: HMAC-verified, recorded once per X-Shopify-Webhook-Id, answered at once",
    responses={200: WebhookReceived, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 413: ErrorBody},
    auth=False,
    tags=("webhooks",),
)
async def receive(request: web.Request) -> web.Response:
    headers = request.headers
    topic = headers.get("X-Shopify-Topic", "")
    signature = headers.get("X-Shopify-Hmac-Sha256")
    shop = headers.get("X-Shopify-Shop-Domain", "")
    if not signature:
        log.warning("webhook refused: no HMAC", topic=topic[:40], shop=shop[:100])
        raise _refused(401, "invalid_hmac", "X-Shopify-Hmac-Sha256 is missing", topic)
    tenant = await request.app[TENANTS].find_by_shop(shop) if shop else None
    if tenant is None:
        raise _refused(404, "unknown_shop", f"no tenant has the shop {shop[:100]!r}", topic)
    body = await request.read()
    secret = tenant.shopify_webhook_secret
    if secret is None or not hmac.compare_digest(shopify_hmac(secret.get_secret_value(), body), signature):
        # Logged without the body: an unsigned body is not ours to keep.
        log.warning("webhook refused: HMAC does not match", topic=topic[:40], domain=tenant.domain)
        raise _refused(401, "invalid_hmac", "X-Shopify-Hmac-Sha256 does not match the body", topic)
    webhook_id = headers.get("X-Shopify-Webhook-Id", "")
    if not topic or not webhook_id or len(webhook_id) > 200:
        raise _refused(400, "invalid_webhook", "X-Shopify-Topic and X-Shopify-Webhook-Id are required", topic)
    try:
        payload = json.loads(body)
    except ValueError:
        raise _refused(400, "invalid_json", "the body is not JSON", topic) from None
    if not isinstance(payload, dict):
        raise _refused(400, "invalid_json", "the body is not a JSON object", topic)
    triggered = _triggered_at(headers.get("X-Shopify-Triggered-At"))
    new = await deliveries.record_delivery(
        request.app[DB_POOL], webhook_id, tenant.domain, shop, topic, triggered, payload
    )
    metrics.WEBHOOKS_RECEIVED.labels(topic=topic[:40], result="recorded" if new else "duplicate").inc()
    if new:
        request.app[WEBHOOKS].wake()
    return reply(WebhookReceived(duplicate=not new))


@endpoint(
    "GET",
    "/api/v2/webhooks",
    summary="The webhook log of a tenant: each delivery, what came of it, the repair it queued",
    query=WebhookQuery,
    responses={200: WebhookDeliveries, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
    tags=("webhooks",),
)
async def webhook_log(request: web.Request) -> web.Response:
    caller = await caller_of(request)
    query = read_query(request, WebhookQuery)
    require_domain(caller, query.domain)
    items = await deliveries.list_deliveries(request.app[DB_POOL], query.domain, query.limit)
    return reply(WebhookDeliveries(items=[WebhookDelivery.model_validate(item) for item in items]))


@endpoint(
    "POST",
    "/api/v2/webhooks/replay",
    summary="Process webhook deliveries again (these ids, or every one of the domain that failed)",
    body=WebhookReplayRequest,
    responses={202: Replayed, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
    tags=("webhooks",),
)
async def webhook_replay(request: web.Request) -> web.Response:
    caller = await caller_of(request)
    body = await read_body(request, WebhookReplayRequest)
    require_domain(caller, body.domain)
    replayed = await deliveries.replay_deliveries(request.app[DB_POOL], body.domain, body.ids)
    request.app[WEBHOOKS].wake()
    return reply(Replayed(replayed=replayed), 202)


@endpoint(
    "POST",
    "/api/v2/webhooks/subscribe",
    summary="Subscribe the tenant's shop to the topics the product acts on, at WEBHOOK_PUBLIC_URL (idempotent)",
    body=SubscribeRequest,
    responses={200: Subscribed, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody,
               502: ErrorBody},
    tags=("webhooks",),
)  # fmt: skip
async def webhook_subscribe(request: web.Request) -> web.Response:
    caller = await caller_of(request)
    body = await read_body(request, SubscribeRequest)
    require_domain(caller, body.domain)
    try:
        tenant = await request.app[TENANTS].get(body.domain, fresh=True)
    except TenantNotFound as missing:
        raise ApiError(404, "unknown_tenant", str(missing)) from None
    public_url = request.app[SETTINGS].webhook_public_url
    if not public_url:
        raise ApiError(503, "not_configured", "WEBHOOK_PUBLIC_URL is not set; Shopify would have nowhere to post")
    try:
        done = await subscribe(request.app[SHOPIFY], tenant, public_url)
    except ShopifyError as exc:
        raise ApiError(502, "shopify_refused", str(exc)) from None
    return reply(Subscribed(topics=list(TOPICS), uri=done.uri, created=done.created, kept=done.kept))

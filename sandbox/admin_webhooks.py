"""`/_sandbox/shops/{shop}/webhooks`: what the Shopify emulator sent, and test hooks to send again or send anything.

- `GET .../webhooks[?topic=products/update&status=failed]`: `{"subscriptions": [...], "removed_subscriptions":
  [...], "deliveries": [...]}`; each delivery: `webhook_id`, `event_id`, `topic`, `uri`, `subscription_id`,
  `api_version`, `attempts`, `status` (`pending`, `delivered` once an attempt got a 2xx, `failed` once
  given up), `last_status_code`, `last_error`, `triggered_at`, `last_attempt_at`, `delivered_at`, `signed`,
  `body` (the JSON sent).
- `POST .../webhooks/{webhook_id}/resend`: one more attempt of that delivery now, same body and ids (a
  duplicate, to test de-duplication); answers `{"delivery": ...}` after the attempt.
- `POST .../webhooks/send` `{"topic", "body", "uri"?, "sign": true|false|"wrong", "webhook_id"?,
  "event_id"?}`: an arbitrary delivery to `uri`, or to every subscription of the topic; `sign: false` leaves
  `X-Shopify-Hmac-Sha256` out, `"wrong"` signs with another key. One attempt each, no retries; answers
  `{"deliveries": [...]}` after them.
"""

from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, Field

from sandbox.admin_lookup import fail, shop_or_404
from sandbox.app_state import WEBHOOK_SENDER
from sandbox.http_json import json_response, read_model
from sandbox.shopify.admin_schema import LATEST_VERSION
from sandbox.shopify.webhook_deliveries import Delivery, json_body, new_id, precise_now, topic_enum, topic_path


class ArbitraryDelivery(BaseModel):
    topic: str = Field(min_length=1)
    body: Any
    uri: str | None = Field(default=None, min_length=1)
    sign: bool | Literal["wrong"] = True
    webhook_id: str | None = Field(default=None, min_length=1)
    event_id: str | None = Field(default=None, min_length=1)


async def shop_webhooks(request: web.Request) -> web.Response:
    state = shop_or_404(request).webhooks
    topic, status = request.query.get("topic"), request.query.get("status")
    return json_response(
        {
            "subscriptions": [subscription.as_json() for subscription in state.subscriptions.values()],
            "removed_subscriptions": state.removed,
            "deliveries": [delivery.as_json() for delivery in state.deliveries.select(topic, status)],
        }
    )


async def resend_webhook(request: web.Request) -> web.Response:
    state = shop_or_404(request).webhooks
    delivery = state.deliveries.get(request.match_info["webhook_id"])
    if delivery is None:
        fail(404, "unknown webhook id (or dropped from the log)")
    await request.app[WEBHOOK_SENDER].attempt_once(state, delivery)
    return json_response({"delivery": delivery.as_json()})


async def send_webhook(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    body = await read_model(request, ArbitraryDelivery)
    state = shop.webhooks
    topic = topic_enum(body.topic)
    if body.uri is not None:
        targets: list[tuple[str, int | None, str | None, str]] = [(body.uri, None, None, LATEST_VERSION)]
    else:
        targets = [(s.uri, s.id, s.name, s.api_version) for s in state.for_topic(topic)]
    if not targets:
        fail(422, f"no subscription for {topic} and no uri given")
    event_id, triggered_at = body.event_id or new_id(), precise_now()
    sign: Literal["yes", "no", "wrong"] = "wrong" if body.sign == "wrong" else ("yes" if body.sign else "no")
    sender = request.app[WEBHOOK_SENDER]
    sent = []
    for uri, subscription_id, name, version in targets:
        delivery = Delivery(
            shop_domain=shop.domain,
            topic=topic_path(topic),
            uri=uri,
            body=json_body(body.body),
            api_version=version,
            event_id=event_id,
            triggered_at=triggered_at,
            subscription_id=subscription_id,
            subscription_name=name,
            webhook_id=body.webhook_id or new_id(),
            sign=sign,
            retry=False,
        )
        sent.append(await sender.attempt_once(state, delivery))
    return json_response({"deliveries": [delivery.as_json() for delivery in sent]})


def add_webhook_admin_routes(app: web.Application, shop_prefix: str) -> None:
    router = app.router
    router.add_get(f"{shop_prefix}/webhooks", shop_webhooks)
    router.add_post(f"{shop_prefix}/webhooks/send", send_webhook)
    router.add_post(f"{shop_prefix}/webhooks/{{webhook_id}}/resend", resend_webhook)

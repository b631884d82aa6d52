"""A shop's webhook subscriptions for the app (`webhookSubscriptionCreate`/`Update`/`Delete`) and its webhook state.

Rules, as Shopify answers (captured errors) or, where it is silent, the sandbox's choice:

- `uri` (or the deprecated `callbackUrl`) is required: "Address can't be blank".
- Only `http://` and `https://` addresses can be delivered to here; another scheme (Pub/Sub, EventBridge)
  is refused: "Address protocol pubsub:// is not supported by the sandbox (only http:// and https://)".
  Real Shopify wants HTTPS; the sandbox takes plain HTTP too, for the app on loopback.
- Shopify's own domains are refused ("Address cannot be a Shopify or an internal domain"), and so are
  loopback, private and link-local addresses and `localhost` when `SANDBOX_WEBHOOK_REFUSE_INTERNAL=true`
  (off by default: the app runs beside the sandbox). Host names are not resolved.
- The same topic, address and format again: "Address for this topic has already been taken".
- `format: XML` is refused: the sandbox sends JSON only.

All of these are `UserError`s with `field: ["webhookSubscription", "callbackUrl"]` (the field Shopify
names for the address even when `uri` was sent), `["webhookSubscription", "format"]` for the format.
Subscriptions record the API version of the endpoint they were created through: deliveries carry it in
`X-Shopify-API-Version`, as Shopify uses the app's configured version.
"""

import hashlib
import ipaddress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sandbox.shopify.catalog import IdSequence, now_iso, parse_gid
from sandbox.shopify.change_journal import RecordKey
from sandbox.shopify.input_rules import user_error
from sandbox.shopify.webhook_deliveries import DeliveryLog

ADDRESS_FIELD = ["webhookSubscription", "callbackUrl"]
TAKEN = "Address for this topic has already been taken"
BLANK = "Address can't be blank"
INTERNAL = "Address cannot be a Shopify or an internal domain"
INVALID = "Address is invalid"
_SHOPIFY_DOMAINS = ("shopify.com", "myshopify.com", "shopifycloud.com", "shopifycdn.com")
_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal")

UserErrors = list[dict[str, Any]]


def default_webhook_secret(domain: str) -> str:
    """A shop's webhook secret unless its registration names one: fixed for a shop name, shaped like an app's."""
    return "shpss_" + hashlib.sha256(f"sandbox-webhook-secret:{domain}".encode()).hexdigest()[:32]


@dataclass
class WebhookSubscription:
    id: int
    topic: str  # the enum value: PRODUCTS_UPDATE
    uri: str
    format: str
    api_version: str
    created_at: str
    updated_at: str
    include_fields: list[str] = field(default_factory=list)
    filter: str | None = None
    name: str | None = None
    metafield_namespaces: list[str] = field(default_factory=list)
    metafields: list[tuple[str, str]] = field(default_factory=list)
    consecutive_failures: int = 0

    @property
    def gid(self) -> str:
        return f"gid://shopify/WebhookSubscription/{self.id}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.gid,
            "topic": self.topic,
            "uri": self.uri,
            "format": self.format,
            "apiVersion": self.api_version,
            "includeFields": list(self.include_fields),
            "filter": self.filter,
            "name": self.name,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "consecutiveFailures": self.consecutive_failures,
        }


def _is_internal(host: str) -> bool:
    if host == "localhost" or host.endswith(_INTERNAL_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


def address_problem(uri: str, refuse_internal: bool) -> str | None:
    if not uri.strip():
        return BLANK
    parts = urlsplit(uri.strip())
    if not parts.scheme:
        return INVALID
    if parts.scheme.lower() not in ("http", "https"):
        return f"Address protocol {parts.scheme.lower()}:// is not supported by the sandbox (only http:// and https://)"
    try:
        host = (parts.hostname or "").lower()
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return INVALID
    if not host:
        return INVALID
    if any(host == domain or host.endswith(f".{domain}") for domain in _SHOPIFY_DOMAINS):
        return INTERNAL
    if refuse_internal and _is_internal(host):
        return INTERNAL
    return None


class ShopWebhooks:
    """Everything webhook of one shop: secret, subscriptions, deliveries, and what was last sent per record.

    `fingerprints`: per record, a digest of the payload last published (see `webhook_events`).
    `removed`: subscriptions Shopify-style auto-removal deleted after consecutive failures.
    """

    def __init__(self, domain: str, ids: IdSequence, secret: str | None = None, refuse_internal: bool = False) -> None:
        self.domain = domain
        self.ids = ids
        self.secret = secret or default_webhook_secret(domain)
        self.refuse_internal = refuse_internal
        self.subscriptions: dict[int, WebhookSubscription] = {}
        self.deliveries = DeliveryLog()
        self.fingerprints: dict[RecordKey, str] = {}
        self.removed: list[dict[str, Any]] = []

    def find(self, subscription_gid: object) -> WebhookSubscription | None:
        return self.subscriptions.get(parse_gid(subscription_gid, "WebhookSubscription") or -1)

    def topics(self) -> set[str]:
        return {subscription.topic for subscription in self.subscriptions.values()}

    def for_topic(self, topic: str) -> list[WebhookSubscription]:
        return [subscription for subscription in self.subscriptions.values() if subscription.topic == topic]

    def _problems(self, topic: str, given: dict[str, Any], own_id: int | None) -> tuple[str, str, UserErrors]:
        uri = str(given.get("uri") or given.get("callbackUrl") or "").strip()
        wanted_format = str(given.get("format") or "JSON")
        errors: UserErrors = []
        problem = address_problem(uri, self.refuse_internal)
        if problem is not None:
            errors.append(user_error(ADDRESS_FIELD, problem, None))
        if wanted_format != "JSON":
            message = f"Format {wanted_format} is not supported by the sandbox: it sends JSON only"
            errors.append(user_error(["webhookSubscription", "format"], message, None))
        taken = any(
            known.topic == topic and known.uri == uri and known.format == wanted_format and known.id != own_id
            for known in self.subscriptions.values()
        )
        if not errors and taken:
            errors.append(user_error(ADDRESS_FIELD, TAKEN, None))
        return uri, wanted_format, errors

    def create(
        self, topic: str, given: dict[str, Any], api_version: str
    ) -> tuple[WebhookSubscription | None, UserErrors]:
        uri, wanted_format, errors = self._problems(topic, given, None)
        if errors:
            return None, errors
        now = now_iso()
        subscription = WebhookSubscription(
            id=self.ids.next_id("WebhookSubscription"),
            topic=topic,
            uri=uri,
            format=wanted_format,
            api_version=api_version,
            created_at=now,
            updated_at=now,
        )
        _apply_options(subscription, given)
        self.subscriptions[subscription.id] = subscription
        return subscription, []

    def update(self, subscription_gid: str, given: dict[str, Any]) -> tuple[WebhookSubscription | None, UserErrors]:
        subscription = self.find(subscription_gid)
        if subscription is None:
            return None, [user_error(["id"], "Webhook subscription does not exist", None)]
        merged = {"uri": subscription.uri, "format": subscription.format, **{k: v for k, v in given.items() if v}}
        if given.get("callbackUrl") and not given.get("uri"):
            merged["uri"] = given["callbackUrl"]
        uri, wanted_format, errors = self._problems(subscription.topic, merged, subscription.id)
        if errors:
            return None, errors
        subscription.uri, subscription.format = uri, wanted_format
        _apply_options(subscription, given)
        subscription.updated_at = now_iso()
        return subscription, []

    def delete(self, subscription_gid: str) -> tuple[str | None, UserErrors]:
        subscription = self.find(subscription_gid)
        if subscription is None:
            return None, [user_error(["id"], "Webhook subscription does not exist", None)]
        del self.subscriptions[subscription.id]
        return subscription.gid, []

    def remove_failing(self, subscription: WebhookSubscription, reason: str) -> None:
        """Shopify deletes an API-created subscription whose deliveries keep failing."""
        if self.subscriptions.pop(subscription.id, None) is not None:
            self.removed.append({**subscription.as_json(), "removedAt": now_iso(), "reason": reason})

    def remove_all(self) -> None:
        """The app was uninstalled: its subscriptions go with it."""
        self.subscriptions.clear()
        self.fingerprints.clear()


def _apply_options(subscription: WebhookSubscription, given: dict[str, Any]) -> None:
    """The optional fields of `WebhookSubscriptionInput` that were given."""
    if given.get("includeFields") is not None:
        subscription.include_fields = [str(name) for name in given["includeFields"]]
    if "filter" in given:
        subscription.filter = given["filter"] or None
    if "name" in given:
        subscription.name = given["name"] or None
    if given.get("metafieldNamespaces") is not None:
        subscription.metafield_namespaces = [str(name) for name in given["metafieldNamespaces"]]
    if given.get("metafields") is not None:
        subscription.metafields = [(m.get("namespace") or "", m["key"]) for m in given["metafields"]]

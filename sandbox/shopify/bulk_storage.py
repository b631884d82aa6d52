"""The sandbox's object storage behind bulk operations: staged upload targets and result files.

A staged target is what `stagedUploadsCreate` hands out for `BULK_MUTATION_VARIABLES`: an upload URL served by
the sandbox and the form fields of a signed POST policy, shaped like the Google Cloud Storage form Shopify's
answer carries (`key`, `Content-Type`, `success_action_status`, `acl`, `policy`, `x-goog-credential`,
`x-goog-algorithm`, `x-goog-date`, `x-goog-signature`). The policy allows 1 byte to the upload limit and
expires after the upload TTL; the signature is an HMAC of the policy with a key of this process. The `key`
(`tmp/{shop number}/bulk/{uuid}/{filename}`) is what `bulkOperationRunMutation(stagedUploadPath:)` takes; a
key belongs to the shop that staged it. Posting again to the same target replaces the object (a new version).

Result files are kept under random tokens until their expiry (7 days by default, like Shopify's `url` and
`partialDataUrl`); after it they answer like an expired signed URL. One storage serves every shop.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

BUCKET = "sandbox-staged-uploads"
ALGORITHM = "GOOG4-HMAC-SHA256"
DEFAULT_FILENAME = "bulk_op_vars"
MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # "can't exceed 100MB" (Shopify's bulk import guide, 2026-01 and later)


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def shop_number(domain: str) -> int:
    """A stable number per shop, the `21759409` of Shopify's `tmp/21759409/bulk/...` keys."""
    return int(hashlib.sha256(domain.encode()).hexdigest()[:8], 16) % 100_000_000


@dataclass
class StagedTarget:
    """One upload target and, once posted, the object stored under its key."""

    token: str
    shop_domain: str
    key: str
    mime_type: str
    policy: str
    signature: str
    credential: str
    date: str
    expires_at: float
    max_bytes: int
    data: bytes | None = None
    version: int = 0
    uploaded_at: str | None = None

    def parameters(self) -> list[tuple[str, str]]:
        """The form fields, in the order of Shopify's documented answer."""
        return [
            ("key", self.key),
            ("Content-Type", self.mime_type),
            ("success_action_status", "201"),
            ("acl", "private"),
            ("policy", self.policy),
            ("x-goog-credential", self.credential),
            ("x-goog-algorithm", ALGORITHM),
            ("x-goog-date", self.date),
            ("x-goog-signature", self.signature),
        ]

    def store(self, data: bytes) -> None:
        self.data = data
        self.version += 1
        self.uploaded_at = _iso(time.time())


@dataclass
class StoredFile:
    """A result file: its bytes, its expiry (wall clock) and whether a test expired it early."""

    token: str
    name: str
    data: bytes
    expires_at: float
    forced_expired: bool = False


class BulkStorage:
    """Staged uploads by token and by key, and result files by token."""

    def __init__(
        self,
        max_upload_bytes: int = MAX_UPLOAD_BYTES,
        upload_ttl_seconds: float = 24 * 3600.0,
        result_ttl_seconds: float = 7 * 24 * 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.max_upload_bytes = max_upload_bytes
        self.upload_ttl_seconds = upload_ttl_seconds
        self.result_ttl_seconds = result_ttl_seconds
        self.clock = clock
        self._secret = secrets.token_bytes(32)
        self._targets: dict[str, StagedTarget] = {}
        self._token_by_key: dict[str, str] = {}
        self._files: dict[str, StoredFile] = {}

    def sign(self, text: str) -> str:
        return hmac.new(self._secret, text.encode(), hashlib.sha256).hexdigest()

    def stage(self, shop_domain: str, filename: str, mime_type: str) -> StagedTarget:
        now = self.clock()
        name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or DEFAULT_FILENAME
        key = f"tmp/{shop_number(shop_domain)}/bulk/{uuid.uuid4()}/{name}"
        date = datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%SZ")
        credential = f"sandbox-uploads@{BUCKET}.iam.gserviceaccount.com/{date[:8]}/auto/storage/goog4_request"
        conditions = [
            {"Content-Type": mime_type},
            {"success_action_status": "201"},
            {"acl": "private"},
            ["content-length-range", 1, self.max_upload_bytes],
            {"bucket": BUCKET},
            {"key": key},
            {"x-goog-date": date},
            {"x-goog-credential": credential},
            {"x-goog-algorithm": ALGORITHM},
        ]
        expires_at = now + self.upload_ttl_seconds
        policy_json = json.dumps({"conditions": conditions, "expiration": _iso(expires_at)}, separators=(",", ":"))
        policy = base64.b64encode(policy_json.encode()).decode()
        target = StagedTarget(
            token=secrets.token_urlsafe(16),
            shop_domain=shop_domain,
            key=key,
            mime_type=mime_type,
            policy=policy,
            signature=self.sign(policy),
            credential=credential,
            date=date,
            expires_at=expires_at,
            max_bytes=self.max_upload_bytes,
        )
        self._targets[target.token] = target
        self._token_by_key[key] = target.token
        return target

    def target(self, token: str) -> StagedTarget | None:
        return self._targets.get(token)

    def staged_object(self, shop_domain: str, key: str) -> StagedTarget | None:
        """The target under `key` if that shop staged it (uploaded or not); None otherwise."""
        token = self._token_by_key.get(key.strip())
        target = None if token is None else self._targets.get(token)
        return target if target is not None and target.shop_domain == shop_domain else None

    def put_result(self, name: str, data: bytes) -> StoredFile:
        stored = StoredFile(secrets.token_urlsafe(18), name, data, self.clock() + self.result_ttl_seconds)
        self._files[stored.token] = stored
        return stored

    def result(self, token: str) -> StoredFile | None:
        return self._files.get(token)

    def is_expired(self, stored: StoredFile) -> bool:
        return stored.forced_expired or self.clock() >= stored.expires_at

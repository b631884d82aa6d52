"""The storage side of bulk operations, as a client reaches it by the URLs the Shopify emulator hands out.

- `POST /_sandbox/staged-uploads/{token}`: a `multipart/form-data` upload of a staged target's parameters
  followed by `file` (last, as Shopify's guide requires). Answers like the storage Shopify's targets point
  at: `201` with an XML `PostResponse` (Location, Bucket, Key, ETag) when `success_action_status` is 201
  (what the parameters say), `200`/`204` otherwise. Refusals are XML `<Error><Code>…</Code><Message>…
  </Message><Details>…</Details></Error>` bodies: `EntityTooLarge` (400, over the upload limit, with
  `MaxSizeAllowed`), `EntityTooSmall` (400, an empty file), `InvalidArgument` (400: no `key`, no file,
  a field after the file), `SignatureDoesNotMatch` (403: the policy or its signature altered),
  `AccessDenied` (403: another key than the policy's, the policy expired, no policy), `PreconditionFailed`
  (412, not multipart/form-data), `NoSuchBucket` (404, an unknown target).
- `GET /_sandbox/staged-uploads/{token}/{key}` (a target's `resourceUrl`): the stored file, or `NoSuchKey`.
- `GET /_sandbox/bulk-results/{token}/{name}`: a result file (`application/jsonl`); after its expiry
  `ExpiredToken` (400), like an expired signed URL.
"""

import hashlib
from xml.sax.saxutils import escape

from aiohttp import BodyPartReader, web

from sandbox.app_state import SHOPS
from sandbox.shopify.bulk_storage import BUCKET, StagedTarget

_CHUNK = 64 * 1024


def xml_error(status: int, code: str, message: str, details: str | None = None, **extra: str) -> web.Response:
    body = f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
    if details is not None:
        body += f"<Details>{escape(details)}</Details>"
    body += "".join(f"<{name}>{escape(value)}</{name}>" for name, value in extra.items())
    text = f"<?xml version='1.0' encoding='UTF-8'?><Error>{body}</Error>"
    return web.Response(status=status, text=text, content_type="application/xml")


def _fields_problem(target: StagedTarget, fields: dict[str, str], now: float, sign: str) -> web.Response | None:
    if "key" not in fields:
        message = (
            "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields."
        )
        return xml_error(400, "InvalidArgument", message)
    if "policy" not in fields or "x-goog-signature" not in fields:
        return xml_error(403, "AccessDenied", "Invalid according to Policy: no policy or signature in the form.")
    if fields["policy"] != target.policy or fields["x-goog-signature"] != sign:
        message = (
            "The request signature we calculated does not match the signature you provided. "
            "Check your Google secret key and signing method."
        )
        return xml_error(403, "SignatureDoesNotMatch", message)
    if fields["key"] != target.key:
        condition = f'["eq", "$key", "{target.key}"]'
        return xml_error(403, "AccessDenied", f"Invalid according to Policy: Policy Condition failed: {condition}")
    if now >= target.expires_at:
        return xml_error(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    return None


async def _read_file(part: BodyPartReader, limit: int) -> bytes | None:
    """The file's bytes, or None when there are more than `limit` (the rest is read and dropped)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await part.read_chunk(_CHUNK):
        size += len(chunk)
        if size > limit:
            while await part.read_chunk(_CHUNK):
                pass
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def staged_upload(request: web.Request) -> web.Response:
    storage = request.app[SHOPS].storage
    target = storage.target(request.match_info["token"])
    if target is None:
        return xml_error(404, "NoSuchBucket", "The specified bucket does not exist.")
    if not request.content_type.startswith("multipart/form-data"):
        message = "Bucket POST must be of the enclosure-type multipart/form-data"
        return xml_error(412, "PreconditionFailed", message, "Content-Type")
    reader = await request.multipart()
    fields: dict[str, str] = {}
    data: bytes | None = None
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            return xml_error(400, "InvalidArgument", "Nested multipart bodies are not supported.")
        if data is not None:
            return xml_error(400, "InvalidArgument", "The file must be the last field of the form.", part.name)
        if part.name != "file":
            fields[part.name or ""] = await part.text()
            continue
        problem = _fields_problem(target, fields, storage.clock(), storage.sign(fields.get("policy", "")))
        if problem is not None:
            return problem
        data = await _read_file(part, target.max_bytes)
        if data is None:
            message = "Your proposed upload is larger than the maximum object size specified in your Policy Document."
            details = "Content-length exceeds upper bound on range"
            return xml_error(400, "EntityTooLarge", message, details, MaxSizeAllowed=str(target.max_bytes))
    if data is None:
        return xml_error(400, "InvalidArgument", "POST requires exactly one file upload per request.", "file")
    if not data:
        message = "Your proposed upload is smaller than the minimum object size specified in your Policy Document."
        return xml_error(400, "EntityTooSmall", message, "Content-length smaller than lower bound on range")
    target.store(data)
    status = fields.get("success_action_status")
    if status == "201":
        etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
        location = f"{request.scheme}://{request.host}/_sandbox/staged-uploads/{target.token}/{target.key}"
        text = (
            "<?xml version='1.0' encoding='UTF-8'?><PostResponse>"
            f"<Location>{escape(location)}</Location><Bucket>{BUCKET}</Bucket>"
            f'<Key>{escape(target.key)}</Key><ETag>"{etag}"</ETag></PostResponse>'
        )
        return web.Response(status=201, text=text, content_type="application/xml")
    return web.Response(status=200 if status == "200" else 204)


async def staged_object(request: web.Request) -> web.Response:
    target = request.app[SHOPS].storage.target(request.match_info["token"])
    if target is None or target.key != request.match_info["key"] or target.data is None:
        return xml_error(404, "NoSuchKey", "The specified key does not exist.")
    return web.Response(body=target.data, content_type=target.mime_type)


async def bulk_result(request: web.Request) -> web.Response:
    storage = request.app[SHOPS].storage
    stored = storage.result(request.match_info["token"])
    if stored is None or stored.name != request.match_info["name"]:
        return xml_error(404, "NoSuchKey", "The specified key does not exist.")
    if storage.is_expired(stored):
        return xml_error(400, "ExpiredToken", "Invalid argument.", "The provided token has expired.")
    return web.Response(body=stored.data, content_type="application/jsonl")


def add_bulk_storage_routes(app: web.Application) -> None:
    router = app.router
    router.add_post("/_sandbox/staged-uploads/{token}", staged_upload)
    router.add_get("/_sandbox/staged-uploads/{token}/{key:.+}", staged_object)
    router.add_get("/_sandbox/bulk-results/{token}/{name}", bulk_result)

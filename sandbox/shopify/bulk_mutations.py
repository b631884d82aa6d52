"""`stagedUploadsCreate`, `bulkOperationRunMutation`, `bulkOperationRunQuery` and `bulkOperationCancel`.

- `stagedUploadsCreate` stages `BULK_MUTATION_VARIABLES` uploads sent with `httpMethod: POST` (the schema's
  default is PUT; the sandbox refuses it, and every other resource, with a `UserError`, and stages nothing
  when any input is refused). `url` is `{origin}/_sandbox/staged-uploads/{token}`, `resourceUrl` that URL
  followed by the key (a GET of it answers the stored file); `parameters` are the form fields to POST.
- `bulkOperationRunMutation` checks the document (`INVALID_MUTATION`), then the staged file (`NO_SUCH_FILE`
  when the key is not one of this shop's uploads or nothing was posted to it yet; `INVALID_STAGED_UPLOAD_FILE`
  when it is not UTF-8 text or holds no line), then how many mutation operations are running (`LIMIT_REACHED`
  from 2026-01 at `concurrency`; `OPERATION_IN_PROGRESS` before, at one). Each line is read when it runs: a
  line that is not a JSON object gets an error in the results, the others apply.
- `bulkOperationRunQuery` checks the query (`INVALID`), then the running query operations (as above).
- `bulkOperationCancel` moves a `CREATED` or `RUNNING` operation to `CANCELING` (the runner makes it
  `CANCELED` before its next line); an ended one answers a `UserError`.

A new operation is `CREATED`; the GraphQL endpoint hands it to the runner once the request answered.
"""

from typing import Any

from sandbox.shopify.admin_schema import PreparedOperation
from sandbox.shopify.bulk_documents import check_bulk_mutation, check_bulk_query
from sandbox.shopify.bulk_objects import operation_object
from sandbox.shopify.bulk_operations import BulkOperation, BulkType, iso_now
from sandbox.shopify.input_rules import user_error
from sandbox.shopify.metafield_objects import GraphObject
from sandbox.shopify.shop import Shop

BULK_RESOURCE = "BULK_MUTATION_VARIABLES"
NO_SUCH_FILE = (
    "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL "
    "correctly for the stagedUploadPath mutation argument."
)
LIMIT_REACHED = "Bulk operations limit reached. Please try again later."


def staged_uploads_create(shop: Shop, inputs: list[dict[str, Any]], origin: str) -> GraphObject:
    storage = shop.storage
    errors = []
    for index, item in enumerate(inputs):
        path: list[str | int] = ["input", index]
        if item["resource"] != BULK_RESOURCE:
            message = f"The sandbox stages only {BULK_RESOURCE} uploads, not {item['resource']}"
            errors.append(user_error([*path, "resource"], message, None))
        elif item.get("httpMethod", "PUT") != "POST":
            message = f"{BULK_RESOURCE} uploads must be sent with httpMethod: POST (the sandbox has no PUT uploads)"
            errors.append(user_error([*path, "httpMethod"], message, None))
        size = item.get("fileSize")
        if size is not None and int(size) > storage.max_upload_bytes:
            message = f"The file can't exceed {storage.max_upload_bytes} bytes"
            errors.append(user_error([*path, "fileSize"], message, None))
    if errors:
        return {"stagedTargets": None, "userErrors": errors}
    targets = []
    for item in inputs:
        target = storage.stage(shop.domain, str(item["filename"]), str(item["mimeType"]))
        url = f"{origin}/_sandbox/staged-uploads/{target.token}"
        targets.append(
            {
                "__typename": "StagedMediaUploadTarget",
                "url": url,
                "resourceUrl": f"{url}/{target.key}",
                "parameters": [
                    {"__typename": "StagedUploadParameter", "name": name, "value": value}
                    for name, value in target.parameters()
                ],
            }
        )
    return {"stagedTargets": targets, "userErrors": []}


def _bulk_error(field: list[str] | None, message: str, code: str) -> dict[str, Any]:
    return {"field": field, "message": message, "code": code}


def _refused(error: dict[str, Any]) -> GraphObject:
    return {"bulkOperation": None, "userErrors": [error]}


def _limit_problem(shop: Shop, kind: BulkType, version: str) -> dict[str, Any] | None:
    running = shop.bulk.in_progress(kind)
    limit = shop.bulk.concurrency_limit(version)
    if len(running) < limit:
        return None
    if limit == 1:
        message = f"A bulk {kind.lower()} operation for this app and shop is already in progress: {running[0].gid}."
        return _bulk_error(None, message, "OPERATION_IN_PROGRESS")
    return _bulk_error(None, LIMIT_REACHED, "LIMIT_REACHED")


def _input_lines(data: bytes) -> list[tuple[int, str]] | str:
    """(zero-based line number, text) of every non-blank line, or why the file is not JSONL at all."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "The JSONL file is not UTF-8 text"
    lines = [(number, line) for number, line in enumerate(text.splitlines()) if line.strip()]
    return lines or "The JSONL file holds no lines"


def _created(shop: Shop, operation: BulkOperation) -> GraphObject:
    shop.bulk.stats.operations += 1
    return {"bulkOperation": operation_object(operation, shop.storage.clock()), "userErrors": []}


def bulk_operation_run_mutation(shop: Shop, args: dict[str, Any], version: str, origin: str) -> GraphObject:
    checked = check_bulk_mutation(args["mutation"])
    if not isinstance(checked, PreparedOperation):
        return _refused(_bulk_error(["mutation"], checked, "INVALID_MUTATION"))
    path = str(args["stagedUploadPath"])
    target = shop.storage.staged_object(shop.domain, path)
    if target is None or target.data is None:
        return _refused(_bulk_error(["stagedUploadPath"], NO_SUCH_FILE, "NO_SUCH_FILE"))
    lines = _input_lines(target.data)
    if isinstance(lines, str):
        return _refused(_bulk_error(["stagedUploadPath"], lines, "INVALID_STAGED_UPLOAD_FILE"))
    problem = _limit_problem(shop, "MUTATION", version)
    if problem is not None:
        return _refused(problem)
    operation = shop.bulk.create("MUTATION", args["mutation"], version, origin)
    operation.staged_upload_path = target.key
    operation.staged_version = target.version
    operation.client_identifier = args.get("clientIdentifier")
    operation.input_lines = lines
    operation.lines_total = len(lines)
    return _created(shop, operation)


def bulk_operation_run_query(shop: Shop, args: dict[str, Any], version: str, origin: str) -> GraphObject:
    checked = check_bulk_query(args["query"])
    if not isinstance(checked, PreparedOperation):
        return _refused(_bulk_error(["query"], checked, "INVALID"))
    problem = _limit_problem(shop, "QUERY", version)
    if problem is not None:
        return _refused(problem)
    operation = shop.bulk.create("QUERY", args["query"], version, origin)
    operation.group_objects = bool(args.get("groupObjects"))
    return _created(shop, operation)


def bulk_operation_cancel(shop: Shop, operation_gid: str) -> GraphObject:
    now = shop.storage.clock()
    operation = shop.bulk.find(operation_gid)
    if operation is None:
        return {"bulkOperation": None, "userErrors": [user_error(["id"], "Bulk operation does not exist", None)]}
    status = operation.status(now)
    if status in ("CREATED", "RUNNING"):
        operation.state = "CANCELING"
        operation.cancel_requested_at = iso_now()[0]
        return {"bulkOperation": operation_object(operation, now), "userErrors": []}
    if status == "CANCELING":
        return {"bulkOperation": operation_object(operation, now), "userErrors": []}
    message = f"A bulk operation cannot be canceled when it is {status.lower()}"
    return {"bulkOperation": operation_object(operation, now), "userErrors": [{"field": None, "message": message}]}

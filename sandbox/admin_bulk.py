"""`/_sandbox/shops/{shop}/bulk-…`: inspect a shop's bulk operations and plan what goes wrong with the next ones.

- `POST .../bulk-faults` `{"mode": "fail" | "expire" | "slow" | "reject_lines", "after_lines": n, "error_code":
  "INTERNAL_SERVER_ERROR" | "TIMEOUT" | "ACCESS_DENIED", "seconds_per_line": s, "type": "MUTATION" |
  "QUERY" | null, "count": k}`: the next `k` operations created (of that type, or any) get the fault.
  `fail`: `FAILED` with `error_code` once `after_lines` lines (objects, for a query) are done (0: before the
  first), what was written by then as `partialDataUrl`; `expire`: completes with its result URL already
  expired (status `EXPIRED`, downloading it answers `ExpiredToken`); `slow`: `seconds_per_line` per line or
  object instead of the configured rate (to keep operations running, e.g. to reach the concurrency limit).
  Answers `{"faults": [...]}`, the faults still waiting; `GET` shows them, `DELETE` drops them.
- `GET .../bulk-operations[?status=RUNNING&type=MUTATION]`: `{"operations": [...], "stats": {"operations",
  "lines", "lines_applied"}}` (operations created, mutation lines executed, lines that changed the shop's
  data; bulk lines are not counted in `.../stats`, which counts requests), operations in creation order, each
  with `id`, `type`, `status`, `error_code`, `api_version`, `query`, `client_identifier`, `group_objects`,
  `staged_upload_path`, `lines_total`, `lines_processed`, `object_count`, `root_object_count`, `result_url`,
  `partial_data_url`, `file_size`, `created_at`, `started_at`, `cancel_requested_at`, `completed_at`,
  `seconds_running`, `fault`. `GET .../bulk-operations/{id}` (number or gid): one of them.
- `POST .../bulk-operations/{id}/expire`: its result file expires now (status `EXPIRED`); 409 without one.
"""

from aiohttp import web
from pydantic import BaseModel, Field

from sandbox.admin_lookup import fail, record_number, shop_or_404
from sandbox.http_json import json_response, read_model
from sandbox.shopify.bulk_operations import BulkErrorCode, BulkFault, BulkOperation, BulkType, FaultMode
from sandbox.shopify.shop import Shop


class BulkFaultPlan(BaseModel):
    mode: FaultMode
    after_lines: int = Field(default=0, ge=0)
    error_code: BulkErrorCode = "INTERNAL_SERVER_ERROR"
    seconds_per_line: float = Field(default=1.0, gt=0)
    type: BulkType | None = None
    count: int = Field(default=1, ge=1, le=1000)


def _faults_json(shop: Shop) -> web.Response:
    return json_response({"faults": [fault.as_json() for fault in shop.bulk.faults]})


async def plan_bulk_faults(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    body = await read_model(request, BulkFaultPlan)
    fault = BulkFault(body.mode, body.after_lines, body.error_code, body.seconds_per_line, body.type)
    shop.bulk.plan_faults(fault, body.count)
    return _faults_json(shop)


async def show_bulk_faults(request: web.Request) -> web.Response:
    return _faults_json(shop_or_404(request))


async def clear_bulk_faults(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    shop.bulk.faults.clear()
    return _faults_json(shop)


async def list_bulk_operations(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    now = shop.storage.clock()
    status = request.query.get("status", "").upper()
    kind = request.query.get("type", "").upper()
    operations = [
        op.as_json(now)
        for op in shop.bulk.operations.values()
        if (not status or op.status(now) == status) and (not kind or op.type == kind)
    ]
    return json_response({"operations": operations, "stats": shop.bulk.stats.as_json()})


def _operation_or_404(request: web.Request, shop: Shop) -> BulkOperation:
    number = record_number(request.match_info["operation"], "BulkOperation")
    operation = shop.bulk.operations.get(number if number is not None else -1)
    if operation is None:
        fail(404, "unknown bulk operation")
    return operation


async def show_bulk_operation(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    return json_response(_operation_or_404(request, shop).as_json(shop.storage.clock()))


async def expire_bulk_operation(request: web.Request) -> web.Response:
    shop = shop_or_404(request)
    operation = _operation_or_404(request, shop)
    if operation.result_file is None:
        fail(409, "the operation has no result file (yet)")
    operation.result_file.forced_expired = True
    return json_response(operation.as_json(shop.storage.clock()))


def add_bulk_admin_routes(app: web.Application, shop_prefix: str) -> None:
    router = app.router
    router.add_post(f"{shop_prefix}/bulk-faults", plan_bulk_faults)
    router.add_get(f"{shop_prefix}/bulk-faults", show_bulk_faults)
    router.add_delete(f"{shop_prefix}/bulk-faults", clear_bulk_faults)
    router.add_get(f"{shop_prefix}/bulk-operations", list_bulk_operations)
    router.add_get(f"{shop_prefix}/bulk-operations/{{operation:.+}}", show_bulk_operation)
    router.add_post(f"{shop_prefix}/bulk-operations/{{operation:.+}}/expire", expire_bulk_operation)

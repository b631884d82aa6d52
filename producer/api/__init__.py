"""The producer's HTTP API: every route declared once (`endpoint.py`), in modules by concern (the dashboard's
static page is declared the same way, in its own package)."""

from aiohttp import web

from producer import dashboard
from producer.api import health, openapi, operations, syncs, webhooks
from producer.api.endpoint import add_endpoints

__all__ = ["add_api", "dashboard", "health", "openapi", "operations", "syncs", "webhooks"]


def add_api(app: web.Application) -> None:
    add_endpoints(app)

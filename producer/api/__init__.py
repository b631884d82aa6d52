"""The producer's HTTP API: every route declared once (`endpoint.py`), in modules by concern."""

from aiohttp import web

from producer.api import health, openapi, operations, syncs
from producer.api.endpoint import add_endpoints

__all__ = ["add_api", "health", "openapi", "operations", "syncs"]


def add_api(app: web.Application) -> None:
    add_endpoints(app)

"""The sandbox as one aiohttp application: Unleashed, Promidata, Shopify Admin GraphQL and the `/_sandbox` API."""

from aiohttp import web

from sandbox.admin_api import add_admin_routes
from sandbox.app_state import (
    BULK_RUNNER,
    MEDIA_FETCHER,
    PROMIDATA_FEEDS,
    SETTINGS,
    SHOPS,
    UNLEASHED_ACCOUNTS,
    WEBHOOK_SENDER,
)
from sandbox.bulk_storage_routes import add_bulk_storage_routes
from sandbox.promidata.feed import PromidataFeeds
from sandbox.promidata.routes import add_promidata_routes
from sandbox.settings import SandboxSettings
from sandbox.shopify.admin_schema import admin_schema
from sandbox.shopify.bulk_operations import BulkConfig
from sandbox.shopify.bulk_runner import BulkRunner
from sandbox.shopify.bulk_storage import BulkStorage
from sandbox.shopify.graphql_endpoint import ROUTE as SHOPIFY_GRAPHQL_ROUTE
from sandbox.shopify.graphql_endpoint import graphql_handler
from sandbox.shopify.media_fetcher import MediaFetcher
from sandbox.shopify.shop import ShopRegistry
from sandbox.shopify.webhook_sender import DeliveryPolicy, WebhookSender
from sandbox.unleashed.accounts import UnleashedAccounts
from sandbox.unleashed.routes import add_unleashed_routes


async def _close_media_fetcher(app: web.Application) -> None:
    await app[MEDIA_FETCHER].close()


async def _close_webhook_sender(app: web.Application) -> None:
    await app[WEBHOOK_SENDER].close()


async def _close_bulk_runner(app: web.Application) -> None:
    await app[BULK_RUNNER].close()


async def _health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_sandbox_app(settings: SandboxSettings) -> web.Application:
    """A fresh sandbox with no shops and no accounts; register them through `/_sandbox`."""
    admin_schema()  # load the schema now rather than on the first GraphQL request
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[SETTINGS] = settings
    app[SHOPS] = ShopRegistry(
        refuse_internal_webhooks=settings.webhook_refuse_internal,
        storage=BulkStorage(
            settings.bulk_max_upload_bytes, settings.bulk_upload_ttl_seconds, settings.bulk_result_ttl_seconds
        ),
        bulk_config=BulkConfig(
            lines_per_second=settings.bulk_lines_per_second,
            query_objects_per_second=settings.bulk_query_objects_per_second,
            start_delay_seconds=settings.bulk_start_delay_seconds,
            concurrency=settings.bulk_concurrency,
        ),
    )
    app[UNLEASHED_ACCOUNTS] = UnleashedAccounts()
    app[PROMIDATA_FEEDS] = PromidataFeeds()
    app[MEDIA_FETCHER] = MediaFetcher(settings.media_fetch_timeout)
    app[WEBHOOK_SENDER] = WebhookSender(
        DeliveryPolicy(
            timeout=settings.webhook_timeout,
            retries=settings.webhook_retries,
            retry_seconds=settings.webhook_retry_seconds,
            retry_max_seconds=settings.webhook_retry_max_seconds,
            remove_after_failures=settings.webhook_remove_after_failures,
            concurrency=settings.webhook_concurrency,
        )
    )
    app[BULK_RUNNER] = BulkRunner(app[WEBHOOK_SENDER], app[MEDIA_FETCHER])
    app.on_cleanup.append(_close_bulk_runner)  # first: its operations publish webhooks and fetch media
    app.on_cleanup.append(_close_media_fetcher)
    app.on_cleanup.append(_close_webhook_sender)
    app.router.add_get("/health", _health)
    add_admin_routes(app)
    add_unleashed_routes(app)
    add_promidata_routes(app)
    add_bulk_storage_routes(app)
    app.router.add_post(SHOPIFY_GRAPHQL_ROUTE, graphql_handler)
    return app

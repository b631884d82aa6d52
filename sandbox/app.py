"""The sandbox as one aiohttp application: Unleashed, Promidata, Shopify Admin GraphQL and the `/_sandbox` API."""

from aiohttp import web

from sandbox.admin_api import add_admin_routes
from sandbox.app_state import MEDIA_FETCHER, PROMIDATA_FEEDS, SETTINGS, SHOPS, UNLEASHED_ACCOUNTS
from sandbox.promidata.feed import PromidataFeeds
from sandbox.promidata.routes import add_promidata_routes
from sandbox.settings import SandboxSettings
from sandbox.shopify.admin_schema import admin_schema
from sandbox.shopify.graphql_endpoint import ROUTE as SHOPIFY_GRAPHQL_ROUTE
from sandbox.shopify.graphql_endpoint import graphql_handler
from sandbox.shopify.media_fetcher import MediaFetcher
from sandbox.shopify.shop import ShopRegistry
from sandbox.unleashed.accounts import UnleashedAccounts
from sandbox.unleashed.routes import add_unleashed_routes


async def _close_media_fetcher(app: web.Application) -> None:
    await app[MEDIA_FETCHER].close()


async def _health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_sandbox_app(settings: SandboxSettings) -> web.Application:
    """A fresh sandbox with no shops and no accounts; register them through `/_sandbox`."""
    admin_schema()  # load the schema now rather than on the first GraphQL request
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[SETTINGS] = settings
    app[SHOPS] = ShopRegistry()
    app[UNLEASHED_ACCOUNTS] = UnleashedAccounts()
    app[PROMIDATA_FEEDS] = PromidataFeeds()
    app[MEDIA_FETCHER] = MediaFetcher(settings.media_fetch_timeout)
    app.on_cleanup.append(_close_media_fetcher)
    app.router.add_get("/health", _health)
    add_admin_routes(app)
    add_unleashed_routes(app)
    add_promidata_routes(app)
    app.router.add_post(SHOPIFY_GRAPHQL_ROUTE, graphql_handler)
    return app

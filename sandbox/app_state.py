"""Typed keys for what the sandbox application holds."""

from aiohttp import web

from sandbox.promidata.feed import PromidataFeeds
from sandbox.settings import SandboxSettings
from sandbox.shopify.bulk_runner import BulkRunner
from sandbox.shopify.media_fetcher import MediaFetcher
from sandbox.shopify.shop import ShopRegistry
from sandbox.shopify.webhook_sender import WebhookSender
from sandbox.unleashed.accounts import UnleashedAccounts

SETTINGS = web.AppKey("sandbox_settings", SandboxSettings)
SHOPS = web.AppKey("sandbox_shops", ShopRegistry)
UNLEASHED_ACCOUNTS = web.AppKey("sandbox_unleashed_accounts", UnleashedAccounts)
PROMIDATA_FEEDS = web.AppKey("sandbox_promidata_feeds", PromidataFeeds)
MEDIA_FETCHER = web.AppKey("sandbox_media_fetcher", MediaFetcher)
WEBHOOK_SENDER = web.AppKey("sandbox_webhook_sender", WebhookSender)
BULK_RUNNER = web.AppKey("sandbox_bulk_runner", BulkRunner)

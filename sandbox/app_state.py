"""Typed keys for what the sandbox application holds."""

from aiohttp import web

from sandbox.settings import SandboxSettings
from sandbox.shopify.shop import ShopRegistry
from sandbox.unleashed.accounts import UnleashedAccounts

SETTINGS = web.AppKey("sandbox_settings", SandboxSettings)
SHOPS = web.AppKey("sandbox_shops", ShopRegistry)
UNLEASHED_ACCOUNTS = web.AppKey("sandbox_unleashed_accounts", UnleashedAccounts)

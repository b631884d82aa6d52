"""Typed keys of the producer's application state, filled once by the cleanup contexts."""

import aiohttp
import asyncpg
from aiohttp import web
from arq import ArqRedis

from producer.pipeline.runner import Pipeline
from producer.webhooks.processor import WebhookProcessor
from shared.settings import Settings
from shared.shopify_client import ShopifyGraphQLClient
from shared.tenants import TenantStore

SETTINGS = web.AppKey("settings", Settings)
DB_POOL = web.AppKey("db_pool", asyncpg.Pool)
JOB_POOL = web.AppKey("job_pool", ArqRedis)
HTTP_SESSION = web.AppKey("http_session", aiohttp.ClientSession)
TENANTS = web.AppKey("tenants", TenantStore)
PIPELINE = web.AppKey("pipeline", Pipeline)
SHOPIFY = web.AppKey("shopify", ShopifyGraphQLClient)
WEBHOOKS = web.AppKey("webhooks", WebhookProcessor)

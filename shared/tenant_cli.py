"""`python -m shared.tenant_cli`: write, show or delete a tenant hash (`tenant:{domain}`) in Redis.

Secrets may come from flags or, to keep them out of the process list, from the environment variables
TENANT_SHOPIFY_ACCESS_TOKEN, TENANT_UNLEASHED_API_KEY and TENANT_SHOPIFY_WEBHOOK_SECRET.
"""

import argparse
import asyncio
import json
import os
import sys

from pydantic import SecretStr, ValidationError
from redis.asyncio import Redis

from shared.settings import get_settings
from shared.tenants import Tenant, TenantNotFound, TenantStore, tenant_key

SECRET_ENV = {
    "shopify_access_token": "TENANT_SHOPIFY_ACCESS_TOKEN",
    "unleashed_api_key": "TENANT_UNLEASHED_API_KEY",
    "shopify_webhook_secret": "TENANT_SHOPIFY_WEBHOOK_SECRET",
}
FIELDS = [name for name in Tenant.model_fields if name != "domain"]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m shared.tenant_cli", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--redis-url", default=None, help="defaults to REDIS_URL")
    commands = parser.add_subparsers(dest="command", required=True)
    set_command = commands.add_parser("set", parents=[common], help="create or replace a tenant hash")
    set_command.add_argument("--domain", required=True)
    for name in FIELDS:
        set_command.add_argument("--" + name.replace("_", "-"), dest=name, default=None)
    for name in ("show", "delete"):
        commands.add_parser(name, parents=[common]).add_argument("--domain", required=True)
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    redis = Redis.from_url(args.redis_url or get_settings().redis_url)
    store = TenantStore(redis, cache_seconds=0)
    try:
        if args.command == "set":
            values = {
                name: getattr(args, name) or os.environ.get(SECRET_ENV.get(name, ""), "") or None for name in FIELDS
            }
            tenant = Tenant.model_validate({"domain": args.domain, **values})
            if not tenant.has_shopify_credentials:
                print("warning: no shopify_shop/shopify_access_token; syncs for it will fail", file=sys.stderr)
            await store.put(tenant)
            print(f"wrote {tenant_key(args.domain)}")
        elif args.command == "show":
            tenant = await store.get(args.domain)
            shown = {
                name: ("[set]" if isinstance(value, SecretStr) else value)
                for name, value in tenant.model_dump().items()
                if value is not None
            }
            print(json.dumps(shown, indent=2))
        else:
            removed = await redis.delete(tenant_key(args.domain))
            print(f"deleted {tenant_key(args.domain)}" if removed else f"no {tenant_key(args.domain)}")
        return 0
    except TenantNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        await redis.aclose()


def main() -> int:
    return asyncio.run(run(parse_args(sys.argv[1:])))


if __name__ == "__main__":
    sys.exit(main())

"""`python -m shared.tenant_cli set|show|delete --domain D ...`: the tenant hash command of old, now an alias of
`commerce-sync tenants` (`shared/cli/tenants.py`), with the same options and exit codes.

Secrets may come from flags or, to keep them out of the process list, from the environment variables
TENANT_SHOPIFY_ACCESS_TOKEN, TENANT_UNLEASHED_API_KEY and TENANT_SHOPIFY_WEBHOOK_SECRET.
"""

import sys

from shared.cli.tenants import tenants_app


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["show"] and "--json" not in args:
        args.append("--json")  # this command has always printed the tenant as JSON
    tenants_app(args=args, prog_name="python -m shared.tenant_cli")


if __name__ == "__main__":
    main()

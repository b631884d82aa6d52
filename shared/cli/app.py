"""The `commerce-sync` console script: one typer app with every command an operator runs by hand.

`sync`, `syncs`, `queues` and `dead-letters` talk to the producer's HTTP API; `tenants` writes Redis directly.
"""

from shared.cli import operations, syncs, tenants, webhooks
from shared.cli.render import typer_app

HELP = """Operate commerce-sync: tenants, syncs, queues and dead letters.

Environment: COMMERCE_SYNC_API_URL is the producer API (default http://127.0.0.1:8080).
COMMERCE_SYNC_TOKEN is the bearer JWT it is called with; without it, when API_JWT_SECRET is set, the CLI
mints a short-lived token (5 minutes, subject "cli", every domain) for each request.
The tenants commands use Redis (REDIS_URL or --redis-url) instead of the API.

Exit codes: 0 done; 1 the sync failed or one of its jobs did (tenants show: no such tenant);
2 usage, an error the API answered, or the API or Redis not reachable; 130 interrupted.
--json prints machine-readable JSON only (an error too, as {"error": {"code", "message"}}).
"""

app = typer_app(HELP)
app.command("sync")(syncs.sync)
app.command("queues")(operations.queues)
app.add_typer(syncs.syncs_app, name="syncs")
app.add_typer(operations.dead_letters_app, name="dead-letters")
app.add_typer(tenants.tenants_app, name="tenants")
app.add_typer(webhooks.webhooks_app, name="webhooks")


def main() -> None:
    """Entry point of the `commerce-sync` console script."""
    app(prog_name="commerce-sync")

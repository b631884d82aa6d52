"""`commerce-sync`, the operator CLI: argument handling and rendering in-process (typer's CliRunner), then the
installed console script as a subprocess against the real sandbox, producer, mutator and Redis."""

import asyncio
import json
import os
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import PIPE
from typing import Any

import jwt
import pytest
from pydantic import SecretStr
from rich.progress import Progress
from typer.main import get_command
from typer.testing import CliRunner

from devtools.infra import Infra, free_loopback_port
from devtools.stack import Stack
from devtools.stack_client import StackClient, provision_tenant
from producer.auth import issue_token
from shared.cli.api_client import ApiClient, token_from_env
from shared.cli.app import app
from shared.cli.render import console, sync_report
from shared.cli.syncs import route_for
from shared.cli.tenants import mask, tenants_app
from shared.cli.watch import StepBars, poll_until_done, sync_failed, watch_with_bars
from shared.tenants import Tenant
from tests.conftest import make_merchant

SCRIPT = Path(sys.executable).parent / "commerce-sync"
STEPS = ("locations", "products", "customers", "inventory")
SCRIPT_TIMEOUT_SECONDS = 240.0
runner = CliRunner()


def status_document(state: str = "completed", failed: int = 0, message: str = "plain") -> dict[str, Any]:
    step = {
        "state": state,
        "planned": {"creates": 3, "updates": 1, "archives": 0},
        "progress": {"succeeded": 4 - failed, "failed": failed, "pending": 0},
        "skipped": 0,
        "dependsOn": [],
    }
    return {
        "syncId": "s-1",
        "domain": "a.example",
        "kind": "comprehensive",
        "dryRun": False,
        "state": state,
        "steps": {name: step for name in sorted(STEPS)},
        "totals": {"planned": step["planned"], "progress": step["progress"]},
        "errors": [{"kind": "mutation_failed", "step": "products", "entity": "SKU-1", "message": message}],
        "createdAt": "2026-01-01T00:00:00+00:00",
        "finishedAt": None,
    }


# --- in-process: arguments, settings, rendering ------------------------------------------------------


@pytest.mark.parametrize(
    ("resources", "route"),
    [
        (None, "comprehensive-sync"),
        (["all"], "comprehensive-sync"),
        (["locations,products", "customers,inventory"], "comprehensive-sync"),
        (["products"], "sync-products"),
        ([" Inventory "], "sync-inventory"),
    ],
)
def test_resources_choose_the_route(resources: list[str] | None, route: str) -> None:
    assert route_for(resources) == route


def test_a_subset_of_resources_or_an_unknown_one_is_a_usage_error() -> None:
    result = runner.invoke(app, ["sync", "a.example", "--resources", "products,locations"])
    assert result.exit_code == 2
    assert "only one resource or all" in result.stderr and result.stdout == ""
    result = runner.invoke(app, ["sync", "a.example", "-r", "widgets", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "usage"


def test_replay_needs_ids_or_all_but_not_both() -> None:
    for args in ([], ["--ids", "a", "--all"], ["--ids", " , "]):
        result = runner.invoke(app, ["dead-letters", "replay", "--domain", "a.example", *args])
        assert result.exit_code == 2, result.output


def test_an_unreachable_api_is_one_line_and_exit_2() -> None:
    env = {"COMMERCE_SYNC_API_URL": f"http://127.0.0.1:{free_loopback_port()}"}
    result = runner.invoke(app, ["queues"], env=env)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot reach the producer API" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["syncs", "show", "x", "--json"], env=env)
    assert result.exit_code == 2 and json.loads(result.stdout)["error"]["code"] == "unreachable"


def test_the_token_comes_from_the_environment_or_is_minted_from_the_secret() -> None:
    assert token_from_env({"COMMERCE_SYNC_TOKEN": "given", "API_JWT_SECRET": "s"})() == "given"
    assert token_from_env({})() is None
    minted = token_from_env({"API_JWT_SECRET": "s" * 32})()
    assert minted is not None
    claims = jwt.decode(minted, "s" * 32, algorithms=["HS256"])
    assert claims["sub"] == "cli" and claims["domains"] == ["*"] and claims["exp"] - claims["iat"] <= 300


def test_secrets_are_masked() -> None:
    assert mask(SecretStr("shpat_abc123")) == "shpat_…(set)"
    assert mask(SecretStr("k-123")) == "[set]"


def test_tenants_set_has_an_option_for_every_tenant_field() -> None:
    """A field added to `Tenant` needs its option here, or `tenants set` would drop it from the hash."""
    command = get_command(tenants_app)
    set_command = command.commands["set"]  # type: ignore[attr-defined]
    options = {option for param in set_command.params for option in param.opts}
    assert {"--" + name.replace("_", "-") for name in Tenant.model_fields} <= options


def test_the_report_shows_every_step_in_order_and_messages_literally() -> None:
    out = console()
    with out.capture() as captured:
        out.print(sync_report(status_document(failed=1, message="[bold]Title[/bold] is taken")))
    text = captured.get()
    assert [text.index(name) for name in STEPS] == sorted(text.index(name) for name in STEPS)
    assert "[bold]Title[/bold] is taken" in text


@dataclass(frozen=True)
class ScriptedClient(ApiClient):
    """Answers the status polls with the documents given, in turn."""

    answers: list[dict[str, Any]] = field(default_factory=list)

    def get(self, path: str, query: dict[str, str | int | None] | None = None) -> Any:
        return self.answers.pop(0)


def scripted(*answers: dict[str, Any]) -> ScriptedClient:
    return ScriptedClient("http://unused", lambda: None, answers=list(answers))


def test_watch_polls_to_the_end_and_the_verdict_counts_failed_jobs() -> None:
    pulling = status_document(state="pulling")
    answers = [pulling, status_document(state="running"), status_document(failed=2)]
    seen: list[str] = []
    final = poll_until_done(scripted(*answers), "s-1", lambda s: seen.append(s["state"]), interval=0)
    assert seen == ["pulling", "running", "completed"]
    assert sync_failed(final) and not sync_failed(status_document())
    assert sync_failed(status_document(state="failed"))


def test_bars_have_one_task_per_step_with_planned_as_total() -> None:
    out = console()
    progress = Progress(console=out)
    bars = StepBars(progress, out)
    bars.update(status_document(state="running", failed=1))
    assert [task.description.split()[0] for task in progress.tasks] == list(STEPS)
    assert [(task.total, task.completed) for task in progress.tasks] == [(4.0, 4.0)] * 4
    waiting = Progress(console=out)
    StepBars(waiting, out).update(status_document(state="pulling"))
    assert [task.total for task in waiting.tasks] == [None] * 4  # not planned yet: an indeterminate bar
    with out.capture() as captured:
        final = watch_with_bars(scripted(status_document(state="running"), status_document()), "s-1", out)
    assert final["state"] == "completed"
    assert all(name in captured.get() for name in STEPS)


# --- the installed script against real processes -----------------------------------------------------


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


async def run_script(*args: str, env: dict[str, str], program: tuple[str, ...] = (str(SCRIPT),)) -> Ran:
    """The `commerce-sync` console script as an operator runs it, with only the variables given (and PATH)."""
    assert SCRIPT.exists(), f"{SCRIPT} missing: pip install -e . installs the console script"
    process = await asyncio.create_subprocess_exec(
        *program, *args, env={"PATH": os.environ.get("PATH", ""), **env}, stdout=PIPE, stderr=PIPE
    )
    async with asyncio.timeout(SCRIPT_TIMEOUT_SECONDS):
        out, err = await process.communicate()
    assert process.returncode is not None
    return Ran(process.returncode, out.decode(), err.decode())


def api_env(stack: Stack, domains: list[str]) -> dict[str, str]:
    return {
        "COMMERCE_SYNC_API_URL": stack.producer_url,
        "COMMERCE_SYNC_TOKEN": issue_token(stack.jwt_secret, "cli", domains),
    }


async def test_sync_watch_shows_each_step_and_exits_0(client: StackClient, infra: Infra, stack: Stack) -> None:
    merchant = await make_merchant(client, infra, size=30)
    env = api_env(stack, [merchant.domain])
    ran = await run_script("sync", merchant.domain, "--watch", env=env)
    print(ran.stdout)
    assert ran.code == 0, ran.stdout + ran.stderr
    assert "Traceback" not in ran.stderr
    for step in STEPS:
        assert step in ran.stdout
        assert any(line.startswith(step) and "completed" in line for line in ran.stdout.splitlines()), step
    sync_id = ran.stdout.split("watching sync ", 1)[1].split(";", 1)[0]
    assert f"sync {sync_id} completed" in ran.stdout

    shown = (await run_script("syncs", "show", sync_id, "--json", env=env)).json()
    assert shown["state"] == "completed" and set(shown["steps"]) == set(STEPS)
    assert shown["totals"]["progress"]["succeeded"] > 0 and shown["totals"]["progress"]["failed"] == 0
    listed = await run_script("syncs", "list", "--domain", merchant.domain, "--json", env=env)
    assert sync_id in [item["syncId"] for item in listed.json()["items"]]
    queues = await run_script("queues", "--json", env=env)
    assert queues.code == 0 and queues.json()["queues"]["product-mutations"]["done"] > 0
    letters = await run_script("dead-letters", "list", "--domain", merchant.domain, "--json", env=env)
    assert letters.code == 0 and letters.json() == {"items": []}

    # Without --watch: the 202 answer; then follow it with `syncs show --watch --json`, minting the token.
    minted = {"COMMERCE_SYNC_API_URL": stack.producer_url, "API_JWT_SECRET": stack.jwt_secret}
    started = await run_script("sync", merchant.domain, "--resources", "products", "--dry-run", "--json", env=minted)
    assert started.code == 0 and started.json()["steps"] == ["products"]
    followed = await run_script("syncs", "show", started.json()["syncId"], "--watch", "--json", env=minted)
    assert followed.code == 0 and followed.json()["state"] == "completed" and followed.json()["dryRun"] is True
    human = await run_script("queues", env=minted)
    assert human.code == 0 and "product-mutations" in human.stdout


async def test_a_failing_sync_exits_1_and_shows_why(client: StackClient, infra: Infra, stack: Stack) -> None:
    merchant = await make_merchant(client, infra, size=10)
    await provision_tenant(
        infra.redis_url,
        merchant.domain,
        shop=merchant.shop,
        shopify_token=merchant.shopify_token,
        unleashed_api_id=merchant.api_id,
        unleashed_api_key="wrong-key",
    )
    env = api_env(stack, [merchant.domain])
    ran = await run_script("sync", merchant.domain, "-r", "products", "--watch", env=env)
    print(ran.stdout)
    assert ran.code == 1, ran.stdout + ran.stderr
    assert "refused the API credentials" in ran.stdout and "failed" in ran.stdout
    as_json = await run_script("sync", merchant.domain, "-r", "locations", "--watch", "--json", env=env)
    assert as_json.code == 1 and as_json.json()["state"] == "failed"


async def test_api_errors_are_readable_and_exit_2(stack: Stack) -> None:
    env = api_env(stack, ["*"])
    missing = await run_script("syncs", "show", "no-such-sync", env=env)
    assert missing.code == 2 and "404 unknown_sync" in missing.stderr and "Traceback" not in missing.stderr
    as_json = await run_script("sync", "nobody.example", "--json", env=env)
    assert as_json.code == 2 and as_json.json()["error"]["code"] == "unknown_tenant"
    forbidden = await run_script("syncs", "list", "--domain", "x.example", env=api_env(stack, ["y.example"]))
    assert forbidden.code == 2 and "403 forbidden" in forbidden.stderr
    anonymous = await run_script("queues", env={"COMMERCE_SYNC_API_URL": stack.producer_url})
    assert anonymous.code == 2 and "401" in anonymous.stderr and "COMMERCE_SYNC_TOKEN" in anonymous.stderr


async def test_tenants_round_trip_with_secrets_masked(infra: Infra) -> None:
    domain = f"cli-{uuid.uuid4().hex[:8]}.example"
    token = f"shpat_{uuid.uuid4().hex}"
    env = {"REDIS_URL": infra.redis_url, "TENANT_SHOPIFY_ACCESS_TOKEN": token, "TENANT_UNLEASHED_API_KEY": "k-secret"}
    wrote = await run_script(
        "tenants", "set", "--domain", domain, "--shopify-shop", "s.myshopify.com", "--unleashed-api-id", "id-1", env=env
    )
    assert wrote.code == 0 and f"wrote tenant:{domain}" in wrote.stdout
    env = {"REDIS_URL": infra.redis_url}
    shown = await run_script("tenants", "show", "--domain", domain, env=env)
    assert shown.code == 0 and "shpat_…(set)" in shown.stdout and "s.myshopify.com" in shown.stdout
    assert token not in shown.stdout and "k-secret" not in shown.stdout
    as_json = (await run_script("tenants", "show", "--domain", domain, "--json", env=env)).json()
    assert as_json == {
        "domain": domain,
        "shopify_shop": "s.myshopify.com",
        "shopify_access_token": "shpat_…(set)",
        "unleashed_api_id": "id-1",
        "unleashed_api_key": "[set]",
    }
    alias = await run_script("show", "--domain", domain, env=env, program=(sys.executable, "-m", "shared.tenant_cli"))
    assert alias.code == 0 and alias.json() == as_json
    deleted = await run_script("tenants", "delete", "--domain", domain, env=env)
    assert deleted.code == 0 and f"deleted tenant:{domain}" in deleted.stdout
    gone = await run_script("tenants", "show", "--domain", domain, env=env)
    assert gone.code == 1 and f"tenant:{domain}" in gone.stderr

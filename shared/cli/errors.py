"""Exit codes, and what a command prints when something goes wrong: one readable line (never a traceback) on
stderr, and with `--json` the error as JSON on stdout too.

Exit codes: 0 done; 1 a sync failed or one of its jobs did (and `tenants show` of a missing tenant, as the
old module command did); 2 usage, an API error, or the API / Redis not reachable; 130 interrupted.
"""

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from rich.text import Text

from shared.cli.api_client import ApiError, Unreachable
from shared.cli.render import error_console, print_json

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

P = ParamSpec("P")
R = TypeVar("R")


class CliProblem(Exception):
    """A problem the operator can fix: bad arguments, an unreachable Redis, a missing tenant."""

    def __init__(self, message: str, code: str = "usage", exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.exit_code = exit_code


def say_error(message: str, *details: str) -> None:
    stderr = error_console()
    stderr.print(Text("error: ", style="bold red") + Text(message))
    for detail in details:
        stderr.print(Text("  " + detail))


def api_error_details(error: ApiError) -> list[str]:
    """What to add under the one line: the fields that did not fit, the sync that is running, how to log in."""
    details = [
        f"{item.get('field', '?')}: {item.get('problem', '?')}"
        for item in (error.body["error"].get("details") or [])
        if isinstance(item, dict)
    ]
    if error.body.get("syncId"):
        running = error.body["syncId"]
        details.append(f"running sync: {running} (watch it: commerce-sync syncs show {running} --watch)")
    if error.status == 401:
        details.append("set COMMERCE_SYNC_TOKEN to a bearer JWT, or API_JWT_SECRET to let the CLI mint one")
    return details


def report(exc: Exception, as_json: bool) -> int:
    """Print the error for people (stderr) and, with --json, for machines (stdout); the exit code to use."""
    if isinstance(exc, ApiError):
        say_error(f"the API answered {exc.status} {exc.code}: {exc.message}", *api_error_details(exc))
        body: dict[str, Any] = {**exc.body, "status": exc.status}
        code = EXIT_USAGE
    elif isinstance(exc, Unreachable):
        say_error(f"{exc} (is the producer running? COMMERCE_SYNC_API_URL names it)")
        body = {"error": {"code": "unreachable", "message": str(exc)}}
        code = EXIT_USAGE
    elif isinstance(exc, CliProblem):
        say_error(exc.message)
        body = {"error": {"code": exc.code, "message": exc.message}}
        code = exc.exit_code
    else:
        raise exc
    if as_json:
        print_json(body)
    return code


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so the problems above end it with their exit code and a message, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (ApiError, Unreachable, CliProblem) as exc:
            raise typer.Exit(report(exc, bool(kwargs.get("as_json")))) from None
        except KeyboardInterrupt:
            error_console().print("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper

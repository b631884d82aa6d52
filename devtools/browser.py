"""A headless browser for the tests that look at a page: Debian's Chromium, installed when it is missing.

Playwright's own `playwright install` downloads browser builds from its CDN, which a closed network refuses;
Debian's `chromium` package comes from the package mirror like any other package, so the tests drive it through
Playwright with `executable_path`. `ensure_chromium()` returns its path, installing it first (as root, with
apt-get, non-interactively) when it is not there, and raises `BrowserUnavailable` with the reason otherwise.

``python -m devtools.browser`` installs it (if needed) and prints its path and version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
DEBIAN_PACKAGE = "chromium"
# Without its recommends (upower, udev, notification-daemon, …); a font so that pages render text.
PACKAGES = [DEBIAN_PACKAGE, "fonts-liberation"]
# Headless, no sandbox (root in a container), and nothing that reaches out to the network by itself.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_TIMEOUT_SECONDS = 1200


class BrowserUnavailable(RuntimeError):
    """Chromium is missing and could not be installed; the message says why and what to do."""


def _apt(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "-o", "DPkg::Lock::Timeout=600", *args]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS, check=False
    )


def _tail(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])


def install_chromium() -> None:
    """`apt-get install -y chromium` as root; `apt-get update` first when the package lists do not know it."""
    if shutil.which("apt-get") is None:
        raise BrowserUnavailable(f"{CHROMIUM} is missing and this machine has no apt-get: install Chromium by hand")
    if os.geteuid() != 0:
        raise BrowserUnavailable(
            f"{CHROMIUM} is missing; install it as root once: apt-get update && apt-get install -y {DEBIAN_PACKAGE}"
        )
    print(f"installing {DEBIAN_PACKAGE} from Debian's packages (once; this takes a while)", file=sys.stderr)
    result = _apt("install", "-y", "--no-install-recommends", *PACKAGES)
    if result.returncode != 0:  # stale or missing package lists: refresh them and try again
        updated = _apt("update")
        if updated.returncode != 0:
            raise BrowserUnavailable(f"apt-get update failed:\n{_tail(updated)}")
        result = _apt("install", "-y", "--no-install-recommends", *PACKAGES)
    if result.returncode != 0:
        raise BrowserUnavailable(f"apt-get install -y {DEBIAN_PACKAGE} failed:\n{_tail(result)}")


def ensure_chromium() -> Path:
    """The path of a working Chromium, installed first when missing; `BrowserUnavailable` when impossible."""
    if not CHROMIUM.exists():
        install_chromium()
    if not CHROMIUM.exists():
        raise BrowserUnavailable(f"{DEBIAN_PACKAGE} was installed but {CHROMIUM} is still missing")
    version = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=60, check=False)
    if version.returncode != 0:
        raise BrowserUnavailable(f"{CHROMIUM} --version failed: {(version.stdout + version.stderr).strip()}")
    return CHROMIUM


def main() -> None:
    try:
        path = ensure_chromium()
    except BrowserUnavailable as exc:
        sys.exit(str(exc))
    version = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=False)
    print(path, version.stdout.strip())


if __name__ == "__main__":
    main()

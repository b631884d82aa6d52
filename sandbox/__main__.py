"""`python -m sandbox`: serve the emulators on SANDBOX_HOST:SANDBOX_PORT."""

import logging

import structlog
from aiohttp import web

from sandbox.app import create_sandbox_app
from sandbox.settings import SandboxSettings


def main() -> None:
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper("iso"),
            structlog.processors.JSONRenderer(),
        ]
    )
    logging.basicConfig(level=logging.WARNING)
    settings = SandboxSettings()
    log = structlog.get_logger("sandbox")
    log.info(
        "sandbox_starting",
        host=settings.host,
        port=settings.port,
        default_plan=settings.default_plan,
        default_faults=settings.faults.model_dump() if settings.faults and settings.faults.active else None,
    )
    web.run_app(create_sandbox_app(settings), host=settings.host, port=settings.port, access_log=None, print=None)


if __name__ == "__main__":
    main()

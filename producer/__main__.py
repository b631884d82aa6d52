"""`python -m producer`: the producer's HTTP API."""

import sys

from aiohttp import web

from producer.app import create_app
from shared.logs import configure_logging, get_logger
from shared.settings import get_settings


def main() -> int:
    settings = get_settings()
    configure_logging("producer", settings.log_level)
    log = get_logger("producer")
    if settings.api_jwt_secret is None and not settings.producer_insecure_no_auth:
        log.error("refusing to start: set API_JWT_SECRET (or PRODUCER_INSECURE_NO_AUTH=true for local use)")
        return 2
    log.info("producer starting", host=settings.producer_host, port=settings.producer_port)
    web.run_app(
        create_app(settings),
        host=settings.producer_host,
        port=settings.producer_port,
        print=None,
        access_log=None,
        shutdown_timeout=25,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m mutator`: workers for every mutation queue plus the health server."""

import asyncio
import sys

from mutator.service import run_mutator
from shared.logs import configure_logging
from shared.settings import get_settings


def main() -> int:
    settings = get_settings()
    configure_logging("mutator", settings.log_level)
    asyncio.run(run_mutator(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m mutator`: workers for every mutation queue plus the health server."""

import logging
import sys

import uvloop

from mutator.service import run_mutator
from shared.logs import configure_logging
from shared.settings import get_settings


def main() -> int:
    settings = get_settings()
    configure_logging("mutator", settings.log_level)
    # arq logs every job start at INFO; our own line per outcome says more, at a tenth of the cost.
    logging.getLogger("arq").setLevel(logging.WARNING)
    # uvloop: measured to cut the mutator's CPU per mutation (see README, Performance).
    uvloop.run(run_mutator(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())

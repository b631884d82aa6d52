"""`python -m shared.cli`: the same as the `commerce-sync` console script."""

from shared.cli.app import main

if __name__ == "__main__":
    main()

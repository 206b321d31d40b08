"""Entry points: ``python -m foracheck`` and the ``foracheck`` console script.

``run`` imports the CLI inside a guard, so that a Ctrl-C that arrives while
Python is still importing Typer ends quietly with 130 instead of a traceback.
"""

import sys

from foracheck.errors import EXIT_INTERRUPTED  # tiny: nothing heavy is imported yet


def run() -> None:
    """Start foracheck; the console script calls this."""
    try:
        from foracheck.cli import main
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    main()


if __name__ == "__main__":
    run()

"""Entry points: ``python -m foracheck`` and the ``foracheck`` console script.

Guarded from the first line: a signal that lands while Python is still loading
foracheck or Typer ends with the contract's code and a sentence, not a
traceback (``exits.leave`` does the mapping). ``--version`` is answered without
importing Typer at all.

The cycle collector waits while the modules load: importing makes tens of
thousands of objects that live as long as the program, and each collection
would walk them all again, for nothing. It runs as usual once the command
starts, with those objects set aside (``gc.freeze``).
"""

try:  # the first statement, so that an early Ctrl-C lands inside it
    import gc
    import sys

    gc.disable()

    from foracheck import __version__, stdio
    from foracheck.exits import end_at_once_on_signals, end_silently_on_signals, leave
except KeyboardInterrupt:
    import sys

    sys.stderr.write("Stopped (interrupted) while starting. Nothing was changed.\n")
    raise SystemExit(130) from None  # EXIT_INTERRUPTED; nothing is imported yet to name it


def _start() -> None:
    end_at_once_on_signals()  # until a command runs (then cli makes signals unwind)
    stdio.prepare()
    if sys.argv[1:] == ["--version"]:  # the common case, answered before Typer loads
        stdio.print_out(f"foracheck {__version__}\n")
        sys.exit(0)
    from foracheck import remembered

    # The language and plain mode, from the options, the environment and the data
    # folder's remembered settings: before cli is imported, as it builds the help texts.
    remembered.decide(sys.argv[1:])
    from foracheck.cli import main

    gc.freeze()  # what loading made lives until the end: never walk it again
    gc.enable()
    main()


def run() -> None:
    """Start foracheck; the console script calls this."""
    try:
        _start()
    except BaseException as error:  # the one exit point maps every ending
        leave(error)
    end_silently_on_signals()  # a command that returned: nothing is left to protect


if __name__ == "__main__":
    run()

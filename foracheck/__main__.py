"""Let ``python -m foracheck`` behave exactly like the ``foracheck`` command."""

from foracheck.cli import main

if __name__ == "__main__":
    main()

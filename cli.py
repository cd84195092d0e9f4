"""Launcher for a checkout: `python cli.py …` runs the `scdocs` command."""

from scdocs.cli import main

if __name__ == "__main__":
    main()

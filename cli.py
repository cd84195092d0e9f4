"""Launcher for a checkout: `.venv/bin/python cli.py …` runs the `scdocs` command."""

import sys

try:
    from scdocs.cli import main
except ModuleNotFoundError as exc:  # a Python without scdocs's dependencies (the system one, say)
    sys.stderr.write(f"error: this Python ({sys.executable}) lacks {exc.name!r}, which scdocs needs: install "
                     "scdocs as README.md says, then run .venv/bin/python cli.py\n")
    sys.exit(2)

if __name__ == "__main__":
    main()

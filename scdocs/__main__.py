"""`python -m scdocs` runs the command line."""

from scdocs.cli import main

main()

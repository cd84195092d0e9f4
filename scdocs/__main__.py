"""`python -m scdocs` runs the command line."""

from .cli import main

main()

"""``python -m transflow``: the same command line as the ``transflow`` script."""

from .cli import main

main(prog_name="transflow")

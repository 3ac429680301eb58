"""``python -m transflow``: the same command line as the ``transflow`` script."""

from .cli import main

# Guarded: worker processes (started with "spawn") import this module again.
if __name__ == "__main__":
    main(prog_name="transflow")

"""``python -m transflow``: the same command line as the ``transflow`` script."""

from .console import main

# Guarded: worker processes (started with "spawn") import this module again.
if __name__ == "__main__":
    main()

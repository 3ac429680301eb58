"""The ``transflow`` program: the up-to-date check first, the command line only when needed.

Kept apart from cli.py so that an unchanged re-run imports neither click nor any
part of the pipeline (see uptodate.py).
"""

import os
import sys

from . import uptodate


def main(argv=None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if uptodate.replay(argv):
        sys.exit(0)
    from .cli import main as cli

    cli(args=argv, prog_name="transflow", obj={"argv": argv, "cwd": os.getcwd()})

"""The programs the tests use beside Python, the Debian packages that provide them, and why.

transflow itself needs none of them. The tests use them to judge transflow's output
with real tools rather than its own code: GNU gettext validates and merges PO files,
a real browser opens the review page, zstd packs models the way Mozilla serves them,
and Apertium is one of the engines.

Run as a script (``make test`` does, before the virtual environment exists, so only
the standard library is used here): nothing happens when every program is present;
otherwise the missing packages are installed with apt-get when running as root or
with password-less sudo, else the one command to run is printed and the exit code is 1.
Tests mark what they need with :func:`requires` (or call :func:`need`): a missing
program skips the test with its install command as the reason, except under CI
(``CI`` set), where every test must run and a missing program fails it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# program (or file) -> (Debian package, what the tests use it for)
TOOLS = {
    "msgfmt": ("gettext", "validates every PO file transflow writes (msgfmt -c)"),
    "msgmerge": ("gettext", "the reference transflow's merge is compared with"),
    "msgcat": ("gettext", "every PO file written must be byte-identical to msgcat's output"),
    "zstd": ("zstd", "compresses test models as Mozilla's model server does"),
    "chromium": ("chromium", "opens the review page in a real browser"),
    "chromedriver": ("chromium-driver", "lets the tests drive Chromium (selenium)"),
    "apertium": ("apertium", "the rule-based engine"),
    "/usr/share/apertium/modes/eng-spa.mode": ("apertium-eng-spa", "the English-Spanish pair the Apertium tests translate with"),
}


def present(tool: str) -> bool:
    if tool.startswith("/"):
        return os.path.isfile(tool)
    return shutil.which(tool) is not None


def missing(tools=TOOLS) -> list[str]:
    return [t for t in tools if not present(t)]


def packages(tools) -> list[str]:
    return sorted({TOOLS[t][0] for t in tools})


def install_command(tools) -> str:
    return "sudo apt-get install -y " + " ".join(packages(tools))


def _reason(tools) -> str:
    names = ", ".join(os.path.basename(t) for t in tools)
    return f"needs {names}: {install_command(tools)}"


def requires(*tools):
    """A pytest mark: skip the test when a tool is missing (fail under CI instead)."""
    import pytest

    gone = missing(tools)
    return pytest.mark.skipif(bool(gone) and not os.environ.get("CI"), reason=_reason(gone) if gone else "")


def need(*tools) -> None:
    """Inside a test or helper: skip now when a tool is missing (carry on under CI, where it fails)."""
    gone = missing(tools)
    if gone and not os.environ.get("CI"):
        import pytest

        pytest.skip(_reason(gone))


def main() -> int:
    gone = missing()
    if not gone:
        return 0
    pkgs = packages(gone)
    if shutil.which("apt-get") is None:
        print(f"The tests need these programs: {', '.join(gone)} (Debian/Ubuntu packages: {' '.join(pkgs)}); "
              "install them with your system's package manager.", file=sys.stderr)
        return 1
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        print(f"The tests need {', '.join(os.path.basename(t) for t in gone)}. Run once:\n\n"
              f"    {install_command(gone)}\n", file=sys.stderr)
        return 1
    print(f"installing the packages the tests use: {' '.join(pkgs)}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *pkgs]):
        if subprocess.run(prefix + step, env=env).returncode != 0:
            print(f"could not install them; run: {install_command(gone)}", file=sys.stderr)
            return 1
    still = missing()
    if still:
        print(f"still missing after the install: {', '.join(still)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

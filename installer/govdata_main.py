"""Entry point of the bundled program (PyInstaller runs this file).

No arguments: the window. With arguments: the command line (`govdata smoke`, `govdata --help`, ...).
A windowed Windows build has no console: stdout/stderr are None there, so they go to the null device
(`govdata smoke --report FILE` writes its result to a file for that case).
"""

import os
import sys


def _run() -> int:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
    from app.cli.main import main

    return main()


if __name__ == "__main__":
    sys.exit(_run())

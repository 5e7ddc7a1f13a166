"""Where the program's shipped files and the user's data live."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

import platformdirs

from app import APP_ID


@cache
def resources_dir() -> Path:
    """The shipped resources: fonts, icons, translations, templates.

    Source checkout and editable install: <repo>/resources. Wheel install: app/resources.
    PyInstaller bundle: <bundle>/resources.
    """
    package = Path(__file__).resolve().parent.parent  # app/
    candidates = [package / "resources", package.parent / "resources"]
    if getattr(sys, "frozen", False):
        candidates.insert(0, Path(getattr(sys, "_MEIPASS", package.parent)) / "resources")
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[-1]


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The user's data folder (database, backups, logs). GOVDATA_HOME overrides it (tests, portable use)."""
    override = os.environ.get("GOVDATA_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path

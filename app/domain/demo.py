"""The demonstration database: its own file in the user's data folder, never mixed with real data."""

from __future__ import annotations

DEMO_DB_NAME = "demo.sqlite3"
DEMO_PASSWORD = "demo-2026"  # the demonstration database only (its own file, made-up projects)
DEMO_USER = "reviewer"  # the account the demonstration opens as, in the window and on the command line

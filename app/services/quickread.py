"""The register's first screenful, read with the standard library alone (no SQLAlchemy, no Qt).

At a cold start the window paints long before SQLAlchemy's ORM is imported. For a local SQLite database whose user
is known before the database layer loads (the demonstration database opens signed in as its reviewer), the
register shows these rows at once; `app.services.projects.list_projects` replaces them when the worker has loaded,
with the same rows in the same order. The file is opened read-only (URI mode=ro): nothing is created, upgraded or
recorded here. No personal data is read (responsible persons and phones come with the full load, masked by role).
Anything unexpected (no file yet, an older schema, a locked or disabled account) gives None: no fast path.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.domain.vocabulary import STATUS_LABELS

# roles that see every department's projects / only their own ("project.read_all" / "project.read" in
# app.services.permissions.ROLE_PERMISSIONS, which imports the ORM; a unit test keeps the two in step)
READ_ALL_ROLES = frozenset({"reviewer", "bureau_leader", "finance", "leader", "setup", "system"})
READ_OWN_ROLES = frozenset({"clerk"})


@dataclass(frozen=True)
class QuickProject:
    """The register's columns of one project, as in ProjectView (without personal data)."""

    id: int
    code: str
    name: str
    department_id: int
    department: str
    category: str
    nature: str
    year: int
    status: str
    status_label: str
    total_fen: int
    county_fen: int
    upper_fen: int
    other_fen: int
    year_request_fen: int
    approved_fen: int | None


_SELECT = """
SELECT p.id, p.code, p.name, p.department_id, d.name, p.category, p.nature, p.year, p.status,
       p.total_fen, p.county_fen, p.upper_fen, p.other_fen, p.year_request_fen, p.approved_fen
FROM projects p JOIN departments d ON d.id = p.department_id
"""


def first_projects(path: str | Path, username: str, limit: int = 100) -> list[QuickProject] | None:
    """The first `limit` projects that `username` may see, in list_projects' order (year descending, code).

    None when the fast path does not apply: no such file or account, a disabled or locked account, a role that
    reads no projects, or a database this code cannot read as expected.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        user = con.execute("SELECT roles, department_id, active, locked_until FROM users WHERE username = ?",
                           (username,)).fetchone()
        if user is None or not user[2] or user[3] is not None:
            return None
        roles = {r.strip() for r in (user[0] or "").split(",") if r.strip()}
        if roles & READ_ALL_ROLES:
            rows = con.execute(_SELECT + "ORDER BY p.year DESC, p.code LIMIT ?", (limit,)).fetchall()
        elif roles & READ_OWN_ROLES:
            rows = con.execute(_SELECT + "WHERE p.department_id = ? ORDER BY p.year DESC, p.code LIMIT ?",
                               (user[1], limit)).fetchall()
        else:
            return None
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return [QuickProject(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], STATUS_LABELS.get(r[8], r[8]),
                         r[9], r[10], r[11], r[12], r[13], r[14]) for r in rows]

"""Errors a user can act on. Each carries a Chinese message; anything else is a bug.

Exit codes on the command line: 1 refused input or rule, 2 unreadable file or database.
"""

from __future__ import annotations


class GovDataError(Exception):
    """Base of every error whose message is meant for the user.

    `audit_context` names the action the error refuses (set by the service with `refusing`), so that the boundary
    that shows the refusal writes its one audit record; `audit_recorded` says that record is written.
    """

    exit_code = 1
    audit_context: tuple[str, str | None, object, dict] | None = None
    audit_recorded = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def refusing(self, action: str, object_type: str | None = None, object_id: object = None,
                 **detail: object) -> GovDataError:
        """Name the refused action for the audit trail (the innermost naming wins); returns self, for `raise`."""
        if self.audit_context is None:
            self.audit_context = (action, object_type, object_id, dict(detail))
        return self

    def __str__(self) -> str:
        return self.message


class InputError(GovDataError):
    """Bad input: a missing or malformed field, an unknown choice."""


class NotFoundError(GovDataError):
    """The named record does not exist."""


class RuleViolation(GovDataError):
    """A rule of the measure refuses the action. The message names the article."""

    def __init__(self, article: str, message: str) -> None:
        self.article = article
        super().__init__(f"{message}（依据《政务大数据项目建设应用管理办法》{article}）")


class PermissionDenied(GovDataError):
    """The signed-in account may not do this. `permission` names what was missing (always audited)."""

    permission: str | None = None


class ConflictError(GovDataError):
    """Someone else saved the record meanwhile; nothing was overwritten."""

    def __init__(self, message: str, mine: dict | None = None, theirs: dict | None = None) -> None:
        super().__init__(message)
        self.mine = mine or {}
        self.theirs = theirs or {}


class UnreadableError(GovDataError):
    """A file or database that cannot be read at all."""

    exit_code = 2


class DatabaseError(GovDataError):
    """The database cannot be opened or used (locked, newer schema, damaged, on a network share)."""

    exit_code = 2


class ImportRefused(GovDataError):
    """An import with errors: nothing was written. `errors` lists each (sheet, row, column, message)."""

    def __init__(self, message: str, errors: list | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

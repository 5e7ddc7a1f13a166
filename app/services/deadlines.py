"""Deadlines that act by themselves (第二十二条, issue 13 item 2): `govdata run-due`, the window at start and once a
day while it is open.

- A rectification deadline that has passed suspends the project's funds (the lifecycle's `suspend`, so the same
  rules and the same audit record), with a notice record (暂停拨付资金通知) naming the order and the deadline.
- What else is overdue or due soon — contract filings (第十五条), acceptances (第二十二条: 长期拖延不验收), 等保/密评
  about to expire (第二十八条) and the paper records' reminders — is read from the dashboard, with working days
  counted on the office's calendar.

Every automatic act is the system's (SYSTEM_ACTOR, user "system" in the audit trail); who or what started the run
is written in its audit record. Running it twice on one day does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.actor import SYSTEM_ACTOR, Actor
from app.errors import GovDataError
from app.models import Notice, Project, Rectification
from app.services import clock
from app.services.dashboard import DueItem, dashboard
from app.services.lifecycle import run_action
from app.services.permissions import can, require
from app.storage.database import Database, UnitOfWork

log = logging.getLogger(__name__)

OVERDUE_KINDS = ("contract_filing", "acceptance", "security", "rectification")


@dataclass(frozen=True)
class Suspension:
    code: str
    name: str
    department: str
    department_id: int
    deadline: dt.date
    order_no: str | None
    notice_id: int


@dataclass(frozen=True)
class DueRun:
    today: dt.date
    suspended: tuple[Suspension, ...]
    failed: tuple[tuple[str, str], ...]  # (code, why) of a suspension the rules refused: a person must look
    due: tuple[DueItem, ...]  # overdue and soon-due items of the dashboard, as the one who started the run sees them
    visible: bool = True  # False when that person may not read projects (an administrator): list nothing by name

    @property
    def overdue(self) -> tuple[DueItem, ...]:
        return tuple(i for i in self.due if i.overdue)


def _passed_deadlines(db: Database, today: dt.date) -> list[tuple[str, int]]:
    with db.uow(SYSTEM_ACTOR, write=False) as uow:
        return [(code, rid) for code, rid in uow.session.execute(
            select(Project.code, Rectification.id).join(Rectification, Rectification.project_id == Project.id)
            .where(Project.status == "rectifying", Rectification.status == "open", Rectification.deadline < today)
            .order_by(Rectification.deadline, Project.code))]


def suspend_overdue(db: Database, today: dt.date | None = None, started_by: Actor | None = None
                    ) -> tuple[list[Suspension], list[tuple[str, str]]]:
    """Suspend the funds of every project whose rectification deadline has passed, each in its own transaction."""
    today = today or clock.today()
    done: list[Suspension] = []
    failed: list[tuple[str, str]] = []
    who = started_by.username if started_by else "system"
    for code, rid in _passed_deadlines(db, today):
        try:
            with db.uow(SYSTEM_ACTOR) as uow:
                r = uow.session.get(Rectification, rid)
                assert r is not None
                result = run_action(uow, code, "suspend", {
                    "on": today, "reason": f"整改期限（{r.deadline}）届满，未完成整改（系统自动执行）"})
                p = uow.session.scalar(select(Project).where(Project.code == code))
                assert p is not None
                body = (f"{p.department.name}：你单位实施的“{p.name}”（{code}）经{r.doc_no or '整改通知'}责令限期整改，"
                        f"整改期限为{r.deadline}。期限已届满，未完成整改。依据《政务大数据项目建设应用管理办法》"
                        f"第二十二条，自{today}起暂停拨付该项目建设和运维资金，直至整改完成。")
                notice = Notice(project_id=p.id, kind="funds_suspended", issued_on=today,
                                title=f"关于暂停拨付“{p.name}”项目资金的通知", body=body, issued_by=SYSTEM_ACTOR.username)
                uow.session.add(notice)
                uow.session.flush()
                uow.audit("deadline.suspend", "project", code, {
                    "rectification": rid, "deadline": r.deadline, "notice": notice.id, "started_by": who,
                    "status": result.status})
                uow.commit()
                done.append(Suspension(code, p.name, p.department.name, p.department_id, r.deadline, r.doc_no,
                                       notice.id))
        except GovDataError as exc:  # the rules refused (e.g. changed meanwhile): listed for a person, never hidden
            failed.append((code, exc.message))
            log.warning("run-due could not suspend %s: %s", code, exc.message)
    return done, failed


def run_due(db: Database, today: dt.date | None = None, started_by: Actor | None = None) -> DueRun:
    """Act on every deadline that has passed, then list what is overdue or due soon."""
    today = today or clock.today()
    done, failed = suspend_overdue(db, today, started_by)
    reader = started_by or SYSTEM_ACTOR
    visible = can(reader, "project.read")
    if visible:
        with db.uow(reader, write=False) as uow:  # what the person may see (a clerk: the own department)
            board = dashboard(uow, today=today)
            due = tuple(i for i in board.items if i.kind in OVERDUE_KINDS and (i.overdue or i.due is not None))
    else:
        due = ()
    with db.uow(SYSTEM_ACTOR) as uow:
        uow.audit("deadline.run", None, None, {"today": today, "suspended": [s.code for s in done],
                                               "failed": [c for c, _ in failed], "overdue": sum(i.overdue for i in due),
                                               "started_by": started_by.username if started_by else "system"})
        uow.commit()
    shown = [s for s in done if can(reader, "project.read", s.department_id)]  # a clerk: the own department's
    return DueRun(today, tuple(shown), tuple(failed) if visible else (), due, visible)


@dataclass(frozen=True)
class NoticeView:
    id: int
    code: str
    project: str
    kind: str
    issued_on: dt.date
    title: str
    body: str
    issued_by: str  # 系统 for an automatic act


def list_notices(uow: UnitOfWork, code: str | None = None) -> list[NoticeView]:
    """The notices the program recorded (e.g. funds suspended when a deadline passed), newest first."""
    require(uow.actor, "project.read")
    stmt = select(Notice, Project.code, Project.name, Project.department_id).join(
        Project, Notice.project_id == Project.id).order_by(Notice.issued_on.desc(), Notice.id.desc())
    if code:
        stmt = stmt.where(Project.code == code)
    out = []
    for n, pcode, name, dept in uow.session.execute(stmt):
        if not can(uow.actor, "project.read", dept):
            continue
        out.append(NoticeView(n.id, pcode, name, n.kind, n.issued_on, n.title, n.body,
                              "系统" if n.issued_by == SYSTEM_ACTOR.username else n.issued_by))
    return out

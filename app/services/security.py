"""Security records of the measure (第二十六—二十九条): the daily monitoring view, the incident register, drill log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from app.errors import InputError, NotFoundError
from app.models import AuditRecord, Drill, EmergencyPlan, Incident, Project, User
from app.models.base import utcnow
from app.services import audit
from app.services.permissions import require
from app.storage import auditchain, auditkey, backup, crypto, guard
from app.storage.database import UnitOfWork, sqlite_path

SEVERITIES = ("特别重大", "重大", "较大", "一般")


@dataclass(frozen=True)
class Monitoring:
    """One day's monitoring: what the security and audit administrators look at each morning."""

    since: dt.datetime
    failed_sign_ins: int
    failed_by_user: tuple[tuple[str, int], ...]
    refused_actions: int
    locked_accounts: tuple[str, ...]
    crypto_module: str
    crypto_self_test_ok: bool
    integrity_ok: bool | None  # None: not checked (PostgreSQL)
    integrity_message: str
    backup_newest: dt.datetime | None
    backup_message: str
    audit_ok: bool
    audit_message: str
    audit_first_broken: int | None

    @property
    def all_ok(self) -> bool:
        return (self.crypto_self_test_ok and self.integrity_ok is not False and self.audit_ok
                and self.backup_newest is not None)


def monitoring(uow: UnitOfWork, now: dt.datetime | None = None, hours: int = 24) -> Monitoring:
    require(uow.actor, "security.monitor", action="security.monitoring")
    now = now or utcnow()
    since = now - dt.timedelta(hours=hours)
    s = uow.session
    failed = s.execute(select(AuditRecord.user, func.count()).where(
        AuditRecord.action == "sign_in", AuditRecord.outcome.in_(("failed", "refused")), AuditRecord.at >= since)
        .group_by(AuditRecord.user).order_by(func.count().desc())).all()
    refused = s.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.outcome == "refused", AuditRecord.action != "sign_in", AuditRecord.at >= since)) or 0
    locked = tuple(s.scalars(select(User.username).where(User.locked_until > now).order_by(User.username)))
    name, failed_kat = crypto.self_test_status()
    integrity_ok, integrity_msg = _integrity(uow)
    newest, backup_msg = _backup_status(uow, dt.datetime.now())  # backup names are in local time
    report = auditchain.verify(s)
    return Monitoring(since, sum(n for _, n in failed), tuple((u, n) for u, n in failed), refused, locked,
                      name, not failed_kat, integrity_ok, integrity_msg, newest, backup_msg,
                      report.ok, report.summary(), report.first_broken)


def _integrity(uow: UnitOfWork) -> tuple[bool | None, str]:
    if not uow.db.is_sqlite:
        return None, "共享数据库的完整性由服务器检查"
    path = sqlite_path(uow.db.url)
    rows = guard.quick_check(path) if path is not None else []  # its own read-only connection, damaged bytes quoted
    return (True, "数据库完整性检查通过") if not rows else (False, "数据库完整性检查发现问题：" + "；".join(rows[:3]))


def _backup_status(uow: UnitOfWork, local_now: dt.datetime) -> tuple[dt.datetime | None, str]:
    path = sqlite_path(uow.db.url)
    if path is None:
        return None, "共享数据库由服务器备份（pg_dump），本机无记录"
    found = backup.list_backups(path.stem)
    if not found:
        return None, "尚无备份"
    newest = max(b.taken_at for b in found)
    age = (local_now - newest).total_seconds() / 86400
    return newest, f"最近一次备份：{newest:%Y-%m-%d %H:%M}" + ("（已超过 1 天，请检查自动备份）" if age > 1 else "")


# ---------------------------------------------------------------- incidents and drills (第二十九条)

@dataclass(frozen=True)
class IncidentView:
    id: int
    project_id: int | None
    occurred_at: dt.datetime
    severity: str
    title: str
    description: str | None
    handling: str | None
    reported_to: str | None
    reported_on: dt.date | None
    closed_on: dt.date | None


def _incident_view(i: Incident) -> IncidentView:
    return IncidentView(i.id, i.project_id, i.occurred_at, i.severity, i.title, i.description, i.handling,
                        i.reported_to, i.reported_on, i.closed_on)


def record_incident(uow: UnitOfWork, title: str, occurred_at: dt.datetime, severity: str = "一般",
                    project_id: int | None = None, description: str | None = None) -> IncidentView:
    require(uow.actor, "security.records", action="incident.add", object_id=title)
    if severity not in SEVERITIES:
        raise InputError(f"事件级别应为：{'、'.join(SEVERITIES)}")
    if not title.strip():
        raise InputError("请填写事件名称")
    i = Incident(title=title.strip(), occurred_at=occurred_at, severity=severity, project_id=project_id,
                 description=description)
    uow.session.add(i)
    uow.session.flush()
    uow.audit("incident.add", "incident", i.id, {"after": {"title": i.title, "severity": severity}})
    return _incident_view(i)


def update_incident(uow: UnitOfWork, incident_id: int, *, handling: str | None = None,
                    reported_to: str | None = None, reported_on: dt.date | None = None,
                    closed_on: dt.date | None = None) -> IncidentView:
    """Record the handling and the report to the authorities (第二十九条: keep handling records, report)."""
    require(uow.actor, "security.records", action="incident.update", object_id=incident_id)
    i = uow.session.get(Incident, incident_id)
    if i is None:
        raise NotFoundError(f"没有这个安全事件：{incident_id}")
    before = {"handling": i.handling, "reported_to": i.reported_to, "reported_on": i.reported_on,
              "closed_on": i.closed_on}
    for name, value in (("handling", handling), ("reported_to", reported_to), ("reported_on", reported_on),
                        ("closed_on", closed_on)):
        if value is not None:
            setattr(i, name, value)
    uow.audit("incident.update", "incident", i.id, {"before": before, "after": {
        "handling": i.handling, "reported_to": i.reported_to, "reported_on": i.reported_on, "closed_on": i.closed_on}})
    return _incident_view(i)


def list_incidents(uow: UnitOfWork, open_only: bool = False) -> list[IncidentView]:
    require(uow.actor, "security.records", action="incident.list")
    q = select(Incident).order_by(Incident.occurred_at.desc())
    if open_only:
        q = q.where(Incident.closed_on.is_(None))
    return [_incident_view(i) for i in uow.session.scalars(q)]


@dataclass(frozen=True)
class DrillView:
    id: int
    plan_id: int
    plan_title: str
    drilled_on: dt.date
    scenario: str
    participants: str | None
    result: str | None
    issues: str | None


def add_plan(uow: UnitOfWork, title: str, project_id: int | None = None, contractor_id: int | None = None,
             version: str | None = None, approved_on: dt.date | None = None) -> int:
    require(uow.actor, "security.records", action="emergency_plan.add", object_id=title)
    plan = EmergencyPlan(title=title, project_id=project_id, contractor_id=contractor_id, version=version,
                         approved_on=approved_on)
    uow.session.add(plan)
    uow.session.flush()
    uow.audit("emergency_plan.add", "emergency_plan", plan.id, {"after": {"title": title, "version": version}})
    return plan.id


def record_drill(uow: UnitOfWork, plan_id: int, drilled_on: dt.date, scenario: str,
                 participants: str | None = None, result: str | None = None, issues: str | None = None) -> DrillView:
    require(uow.actor, "security.records", action="drill.add", object_id=plan_id)
    plan = uow.session.get(EmergencyPlan, plan_id)
    if plan is None:
        raise NotFoundError(f"没有这个应急预案：{plan_id}")
    d = Drill(plan_id=plan_id, drilled_on=drilled_on, scenario=scenario, participants=participants, result=result,
              issues=issues)
    uow.session.add(d)
    uow.session.flush()
    uow.audit("drill.add", "drill", d.id, {"after": {"plan": plan.title, "drilled_on": drilled_on,
                                                    "scenario": scenario}})
    return DrillView(d.id, plan_id, plan.title, drilled_on, scenario, participants, result, issues)


def list_drills(uow: UnitOfWork) -> list[DrillView]:
    require(uow.actor, "security.records", action="drill.list")
    rows = uow.session.execute(select(Drill, EmergencyPlan.title).join(EmergencyPlan).order_by(Drill.drilled_on.desc()))
    return [DrillView(d.id, d.plan_id, t, d.drilled_on, d.scenario, d.participants, d.result, d.issues)
            for d, t in rows]


def plans_without_recent_drill(uow: UnitOfWork, today: dt.date, months: int = 12) -> list[str]:
    """Titles of emergency plans not drilled in the last `months` months (第二十九条: 定期组织演练)."""
    require(uow.actor, "security.records", action="drill.list")
    cutoff = today - dt.timedelta(days=months * 30)
    last = select(Drill.plan_id, func.max(Drill.drilled_on).label("last")).group_by(Drill.plan_id).subquery()
    rows = uow.session.execute(select(EmergencyPlan.title, last.c.last).outerjoin(last, last.c.plan_id ==
                                                                               EmergencyPlan.id))
    return [t for t, d in rows if d is None or d < cutoff]


# ---------------------------------------------------------------- exports (each export leaves an audit record)

INCIDENT_HEADERS = ("序号", "发生时间", "事件级别", "事件名称", "所属项目", "事件经过", "处置情况", "报告对象",
                    "报告日期", "办结日期", "状态")
DRILL_HEADERS = ("序号", "演练日期", "应急预案", "演练场景", "参加人员", "演练结果", "发现的问题")


def _day(d: dt.date | None) -> str | None:
    return None if d is None else f"{d.year}年{d.month}月{d.day}日"


def export_incidents(uow: UnitOfWork, path: str | Path, open_only: bool = False) -> int:
    """The incident register (第二十九条) to Excel; returns the number of incidents. The caller commits."""
    items = list_incidents(uow, open_only=open_only)
    ids = {i.project_id for i in items if i.project_id}
    codes = {i: c for i, c in uow.session.execute(select(Project.id, Project.code).where(Project.id.in_(ids)))}
    rows = ([n, f"{i.occurred_at:%Y-%m-%d %H:%M}", i.severity, i.title, codes.get(i.project_id) if i.project_id else None, i.description,
             i.handling, i.reported_to, _day(i.reported_on), _day(i.closed_on), "已办结" if i.closed_on else "处置中"]
            for n, i in enumerate(items, start=1))
    audit.write_sheet(path, "安全事件登记", INCIDENT_HEADERS, rows, (6, 17, 9, 28, 14, 36, 36, 14, 14, 14, 8))
    uow.audit("incident.export", "incident", None, {"file": str(path), "count": len(items)})
    return len(items)


def export_drills(uow: UnitOfWork, path: str | Path) -> int:
    """The drill log (第二十九条) to Excel; returns the number of drills. The caller commits."""
    items = list_drills(uow)
    rows = ([n, _day(d.drilled_on), d.plan_title, d.scenario, d.participants, d.result, d.issues]
            for n, d in enumerate(items, start=1))
    audit.write_sheet(path, "应急演练记录", DRILL_HEADERS, rows, (6, 16, 32, 28, 28, 28, 28))
    uow.audit("drill.export", "drill", None, {"file": str(path), "count": len(items)})
    return len(items)


def monitoring_rows(m: Monitoring) -> list[tuple[str, str, str]]:
    """The daily monitoring view as (item, finding, verdict) lines, for the screen, the print and the export."""
    def verdict(ok: bool | None) -> str:
        return "—" if ok is None else ("正常" if ok else "异常")

    by_user = "、".join(f"{u} {n} 次" for u, n in m.failed_by_user)
    return [
        ("统计时段", f"{m.since:%Y-%m-%d %H:%M} 起 24 小时（UTC）", "—"),
        ("失败登录", f"{m.failed_sign_ins} 次" + (f"（{by_user}）" if by_user else ""), verdict(m.failed_sign_ins == 0)),
        ("被拒绝的操作", f"{m.refused_actions} 次", verdict(m.refused_actions == 0)),
        ("锁定的账户", "、".join(m.locked_accounts) or "无", verdict(not m.locked_accounts)),
        ("密码模块自检", f"{m.crypto_module}：{'通过' if m.crypto_self_test_ok else '未通过'}",
         verdict(m.crypto_self_test_ok)),
        ("数据库完整性", m.integrity_message, verdict(m.integrity_ok)),
        ("备份", m.backup_message, verdict(m.backup_newest is not None)),
        ("审计记录校验链", m.audit_message, verdict(m.audit_ok)),
        ("总体", "各项检查均正常" if m.all_ok else "有需要处理的异常", verdict(m.all_ok)),
    ]


def export_monitoring(uow: UnitOfWork, path: str | Path, now: dt.datetime | None = None) -> Monitoring:
    """Today's monitoring (第二十六条) to Excel, to file with the day's records. The caller commits."""
    m = monitoring(uow, now)
    audit.write_sheet(path, "日常安全监测", ("检查项", "情况", "结论"), monitoring_rows(m), (16, 70, 8))
    uow.audit("security.monitoring.export", "monitoring", None, {"file": str(path), "all_ok": m.all_ok})
    return m


# ---------------------------------------------------------------- the audit key (app.storage.auditkey)

def key_status_lines(uow: UnitOfWork) -> list[str]:
    """What `security key status` prints: where this PC keeps the key, whether the administrators' copy exists."""
    require(uow.actor, "security.monitor", action="security.key_status")
    st = auditkey.status(uow.session)
    if st.key_id is None:
        return ["该数据库尚未生成审计密钥（第一次写入时自动生成）。", f"本机保存位置：{st.location}"]
    lines = [f"审计密钥编号：{st.key_id[:8]}",
             "本机：" + ("持有该密钥（" + st.location + "）" if st.present else "没有该密钥（不能写入；查询不受影响）"),
             "管理员口令保护的副本：" + ("有（其他电脑可用 govdata security key unlock 解锁）" if st.wrapped else
                                  "无（请安全管理员执行 govdata security key wrap；否则数据库换到其他电脑后无法写入）")]
    if st.retired:
        lines.append(f"曾因原密钥丢失更换密钥 {st.retired} 次：更换前的记录无法核验")
    if not uow.db.is_sqlite and not st.wrapped:
        lines.append("注意：共享数据库的每台电脑都需要同一把审计密钥，请尽快设置管理员口令保护。")
    return lines


def wrap_key(uow: UnitOfWork, passphrase: str) -> str:
    require(uow.actor, "audit.key", action="audit.key_wrap")
    row = auditkey.wrap(uow.session, passphrase)
    uow.audit("audit.key_wrap", "audit_key", row.key_id[:8])
    return (f"已用管理员口令保护审计密钥（编号 {row.key_id[:8]}）的副本并存入数据库。"
            "请将口令交由系统管理员和安全管理员分别保管；口令不存放在任何电脑上。")


def unlock_key(uow: UnitOfWork, passphrase: str) -> str:
    require(uow.actor, "audit.key", action="audit.key_unlock")
    row, where = auditkey.unlock(uow.session, passphrase)
    uow.audit("audit.key_unlock", "audit_key", row.key_id[:8], {"kept": where})
    return f"已在本机解锁审计密钥（编号 {row.key_id[:8]}），保存在{where}。"


def replace_lost_key(uow: UnitOfWork) -> str:
    require(uow.actor, "users.security", action="audit.key_new")
    old, new = auditkey.replace_lost(uow.session)
    uow.audit("audit.key_new", "audit_key", new.key_id[:8], {"lost": old.key_id[:8], "first_id": new.first_id})
    return (f"已启用新的审计密钥（编号 {new.key_id[:8]}）。原密钥（编号 {old.key_id[:8]}）签名的记录从此无法核验，"
            "核验时会列出。请执行 govdata security key wrap 用管理员口令保护新密钥。")

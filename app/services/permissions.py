"""Who may do what. Checked in the service layer, so the window and the command line obey the same rules."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.actor import Actor
from app.domain.vocabulary import ROLE_LABELS
from app.errors import PermissionDenied

PROJECT_READ = "project.read"
PERMISSION_LABELS: dict[str, str] = {
    "project.read": "查看项目",
    "project.read_all": "查看全部单位项目",
    "project.register": "登记、修改项目",
    "plan.edit": "编制规划和年度计划",
    "review": "技术审核",
    "approve": "审批立项（主管部门领导）",
    "budget": "安排预算",
    "publicize": "资金拟分配计划公示",
    "contract": "登记和备案合同",
    "payment": "拨付资金",
    "change.request": "提交调整申请",
    "change.decide": "审核调整申请",
    "acceptance.request": "初步验收和验收申请",
    "acceptance.joint": "联合验收",
    "om.request": "申请运维经费",
    "om.decide": "审核运维经费（主管部门）",
    "om.review": "主管部门审核运维经费（第二十一条）",
    "objection": "登记和处理公示异议",
    "accountability": "登记资金损失和责任追究",
    "rectification": "责令整改、暂停拨付、终止项目",
    "evaluate": "绩效评价",
    "security.records": "安全记录（测评、事件、预案演练）",
    "master.edit": "维护基础数据",
    "settings.edit": "修改系统设置",
    "users.manage": "管理账户",
    "users.security": "角色、口令和解锁",
    "audit.view": "查看和导出审计记录",
    "audit.key": "管理审计密钥（管理员口令保护、本机解锁）",
    "security.monitor": "日常安全监测",
    "import": "导入Excel",
    "export": "导出",
    "print": "打印表单",
    "backup": "备份与恢复",
    "personal.read": "查看联系人电话、身份证号等个人信息",
}

_PROJECT_WORK = {"project.read", "project.read_all", "export", "print"}
# Separation of duties (第四条): the bureau reviews (reviewer), the bureau's leader approves (bureau_leader), finance
# budgets and pays (finance), a department registers, signs and files its own contracts (clerk). Besides this
# table, one rule needs the facts: the person who reviewed a project does not approve it (lifecycle).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "reviewer": frozenset(_PROJECT_WORK | {
        "project.register", "plan.edit", "review", "publicize", "change.decide", "acceptance.joint",
        "acceptance.request", "om.decide", "rectification", "evaluate", "security.records", "master.edit",
        "import", "personal.read", "om.review", "objection", "accountability",
    }),
    "bureau_leader": frozenset(_PROJECT_WORK | {"approve"}),
    "finance": frozenset(_PROJECT_WORK | {"budget", "payment"}),
    "clerk": frozenset({
        "project.read", "project.register", "contract", "change.request", "acceptance.request",
        "om.request", "security.records", "export", "print", "import", "personal.read",
    }),
    "leader": frozenset({"project.read", "project.read_all", "export", "print"}),
    "sysadmin": frozenset({"users.manage", "settings.edit", "master.edit", "backup", "security.monitor", "audit.key"}),
    "secadmin": frozenset({"users.security", "security.monitor", "audit.key"}),
    "auditor": frozenset({"audit.view", "security.monitor"}),
    # before the first account exists, commands run as the setup account
    "setup": frozenset(PERMISSION_LABELS),
    "system": frozenset(PERMISSION_LABELS),
}
# the program's own actors: the setup account before the first account exists, and the system's automatic acts
PROGRAM_ROLES = ("setup", "system")
# the roles a person can hold, in the order the table shows them (the program's own actors are left out)
DUTY_ROLES = ("reviewer", "bureau_leader", "finance", "clerk", "leader", "sysadmin", "secadmin", "auditor")


def permissions_of(actor: Actor) -> frozenset[str]:
    perms: set[str] = set()
    for role in actor.all_roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def can(actor: Actor, permission: str, department_id: int | None = None) -> bool:
    perms = permissions_of(actor)
    if permission not in perms:
        return False
    if department_id is not None and "project.read_all" not in perms:
        return actor.department_id == department_id
    return True


# the acts the measure divides between the bureau, its leader, finance and the departments (第四条 分工负责)
MEASURE_DUTIES = frozenset({
    "project.register", "plan.edit", "review", "approve", "budget", "publicize", "contract", "payment",
    "change.request", "change.decide", "acceptance.request", "acceptance.joint", "om.request", "om.decide",
    "om.review", "objection", "accountability", "rectification", "evaluate", "security.records",
})
# the three administrators' own work (三员分立), and the project data none of them handles
ADMIN_DUTIES = frozenset({"users.manage", "users.security", "settings.edit", "audit.view", "audit.key",
                          "security.monitor", "backup"})
ADMIN_ROLES = frozenset({"sysadmin", "secadmin", "auditor"})
PROJECT_DATA = frozenset({"project.read", "project.read_all", "export", "print", "import", "personal.read"})


def holders(permission: str) -> str:
    """The roles that hold a permission, as people say them (主管部门审核员、实施单位填报员)."""
    return "、".join(ROLE_LABELS[r] for r in DUTY_ROLES if permission in ROLE_PERMISSIONS[r])


def duty_note(actor: Actor, permission: str, label: str | None = None) -> str:
    """Why the refusal, when it is a matter of whose duty the act is: the measure's division of duties (第四条)
    names who does it; the administrators' separation (三员分立) names theirs. '' for anything else."""
    what = label or PERMISSION_LABELS.get(permission, permission)
    if permission in MEASURE_DUTIES:
        return f"（第四条 分工负责：“{what}”由{holders(permission) or '指定人员'}办理）"
    if permission in ADMIN_DUTIES:
        return f"（三员分立：“{what}”由{holders(permission) or '指定管理员'}办理）"
    if permission in PROJECT_DATA and actor.all_roles and set(actor.all_roles) <= ADMIN_ROLES:
        return "（三员分立：系统管理员、安全管理员、审计管理员不查看、不操作项目数据）"
    return ""


def refusal_message(actor: Actor, permission: str, department_id: int | None = None, *,
                    label: str | None = None) -> str:
    """The Chinese refusal of a permission (`label`: the act as the caller names it, e.g. a lifecycle action)."""
    role = "、".join(ROLE_LABELS.get(r, r) for r in actor.all_roles)
    what = PERMISSION_LABELS.get(permission, permission)
    if permission in permissions_of(actor) and department_id is not None:
        return (f"无权操作其他单位的项目：{role}只能{what}本单位的项目"
                "（第四条 分工负责：实施单位负责本单位具体项目的建设需求及运行相关工作）")
    return f"无权{what}（当前角色：{role}）{duty_note(actor, permission, label)}"


def require(actor: Actor, permission: str, department_id: int | None = None, *, action: str | None = None,
            object_id: object = None) -> None:
    """Raise PermissionDenied (in Chinese) unless the actor may do this (for that department's project).

    `action` (and `object_id`) name the refused action in its audit record; otherwise the permission does."""
    if not can(actor, permission, department_id):
        exc = PermissionDenied(refusal_message(actor, permission, department_id))
        exc.permission = permission
        if action:
            exc.refusing(action, action.split(".")[0], object_id, permission=permission)
        raise exc


# ---------------------------------------------------------------- the table a person reads

SEPARATION_RULES = (
    "主管部门审核员负责技术审核，主管部门领导负责审批立项（第四、七、八条）；同一项目的技术审核与审批立项须由不同人员办理",
    "财政人员负责安排预算和拨付资金（第四、十条）；实施单位填报员不能登记资金拨付",
    "实施单位签订并报备本单位的合同（第十三—十五条）；主管部门不代为登记合同",
    "运维经费须经主管部门审核后由财政部门列入预算（第二十一条）；财政人员不能审核运维经费",
    "系统管理员、安全管理员、审计管理员三员分立，不兼任业务角色，不操作项目数据",
    "实施单位填报员只能办理本单位的项目",
)


@dataclass(frozen=True)
class DutyRow:
    permission: str
    label: str
    roles: tuple[str, ...]  # the roles that have it, in DUTY_ROLES order


@dataclass(frozen=True)
class DutyTable:
    """Who may do what (the security administrator's view: `govdata duties`, the window's 安全管理)."""

    roles: tuple[tuple[str, str], ...]  # (key, Chinese label) of each column
    rows: tuple[DutyRow, ...]
    rules: tuple[str, ...]  # the separations the table alone cannot show

    def has(self, role: str, permission: str) -> bool:
        return any(r.permission == permission and role in r.roles for r in self.rows)


def duty_table() -> DutyTable:
    rows = tuple(DutyRow(p, label, tuple(r for r in DUTY_ROLES if p in ROLE_PERMISSIONS[r]))
                 for p, label in PERMISSION_LABELS.items())
    return DutyTable(tuple((r, ROLE_LABELS[r]) for r in DUTY_ROLES), rows, SEPARATION_RULES)

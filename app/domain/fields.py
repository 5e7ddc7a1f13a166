"""A project's fields, declared once: the key (the attribute of `Project` and of the services' `ProjectView`), the
Chinese label a person reads, the kind of value, whether it is required, its longest length (the schema's, checked
against app/models/project.py by a test), its choices and its unit.

The project form, the Excel importer, the ledger and the fill-in template, the register's columns and the command
line's labels read them from here, so a field is named the same way everywhere and a new one is added in one place.

    from app.domain.fields import FIELDS, field, label, heading
    label("total_fen")                  # '总投资'
    heading("total_fen", "万元")         # '总投资（万元）'
    field("category").choices           # the categories of 第三条

Money is stored in integer 分 and typed by a person in 元 (`unit` "元"); a document may show it in 万元 (the ledger,
the template), which is that document's choice. 建设周期 is a whole number of months (`unit` "月").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.domain.vocabulary import CATEGORIES, NATURES, STATUS_LABELS

Kind = Literal["text", "money", "int", "choice", "bool", "date"]


@dataclass(frozen=True)
class ProjectField:
    key: str  # the Project / ProjectView attribute
    label: str  # what a person reads
    kind: Kind
    required: bool = False
    max_len: int | None = None  # the schema's String(n); None for Text and non-text kinds
    choices: tuple[str, ...] = ()
    unit: str | None = None  # 元 for money (stored in 分), 月 for 建设周期
    group: str | None = None  # a heading over several fields (资金来源 over the three sources)
    json_key: str | None = None  # the key in `govdata projects --json` (None: not in it)
    multiline: bool = False  # free text kept as written (line breaks)
    editable: bool = True  # a department fills it in (the form); False: given by the program

    def heading(self, unit: str | None = None) -> str:
        """The label with its unit, as a column heading: '总投资（万元）', '建设周期（月）'."""
        u = unit or self.unit
        return f"{self.label}（{u}）" if u else self.label


FIELDS: tuple[ProjectField, ...] = (
    ProjectField("code", "项目编号", "text", max_len=40, json_key="code", editable=False),
    ProjectField("name", "项目名称", "text", required=True, max_len=200, json_key="name"),
    ProjectField("department", "实施单位", "choice", required=True, max_len=100, json_key="department"),
    ProjectField("year", "年度", "int", required=True, json_key="year"),
    ProjectField("category", "项目类别", "choice", required=True, max_len=32, choices=CATEGORIES, json_key="category"),
    ProjectField("nature", "建设性质", "choice", required=True, max_len=16, choices=NATURES, json_key="nature"),
    ProjectField("status", "状态", "choice", max_len=32, choices=tuple(STATUS_LABELS), json_key="status",
                 editable=False),
    ProjectField("total_fen", "总投资", "money", required=True, unit="元", json_key="total_investment_yuan"),
    ProjectField("county_fen", "县级财政资金", "money", unit="元", group="资金来源", json_key="county_funds_yuan"),
    ProjectField("upper_fen", "上级补助资金", "money", unit="元", group="资金来源", json_key="upper_funds_yuan"),
    ProjectField("other_fen", "其他资金", "money", unit="元", group="资金来源", json_key="other_funds_yuan"),
    ProjectField("year_request_fen", "本年申请资金", "money", required=True, unit="元", json_key="year_request_yuan"),
    ProjectField("period_months", "建设周期", "int", unit="月", json_key="period_months"),
    ProjectField("responsible_person", "项目责任人", "text", max_len=50, json_key="responsible_person"),
    ProjectField("responsible_phone", "联系电话", "text", max_len=30),
    ProjectField("cobuilt", "市县协同建设", "bool", json_key="city_county_cobuilt"),
    ProjectField("city_share_fen", "市级承担资金", "money", unit="元", json_key="city_share_yuan"),
    ProjectField("county_share_fen", "县级承担资金", "money", unit="元", json_key="county_share_yuan"),
    ProjectField("cobuilt_scope", "事权划分", "text", multiline=True),
    ProjectField("content", "建设内容", "text", multiline=True, json_key="content"),
    ProjectField("note", "备注", "text", multiline=True),
)

BY_KEY: dict[str, ProjectField] = {f.key: f for f in FIELDS}
MONEY_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.kind == "money")
SOURCE_KEYS: tuple[str, ...] = ("county_fen", "upper_fen", "other_fen")  # add up to total_fen
SPLIT_KEYS: tuple[str, ...] = ("city_share_fen", "county_share_fen")  # add up to total_fen when co-built (第十二条)
LABELS: dict[str, str] = {f.key: f.label for f in FIELDS}


def field(key: str) -> ProjectField:
    return BY_KEY[key]


def label(key: str) -> str:
    """The Chinese label of a field; an unknown key is returned as it is (never an English key for a known one)."""
    f = BY_KEY.get(key)
    return f.label if f else key


def heading(key: str, unit: str | None = None) -> str:
    return BY_KEY[key].heading(unit)

"""The rules on a project's figures, shared by the form, the command line, the lifecycle and the Excel import: pure
(no query, no SQLAlchemy), so the import's own write path checks every row with them without loading the ORM."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.fields import BY_KEY
from app.domain.inputs import MAX_FEN, check_amount
from app.domain.money import fen_to_yuan_str
from app.domain.vocabulary import CATEGORIES, NATURES
from app.errors import InputError, RuleViolation

MONEY_FIELDS = ("total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen", "city_share_fen",
                "county_share_fen")
FIELD_LABELS = {k: (f.heading() if k == "period_months" else f.label) for k, f in BY_KEY.items()}  # app.domain.fields


def check_figures(values: dict[str, Any], split_pending: bool = False) -> None:
    """Validation shared by the form, the command line and the Excel import. `split_pending`: a co-built project
    whose city/county split is not entered yet (both 0) is let through, to be completed (imports from sheets
    without the split columns); a split that is entered must still add up."""
    get = values.get
    check_project_figures(get("name"), get("category"), get("nature"), [get(key) or 0 for key in MONEY_FIELDS],
                          get("period_months"), get("cobuilt"), split_pending)


def check_project_figures(name: object, category: object, nature: object, money: Sequence[Any], period: Any,
                          cobuilt: object, split_pending: bool = False) -> None:
    """check_figures on the values themselves, `money` in MONEY_FIELDS' order (the import checks each row so,
    without a dict per row)."""
    if not str(name or "").strip():
        raise InputError("项目名称不能为空")
    for v in money:
        if v.__class__ is not int or not 0 <= v <= MAX_FEN:  # what check_amount lets through as it is
            # each amount as check_amount takes it (negative, too large, not whole 分: refused), as int from here
            money = [check_amount(fen, FIELD_LABELS[key]) for key, fen in zip(MONEY_FIELDS, money, strict=True)]
            break
    if category not in CATEGORIES:
        raise InputError(f"项目类别“{category}”不在第三条所列类别中：{'、'.join(CATEGORIES)}")
    if nature not in NATURES:
        raise InputError(f"建设性质“{nature}”应为：{'、'.join(NATURES)}")
    # every amount is an int, 0 ≤ fen ≤ MAX_FEN, here: a negative one was refused above, naming it
    total, county, upper, other, year_request, city_share, county_share = money
    sources = county + upper + other
    if sources != total:
        raise InputError(
            f"资金来源合计 {fen_to_yuan_str(sources)} 元与总投资 {fen_to_yuan_str(total)} 元不一致（应精确到分）")
    if year_request > total:
        raise InputError("本年申请资金不能超过总投资")
    if period is not None and not (0 < int(period) <= 120):
        raise InputError("建设周期应为1—120个月")
    if cobuilt:
        split = city_share + county_share
        if split != total and not (split_pending and split == 0):
            raise RuleViolation("第十二条", "市县协同建设项目的市级、县级承担资金之和应等于总投资（按事权划分）")
    elif city_share:
        raise InputError("非市县协同建设项目不应填写市级承担资金")

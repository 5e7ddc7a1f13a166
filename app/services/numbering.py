"""Document numbers (文号) and project codes from sequences per pattern and year: no gap, no duplicate.

The increment is one UPDATE in the caller's transaction, so a rolled-back action gives its number back and two
writers never get the same one (SQLite: the write lock; PostgreSQL: the row lock of the UPDATE).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.db import UnitOfWork
from app.errors import InputError
from app.models import IssuedNumber, NumberSequence
from app.services.master import get_settings


def format_number(pattern: str, prefix: str, year: int, seq: int) -> str:
    try:
        return pattern.format(prefix=prefix, year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise InputError(f"编号格式设置有误：{pattern}（{exc}）") from None


def _next_seq(uow: UnitOfWork, key: str, year: int) -> int:
    s = uow.session
    for _ in range(3):
        result = s.execute(
            update(NumberSequence)
            .where(NumberSequence.key == key, NumberSequence.year == year)
            .values(last_value=NumberSequence.last_value + 1)
            .returning(NumberSequence.last_value)
        ).scalar()
        if result is not None:
            return int(result)
        try:
            with s.begin_nested():
                s.add(NumberSequence(key=key, year=year, last_value=0))
                s.flush()
        except IntegrityError:
            pass  # another writer created it first; loop and increment
    raise RuntimeError("could not create the number sequence")


def issue_number(uow: UnitOfWork, key: str, year: int, purpose: str | None = None) -> str:
    """Issue the next number of pattern `key` ('approval', 'project', ...) for `year`."""
    settings = get_settings(uow)
    pattern = settings.get(f"pattern.{key}")
    if not pattern:
        raise InputError(f"没有“{key}”的编号格式设置")
    # kinds that share one pattern (e.g. 沁审管发〔2027〕N号 for approvals and notices) share one sequence
    seq_key = min(k.removeprefix("pattern.") for k, v in settings.items() if k.startswith("pattern.") and v == pattern)
    seq = _next_seq(uow, seq_key, year)
    number = format_number(pattern, settings["doc_prefix"], year, seq)
    uow.session.add(IssuedNumber(key=seq_key, year=year, seq=seq, number=number, purpose=purpose))
    uow.session.flush()
    return number


def register_external_number(uow: UnitOfWork, key: str, year: int, number: str, purpose: str | None) -> None:
    """A number typed by hand (issued outside the program): refused if it was already used."""
    taken = uow.session.scalar(select(IssuedNumber).where(IssuedNumber.number == number))
    if taken is not None:
        raise InputError(f"文号已被使用：{number}（{taken.purpose or ''}）")
    seq = _next_seq(uow, "external", year)
    uow.session.add(IssuedNumber(key="external", year=year, seq=seq, number=number, purpose=f"{key}: {purpose or ''}"))
    uow.session.flush()

"""Document numbers (文号) and project codes from sequences per pattern and year: no gap, no duplicate.

The increment is one UPDATE in the caller's transaction, so a rolled-back action gives its number back and two
writers never get the same one (SQLite: the write lock; PostgreSQL: the row lock of the UPDATE).
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.errors import InputError
from app.models import IssuedNumber, NumberSequence
from app.services.master import get_settings
from app.storage.database import UnitOfWork


def format_number(pattern: str, prefix: str, year: int, seq: int) -> str:
    try:
        return pattern.format(prefix=prefix, year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise InputError(f"编号格式设置有误：{pattern}（{exc}）") from None


def _advance(uow: UnitOfWork, key: str, year: int, n: int) -> int:
    """Add n to the sequence in one UPDATE (creating it on first use) and return its new last value."""
    s = uow.session
    for _ in range(3):
        result = s.execute(
            update(NumberSequence)
            .where(NumberSequence.key == key, NumberSequence.year == year)
            .values(last_value=NumberSequence.last_value + n)
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


def issue_numbers(uow: UnitOfWork, key: str, year: int, n: int, purpose: str | None = None) -> list[str]:
    """Issue the next n numbers of pattern `key` ('approval', 'project', ...) for `year`, consecutively."""
    settings = get_settings(uow)
    pattern = settings.get(f"pattern.{key}")
    if not pattern:
        raise InputError(f"没有“{key}”的编号格式设置")
    if n <= 0:
        return []
    # kinds that share one pattern (e.g. 沁审管发〔2027〕N号 for approvals and notices) share one sequence
    seq_key = min(k.removeprefix("pattern.") for k, v in settings.items() if k.startswith("pattern.") and v == pattern)
    first = _advance(uow, seq_key, year, n) - n + 1
    numbers = [format_number(pattern, settings["doc_prefix"], year, seq) for seq in range(first, first + n)]
    uow.session.execute(insert(IssuedNumber), [
        {"key": seq_key, "year": year, "seq": seq, "number": number, "purpose": purpose}
        for seq, number in zip(range(first, first + n), numbers, strict=True)])
    return numbers


def issue_number(uow: UnitOfWork, key: str, year: int, purpose: str | None = None) -> str:
    """Issue the next number of pattern `key` for `year`."""
    return issue_numbers(uow, key, year, 1, purpose)[0]


def register_external_number(uow: UnitOfWork, key: str, year: int, number: str, purpose: str | None) -> None:
    """A number typed by hand (issued outside the program): refused if it was already used."""
    taken = uow.session.scalar(select(IssuedNumber).where(IssuedNumber.number == number))
    if taken is not None:
        raise InputError(f"文号已被使用：{number}（{taken.purpose or ''}）")
    seq = _advance(uow, "external", year, 1)
    uow.session.add(IssuedNumber(key="external", year=year, seq=seq, number=number, purpose=f"{key}: {purpose or ''}"))
    uow.session.flush()

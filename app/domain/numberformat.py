"""Document numbers (文号) and project codes as the settings write them: the pattern of a kind of number and the
sequence it draws from (kinds with the same pattern share one), and a number's text. Pure: the numbering service
(app.services.numbering) and the import's own write path (app.services.importsql) issue numbers with these."""

from __future__ import annotations

from app.errors import InputError


def format_number(pattern: str, prefix: str, year: int, seq: int) -> str:
    try:
        return pattern.format(prefix=prefix, year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise InputError(f"编号格式设置有误：{pattern}（{exc}）") from None


def format_numbers(pattern: str, prefix: str, year: int, seqs: range) -> list[str]:
    """format_number for each of `seqs` (a batch of project codes: one mapping reused, no call per number)."""
    values: dict[str, object] = {"prefix": prefix, "year": year}
    out = []
    try:
        for seq in seqs:
            values["seq"] = seq
            out.append(pattern.format_map(values))
    except (KeyError, IndexError, ValueError) as exc:
        format_number(pattern, prefix, year, seq)  # raises format_number's own message (format_map words some apart)
        raise InputError(f"编号格式设置有误：{pattern}（{exc}）") from None
    return out


def sequence_of(settings: dict[str, str], key: str) -> tuple[str, str]:
    """(pattern, sequence key) of the numbers of kind `key` ('approval', 'project', ...): kinds that share one
    pattern (e.g. 沁审管发〔2027〕N号 for approvals and notices) share one sequence."""
    pattern = settings.get(f"pattern.{key}")
    if not pattern:
        raise InputError(f"没有“{key}”的编号格式设置")
    return pattern, min(k.removeprefix("pattern.") for k, v in settings.items() if k.startswith("pattern.") and v == pattern)

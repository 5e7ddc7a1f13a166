"""Excel in and out: department budget sheets, estimates, ledgers and fill-in templates. No Qt, no database.

Reading (python-calamine; .xlsx/.xlsm/.xlsb, legacy .xls, .ods, chosen by content, not by extension):

    from app.excel import read_summary, read_estimate
    result = read_summary(path, sheet=None, mapping_override=None, year=None, unit_override=None)
    result.sheet, result.sheets          # detected sheet, all sheets
    result.header_rows                   # Excel row numbers of the header (one or two levels)
    result.columns                       # [ColumnInfo(field, letter, header, unit)] — unit '元'/'万元' per amount column
    result.rows                          # [SummaryRow(row, name, department, year, ..., total_fen, county_fen, ...)]
    result.skipped                       # [SkippedRow(row, reason)] group, subtotal, total, note rows
    result.errors                        # [CellError(sheet, row, column, message)] — empty when result.ok
    result.warnings, result.totals_fen()
    estimate = read_estimate(path)       # EstimateReadResult: rows (EstimateRow, amounts in fen, domestic flag),
                                         # total_fen, domestic_fen, errors

Files that cannot be read at all (empty, truncated, CSV renamed to .xlsx, zip or XML entity bombs, password
protected) raise app.errors.UnreadableError (exit code 2) before any parser runs (see app.excel.sniff).
Everything else is reported in `errors`, each with sheet, Excel row number, column header and a Chinese message.

Decisions:
- Hidden columns are read like visible ones (calamine does not report hidden state, and a hidden column still
  holds the department's data); a field found in two columns is an error naming both, never a silent choice.
- Hidden sheets are skipped when looking for the table (they hold drop-down lists), unless named with sheet=.
- Floats from the reader are taken at Excel's 15 significant digits (0.1+0.2 → 0.3), then must be exact to the fen.
- Amount unit per column: the column's header ("总投资（元）"), its parent header ("资金来源（万元）"), a
  "单位：万元" line above the table; none of these → 万元 with a warning. Estimates default to 元.
- Formula cells saved without a value (scripts, not Excel/WPS) are found in the xlsx XML: an estimate amount is
  computed from quantity × price where it can be; otherwise the cell address is named in an error.
- Names, departments and codes are normalised (NFKC, spaces squeezed); free text (建设内容, 备注) is kept as written
  (line breaks, full-width punctuation), and the ledger writes carriage returns and control characters as Excel's
  _x000D_ escapes, so a ledger read back gives what was stored.

Writing (openpyxl): write_ledger(path, projects, title=..., subtitle=...) and write_template(path, departments,
year); see app.excel.writers. The database side (import into the register, audit) is app.services.imports.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.excel.estimate import EstimateReadResult, EstimateRow, read_estimate
    from app.excel.sniff import sniff
    from app.excel.summary import (
        CellError,
        ColumnInfo,
        SkippedRow,
        SummaryReadResult,
        SummaryRow,
        read_summary,
    )
    from app.excel.writers import write_ledger, write_template

__all__ = ["CellError", "ColumnInfo", "EstimateReadResult", "EstimateRow", "SkippedRow", "SummaryReadResult",
           "SummaryRow", "read_estimate", "read_summary", "sniff", "write_ledger", "write_template"]
_WHERE = {"EstimateReadResult": "estimate", "EstimateRow": "estimate", "read_estimate": "estimate", "sniff": "sniff",
          "CellError": "summary", "ColumnInfo": "summary", "SkippedRow": "summary", "SummaryReadResult": "summary",
          "SummaryRow": "summary", "read_summary": "summary", "write_ledger": "writers", "write_template": "writers"}


def __getattr__(name: str) -> Any:
    """The package's names, loaded when first used: a reader does not load openpyxl (the writers) — cold start."""
    if name not in _WHERE:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f"app.excel.{_WHERE[name]}"), name)

"""Today's date, asked in one place: the rules that refuse a future-dated fact, the deadlines that act and the
dashboard all read it here (tests pin it with monkeypatch; nothing in the program sets it)."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()

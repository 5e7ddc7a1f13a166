"""The desktop program: PySide6 windows, dialogs, table models and background tasks. Qt lives only here."""

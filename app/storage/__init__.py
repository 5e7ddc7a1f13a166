"""The database file and what guards it: engine, unit of work, schema versions, paths, file guards and
locks, backups, temporary files, atomic writes, crypto, the audit chain's append. No business rules."""

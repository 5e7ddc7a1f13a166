"""The measure's vocabulary and values: states, labels, checklists, the actor, money, credit codes,
working days. No SQLAlchemy, no Qt, no files."""

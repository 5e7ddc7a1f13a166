"""The start path reads the migration graph from the files' text; it must agree with Alembic's own reading."""

from alembic.script import ScriptDirectory

from app.storage.schema import _alembic_config, _revision_graph, head_revision, known_revisions


def test_revision_graph_matches_alembic():
    script = ScriptDirectory.from_config(_alembic_config())
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {r.revision for r in script.walk_revisions()}
    assert _revision_graph() == {r.revision: r.down_revision for r in script.walk_revisions()}

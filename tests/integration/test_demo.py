"""`govdata demo` builds a county that walks every state, through the same rules as real work."""

import json

from app.cli.main import main
from app.domain.demo import DEMO_PASSWORD
from app.domain.money import yuan_to_fen
from app.domain.vocabulary import STATUS_LABELS

PW = "Demo-Passw0rd!"


def test_demo_walks_every_state_and_lists_as_json(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GOVDATA_PASSWORD", PW)
    db = str(tmp_path / "demo.sqlite3")
    assert main(["--db", db, "demo", "--password", PW]) == 0
    out = capsys.readouterr().out
    assert "36个项目" in out
    assert main(["--db", db, "--user", "reviewer", "projects", "--json"]) == 0
    projects = json.loads(capsys.readouterr().out)
    assert len(projects) >= 30
    assert {p["status"] for p in projects} == set(STATUS_LABELS)
    assert len({p["department"] for p in projects}) >= 15
    for p in projects:
        total = yuan_to_fen(p["total_investment_yuan"])
        parts = sum(yuan_to_fen(p[k]) for k in ("county_funds_yuan", "upper_funds_yuan", "other_funds_yuan"))
        assert parts == total, p["code"]
        assert STATUS_LABELS[p["status"]] == p["status_label"]
    assert main(["--db", db, "--user", "reviewer", "projects", "--status", "in_operation", "--json"]) == 0
    assert {p["status"] for p in json.loads(capsys.readouterr().out)} == {"in_operation"}


def test_demo_refuses_a_database_with_projects(demo_copy, capsys, monkeypatch):
    monkeypatch.setenv("GOVDATA_PASSWORD", DEMO_PASSWORD)  # the session's demo database, this test's copy
    db = str(demo_copy)
    assert main(["--db", db, "--user", "reviewer", "demo", "--password", PW]) == 1
    assert "新数据库" in capsys.readouterr().err

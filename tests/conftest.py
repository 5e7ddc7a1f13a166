"""Shared fixtures. The offscreen Qt platform is set before anything imports Qt."""

from __future__ import annotations

import os
import shutil
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # never the real keyring
if sys.flags.dev_mode:  # `python -X dev -m pytest`: the pytest-xdist workers in development mode too
    os.environ.setdefault("PYTHONDEVMODE", "1")

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.domain.actor import SETUP_ACTOR, Actor  # noqa: E402
from app.storage.database import Database, open_database


def _worker_pg_url(url: str | None) -> str | None:
    """Under pytest-xdist each worker has its own PostgreSQL database (govdata_test_gw0, …), made when missing:
    the tests drop and re-create the schema, which two workers must not do to each other. Set back into the
    environment, so that the tests reading GOVDATA_TEST_PG_URL and the processes they start use the worker's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    own = base.set(database=name).render_as_string(hide_password=False)
    os.environ["GOVDATA_TEST_PG_URL"] = own
    return own


PG_URL = _worker_pg_url(os.environ.get("GOVDATA_TEST_PG_URL"))


@pytest.fixture(scope="session", autouse=True)
def _audit_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Audit keys in one folder for the whole run, never the real keyring: a database built by one fixture and
    used by another test still finds its key (app.storage.keystore, GOVDATA_KEYSTORE). Set before any other
    session fixture builds a database."""
    folder = tmp_path_factory.getbasetemp() / "audit-keys"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVDATA_KEYSTORE", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data folder; nothing touches the real user's database or keyring."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GOVDATA_HOME", str(home))
    monkeypatch.delenv("GOVDATA_DB", raising=False)
    monkeypatch.delenv("GOVDATA_USER", raising=False)
    monkeypatch.delenv("GOVDATA_PASSWORD", raising=False)
    return home


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A fresh, migrated database: SQLite always, PostgreSQL too when GOVDATA_TEST_PG_URL is set."""
    if request.param == "sqlite":
        database = open_database(tmp_path / "test.sqlite3")
    else:
        _reset_pg(PG_URL)
        database = open_database(PG_URL)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "test.sqlite3")
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration database, built once per session (accounts' password DEMO_PASSWORD, demo-2026).

    Tests never open this file: `demo_db` (or `demo_copy`) gives each test its own copy."""
    from app.domain.demo import DEMO_DB_NAME, DEMO_PASSWORD
    from app.services.demo import build_demo

    home = tmp_path_factory.mktemp("demo_template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVDATA_HOME", str(home))
        database = open_database(home / DEMO_DB_NAME)
        built = build_demo(database, SETUP_ACTOR, password=DEMO_PASSWORD)
        database.dispose()  # the last connection checkpoints the WAL into the file
    (home / "admin-password").write_text(built["admin_password"], encoding="utf-8")
    path = home / DEMO_DB_NAME
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


@pytest.fixture(scope="session")
def demo_admin_password(demo_template: Path) -> str:
    """The password of the demonstration's administrators (admin, security, auditor): never the public one."""
    return (demo_template.parent / "admin-password").read_text(encoding="utf-8")


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demonstration database file, this test's own."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def demo_db(demo_copy: Path) -> Database:
    """The demonstration database (opened), this test's own copy: writes stay in this test."""
    database = open_database(demo_copy)
    yield database
    database.dispose()


@pytest.fixture
def actor() -> Actor:
    return SETUP_ACTOR


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 25)


# ---------------------------------------------------------------- building projects up to a state

SIGNED_ON = dt.date(2026, 3, 16)


class Walker:
    """Registers projects and walks them through the lifecycle with the real services.

    `walker.to("under_construction")` returns the code of a new project in that state.
    """

    # every 第七条 item and 第九条 check answered (none defaults to 符合); a test overrides one to break a rule
    REVIEW_ANSWERS = {"art7_catalogue": "符合", "art7_sharing": "符合", "art7_intensive": "符合", "art7_autonomy": "符合",
                      "policy_ok": "是", "interconnect_ok": "是", "not_built_before": "是", "not_disguised": "是"}

    STEPS = ("submitted", "in_review", "reviewed", "approved", "budgeted", "publicized", "under_construction",
             "preliminarily_accepted", "accepted", "in_operation")

    def __init__(self, database: Database, actor: Actor) -> None:
        from app.domain import creditcode
        from app.services.master import add_contractor, add_department
        from app.services.setup import initialise

        self.db, self.actor, self.n = database, actor, 0
        with database.uow(actor) as uow:
            initialise(uow)
            add_department(uow, "沁水县公安局", aliases=["县公安局"])
            add_department(uow, "沁水县教育局", aliases=["县教育局"])
            add_contractor(uow, "沁水县数字科技发展有限公司", creditcode.make("91140521MA0K00001"), True)
            add_contractor(uow, "山西智慧政务信息技术有限公司", creditcode.make("91140100MA0M00001"), False)
            uow.commit()
        self.county_owned = "沁水县数字科技发展有限公司"
        self.market = "山西智慧政务信息技术有限公司"

    def go(self, code: str, action: str, **fields: object):  # noqa: ANN201
        from app.services.lifecycle import advance

        return advance(self.db, self.actor, code, action, **fields)

    def register(self, name: str | None = None, department: str = "县公安局", total: int = 100_000_000,
                 year: int = 2026, **extra: object) -> str:
        from app.services.projects import ProjectInput, register_project

        self.n += 1
        data = ProjectInput(name=name or f"测试项目{self.n}号", department=department, category="信息应用系统开发",
                            nature="新建", year=year, total_fen=total,
                            **({"county_fen": total - int(extra.get("upper_fen", 0)) - int(extra.get("other_fen", 0)),
                                "period_months": 12, "content": f"内容{self.n}"} | extra))  # type: ignore[arg-type]
        with self.db.uow(self.actor) as uow:
            code = register_project(uow, data).code
            uow.commit()
        return code

    def materials(self, code: str) -> None:
        for kind in ("proposal", "feasibility", "design", "estimate"):
            self.go(code, "add-material", kind=kind, received_on="2026-01-05")

    def estimate(self, code: str, domestic_percent: int = 80) -> None:
        """An investment estimate of 1,000,000.00 元 with the given domestic (自主可控) share."""
        from decimal import Decimal

        from app.services.projects import EstimateLine, replace_estimate

        domestic = 100_000_000 * domestic_percent // 100
        lines = [EstimateLine("一、硬件设备", "国产服务器", Decimal(1), domestic, domestic, True),
                 EstimateLine("四、其他费用", "系统集成", Decimal(1), 100_000_000 - domestic, 100_000_000 - domestic,
                              False)]
        with self.db.uow(self.actor) as uow:
            replace_estimate(uow, code, [x for x in lines if x.amount_fen])
            uow.commit()

    def plan(self, code: str, year: int = 2026) -> None:
        from app.services.plans import add_to_annual_plan

        with self.db.uow(self.actor) as uow:
            add_to_annual_plan(uow, year, [code], approved_on=dt.date(year - 1, 12, 1))  # 县人民政府批准 (第六条)
            uow.commit()

    def advance_to(self, code: str, state: str, **review: object) -> str:
        g = self.go
        order = ("draft",) + self.STEPS
        current = "draft"
        from app.services.projects import get_project

        with self.db.uow(self.actor, write=False) as uow:
            current = get_project(uow, code).status
        for step in order[order.index(current) + 1: order.index(state) + 1]:
            if step == "submitted":
                self.materials(code)
                g(code, "submit")
            elif step == "in_review":
                g(code, "start-review", on="2026-01-10")
            elif step == "reviewed":
                g(code, "review", **(self.REVIEW_ANSWERS | {"conclusion": "pass", "on": "2026-01-15"} | review))
            elif step == "approved":
                self.plan(code)
                g(code, "approve", on="2026-01-20")
            elif step == "budgeted":  # the approved amount, from each funding source in turn (第十条)
                with self.db.uow(self.actor, write=False) as uow:
                    v = get_project(uow, code)
                left = v.approved_fen or 0
                for source, have in (("county", v.county_fen), ("upper", v.upper_fen), ("other", v.other_fen)):
                    if have and left:
                        g(code, "budget", amount=min(have, left), source=source, on="2026-02-10")
                        left -= min(have, left)
            elif step == "publicized":
                g(code, "publicize", start_on="2026-02-24")
            elif step == "under_construction":
                g(code, "sign-contract", contract_no=f"HT-{code}", contractor=self.market, amount="500000",
                  signed_on=SIGNED_ON.isoformat(), selection_method="公开招标")
            elif step == "preliminarily_accepted":
                g(code, "accept-preliminary", on="2026-08-01")
            elif step == "accepted":
                self.estimate(code)
                g(code, "register-catalogue", name="人口数据", on="2026-08-02")
                g(code, "land-data", on="2026-08-02")
                g(code, "check-autonomy", on="2026-08-02")
                g(code, "accept-joint", on="2026-08-10")
            elif step == "in_operation":
                g(code, "operate", on="2026-08-11")
        return code

    def to(self, state: str, **kwargs: object) -> str:
        """Keys of the review (conclusion, the 第九条 checks) go to the review, the rest to registration."""
        from app.domain.vocabulary import ART9_CHECKS

        review = {k: kwargs.pop(k) for k in list(kwargs) if k == "conclusion" or k in ART9_CHECKS}
        return self.advance_to(self.register(**kwargs), state, **review)

    def status(self, code: str) -> str:
        from app.services.projects import get_project

        with self.db.uow(self.actor, write=False) as uow:
            return get_project(uow, code).status


# the walker's world is the year 2026 of its dates: "today" (for the rules that refuse a future-dated fact and the
# deadlines that act) is pinned to the first of December of that year, whatever the machine's clock says
WALKER_TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def walker(db: Database, monkeypatch: pytest.MonkeyPatch) -> Walker:
    from app.services import clock

    monkeypatch.setattr(clock, "today", lambda: WALKER_TODAY)
    return Walker(db, SETUP_ACTOR)

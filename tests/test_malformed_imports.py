"""Every file of tests/data/malformed through ``packbench import FORMAT FILE --json``.

Each file must get the answer tests/data/malformed/expected.json gives it: no traceback, the
documented exit code (0 all imported, 1 some orders rejected, 2 the file refused), a JSON
summary whose every rejection says where, which field and why, and the good orders beside a
bad one in the store. The whole corpus goes through ``app.cli.main`` in this process (a
Python start per file would cost minutes); a handful of files go through the real command.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.cli import main
from app.config import load_config
from app.db import migrate
from tests.conftest import ENV_NAMES
from tests.data import malformed_corpus
from tests.data.channel_samples import BUNDLED

CORPUS = BUNDLED / "malformed"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (CORPUS / "expected.json").read_text(encoding="utf-8")
)
KEYS = {"imported", "updated", "unchanged", "held", "rejected", "errors"}


@pytest.fixture(scope="session")
def blank_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PACKBENCH_HOME after one import of an empty order list: configuration and both SQLite
    stores made, nothing in them. Each test starts from a copy, so each has a fresh home
    without paying for the schema's creation (and its disk flushes) 200 times."""
    root = tmp_path_factory.mktemp("blank")
    home = root / "home"
    empty = root / "none.json"
    empty.write_text("[]", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        for name in ENV_NAMES:
            env.delenv(name, raising=False)
        env.setenv("PACKBENCH_HOME", str(home))
        assert main(["import", "woocommerce", str(empty), "--json"]) == 0
    return home


def stored(table: str) -> int:
    """Rows in a table of this test's central store (the embedded one, or PostgreSQL)."""
    config = load_config()
    if not config.central_is_embedded:
        engine = create_engine(config.central_url)
        try:
            with engine.connect() as db:
                return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        finally:
            engine.dispose()
    path = config.paths.embedded_central_file
    if not path.exists():
        return 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def check_answer(relative: str, code: int, out: str, err: str) -> None:
    expected = EXPECTED[relative]
    assert "Traceback" not in err, err
    assert code == expected["exit"], err or out
    table = "products" if expected["format"] == "products" else "orders"
    if code == 2:
        assert out == ""
        assert expected["message"] in err, err
        assert "Nothing was imported" in err, err
        assert stored(table) == 0
        return
    summary = json.loads(out)
    assert set(summary) == KEYS
    accepted = sum(summary[k] for k in ("imported", "updated", "unchanged", "held"))
    assert (accepted, summary["rejected"]) == (expected["accepted"], expected["rejected"]), out
    assert [e["field"] for e in summary["errors"]] == expected["fields"], out
    for error in summary["errors"]:
        assert error["where"].startswith(Path(relative).name), error
        assert error["reason"], error
    assert stored(table) == accepted  # the good ones beside the bad ones are in the store


def test_the_corpus_covers_every_import_format() -> None:
    formats = {e["format"] for e in EXPECTED.values()}
    assert formats == {"csv", "woocommerce", "shopify", "bigcommerce", "magento", "products"}
    assert len(EXPECTED) >= 200
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    assert files - {"expected.json"} == set(EXPECTED)


def test_the_corpus_is_what_its_generator_writes(tmp_path: Path) -> None:
    malformed_corpus.write(tmp_path)
    made = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*.*")}
    kept = {p.relative_to(CORPUS).as_posix(): p.read_bytes() for p in CORPUS.rglob("*.*")}
    assert made.keys() == kept.keys()
    assert [name for name in made if made[name] != kept[name]] == []


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_each_malformed_file_gets_its_documented_answer_and_no_traceback(
    relative: str, blank_home: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(blank_home, isolated_home)
    expected = EXPECTED[relative]
    code = main(["import", expected["format"], str(CORPUS / relative), "--json"])
    out, err = capsys.readouterr()
    check_answer(relative, code, out, err)


@pytest.mark.parametrize(
    "relative",
    [
        "woocommerce/quantity_1e308.json",
        "woocommerce/nested_100000_deep.json",
        "shopify/lone_surrogates.json",
        "bigcommerce/quantity_10e30.json",
        "magento/control_characters.json",
        "csv_retail/price_1E+400_forty_nines.csv",
        "csv_generic/quantity_1e30_and_1E+400.csv",
        "products/on_hand_thirty_nines.csv",
    ],
)
def test_the_real_command_answers_malformed_files_as_documented(
    relative: str, isolated_home: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env["PACKBENCH_HOME"] = str(isolated_home)
    fmt = EXPECTED[relative]["format"]
    done = subprocess.run(
        [sys.executable, "-m", "app", "import", fmt, str(CORPUS / relative), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    check_answer(relative, done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("fmt", ["woocommerce", "products"])
def test_a_file_name_that_is_not_utf8_is_no_fault(fmt: str, isolated_home: Path) -> None:
    source = {"woocommerce": "woocommerce/quantity_1e308.json", "products": "products/bom.csv"}
    name = os.fsencode(isolated_home.parent) + b"/orders\xff" + os.fsencode(source[fmt])[-5:]
    shutil.copyfile(CORPUS / source[fmt], name)
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env["PACKBENCH_HOME"] = str(isolated_home)
    done = subprocess.run(
        [sys.executable, "-m", "app", "import", fmt, name, "--json"],
        capture_output=True,
        timeout=120,
        env=env,
    )
    assert b"Traceback" not in done.stderr, done.stderr
    assert done.returncode == EXPECTED[source[fmt]]["exit"], done.stderr
    json.loads(done.stdout)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "relative",
    [
        "woocommerce/control_characters.json",  # NUL: PostgreSQL text cannot hold one
        "shopify/quantity_10e30.json",
        "bigcommerce/values_that_import.json",
        "magento/text_too_long.json",  # longer than PostgreSQL's varchar columns
        "csv_retail/control_characters.csv",
        "csv_generic/text_columns_too_long_or_marked.csv",
        "products/text_too_long.csv",
        "products/on_hand_thirty_nines.csv",
    ],
)
def test_a_postgresql_central_store_gets_the_same_answers(
    relative: str,
    central_url: str,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    schema = f"pb_malformed_{uuid.uuid4().hex[:10]}"
    admin = create_engine(central_url)
    with admin.begin() as c:
        c.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        url = make_url(central_url).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = create_engine(url)
        migrate.ensure_schema(engine)
        engine.dispose()
        monkeypatch.setenv("PACKBENCH_CENTRAL_URL", url.render_as_string(hide_password=False))
        expected = EXPECTED[relative]
        code = main(["import", expected["format"], str(CORPUS / relative), "--json"])
        out, err = capsys.readouterr()
        check_answer(relative, code, out, err)
    finally:
        with admin.begin() as c:
            c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()

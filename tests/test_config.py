import os
import stat
import tomllib
from pathlib import Path

import pytest

from app.config import ConfigError, default_config_text, load_config, resolve_paths


def write_config(home: Path, text: str) -> Path:
    path = resolve_paths({"PACKBENCH_HOME": str(home)}).config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_first_run_creates_a_commented_config_readable_only_by_its_owner(
    isolated_home: Path,
) -> None:
    config = load_config()
    path = config.paths.config_file
    assert path == isolated_home / "config" / "config.toml"
    text = path.read_text()
    assert '# id = "ST-01"' in text and "[scanner]" in text
    assert tomllib.loads(text) == {
        section: {}
        for section in (
            "station",
            "central",
            "local",
            "ui",
            "security",
            "backup",
            "scanner",
            "printer",
            "scale",
            "packing",
            "gs1",
            "ship_from",
            "invoicing",
            "returns",
            "review",
            "warehouses",
        )
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.station_id == "ST-01"
    assert config.central_is_embedded
    assert config.local_database == isolated_home / "data" / "station.sqlite3"


def test_the_default_text_parses_to_the_defaults() -> None:
    tomllib.loads(default_config_text())


def test_a_value_in_the_file_is_used(isolated_home: Path) -> None:
    write_config(isolated_home, '[station]\nid = "PACK-7"\n[printer]\ndpi = 300\n')
    config = load_config()
    assert config.station_id == "PACK-7"
    assert config.printer.dpi == 300


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[printer]\ndpi = 250\n", "[printer] dpi = 250 must be one of 203, 300"),
        ('[printer]\ndpi = "300"\n', '[printer] dpi = "300" must be a whole number'),
        ("[printer]\ndip = 300\n", '[printer] dip is not a setting we know (did you mean "dpi"?)'),
        ("[printr]\ndpi = 300\n", '[printr] is not a section we know (did you mean "printer"?)'),
        ('[station]\nid = "bench 2"\n', '[station] id = "bench 2" must be 1 to 16 letters'),
        ('[central]\nurl = "not a url"\n', '[central] url = "not a url" is not a database URL'),
        (
            '[central]\nurl = "postgresql+nodriver://st:pw@db/orders"\n',
            '[central] url = "postgresql+nodriver://st:***@db/orders" names the driver',
        ),
        (
            '[central]\nurl = "postgresql://st@db/orders"\n',
            "names no driver (that means psycopg2), which Packbench does not use",
        ),
        ('[central]\nurl = "mysql://st@db/orders"\n', "names the database 'mysql'"),
        ('[central]\nurl = "sqlite+aiosqlite:///c.db"\n', "names the driver 'aiosqlite'"),
        ('[scanner]\nmode = "bluetooth"\n', '[scanner] mode = "bluetooth" must be one of'),
        (
            "[security]\npin_attempts = 0\n",
            "[security] pin_attempts = 0 must be a whole number from 1 to 20",
        ),
        ("station = 3\n", "station must be a [station] section"),
        ("[station\nid = 1\n", "not valid TOML"),
    ],
)
def test_a_bad_value_is_reported_by_key_with_what_to_do(
    isolated_home: Path, text: str, named: str
) -> None:
    path = write_config(isolated_home, text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert named in str(caught.value)
    assert str(path) in str(caught.value)


def test_every_problem_in_the_file_is_reported_at_once(isolated_home: Path) -> None:
    write_config(isolated_home, "[printer]\ndpi = 1\n[scale]\nbaudrate = 7\n")
    with pytest.raises(ConfigError, match=r"dpi.*baudrate"):
        load_config()


def test_environment_variables_win_over_the_file(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(isolated_home, '[station]\nid = "FROM-FILE"\n')
    monkeypatch.setenv("PACKBENCH_STATION", "FROM-ENV")
    monkeypatch.setenv("PACKBENCH_CENTRAL_URL", "postgresql+psycopg://station01@db.example/orders")
    config = load_config()
    assert config.station_id == "FROM-ENV"
    assert config.central_url == "postgresql+psycopg://station01@db.example/orders"
    assert not config.central_is_embedded


def test_a_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKBENCH_STATION", "no spaces please")
    with pytest.raises(ConfigError, match="PACKBENCH_STATION="):
        load_config()


def test_packbench_config_points_at_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "bench.toml"
    other.write_text('[station]\nid = "OTHER"\n[local]\ndatabase = "db/bench.sqlite3"\n')
    monkeypatch.setenv("PACKBENCH_CONFIG", str(other))
    config = load_config()
    assert config.station_id == "OTHER"
    assert config.local_database == tmp_path / "db" / "bench.sqlite3"  # relative to the file


def test_a_missing_packbench_config_file_is_an_error_not_a_silent_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACKBENCH_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config()


def test_without_packbench_home_the_user_directories_are_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = resolve_paths({})
    assert "packbench" in str(paths.config_dir).lower()
    assert paths.config_file.name == "config.toml"
    assert os.path.isabs(paths.data_dir)


def test_the_central_password_comes_from_the_environment_or_a_file_never_the_shown_url(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.config import central_connect_url

    secret = tmp_path / "central.secret"
    secret.write_text("s3cret\n")
    secret.chmod(0o600)
    write_config(
        isolated_home,
        '[central]\nurl = "postgresql+psycopg://station01@db.example/orders"\n'
        f'password_file = "{secret}"\n',
    )
    url = central_connect_url(load_config())
    assert url.password == "s3cret"
    assert "s3cret" not in url.render_as_string(hide_password=True)
    monkeypatch.setenv("PACKBENCH_CENTRAL_PASSWORD", "from-env")
    assert central_connect_url(load_config()).password == "from-env"


def test_an_unreadable_password_file_is_named(isolated_home: Path, tmp_path: Path) -> None:
    from app.config import central_connect_url

    write_config(
        isolated_home,
        '[central]\nurl = "postgresql+psycopg://st@db/x"\n'
        f'password_file = "{tmp_path / "missing"}"\n',
    )
    with pytest.raises(ConfigError, match=r"\[central\] password_file = .* cannot be read"):
        central_connect_url(load_config())

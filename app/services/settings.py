"""The station's settings as the settings dialog changes them: checked, then written back.

The dialog's values are checked by the configuration loader itself (``config_from_raw``), so
a bad value gets the very message a hand-edited file would. The file is rewritten with
tomlkit, keeping the user's comments, order and untouched lines; only what changed is
written. Only someone with ``configure_station`` (supervisors, admins) may save.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import tomlkit
from sqlalchemy.exc import SQLAlchemyError

from app.config import (
    SETTINGS,
    Config,
    ConfigError,
    Paths,
    central_connect_url,
    config_from_raw,
    default_config_text,
)
from app.db.migrate import current_revision, head_revision, shown
from app.db.session import create_db_engine
from app.domain.users import Actor, Permission
from app.services.printjobs import LabelPrinter
from app.services.selftest import sample_label
from devices.label_printer import PrinterUnreachable
from printing.zpl import shipping_label_zpl

Key = tuple[str, str]


def file_text(paths: Paths) -> str:
    """The configuration file as it is (the commented defaults when there is none yet)."""
    if paths.config_file.exists():
        return paths.config_file.read_text(encoding="utf-8")
    return default_config_text()


def current_values(paths: Paths) -> dict[Key, Any]:
    """Every setting's value: the file's, else the default (environment overrides aside)."""
    raw = tomllib.loads(file_text(paths))
    return {(s.section, s.key): raw.get(s.section, {}).get(s.key, s.default) for s in SETTINGS}


def changed_text(text: str, changes: Mapping[Key, Any]) -> str:
    """``text`` with ``changes`` written in, every other line (comments too) as it was."""
    document = tomlkit.parse(text)
    for (section, key), value in changes.items():
        if section not in document:
            document.add(section, tomlkit.table())
        table = document[section]
        assert isinstance(table, tomlkit.items.Table)
        table[key] = value
    return tomlkit.dumps(document)


def check_settings(
    paths: Paths, changes: Mapping[Key, Any], env: Mapping[str, str] | None = None
) -> tuple[Config, str]:
    """The configuration ``changes`` would make, and the file's new text; ``ConfigError``
    (the loader's own message) when a value is not allowed."""
    text = changed_text(file_text(paths), changes)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:  # a value tomlkit wrote that TOML refuses
        raise ConfigError(f"{paths.config_file}: not valid TOML ({error}).") from error
    return config_from_raw(raw, paths, env), text


@dataclass(frozen=True)
class SettingsSaved:
    config: Config
    changed: tuple[Key, ...]


def save_settings(
    actor: Actor, paths: Paths, values: Mapping[Key, Any], env: Mapping[str, str] | None = None
) -> SettingsSaved:
    """Check ``values`` and write those that differ from the file's into it (atomically,
    readable by its owner only); nothing is written when any value is refused."""
    actor.require(Permission.CONFIGURE_STATION, "change this station's settings")
    before = current_values(paths)
    changes = {k: v for k, v in values.items() if before.get(k) != v}
    config, text = check_settings(paths, changes, env)
    if changes:
        paths.config_file.parent.mkdir(parents=True, exist_ok=True)
        partial = paths.config_file.with_name(paths.config_file.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        partial.replace(paths.config_file)
    return SettingsSaved(config, tuple(changes))


def central_schema(config: Config) -> str:
    """Reach the central store once and say which schema it has (the test-connection button).

    ``ConfigError`` or ``SQLAlchemyError`` when it cannot be reached; nothing is created.
    """
    url = central_connect_url(config)
    engine = create_db_engine(url)  # a dead server fails in seconds (app.db.session)
    try:
        revision = current_revision(engine)
    finally:
        engine.dispose()
    where = shown(url)
    if revision is None:
        return f"{where} answers; it has no Packbench schema yet (made on first sync)."
    same = "this Packbench's" if revision == head_revision() else f"this one uses {head_revision()}"
    return f"{where} answers: schema {revision} ({same})."


def print_test_label(printer: LabelPrinter | None, config: Config) -> str:
    """Print the self-test's sample label on ``printer``; what came of it, in words."""
    if printer is None:
        return "No label printer is set ([printer] transport = none): labels go to PDF."
    try:
        delivery = printer.deliver(shipping_label_zpl(sample_label(), dpi=config.printer.dpi))
    except PrinterUnreachable as error:
        return f"The test label did not reach {printer.describe()}: {error}"
    if delivery.printed:
        return f"{printer.describe()} printed the test label."
    if delivery.unsure:
        return f"Sent to {printer.describe()}; look whether it came out: {delivery.unsure}"
    return f"Sent to {printer.describe()} (it cannot say whether it printed)."


def printer_status(printer: LabelPrinter | None) -> str:
    """The label printer's state as its ``~HS`` answer tells it."""
    if printer is None:
        return "No label printer is set."
    try:
        status = printer.query_status(timeout=1.0)
    except PrinterUnreachable as error:
        return f"{printer.describe()} cannot be reached: {error}"
    if not status.two_way:
        return f"{printer.describe()}: a one-way link, it cannot say how it is."
    return f"{printer.describe()}: {status.problem or 'ready'}"


__all__ = [
    "ConfigError",
    "SQLAlchemyError",
    "SettingsSaved",
    "central_schema",
    "check_settings",
    "current_values",
    "save_settings",
]

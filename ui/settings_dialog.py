"""The station's settings, for supervisors and admins: every setting of ``app.config``.

The form is built from the one settings table (``app.config.SETTINGS``): a tick box for
true/false, a list for a setting with a few allowed values, a number box for a range, a
text field for the rest, each with the setting's own comment beside it. Saving goes through
``app.services.settings.save_settings``: the loader's checks and messages, the file written
back with its comments, then ``Station.reconfigure`` reopens the devices whose settings
changed and says what waits for a restart.

Device checks run off the GUI thread (a printer or a database may take seconds to answer)
and report back through ``answered``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    Qt,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Station, open_label_printer, read_weight_once
from app.config import SETTINGS, ConfigError, IntRange, OneOf, Setting
from app.domain.errors import DomainError
from app.domain.scans import Scan
from app.domain.users import Actor
from app.services import settings as settings_service
from ui.icons import icon
from ui.theme import apply_theme
from ui.widgets import MessageBand, styled_label

Key = tuple[str, str]
Field = QCheckBox | QComboBox | QSpinBox | QLineEdit


# Each setting's name as the form shows it (its key, "_" as a space), for lupdate; the
# config file and the field's accessible name keep the key itself.
SETTING_NAMES = (
    QT_TRANSLATE_NOOP("Setting", "address"),
    QT_TRANSLATE_NOOP("Setting", "auto invoice"),
    QT_TRANSLATE_NOOP("Setting", "baudrate"),
    QT_TRANSLATE_NOOP("Setting", "boxes"),
    QT_TRANSLATE_NOOP("Setting", "company prefix"),
    QT_TRANSLATE_NOOP("Setting", "countries differ"),
    QT_TRANSLATE_NOOP("Setting", "country"),
    QT_TRANSLATE_NOOP("Setting", "credit prefix"),
    QT_TRANSLATE_NOOP("Setting", "daily"),
    QT_TRANSLATE_NOOP("Setting", "database"),
    QT_TRANSLATE_NOOP("Setting", "default reason"),
    QT_TRANSLATE_NOOP("Setting", "dispositions"),
    QT_TRANSLATE_NOOP("Setting", "documents"),
    QT_TRANSLATE_NOOP("Setting", "dpi"),
    QT_TRANSLATE_NOOP("Setting", "drops gs"),
    QT_TRANSLATE_NOOP("Setting", "due days"),
    QT_TRANSLATE_NOOP("Setting", "extension digit"),
    QT_TRANSLATE_NOOP("Setting", "first order over"),
    QT_TRANSLATE_NOOP("Setting", "folder"),
    QT_TRANSLATE_NOOP("Setting", "font size"),
    QT_TRANSLATE_NOOP("Setting", "gs substitute"),
    QT_TRANSLATE_NOOP("Setting", "id"),
    QT_TRANSLATE_NOOP("Setting", "idle timeout ms"),
    QT_TRANSLATE_NOOP("Setting", "invoice prefix"),
    QT_TRANSLATE_NOOP("Setting", "keep"),
    QT_TRANSLATE_NOOP("Setting", "language"),
    QT_TRANSLATE_NOOP("Setting", "locale"),
    QT_TRANSLATE_NOOP("Setting", "lockout minutes"),
    QT_TRANSLATE_NOOP("Setting", "max key interval ms"),
    QT_TRANSLATE_NOOP("Setting", "min length"),
    QT_TRANSLATE_NOOP("Setting", "mode"),
    QT_TRANSLATE_NOOP("Setting", "name"),
    QT_TRANSLATE_NOOP("Setting", "password file"),
    QT_TRANSLATE_NOOP("Setting", "payment terms"),
    QT_TRANSLATE_NOOP("Setting", "personalised"),
    QT_TRANSLATE_NOOP("Setting", "pin attempts"),
    QT_TRANSLATE_NOOP("Setting", "port"),
    QT_TRANSLATE_NOOP("Setting", "prefix"),
    QT_TRANSLATE_NOOP("Setting", "ra prefix"),
    QT_TRANSLATE_NOOP("Setting", "ranking"),
    QT_TRANSLATE_NOOP("Setting", "required address fields"),
    QT_TRANSLATE_NOOP("Setting", "restocking fees"),
    QT_TRANSLATE_NOOP("Setting", "rounding"),
    QT_TRANSLATE_NOOP("Setting", "seller tax id"),
    QT_TRANSLATE_NOOP("Setting", "shipping"),
    QT_TRANSLATE_NOOP("Setting", "shipping refunded"),
    QT_TRANSLATE_NOOP("Setting", "sscc first"),
    QT_TRANSLATE_NOOP("Setting", "sscc last"),
    QT_TRANSLATE_NOOP("Setting", "suffix"),
    QT_TRANSLATE_NOOP("Setting", "sync seconds"),
    QT_TRANSLATE_NOOP("Setting", "theme"),
    QT_TRANSLATE_NOOP("Setting", "transport"),
    QT_TRANSLATE_NOOP("Setting", "unpaid"),
    QT_TRANSLATE_NOOP("Setting", "url"),
    QT_TRANSLATE_NOOP("Setting", "warehouse"),
    QT_TRANSLATE_NOOP("Setting", "weight tolerance min g"),
    QT_TRANSLATE_NOOP("Setting", "weight tolerance pct"),
    QT_TRANSLATE_NOOP("Setting", "when none whole"),
    QT_TRANSLATE_NOOP("Setting", "window days"),
    QT_TRANSLATE_NOOP("Setting", "zpl font"),
    QT_TRANSLATE_NOOP("Setting", "zpl font file"),
)


def setting_name(setting: Setting) -> str:
    """The setting's name in the language of the screens ("font size": "Schriftgröße")."""
    return QCoreApplication.translate("Setting", setting.key.replace("_", " "))


class Answers(QObject):
    """Carries a background check's answer to the GUI thread: (which button, the words)."""

    answered = Signal(str, str)


class Sections(QWidget):
    """Named pages chosen from a list down the left: all names stay readable at 1280 px,
    where eleven tabs would scroll. (``addTab``, ``setCurrentIndex``: QTabWidget's words.)"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = QListWidget()
        self.names.setProperty("role", "sections")
        self.names.setAccessibleName("Sections")
        self.pages = QStackedWidget()
        self.names.currentRowChanged.connect(self.pages.setCurrentIndex)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.names)
        layout.addWidget(self.pages, 1)

    def addTab(self, page: QWidget, name: str) -> None:
        self.pages.addWidget(page)
        self.names.addItem(name)
        self.names.setFixedWidth(self.names.sizeHintForColumn(0) + 40)
        if self.names.currentRow() < 0:
            self.names.setCurrentRow(0)

    def setCurrentIndex(self, index: int) -> None:
        self.names.setCurrentRow(index)

    def count(self) -> int:
        return self.pages.count()


class SettingsDialog(QDialog):
    """Every setting of this station, in tabs; Save checks, writes and applies them."""

    def __init__(
        self,
        station: Station,
        actor: Actor,
        scans: SignalInstance | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.actor = actor
        self.setWindowTitle(
            self.tr("Settings — station {station}").format(station=station.station_id)
        )
        self.setWindowIcon(icon("settings"))
        self.fields: dict[Key, Field] = {}
        self.results: dict[str, QLabel] = {}
        self.answers = Answers(self)
        self.answers.answered.connect(self.on_answered)
        self.message = MessageBand()
        self.tabs = Sections()
        values = settings_service.current_values(station.config.paths)
        by_key = {(s.section, s.key): s for s in SETTINGS}
        for title, keys, extra in self._tabs():
            self.tabs.addTab(self._page([by_key[k] for k in keys], values, extra), title)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(
            styled_label(
                self.tr("Saved to {file}").format(file=station.config.paths.config_file), "hint"
            ),
            1,
        )
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        if scans is not None:
            scans.connect(self.on_scan_read)
        self.resize(1100, 760)

    # --- the form ------------------------------------------------------------------------

    def _tabs(self) -> list[tuple[str, list[Key], Callable[[QFormLayout], None] | None]]:
        def section(*names: str) -> list[Key]:
            return [(s.section, s.key) for s in SETTINGS if s.section in names]

        printer = [k for k in section("printer") if k[1] != "documents"]
        return [
            (self.tr("Station"), section("station", "ui", "security", "backup"), None),
            (self.tr("Central store"), section("central", "local"), self._central_tools),
            (self.tr("Scanners"), section("scanner"), self._scanner_tools),
            (self.tr("Label printer"), printer, self._printer_tools),
            (self.tr("Documents printer"), [("printer", "documents")], None),
            (self.tr("Scale"), section("scale"), self._scale_tools),
            (self.tr("Boxes"), section("packing"), None),
            (self.tr("Company"), section("ship_from", "invoicing"), None),
            (self.tr("GS1"), section("gs1"), None),
            (self.tr("Review rules"), section("review"), None),
            (self.tr("Return policy"), section("returns"), None),
        ]

    def _page(
        self,
        settings: list[Setting],
        values: dict[Key, Any],
        extra: Callable[[QFormLayout], None] | None,
    ) -> QWidget:
        form = QFormLayout()
        form.setVerticalSpacing(6)
        form.setHorizontalSpacing(18)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for setting in settings:
            key = (setting.section, setting.key)
            field = self._field(setting, values[key])
            field.setAccessibleName(f"[{setting.section}] {setting.key}")
            field.setToolTip(setting.comment)
            field.setObjectName(f"{setting.section}.{setting.key}")
            self.fields[key] = field
            hint = styled_label(" ".join(setting.comment.split()), "hint")
            hint.setWordWrap(True)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(field)
            column.addWidget(hint)
            form.addRow(setting_name(setting), column)
        if extra is not None:
            extra(form)
        page = QWidget()
        page.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        return scroll

    @staticmethod
    def _field(setting: Setting, value: Any) -> Field:
        check = setting.check
        if isinstance(setting.default, bool):
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if isinstance(check, OneOf):
            combo = QComboBox()
            for allowed in check.allowed:
                empty = (
                    QCoreApplication.translate("SettingsDialog", "(automatic)")
                    if setting.key == "language"
                    else QCoreApplication.translate("SettingsDialog", "(none)")
                )
                combo.addItem(str(allowed) if allowed != "" else empty, allowed)
            index = combo.findData(value)
            if index < 0:  # a value the file holds that is not allowed: shown, refused on save
                combo.addItem(str(value), value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
            return combo
        if isinstance(setting.default, int):
            spin = QSpinBox()
            low, high = (check.low, check.high) if isinstance(check, IntRange) else (0, 10**9)
            spin.setRange(max(low, -(2**31)), min(high, 2**31 - 1))
            spin.setValue(int(value))
            return spin
        line = QLineEdit(str(value))
        return line

    def values(self) -> dict[Key, Any]:
        """What the form says now, typed as the file would hold it."""
        out: dict[Key, Any] = {}
        for key, field in self.fields.items():
            if isinstance(field, QCheckBox):
                out[key] = field.isChecked()
            elif isinstance(field, QComboBox):
                out[key] = field.currentData()
            elif isinstance(field, QSpinBox):
                out[key] = field.value()
            else:
                out[key] = field.text()
        return out

    def set_value(self, section: str, key: str, value: Any) -> None:
        """Put ``value`` in a field as a person would (tests and the tour use it)."""
        field = self.fields[section, key]
        if isinstance(field, QCheckBox):
            field.setChecked(bool(value))
        elif isinstance(field, QComboBox):
            field.setCurrentIndex(field.findData(value))
        elif isinstance(field, QSpinBox):
            field.setValue(int(value))
        else:
            field.setText(str(value))

    # --- saving ---------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        before = self.station.config
        try:
            saved = settings_service.save_settings(self.actor, before.paths, self.values())
        except (ConfigError, DomainError) as error:
            self.message.show_refused(str(error))
            return
        if not saved.changed:
            self.message.show_done(self.tr("Nothing changed."))
            return
        restart = self.station.reconfigure(saved.config)
        if saved.config.theme != before.theme:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, before.font_size, app.font().families(), saved.config.theme)
        changed = ", ".join(f"[{s}] {k}" for s, k in saved.changed)
        text = self.tr("Saved and applied: {changed}.").format(changed=changed)
        if restart:
            text += " " + self.tr(
                "These take effect when Packbench is started again: {keys}."
            ).format(keys=", ".join(restart))
        self.message.show_done(text)

    # --- device checks --------------------------------------------------------------------

    def _config_from_form(self) -> Any:
        config, _text = settings_service.check_settings(self.station.config.paths, self.values())
        return config

    def _tool(self, form: QFormLayout, name: str, label: str, work: Callable[[], str]) -> None:
        button = QPushButton(label)
        button.setObjectName(name)
        result = QLabel()
        result.setObjectName(f"{name}-result")
        result.setWordWrap(True)
        result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results[name] = result
        button.clicked.connect(lambda: self._run(name, work))
        row = QHBoxLayout()
        row.addWidget(button)
        row.addWidget(result, 1)
        form.addRow("", row)

    def _run(self, name: str, work: Callable[[], str]) -> None:
        self.results[name].setText(self.tr("Asking…"))

        def background() -> None:
            try:
                text = work()
            except ConfigError as error:
                text = str(error)
            except Exception as error:  # a device or database away: said, never raised
                text = f"{type(error).__name__}: {error}"
            self.answers.answered.emit(name, text)

        threading.Thread(target=background, name=f"settings {name}", daemon=True).start()

    @Slot(str, str)
    def on_answered(self, name: str, text: str) -> None:
        self.results[name].setText(text)

    def _central_tools(self, form: QFormLayout) -> None:
        self._tool(
            form,
            "test-connection",
            self.tr("Test connection"),
            lambda: settings_service.central_schema(self._config_from_form()),
        )

    def _printer_tools(self, form: QFormLayout) -> None:
        def printer() -> Any:
            return open_label_printer(self._config_from_form().printer, timeout=3.0)

        self._tool(
            form,
            "print-test-label",
            self.tr("Print test label"),
            lambda: settings_service.print_test_label(printer(), self._config_from_form()),
        )
        self._tool(
            form,
            "printer-status",
            self.tr("Printer status"),
            lambda: settings_service.printer_status(printer()),
        )

    def _scale_tools(self, form: QFormLayout) -> None:
        def read() -> str:
            settings = self._config_from_form().scale
            if not settings.port:
                return self.tr("No scale is set ([scale] port is empty).")
            feed = self.station.scale
            if feed is not None and feed.running and feed.port == settings.port:
                reading = feed.last  # the station polls it already: its last reading
            else:
                reading = read_weight_once(settings)
            if reading is None:
                return self.tr("The scale at {port} said nothing.").format(port=settings.port)
            still = self.tr("stable") if reading.stable else self.tr("still moving")
            return f"{reading.grams} g ({still})"

        self._tool(form, "read-weight", self.tr("Read weight"), read)

    def _scanner_tools(self, form: QFormLayout) -> None:
        self.scan_test = styled_label(
            self.tr("Scan any barcode: what the scanner sent shows here."), "notice"
        )
        self.scan_test.setObjectName("scan-test")
        self.scan_test.setWordWrap(True)
        form.addRow(self.tr("Test area"), self.scan_test)

    @Slot(Scan)
    def on_scan_read(self, scan: Scan) -> None:
        shown = scan.text.replace("\x1d", "<GS>")
        self.scan_test.setText(
            self.tr("Read {text} (symbology {symbology}) from {source}").format(
                text=shown, symbology=scan.symbology or "-", source=scan.source
            )
        )

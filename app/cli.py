"""The ``packbench`` command: the desktop application and its headless subcommands.

Exit codes: 0 done; 1 the command ran and found something wrong (``doctor``); 2 it could not
run as asked (bad arguments, bad configuration, no display); 3 the surroundings stopped it (a
full disk, a read-only data folder, the printer or the central store away: the one line says
what to do); 70 a bug stopped it (the one line says where its crash report was saved). No
command ever prints a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__
from app.benchmarks import BENCHMARKS
from app.bootstrap import open_central, open_label_printer, open_station
from app.config import Config, ConfigError, load_config, resolve_paths
from app.db.errors import login_of
from app.domain.errors import DomainError
from app.domain.picking import WaveBy
from app.domain.returns import Condition, Disposition, Reason
from app.faults import CrashReports, FaultKind, deliberate, fault_of

if TYPE_CHECKING:
    from app.bootstrap import Station
    from app.domain.users import Actor
    from app.sync.engine import SyncProgress

log = logging.getLogger("packbench")

EXIT_SURROUNDINGS = 3
"""The disk, the data folder, the printer or the central store stopped the command."""
EXIT_BUG = 70
"""A bug stopped the command (sysexits' EX_SOFTWARE); its crash report was saved."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(words)
    try:
        deliberate("command")
        code = int(args.run(args))
        sys.stdout.flush()  # a reader that went away (| head) is found here, not at exit
        return code
    except BrokenPipeError:
        return _reader_gone()
    except (ConfigError, DomainError) as error:
        print(f"packbench: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        return _stopped_by(error, words[:1])


def _reader_gone() -> int:
    """Whoever read our output stopped reading (``| head``): not a fault, and nothing to report.

    What is still buffered is dropped, as any Unix tool's output is, and the exit code is the
    shell's for a command ended by SIGPIPE.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 128 + signal.SIGPIPE


def _stopped_by(error: Exception, command: list[str]) -> int:
    """One line for what stopped the command (never a traceback); a bug's report is saved."""
    try:
        config: Config | None = load_config()
    except Exception:  # the configuration itself may be what is broken: report all the same
        config = None
    log_dir = config.paths.log_dir if config else resolve_paths().log_dir
    # The traceback goes to the log file, never to the terminal.
    has_log = bool(logging.getLogger().handlers) or (config is not None and _setup_logging(config))
    if not has_log:
        logging.getLogger().addHandler(logging.NullHandler())
    where = "while running " + " ".join(["packbench", *command])
    login = login_of(config.central_url) if config else None
    reports = CrashReports(log_dir, config.station_id if config else None)
    fault = fault_of(error, where, reports, central_login=login)
    if fault.kind is FaultKind.CENTRAL_AWAY:  # a command is not a station: it does not catch up
        fault = replace(fault, todo=COMMAND_AGAIN)
    print(f"packbench: {fault.line()}", file=sys.stderr)
    return EXIT_BUG if fault.is_bug else EXIT_SURROUNDINGS


COMMAND_AGAIN = (
    "What it saved before it stopped is kept (an import commits each batch of orders or "
    "products whole or not at all). Run the same command again when the store answers: an "
    "import skips what is already there. packbench doctor says what is wrong."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="packbench",
        description="Packbench: pick, pack, label, invoice and take returns at the bench.",
        epilog="Without a command, the desktop application starts; started again on the same "
        "station, it brings the running window to the front instead.",
    )
    parser.add_argument("--version", action="version", version=f"packbench {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="load every resource and Qt plugin, migrate a throwaway database, draw a label, "
        "a slip and an invoice, decode a GS1 scan; exit 0 when all of it works (no display "
        "needed)",
    )
    parser.set_defaults(run=_run_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="fill the embedded central store with demo orders, then start the app",
        description="Create the embedded central order store with demo data (once), give this "
        "station the same data, and start the application with the demo users shown.",
    )
    demo.add_argument(
        "--no-window",
        action="store_true",
        help="prepare the demo data and stop (for scripts and screenshots)",
    )
    demo.add_argument(
        "--headless",
        action="store_true",
        help="no window: pack one demo order at a simulated bench and write its labels, "
        "slip and screenshots to a folder (the default where there is no display)",
    )
    demo.set_defaults(run=_run_demo)

    backup = commands.add_parser(
        "backup",
        help="back up this station's database now",
        description="Copy this station's database with SQLite's online backup API (safe while "
        "the app runs) into [backup] folder, keeping the newest [backup] keep. The app also "
        "does this by itself once a day.",
    )
    backup.set_defaults(run=_run_backup)

    restore = commands.add_parser(
        "restore",
        help="put a backup in place of this station's database",
        description="Replace this station's database with a backup (the replaced file is kept "
        "beside it). Refused when the station holds commands not yet pushed to the central "
        "store that the backup lacks, unless --force; the message says how many. Close the "
        "app first. Exit code 2 when refused.",
    )
    restore.add_argument("file", type=Path, help="the backup file (packbench backup made it)")
    restore.add_argument(
        "--force", action="store_true", help="restore even though unsynced commands are lost"
    )
    restore.set_defaults(run=_run_restore)

    doctor = commands.add_parser(
        "doctor",
        help="check configuration, databases and devices; say what to fix",
        description="Check each part of this station and say what is wrong and how to fix it. "
        "Exit code 1 when something is wrong.",
    )
    doctor.add_argument("--json", action="store_true", help="print one JSON object")
    doctor.set_defaults(run=_run_doctor)

    decode = commands.add_parser(
        "decode",
        help="what a scan means, as JSON",
        description="Decode one scanned code (GS1 element strings, GTINs, SSCCs, our order, "
        "bin, tote and command barcodes) and print it as one JSON object. A GS separator may "
        "be written as \\x1d or <GS>. Exit code 0 when the code is valid, 1 when not.",
    )
    decode.add_argument("text", help="the code as the scanner sent it")
    decode.add_argument("--symbology", help="AIM identifier sent with it, e.g. ]C1")
    decode.set_defaults(run=_run_decode)

    imports = commands.add_parser(
        "import",
        help="load orders (or the product catalogue) into the central store",
        description="Import orders from a sales channel's export into the central order store. "
        "Re-importing a file changes nothing; a changed order is updated (or held, if it is "
        "being picked). Each order imports whole or not at all. Exit code 0: all imported; "
        "1: some orders were rejected (listed); 2: the file could not be read (nothing "
        "changed, or it ended early: what came before stays); 3: the central store stopped "
        "answering, or refused this login a right it needs (the line names the grant; what "
        "was committed so far stays, and importing the file again finishes the job).",
    )
    imports.add_argument("format", choices=IMPORT_FORMATS, help="what the file holds")
    imports.add_argument("file", type=Path, help="the file to import")
    imports.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    imports.add_argument(
        "--warehouse",
        metavar="CODE",
        default="",
        help="put every order of the file in this warehouse (a products file: its bins and "
        "stock); without it orders go by the [warehouses] rule, products to the station's",
    )
    imports.set_defaults(run=_run_import)

    warehouse = commands.add_parser(
        "warehouse",
        help="the warehouses orders ship from: list them, or add / change one",
        description="List the warehouses, or add one (or change it, by its code): its name, "
        "its address (the ship-from on labels and the seller address on documents of its "
        "orders), its country, the ship-to countries it serves and its priority.",
    )
    warehouses = warehouse.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = warehouses.add_parser("list", help="the warehouses, one a line")
    listing.add_argument("--json", action="store_true", help="one JSON object a line")
    listing.set_defaults(run=_run_warehouse_list)
    adding = warehouses.add_parser("add", help="add a warehouse, or change the one with CODE")
    adding.add_argument("code", help="1-16 capital letters, digits and - _, e.g. MAN")
    adding.add_argument("--name", required=True)
    adding.add_argument("--address", default="", help='lines separated by "|"')
    adding.add_argument("--country", default="GB", help="ISO alpha-2 code, e.g. GB")
    adding.add_argument("--serves", default="", help="ship-to countries, e.g. GB,IE")
    adding.add_argument("--priority", type=int, default=0, help="higher wins the last tie")
    adding.set_defaults(run=_run_warehouse_add)

    stock = commands.add_parser(
        "stock",
        help="a product's stock in hand and committed, per warehouse and in total",
        description="A product's stock in the central store: in hand, committed to orders and "
        "available, in each warehouse and in total.",
    )
    stock.add_argument("sku")
    stock.add_argument("--json", action="store_true", help="print one JSON object")
    stock.set_defaults(run=_run_stock)

    order = commands.add_parser(
        "order",
        help="orders by hand: create from a JSON file, or move one to another warehouse",
        description="Supervisor actions on orders: create orders typed in by hand (docs/orders.md "
        'shows the JSON: one order, a list, or {"orders": [...]}) through the same order writer '
        "as the import, or move an order (or a split part) to another warehouse before picking.",
    )
    orders = order.add_subparsers(dest="step", title="actions", metavar="ACTION", required=True)
    create = orders.add_parser(
        "create",
        help="create (or update) orders from FILE.json",
        description="Create orders typed in by hand in the central store, through the same "
        "order writer as the import: review holds, allocation; the same reference again updates "
        "the order. Then syncs, so this station has them. Signs in as --user NAME (or "
        "PACKBENCH_USER) with the PIN from PACKBENCH_PIN: a supervisor or admin. Exit code 0: "
        "all created; 1: some were rejected (listed, with the field and why); 2: the file could "
        "not be read or the user may not create orders (nothing changed).",
    )
    create.add_argument("file", type=Path, help="the JSON file")
    create.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    _user_option(create)
    create.set_defaults(run=_run_order_create)
    move = orders.add_parser(
        "move",
        help="move an order to another warehouse (supervisor; before picking)",
        description="Move an order, or a split part of one, to another warehouse before any of "
        "it is picked: its stock is released in the old warehouse and allocated in the new "
        "one, and the move is audited. Exit code 1 when it cannot be moved (the line says why).",
    )
    move.add_argument("number", help="the order's number, e.g. ORD-1042 or ORD-1042-B")
    move.add_argument("--to", required=True, metavar="CODE", help="the warehouse it goes to")
    _user_option(move)
    move.set_defaults(run=_run_order_move)

    transfer = commands.add_parser(
        "transfer",
        help="move stock from one warehouse to another: create, receive, list, show",
        description="Stock moved between warehouses (supervisor): it leaves the sending "
        "warehouse's bins, is in transit (counted once) and goes on hand where it is received. "
        "Exit code 1 when a step is refused (the line says why).",
    )
    transfers = transfer.add_subparsers(title="actions", metavar="ACTION", required=True)
    creating = transfers.add_parser(
        "create",
        help="send stock: packbench transfer create --from MAN --to BER SKU:QTY[@BIN],...",
        description="Take the units out of the sending warehouse's bins (the bin named after "
        "@, or any in walk order; only available units, not those committed to orders) and "
        "hold them in transit on a new transfer TR-nnnnnn.",
    )
    creating.add_argument("--from", dest="source", required=True, metavar="CODE")
    creating.add_argument("--to", dest="target", required=True, metavar="CODE")
    creating.add_argument(
        "lines", nargs="+", help='SKU:QTY[@BIN], comma separated, e.g. "A:5@A-1,B:2"'
    )
    creating.add_argument(
        "--json", action="store_true", help="print the transfer as one JSON object"
    )
    _user_option(creating)
    creating.set_defaults(run=_run_transfer_create)
    receiving = transfers.add_parser(
        "receive",
        help="receive a transfer (all of it, or SKU:QTY lines) into a bin of its warehouse",
        description="Receive transfer TR-nnnnnn where it arrived: everything still in transit "
        "(or only the SKU:QTY[@BIN] lines given) goes on hand in --bin, or in the bin of the "
        "same code it left from. --close then writes off what never arrived (a discrepancy, "
        "audited).",
    )
    receiving.add_argument("number", help="the transfer's number, e.g. TR-000001")
    receiving.add_argument("items", nargs="*", help="SKU:QTY[@BIN] lines received (default: all)")
    receiving.add_argument("--bin", metavar="BIN", help="the bin the units go into")
    receiving.add_argument("--close", action="store_true", help="write off what did not arrive")
    receiving.add_argument(
        "--json", action="store_true", help="print the transfer as one JSON object"
    )
    _user_option(receiving)
    receiving.set_defaults(run=_run_transfer_receive)
    tlist = transfers.add_parser("list", help="the transfers, newest first, one a line")
    tlist.add_argument("--open", action="store_true", help="only those with units in transit")
    tlist.add_argument("--json", action="store_true", help="one JSON object a line")
    tlist.set_defaults(run=_run_transfer_list)
    tshow = transfers.add_parser("show", help="one transfer with its lines")
    tshow.add_argument("number")
    tshow.add_argument("--json", action="store_true", help="print one JSON object")
    tshow.set_defaults(run=_run_transfer_show)

    sync = commands.add_parser(
        "sync",
        help="pull from and push to the central store, headless",
        description="Pull what changed in the central order store since the last sync and push "
        "this station's waiting commands. On a terminal, a round that takes more than a second "
        "says how far it has got (on stderr). It may run while the app is open on the same "
        "station. Exit code 1 when the central store cannot be reached.",
    )
    sync.add_argument("--once", action="store_true", help="one pull and push, then stop")
    sync.add_argument("--json", action="store_true", help="print what it did as one JSON object")
    sync.set_defaults(run=_run_sync)

    connector = commands.add_parser(
        "connector",
        help="pull orders from the stores' APIs and send shipments back, headless",
        description="The connector runs beside the central store: it pulls new and changed "
        "orders from each [channels.NAME] account in the configuration (docs/connector.md) "
        "and imports them as packbench import does, and sends shipments and voids back to "
        "the store. Several may run; each account is worked by one at a time.",
    )
    connectors = connector.add_subparsers(title="actions", metavar="ACTION", required=True)
    connector_run = connectors.add_parser(
        "run",
        help="run the connector until stopped (SIGTERM or Ctrl+C), or one pass with --once",
        description="Pull each account when its pull_seconds have passed and send its waiting "
        "news, until stopped. Exit code 0: done; 1: an account or a message could not be "
        "done (said why; it is tried again on the next pass); 2: no account is configured or "
        "the configuration is wrong; 3: the central store cannot be reached.",
    )
    connector_run.add_argument("--once", action="store_true", help="one pass, then stop")
    connector_run.add_argument(
        "--json", action="store_true", help="print each pass as one JSON object"
    )
    connector_run.set_defaults(run=_run_connector)

    central = commands.add_parser(
        "central",
        help="the central order store's schema: create or upgrade it",
        description="Work on the central order store itself (PACKBENCH_CENTRAL_URL or "
        "[central] url).",
    )
    centrals = central.add_subparsers(title="actions", metavar="ACTION", required=True)
    upgrade = centrals.add_parser(
        "upgrade",
        help="create the central store's schema, or upgrade it to this Packbench's",
        description="Create the central store's schema in an empty database, or upgrade an "
        "older one, and say which. Any command that reaches the store does the same on the "
        "way; this one is for an owner who wants it done apart, as the database's owner when "
        "stations log in with roles that may not create tables. Safe while stations use the "
        "store and when several run it at once (one does it, under a lock). Exit code 0 done "
        "or nothing to do, 1 the store cannot be reached, 2 it may not be done from here.",
    )
    upgrade.set_defaults(run=_run_central_upgrade)

    bench = commands.add_parser(
        "bench",
        help="a benchmark, one JSON object per line on stdout",
        description="Run a benchmark next to its floor measured in the same run (raw "
        "sqlite3, a bare Qt signal, bare reportlab) and print one JSON object per line.",
    )
    bench.add_argument("name", choices=sorted(BENCHMARKS), help="which benchmark")
    bench.add_argument("-n", type=int, help="how many repetitions (default: the benchmark's)")
    bench.add_argument(
        "--stations",
        type=int,
        help="fleet: how many stations pack at once (default 50)",
    )
    bench.add_argument(
        "--minutes",
        type=float,
        help="fleet: how long they pack, in minutes (default 1; 0.5 is half a minute)",
    )
    bench.set_defaults(run=_run_bench)

    sim = commands.add_parser("sim", help="device simulators for testing without hardware")
    sims = sim.add_subparsers(title="simulators", metavar="DEVICE", required=True)
    scanner = sims.add_parser(
        "scanner",
        help="a serial barcode scanner on a pseudo-terminal",
        description="Create a pseudo-terminal that behaves as a serial scanner, print its "
        "device path, and send each line of stdin (or of --file) as a scan. Point the station "
        'at the path ([scanner] mode = "serial", port = PATH) or open it in the Devices '
        "workspace.",
    )
    scanner.add_argument("--file", type=Path, help="send the lines of this file, then stop")
    scanner.add_argument(
        "--interval",
        type=float,
        default=0.0,
        help="seconds between two lines of --file (default 0)",
    )
    scanner.add_argument("--aim", help="AIM identifier to send before each code, e.g. ]C1")
    scanner.add_argument("--prefix", default="", help="characters to send before each code")
    scanner.add_argument(
        "--suffix",
        choices=("enter", "tab", "crlf", "none"),
        default="enter",
        help="what to send after each code (default enter)",
    )
    scanner.add_argument(
        "--link", type=Path, help="also reachable at this path (a stable symlink to the pty)"
    )
    scanner.set_defaults(run=_run_sim_scanner)
    printer = sims.add_parser(
        "printer",
        help="a ZPL label printer on 127.0.0.1",
        description="Listen on 127.0.0.1 like a networked ZPL printer: answer ~HS status and "
        "keep every label received as a file. Type paper-out, head-open, pause, ribbon-out, "
        "offline, silent, ready, status or quit on stdin to change its state.",
    )
    printer.add_argument("--port", type=int, default=9100, help="TCP port (default 9100)")
    printer.add_argument("--dir", type=Path, help="keep labels here (default: a new folder)")
    printer.set_defaults(run=_run_sim_printer)
    scale = sims.add_parser(
        "scale",
        help="a Mettler Toledo SICS scale on a pseudo-terminal",
        description="Create a pseudo-terminal that answers MT-SICS commands like a shipping "
        "scale. Type a weight (1250, 1.25kg) to put it on the pan (it settles), remove, "
        "unplug, replug or quit.",
    )
    scale.add_argument("--link", type=Path, help="also reachable at this path (a symlink)")
    scale.set_defaults(run=_run_sim_scale)

    printing = commands.add_parser(
        "print",
        help="print a shipping label, a packing slip or the command barcodes",
        description="Send a document to this station's printer ([printer] in config.toml), or "
        "write it to a file with --pdf/--zpl. KIND is label (NUMBER: a shipment number, all its "
        "labels, or one parcel's SSCC), slip (NUMBER: a shipment) or commands (no NUMBER). "
        "A document still waiting to print is sent, never added twice; a label that printed "
        "before prints again only with --reprint. KIND invoice (NUMBER: an invoice or credit "
        "note) goes to the documents printer; every print or save after the first is marked "
        "COPY and recorded as a reprint; it needs --user (a supervisor). Exit code 1 when "
        "something did not print (it waits in the queue, or the printer could not confirm it). "
        "KIND return (NUMBER: RA-...) prints the return's bin and quarantine labels (--user: "
        "a returns clerk). KIND picklist (NUMBER: PL-...) prints a pick list (A4). KIND "
        "bin-labels prints a label for every bin in walk order (--pdf: a sheet of them; "
        "--zpl or the printer: ZPL labels), --zone for one zone. KIND product-labels "
        "(SKU[:COPIES],...) prints barcode labels for products; one with no barcode is given "
        "an internal GTIN (20-29) once, kept from then on (--user: a supervisor).",
    )
    printing.add_argument(
        "kind",
        choices=(
            "label",
            "slip",
            "commands",
            "invoice",
            "return",
            "picklist",
            "bin-labels",
            "product-labels",
        ),
    )
    printing.add_argument(
        "number",
        nargs="?",
        help="shipment number or SSCC; an invoice or credit note number; a return (RA-...); "
        "a pick list (PL-...); for product-labels SKU[:COPIES],...",
    )
    printing.add_argument("--zone", help="bin-labels: only this zone's bins")
    to_file = printing.add_mutually_exclusive_group()
    to_file.add_argument("--pdf", type=Path, metavar="FILE", help="write a PDF here instead")
    to_file.add_argument("--zpl", type=Path, metavar="FILE", help="write ZPL here (labels only)")
    printing.add_argument(
        "--dpi", type=int, choices=(203, 300), help="ZPL resolution (default: [printer] dpi)"
    )
    printing.add_argument(
        "--reprint",
        action="store_true",
        help="print a label again that printed before (recorded in the audit log as a reprint)",
    )
    _user_option(printing)
    printing.set_defaults(run=_run_print)

    invoice = commands.add_parser(
        "invoice",
        help="issue an invoice (or a credit note) for an order's shipped units",
        description="Issue an invoice for ORDER's shipped units not invoiced yet: all of them, "
        "one shipment's (--shipment) or chosen units (--lines SKU:QTY,...). With --credit "
        "INVOICE, issue a credit note for that invoice: all of it, or --lines of it. Signs in "
        "as --user NAME (or PACKBENCH_USER) with the PIN from PACKBENCH_PIN, or typed when "
        "asked; only a supervisor or admin may. Exit code 0 issued; 1 nothing billable, or "
        "more asked than is billable (the line says why; nothing is written); 2 it could "
        "not be done as asked (unknown order, wrong PIN, no right).",
    )
    invoice.add_argument("order", help="the order number (with --credit: the invoice's order)")
    what = invoice.add_mutually_exclusive_group()
    what.add_argument("--shipment", metavar="S", help="bill only this shipment's units")
    what.add_argument("--credit", metavar="INVOICE", help="issue a credit note for INVOICE")
    invoice.add_argument("--lines", metavar="SKU:QTY,...", help="bill (or credit) these units")
    invoice.add_argument("--json", action="store_true", help="print the document as JSON")
    _user_option(invoice)
    invoice.set_defaults(run=_run_invoice)

    listing = commands.add_parser(
        "invoices",
        help="list issued invoices and credit notes with their state",
        description="List this station's invoices and credit notes, newest first, with their "
        "state: waiting to sync, recorded centrally, or refused centrally (and why).",
    )
    listing.add_argument("--order", help="only this order's")
    listing.add_argument("--customer", help="customer name contains this")
    listing.add_argument("--kind", choices=("invoice", "credit_note"))
    listing.add_argument("--state", choices=("waiting", "recorded", "refused"))
    listing.add_argument("--from", dest="issued_from", metavar="DATE", help="issued on or after")
    listing.add_argument("--to", dest="issued_to", metavar="DATE", help="issued on or before")
    listing.add_argument("--json", action="store_true", help="one JSON object per document")
    _user_option(listing)
    listing.set_defaults(run=_run_invoices)

    _returns_parser(commands)
    _supervisor_parsers(commands)
    _picklist_parser(commands)

    spool = commands.add_parser(
        "spool",
        help="send this station's queued labels and slips, headless",
        description="Run this station's print spooler without the app: send the labels and "
        "slips waiting in the queue (kept while the printer was out of paper or away) and "
        "those queued later, until stopped with Ctrl+C or SIGTERM; one line each time what "
        "waits changes. With --once, send what can go now and stop. It may run beside the app: "
        "a document goes out once, whoever sends it. Exit code 0 when nothing waits; 1 (with "
        "--once) when something still waits or may not have printed (the line says why).",
    )
    spool.add_argument("--once", action="store_true", help="send what can go now, then stop")
    spool.set_defaults(run=_run_spool)
    return parser


def _picklist_parser(commands: Any) -> None:
    picklist = commands.add_parser(
        "picklist",
        help="build pick lists from allocated orders; the supervisor's short-pick choices",
        description="Build pick lists at this station (--user: someone with plan_picking, a "
        "supervisor). create: --orders makes one list per order; --batch N lists of up to N "
        "orders walked at once, each order in its own tote (cart slot); --wave groups all "
        "allocated orders by carrier and service, priority or cut-off time and splits each "
        "group by zone (--zone keeps one zone, --max-orders caps a list). Orders on hold, "
        "void, fulfilled elsewhere or already on an open list never go on a list. Exit code "
        "0 when lists were made, 1 when nothing could be picked (each order's reason is "
        "printed), 2 for bad arguments.",
    )
    steps = picklist.add_subparsers(dest="step", required=True, metavar="STEP")
    create = steps.add_parser("create", help="build pick lists", description="Build pick lists.")
    how = create.add_mutually_exclusive_group(required=True)
    how.add_argument("--orders", metavar="ORD-1,ORD-2", help="one list for each of these orders")
    how.add_argument("--batch", type=int, metavar="N", help="lists of up to N orders each")
    how.add_argument("--wave", choices=[w.value for w in WaveBy], help="group, then split by zone")
    create.add_argument("--zone", help="with --wave: only this zone")
    create.add_argument("--max-orders", type=int, metavar="N", help="with --wave: at most N a list")
    create.add_argument("--json", action="store_true", help="one JSON object per list")
    _user_option(create)
    shorts = steps.add_parser(
        "shorts", help="short picks waiting for a choice", description="Short picks waiting."
    )
    shorts.add_argument("--json", action="store_true", help="one JSON object per short pick")
    _user_option(shorts)
    resolve = steps.add_parser(
        "resolve",
        help="answer an order's short picks",
        description="reallocate: take the missing units from other bins with stock (a small "
        "follow-up list); partial: ship what was picked; hold: put the order on hold.",
    )
    resolve.add_argument("order")
    resolve.add_argument("choice", choices=("reallocate", "partial", "hold"))
    resolve.add_argument("--note", help="with hold: the reason kept with the order")
    _user_option(resolve)
    picklist.set_defaults(run=_run_picklist)


def _run_picklist(args: argparse.Namespace) -> int:
    from app.domain.picking import NothingToPick, PickingError, ShortChoice
    from app.services import picking

    config = load_config()
    station = open_station(config, notify=_say)
    try:
        actor = _sign_in(station, args.user)
        if args.step == "shorts":
            for short in picking.shorts(station, actor):
                if args.json:
                    print(json.dumps(short.as_json(), ensure_ascii=False))
                else:
                    print(
                        f"{short.order_number} line {short.line_no}  {short.missing} x "
                        f"{short.sku}  bin {short.bin_code}  {short.reason.label}  "
                        f"({short.pick_list}, {short.user_name or '?'})"
                    )
            return 0
        if args.step == "resolve":
            choice = {
                "reallocate": ShortChoice.REALLOCATE,
                "partial": ShortChoice.PARTIAL,
                "hold": ShortChoice.HOLD,
            }[args.choice]
            try:
                done = picking.resolve_short(station, actor, args.order, choice, args.note)
            except PickingError as refused:
                print(f"packbench: {refused.message}", file=sys.stderr)
                return 1
            print(done.said)
            return 0
        orders = None
        if args.orders is not None:
            orders = [n.strip() for n in args.orders.split(",") if n.strip()]
            if not orders:
                raise DomainError("--orders needs order numbers, e.g. --orders 100234,100240.")
        try:
            built = picking.build_lists(
                station,
                actor,
                orders=orders,
                batch=args.batch,
                wave=WaveBy(args.wave) if args.wave else None,
                zone=args.zone,
                max_orders=args.max_orders,
            )
        except NothingToPick as nothing:
            print(f"packbench: {nothing.message}", file=sys.stderr)
            return 1
    finally:
        station.close()
    for made in built.lists:
        if args.json:
            print(json.dumps(made.as_json(), ensure_ascii=False))
        else:
            zones = ", ".join(made.zones)
            print(
                f"{made.number}  {made.kind}{f' ({made.grouping})' if made.grouping else ''}  "
                f"{len(made.orders)} orders, {made.lines} lines, {made.units} units, "
                f"zone {zones}: {', '.join(made.orders)}"
            )
    for _, why in built.refused:
        print(f"left off: {why}", file=sys.stderr)
    return 0


def _returns_parser(commands: Any) -> None:
    returns = commands.add_parser(
        "returns",
        help="the returns desk from the command line: find, open, receive, confirm, report",
        description="Take back what customers returned, as at the returns desk: find the "
        "order a scan belongs to, open a return (RA number), receive units, say why and where "
        "they go, confirm (stock, credit note, refund request), and the report. Signs in as "
        "--user NAME (or PACKBENCH_USER) with the PIN from PACKBENCH_PIN: a returns clerk or "
        "a supervisor. Exit code 1 when a scan or step is refused (the line says why; nothing "
        "is written), 2 when it cannot be done as asked (unknown order, wrong PIN, no right).",
    )
    steps = returns.add_subparsers(dest="step", required=True, metavar="STEP")

    def step(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = steps.add_parser(name, help=help_text, description=help_text)
        _user_option(p)
        p.set_defaults(run=_run_returns)
        return p

    find = step(
        "find",
        "The orders SCAN may belong to (an SSCC or label, order or shipment number, RA, serial, "
        "or an item's barcode or SKU: the recent orders that shipped it, newest first), with "
        "what each line may still return.",
    )
    find.add_argument("scan")
    find.add_argument("--json", action="store_true", help="one JSON object per order")
    opened = step("open", "Open a return for ORDER, or resume its open one.")
    opened.add_argument("order")
    opened.add_argument("--late-reason", help="why a late return is accepted (a supervisor)")
    opened.add_argument("--json", action="store_true")
    show = step("show", "Show a return: its lines, units and refund.")
    show.add_argument("ra")
    show.add_argument("--json", action="store_true")
    receive = step("receive", "Take one unit (or a case) of SCAN back into return RA.")
    receive.add_argument("ra")
    receive.add_argument("scan")
    receive.add_argument("--serial", help="the unit's serial number")
    receive.add_argument(
        "--unexpected", action="store_true", help="an item not in the order (quarantine only)"
    )
    receive.add_argument("--json", action="store_true")
    sort = step("set", "Say why a unit came back, its condition and where it goes.")
    sort.add_argument("ra")
    sort.add_argument("--unit", type=int, help="the unit's id (default: the last scanned)")
    sort.add_argument("--reason", choices=[r.value for r in Reason])
    sort.add_argument("--text", help="the reason in words (needed for 'other')")
    sort.add_argument("--condition", choices=[c.value for c in Condition])
    sort.add_argument("--disposition", choices=[d.value for d in Disposition])
    sort.add_argument("--bin", help="restock into this bin (default: the item's own)")
    sort.add_argument("--json", action="store_true")
    confirm = step("confirm", "Confirm return RA: stock, credit note and refund request.")
    confirm.add_argument("ra")
    confirm.add_argument("--json", action="store_true")
    report = step("report", "Returns confirmed between two dates, by reason, product, disposition.")
    report.add_argument("--from", dest="start", required=True, metavar="DATE")
    report.add_argument("--to", dest="end", required=True, metavar="DATE")
    report.add_argument("--csv", type=Path, metavar="FILE", help="write CSV here ('-': stdout)")


def _supervisor_parsers(commands: Any) -> None:
    from app.domain.users import Permission, Role
    from app.services.reports import REPORTS

    signs_in = (
        " Signs in as --user NAME (or PACKBENCH_USER) with the PIN from PACKBENCH_PIN. Exit "
        "code 2 when it cannot be done as asked (unknown user, wrong PIN, no right)."
    )
    users = commands.add_parser(
        "users",
        help="add users, set role, badge and PIN, deactivate; grant rights to users and roles",
        description="Look after the people who sign in at this station: list them, add one, "
        "change a role, badge or PIN, deactivate someone who left, and grant or withdraw "
        "rights (ship_partial, force_pack, reprint, accept_late_returns, issue_invoices, "
        "void_orders, ...) to one person or to a whole role." + signs_in,
    )
    steps = users.add_subparsers(dest="step", required=True, metavar="STEP")
    rights = [p.value for p in Permission]
    roles = [r.value for r in Role]

    def step(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = steps.add_parser(name, help=help_text, description=help_text)
        _user_option(p)
        p.set_defaults(run=_run_users)
        return p

    listed = step("list", "The users with role, rights and state.")
    listed.add_argument("--json", action="store_true", help="one JSON object per user")
    step("rights", "What each role may do at this site.").add_argument(
        "--json", action="store_true"
    )
    add = step("add", "Add a user; the PIN comes from PACKBENCH_NEW_PIN (or is asked).")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=roles)
    add.add_argument("--badge", help="the badge's code (kept only as a hash)")
    changed = step("set", "Change a user's role, badge or PIN (PACKBENCH_NEW_PIN, or asked).")
    changed.add_argument("name")
    changed.add_argument("--role", choices=roles)
    changed.add_argument("--badge", help="the new badge's code; '' takes the badge away")
    changed.add_argument("--pin", action="store_true", help="set a new PIN")
    step("deactivate", "Deactivate a user (who left): they can no longer sign in.").add_argument(
        "name"
    )
    step("activate", "Let a deactivated user sign in again.").add_argument("name")
    for verb, words in (("grant", "Grant"), ("revoke", "Withdraw")):
        p = step(verb, f"{words} a right to a user (NAME) or to everyone of a role (--role).")
        p.add_argument("right", choices=rights)
        target = p.add_mutually_exclusive_group(required=True)
        target.add_argument("--to", dest="name", metavar="NAME", help="one person")
        target.add_argument("--role", choices=roles, help="everyone of this role")

    audit = commands.add_parser(
        "audit",
        help="read this station's audit trail, filtered by user, station, action, order",
        description="The newest audit entries of this station's database that match every "
        "filter given. packbench doctor checks the trail's hash chain." + signs_in,
    )
    audit.add_argument("--by", metavar="NAME", help="entries of users whose name contains NAME")
    audit.add_argument("--station", help="entries written at this station")
    audit.add_argument("--action", help="an action (pack.ship) or its start (pack.)")
    audit.add_argument("--order", help="entries about this order")
    audit.add_argument("--limit", type=int, default=200)
    audit.add_argument("--json", action="store_true", help="one JSON object per entry")
    _user_option(audit)
    audit.set_defaults(run=_run_audit)

    report = commands.add_parser(
        "report",
        help="floor reports: packed per packer per hour, scan errors, short picks, carriers, "
        "returns",
        description="A floor report over the days --from to --to (both included, local time), "
        "as CSV: packed (orders and units per packer per hour), scan-errors (per packer), "
        "short-picks (partial shipments by reason), carriers (parcels per carrier), returns "
        "(by reason)." + signs_in,
    )
    report.add_argument("name", choices=list(REPORTS))
    report.add_argument("--from", dest="start", required=True, metavar="DATE")
    report.add_argument("--to", dest="end", required=True, metavar="DATE")
    report.add_argument("--csv", type=Path, metavar="FILE", help="write CSV here (default stdout)")
    _user_option(report)
    report.set_defaults(run=_run_report)


def _new_pin(name: str) -> str:
    pin = os.environ.get("PACKBENCH_NEW_PIN")
    if pin is None and sys.stdin.isatty():
        pin = getpass.getpass(f"New PIN for {name}: ")
    if not pin:
        raise DomainError(
            f"No new PIN for {name}: set PACKBENCH_NEW_PIN, or run this on a terminal."
        )
    return pin


def _run_users(args: argparse.Namespace) -> int:
    from app.domain.users import Permission, Role
    from app.services import auth

    config = load_config()
    station = open_station(config, notify=_say)
    try:
        actor = _sign_in(station, args.user)
        uows = station.local
        if args.step == "list":
            for u in auth.list_users(uows, include_inactive=True):
                if args.json:
                    print(json.dumps({
                        "id": u.id, "name": u.name, "role": u.role.value, "active": u.active,
                        "badge": u.has_badge, "grants": sorted(g.value for g in u.grants),
                        "rights": sorted(p.value for p in u.permissions),
                    }, ensure_ascii=False))  # fmt: skip
                else:
                    own = f"  +{','.join(sorted(g.value for g in u.grants))}" if u.grants else ""
                    state = "" if u.active else "  (inactive)"
                    print(f"{u.name}  {u.role.value}{own}{state}")
            return 0
        if args.step == "rights":
            actor.require(Permission.UNLOCK_USERS, "look after users")
            table = auth.site_role_rights(uows)
            if args.json:
                print(json.dumps({r.value: sorted(p.value for p in table[r]) for r in Role}))
            else:
                for r in Role:
                    print(f"{r.value}: {', '.join(sorted(p.value for p in table[r]))}")
            return 0
        if args.step == "add":
            auth.create_user(
                uows, actor, args.name, Role(args.role), _new_pin(args.name), args.badge
            )
            print(f"Added {args.name.strip()} as {Role(args.role).label}.")
            return 0
        if args.step in ("grant", "revoke"):
            right, granted = Permission(args.right), args.step == "grant"
            if args.role:
                auth.set_role_right(uows, actor, Role(args.role), right, granted=granted)
                whom = f"every {Role(args.role).label}"
            else:
                target = auth.find_user(uows, args.name)
                auth.set_user_right(uows, actor, target.id, right, granted=granted)
                whom = target.name
            print(
                f"{'Granted' if granted else 'Withdrew'} {right.value} "
                f"{'to' if granted else 'from'} {whom}; it holds from their next sign-in."
            )
            return 0
        target = auth.find_user(uows, args.name)
        if args.step in ("deactivate", "activate"):
            auth.set_active(uows, actor, target.id, args.step == "activate")
            print(f"{target.name} is {'active' if args.step == 'activate' else 'deactivated'}.")
            return 0
        done = []
        if args.role:
            auth.set_role(uows, actor, target.id, Role(args.role))
            done.append(f"role {Role(args.role).label}")
        if args.badge is not None:
            auth.set_badge(uows, actor, target.id, args.badge or None)
            done.append("badge registered" if args.badge else "badge taken away")
        if args.pin:
            auth.reset_pin(uows, actor, target.id, _new_pin(target.name))
            done.append("new PIN")
        if not done:
            raise DomainError("Say what to change: --role, --badge or --pin.")
        print(f"{target.name}: {', '.join(done)}.")
        return 0
    finally:
        station.close()


def _run_audit(args: argparse.Namespace) -> int:
    from app.services.audit import AuditFilter, find_events

    config = load_config()
    station = open_station(config, notify=_say)
    try:
        actor = _sign_in(station, args.user)
        rows = find_events(
            station.local,
            actor,
            AuditFilter(
                args.by or "", args.station or "", args.action or "", args.order or "", args.limit
            ),
        )
    finally:
        station.close()
    for row in rows:
        if args.json:
            print(json.dumps(row.as_json(), ensure_ascii=False))
        else:
            print(
                f"{row.id}  {row.at.astimezone():%Y-%m-%d %H:%M:%S}  {row.station}  "
                f"{row.user or '-'}  {row.action}  {row.subject}  {row.detail}".rstrip()
            )
    return 0


def _run_report(args: argparse.Namespace) -> int:
    import datetime as dt

    from app.services.printouts import write_file
    from app.services.reports import floor_report

    def day(text: str, option: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise DomainError(f"{option} {text!r} is not a date: write e.g. 2026-12-03.") from None

    config = load_config()
    station = open_station(config, notify=_say)
    try:
        actor = _sign_in(station, args.user)
        report = floor_report(
            station, actor, args.name, day(args.start, "--from"), day(args.end, "--to")
        )
    finally:
        station.close()
    text = report.csv()
    print(f"{report.title}, {report.start} to {report.end}: {report.scope}", file=sys.stderr)
    if args.csv is None or str(args.csv) == "-":
        sys.stdout.write(text)
    else:
        write_file(args.csv, text.encode())
        print(f"Wrote {len(report.rows)} rows of {args.name} to {args.csv} ({report.scope}).")
    return 0


def _run_returns(args: argparse.Namespace) -> int:
    import datetime as dt

    from app.domain.returns import ReturnRefused
    from app.services import returns
    from app.services.printouts import write_file

    def day(text: str, option: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise DomainError(f"{option} {text!r} is not a date: write e.g. 2026-12-03.") from None

    config = load_config()
    station = open_station(config, notify=_say)
    try:
        actor = _sign_in(station, args.user)
        try:
            if args.step == "find":
                found = returns.find(station, actor, args.scan)
                _show_candidates(found, args.json, args.scan)
                return 0 if found else 1
            if args.step == "report":
                rows = returns.report(
                    station, actor, day(args.start, "--from"), day(args.end, "--to")
                )
                text = returns.report_csv(rows)
                if args.csv is None or str(args.csv) == "-":
                    sys.stdout.write(text)
                else:
                    write_file(args.csv, text.encode())
                    print(f"Wrote {len(rows)} rows to {args.csv}.")
                return 0
            if args.step == "open":
                view = returns.open_return(station, actor, args.order, args.late_reason)
            elif args.step == "show":
                view = returns.resume(station, actor, args.ra)
            elif args.step == "receive":
                view = returns.receive(
                    station,
                    actor,
                    args.ra,
                    args.scan,
                    serial=args.serial,
                    unexpected=args.unexpected,
                )
            elif args.step == "set":
                view = returns.set_unit(
                    station,
                    actor,
                    args.ra,
                    args.unit,
                    reason=Reason(args.reason) if args.reason else None,
                    reason_text=args.text,
                    condition=Condition(args.condition) if args.condition else None,
                    disposition=Disposition(args.disposition) if args.disposition else None,
                    bin_code=args.bin,
                )
            else:
                done = returns.confirm(station, actor, args.ra)
                view = done.ret
                if done.credit_notes:
                    station.spooler.send_now()  # the credit notes to the documents printer
        except ReturnRefused as refused:
            print(f"packbench: {refused.message}", file=sys.stderr)
            return 1
    finally:
        station.close()
    if args.json:
        print(json.dumps(view.as_json(), ensure_ascii=False))
    else:
        _show_return(view)
    return 0


def _show_candidates(found: Sequence[Any], as_json: bool, scan: str) -> None:
    if not found and not as_json:
        print(f"No shipped order matches {scan}.")
    for c in found:
        if as_json:
            print(json.dumps(c.as_json(), ensure_ascii=False))
            continue
        shipped = f"shipped {c.shipped_at.astimezone():%Y-%m-%d}" if c.shipped_at else "not shipped"
        late = "  LATE" if c.late else ""
        print(f"{c.order_number}  {c.customer}  {shipped}  found by {c.found_by}{late}")
        for line in c.lines:
            print(
                f"  {line.line_no}. {line.sku}  shipped {line.shipped}, returned {line.returned}, "
                f"returnable {line.returnable}"
            )


def _show_return(view: Any) -> None:
    print(f"{view.number}  order {view.order_number}  {view.customer}  {view.state}")
    for u in view.units:
        where = f" -> {u.bin_code}" if u.bin_code else ""
        reason = u.reason.value if u.reason else "?"
        disposition = u.disposition.value if u.disposition else "?"
        print(f"  #{u.id} {u.units} x {u.sku}  {reason}  {disposition}{where}")
    if view.refund:
        print(f"Refund {view.refund['total']} {view.refund['currency']}", end="")
        print(f"; credit notes {', '.join(view.credit_notes)}" if view.credit_notes else "")


def _run_warehouse_list(args: argparse.Namespace) -> int:
    from app.services.warehouses import list_warehouses

    station = open_station(load_config(), notify=_say)
    try:
        for w in list_warehouses(station):
            if args.json:
                print(json.dumps(w.as_json(), ensure_ascii=False))
            else:
                serves = ",".join(w.serves) or "-"
                address = " | ".join(w.address_lines) or "(the station's [ship_from])"
                print(
                    f"{w.code}\t{w.name}\t{w.country}\tserves {serves}\t"
                    f"priority {w.priority}\t{address}"
                )
    finally:
        station.close()
    return 0


def _run_warehouse_add(args: argparse.Namespace) -> int:
    from app.services.warehouses import save_warehouse

    station = open_station(load_config(), notify=_say)
    try:
        said = save_warehouse(
            station,
            args.code,
            name=args.name,
            address_lines=[p.strip() for p in args.address.split("|") if p.strip()],
            country=args.country,
            serves=[c.strip() for c in args.serves.split(",") if c.strip()],
            priority=args.priority,
        )
    finally:
        station.close()
    print(said)
    return 0


def _run_stock(args: argparse.Namespace) -> int:
    from app.services.warehouses import stock_of

    station = open_station(load_config(), notify=_say)
    try:
        found = stock_of(station, args.sku)
    finally:
        station.close()
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False))
        return 0
    print(f"{found.sku}  {found.name}")
    print(
        f"  {'warehouse':<10} {'in hand':>8} {'committed':>10} {'available':>10} {'in transit':>11}"
    )
    for w in (*found.warehouses, found.total):
        code = "total" if w.code == "all" else w.code  # warehouse codes are capitals
        print(f"  {code:<10} {w.on_hand:>8} {w.committed:>10} {w.available:>10} {w.in_transit:>11}")
    return 0


def _run_order_move(args: argparse.Namespace) -> int:
    from app.services.warehouses import move_order

    station = open_station(load_config(), notify=_say)
    try:
        actor = _sign_in(station, args.user)
        try:
            print(move_order(station, actor, args.number, args.to))
        except DomainError as refused:  # not allowed, not movable, no such order or warehouse
            print(f"packbench: {refused.message}", file=sys.stderr)
            return 1
    finally:
        station.close()
    return 0


def _print_transfer(view: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(view.as_json(), ensure_ascii=False))
        return
    print(
        f"{view.number}  {view.from_code} -> {view.to_code}  {view.state}  sent {view.sent}, "
        f"received {view.received}, in transit {view.in_transit}, written off {view.written_off}"
    )
    for line in view.lines:
        print(
            f"  {line.sku}  from {line.from_bin}  sent {line.sent}  received {line.received}  "
            f"in transit {line.in_transit}  written off {line.written_off}"
        )


def _run_transfer_create(args: argparse.Namespace) -> int:
    from app.services.transfers import create_transfer

    station = open_station(load_config(), notify=_say)
    try:
        actor = _sign_in(station, args.user)
        try:
            view = create_transfer(station, actor, args.source, args.target, ",".join(args.lines))
        except DomainError as refused:
            print(f"packbench: {refused.message}", file=sys.stderr)
            return 1
    finally:
        station.close()
    _print_transfer(view, args.json)
    return 0


def _run_transfer_receive(args: argparse.Namespace) -> int:
    from app.services.transfers import receive_transfer

    station = open_station(load_config(), notify=_say)
    try:
        actor = _sign_in(station, args.user)
        try:
            view = receive_transfer(
                station,
                actor,
                args.number,
                bin_code=args.bin,
                items=",".join(args.items) or None,
                close=args.close,
            )
        except DomainError as refused:
            print(f"packbench: {refused.message}", file=sys.stderr)
            return 1
    finally:
        station.close()
    _print_transfer(view, args.json)
    return 0


def _run_transfer_list(args: argparse.Namespace) -> int:
    from app.services.transfers import list_transfers

    station = open_station(load_config(), notify=_say)
    try:
        found = list_transfers(station, open_only=args.open)
    finally:
        station.close()
    for view in found:
        if args.json:
            print(json.dumps(view.as_json(), ensure_ascii=False))
        else:
            print(
                f"{view.number}\t{view.from_code} -> {view.to_code}\t{view.state}\t"
                f"sent {view.sent}\tin transit {view.in_transit}\t{view.created_by}"
            )
    return 0


def _run_transfer_show(args: argparse.Namespace) -> int:
    from app.services.transfers import show_transfer

    station = open_station(load_config(), notify=_say)
    try:
        try:
            view = show_transfer(station, args.number)
        except DomainError as refused:
            print(f"packbench: {refused.message}", file=sys.stderr)
            return 1
    finally:
        station.close()
    _print_transfer(view, args.json)
    return 0


def _user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="who does it (default PACKBENCH_USER); the PIN comes from PACKBENCH_PIN or is asked",
    )


def _sign_in(station: Station, name: str | None) -> Actor:
    """The person a headless command acts for: their name and PIN, counted like the app's."""
    from app.services.auth import login_by_name

    name = name or os.environ.get("PACKBENCH_USER")
    if not name:
        raise DomainError(
            "Say who you are: --user NAME (or PACKBENCH_USER), with your PIN in PACKBENCH_PIN "
            "or typed when asked."
        )
    pin = os.environ.get("PACKBENCH_PIN")
    if pin is None and sys.stdin.isatty():
        pin = getpass.getpass(f"PIN for {name}: ")
    if not pin:
        raise DomainError(f"No PIN for {name}: set PACKBENCH_PIN, or run this on a terminal.")
    return login_by_name(station.local, station.station_id, name, pin, station.lockout)


def _setup_logging(config: Config) -> bool:
    """Log to ``packbench.log`` in the log folder; False when it cannot be written."""
    from app.services.logs import log_to_folder

    return log_to_folder(config.paths.log_dir)


def _say(text: str) -> None:
    """What a headless command did on the way (a schema created), on stderr beside its output."""
    print(f"packbench: {text}", file=sys.stderr, flush=True)


def _display_ready() -> bool:
    """Say what stops a window from opening here, before Qt aborts over it."""
    from ui.preflight import display_problem

    problem = display_problem()
    if problem:
        print(f"packbench: {problem}", file=sys.stderr)
    return problem is None


def _run_self_test() -> int:
    """Every check, one line each; exit 0 only when all passed."""
    from app.services.selftest import CHECKS, run_checks
    from ui.self_test import run_qt_checks

    outcomes = [*run_qt_checks(), *run_checks(CHECKS)]
    for outcome in outcomes:
        print(outcome.line())
    failed = [o.name for o in outcomes if not o.ok]
    print(
        f"self-test of packbench {__version__}: "
        + (f"FAILED ({', '.join(failed)})" if failed else f"all {len(outcomes)} checks passed")
    )
    return 1 if failed else 0


def _run_backup(args: argparse.Namespace) -> int:
    from app.services.backup import make_backup

    config = load_config()
    _setup_logging(config)
    made = make_backup(config)
    log.info("%s", made.line())
    print(made.line())
    return 0


def _run_restore(args: argparse.Namespace) -> int:
    from app.services.backup import restore_backup

    config = load_config()
    _setup_logging(config)
    restored = restore_backup(config, args.file, force=args.force)
    log.warning("%s", restored.line())
    print(restored.line())
    return 0


def _run_app(args: argparse.Namespace) -> int:
    if args.self_test:
        return _run_self_test()
    if not _display_ready():
        return 2
    config = load_config()
    _setup_logging(config)
    from ui.application import AlreadyRunning, hold_station, run_app

    claim = hold_station(config.local_database)  # before the database is opened
    if isinstance(claim, AlreadyRunning):
        print(f"packbench: {claim.message}", file=sys.stderr)
        return 0 if claim.raised else 1
    try:
        station = open_station(config)
        if station.upgraded_from_backup:
            log.info(
                "local database upgraded; the old file is kept as %s", station.upgraded_from_backup
            )
        try:
            return int(run_app(station, claim=claim))
        finally:
            station.close()
    finally:
        claim.release()


def _run_demo(args: argparse.Namespace) -> int:
    from app.services import demo
    from ui.preflight import no_display

    headless = not args.no_window and (args.headless or no_display())
    if not args.no_window and not headless and not _display_ready():
        return 2
    config = load_config()
    if not config.central_is_embedded:
        raise ConfigError(
            "packbench demo fills the embedded central store only, and this station is set up "
            "for a real one ([central] url or PACKBENCH_CENTRAL_URL). Run the demo with its own "
            "PACKBENCH_HOME, e.g. PACKBENCH_HOME=/tmp/packbench-demo packbench demo."
        )
    _setup_logging(config)
    claim = None
    if not args.no_window and not headless:  # the window, not a script's or a tour's run
        from ui.application import AlreadyRunning, hold_station

        held = hold_station(config.local_database)
        if isinstance(held, AlreadyRunning):
            print(f"packbench: {held.message}", file=sys.stderr)
            return 0 if held.raised else 1
        claim = held
    station = open_station(config, demo=True)
    try:
        from app.sync.engine import sync_once

        central = station.central_engine()
        if not demo.is_demo(central):
            print("packbench: generating demo data ...", file=sys.stderr)
            demo.load_demo(central, demo.build_demo_dataset())
            print("packbench: demo data loaded into the central store", file=sys.stderr)
        # The station gets its copy the way every station does: by pulling.
        report = sync_once(station, _sync_progress())
        print(f"packbench: {report.line()}", file=sys.stderr)
        made = demo.seed_shipments(station)
        if made:
            print(f"packbench: {made} demo shipments recorded at this station", file=sys.stderr)
            invoiced = demo.seed_invoices(station)
            print(f"packbench: {invoiced} demo invoices issued at this station", file=sys.stderr)
            taken_back = demo.seed_returns(station)
            print(
                f"packbench: {taken_back} demo returns taken back at this station", file=sys.stderr
            )
            sync_once(station)  # the demo's invoices and returns go to the central store like any
        if args.no_window:
            print(
                f"packbench: demo ready ({demo.count_orders(station.central_engine())} orders "
                f"in {config.paths.embedded_central_file})",
                file=sys.stderr,
            )
            return 0
        if not headless:
            from ui.application import run_app

            users = [(u.name, u.role.label, u.badge, u.pin) for u in demo.DEMO_USERS]
            return int(run_app(station, users, claim))
    finally:
        station.close()
        if claim is not None:
            claim.release()
    from ui.demo_tour import run_demo_tour

    if not args.headless:
        print("packbench: no display here, so the demo runs without a window", file=sys.stderr)
    result = run_demo_tour(config, lambda text: print(f"packbench: {text}", file=sys.stderr))
    print(result.report())
    return 0


def _run_decode(args: argparse.Namespace) -> int:
    from app.domain.decode import decode
    from app.domain.scans import unescape_gs

    decoded = decode(unescape_gs(args.text), args.symbology)
    print(json.dumps(decoded.as_json(), ensure_ascii=False))
    return 0 if decoded.valid else 1


_SUFFIXES = {"enter": "\r", "tab": "\t", "crlf": "\r\n", "none": ""}


def _run_sim_scanner(args: argparse.Namespace) -> int:
    from devices.sim_scanner import run_simulated_scanner

    return run_simulated_scanner(
        file=args.file,
        interval=args.interval,
        aim=args.aim,
        prefix=args.prefix,
        suffix=_SUFFIXES[args.suffix],
        link=args.link,
        stdin=sys.stdin,
        out=sys.stdout,
    )


def _run_sim_printer(args: argparse.Namespace) -> int:
    from devices.sim_printer import run_simulated_printer

    return run_simulated_printer(args.port, args.dir, sys.stdin, sys.stdout)


def _run_sim_scale(args: argparse.Namespace) -> int:
    from devices.sim_scale import run_simulated_scale

    return run_simulated_scale(args.link, sys.stdin, sys.stdout)


def _run_print(args: argparse.Namespace) -> int:
    from app.services.printouts import print_document, print_invoice_document

    config = load_config()
    station = open_station(config, notify=_say)
    try:
        if args.kind == "bin-labels":
            from app.services.printouts import print_bin_labels

            if args.number or args.reprint:
                raise DomainError("packbench print bin-labels [--zone Z] [--pdf FILE | --zpl FILE]")
            outcome = print_bin_labels(
                station, station.spooler, args.zone, pdf=args.pdf, zpl=args.zpl, dpi=args.dpi
            )
            print(outcome.line)
            return outcome.exit_code
        if args.kind == "product-labels":
            from app.services.printouts import print_product_labels

            if not args.number or args.zpl or args.reprint:
                raise DomainError("packbench print product-labels SKU[:COPIES],... [--pdf FILE]")
            actor = _sign_in(station, args.user)
            outcome = print_product_labels(station, station.spooler, actor, args.number, args.pdf)
            print(outcome.line)
            return outcome.exit_code
        if args.kind == "picklist":
            from app.services.printouts import print_pick_list

            if not args.number or args.zpl or args.dpi or args.reprint:
                raise DomainError("packbench print picklist PL-... [--pdf FILE]: an A4 PDF.")
            outcome = print_pick_list(station, station.spooler, args.number, args.pdf)
            print(outcome.line)
            return outcome.exit_code
        if args.kind == "return":
            from app.services.printouts import print_return_labels

            if not args.number:
                raise DomainError("packbench print return RA-... [--pdf FILE | --zpl FILE]")
            actor = _sign_in(station, args.user)
            outcome = print_return_labels(
                station,
                station.spooler,
                actor,
                args.number,
                pdf=args.pdf,
                zpl=args.zpl,
                dpi=args.dpi,
            )
            print(outcome.line)
            return int(outcome.exit_code)
        if args.kind == "invoice":
            if not args.number or args.zpl or args.reprint or args.dpi:
                raise DomainError(
                    "packbench print invoice NUMBER [--pdf FILE]: an invoice is an A4 PDF "
                    "(no --zpl or --dpi); any print after the first is a COPY by itself."
                )
            actor = _sign_in(station, args.user)
            outcome = print_invoice_document(station, station.spooler, actor, args.number, args.pdf)
            print(outcome.line)
            return outcome.exit_code
        outcome = print_document(
            station,
            station.spooler,
            args.kind,
            args.number,
            pdf=args.pdf,
            zpl=args.zpl,
            dpi=args.dpi,
            reprint=args.reprint,
        )
    finally:
        station.close()
    print(outcome.line)
    return outcome.exit_code


def _run_invoice(args: argparse.Namespace) -> int:
    from app.domain.invoicing import (
        ExceedsBillable,
        NothingBillable,
        NothingToCredit,
        Selection,
        parse_quantities,
    )
    from app.services import invoicing

    quantities = parse_quantities(args.lines) if args.lines else None
    config = load_config()
    station = open_station(config, notify=_say)
    try:
        actor = _sign_in(station, args.user)
        try:
            if args.credit:
                issued = invoicing.issue_credit_note(
                    station, actor, args.credit, quantities, order_number=args.order
                )
            else:
                if quantities:
                    selection = Selection.of_quantities(quantities)
                elif args.shipment:
                    selection = Selection.of_shipment(args.shipment)
                else:
                    selection = Selection.everything()
                issued = invoicing.issue_invoice(station, actor, args.order, selection)
        except (NothingBillable, ExceedsBillable, NothingToCredit) as refused:
            print(f"packbench: {refused.message}", file=sys.stderr)
            return 1
    finally:
        station.close()
    if args.json:
        print(json.dumps(issued.as_json(), ensure_ascii=False))
        return 0
    s = issued.summary
    what = "credit note" if s.is_credit_note else "invoice"
    partial = f" (partial invoice {issued.partial_index})" if issued.partial_index else ""
    corrects = f", correcting {s.corrects}" if s.corrects else ""
    print(
        f"Issued {what} {s.number}{partial} for order {s.order_number}{corrects}: net {s.net}, "
        f"tax {s.tax}, gross {s.gross} {s.currency}; {s.state.label}."
    )
    for line in issued.lines:
        source = f"shipment {line.shipment}, parcel {line.sscc}" if line.shipment else "charge"
        print(f"  {line.quantity} x {line.sku} ({source}): net {line.net}, tax {line.tax}")
    return 0


def _run_invoices(args: argparse.Namespace) -> int:
    import datetime as dt

    from app.services import invoicing
    from app.services.invoicing import InvoiceFilter, InvoiceState

    def day(text: str | None, option: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(text) if text else None
        except ValueError:
            raise DomainError(f"{option} {text!r} is not a date: write e.g. 2026-12-03.") from None

    filters = InvoiceFilter(
        order=args.order,
        customer=args.customer,
        kind=args.kind,
        state=InvoiceState(args.state) if args.state else None,
        issued_from=day(args.issued_from, "--from"),
        issued_to=day(args.issued_to, "--to"),
    )
    config = load_config()
    station = open_station(config, notify=_say)
    try:
        found = invoicing.list_invoices(station, _sign_in(station, args.user), filters)
    finally:
        station.close()
    for x in found:
        if args.json:
            print(json.dumps(invoicing.summary_json(x), ensure_ascii=False))
            continue
        why = f": {x.reason}" if x.reason else ""
        corrects = f" (corrects {x.corrects})" if x.corrects else ""
        print(
            f"{x.number}  {x.issued_at.astimezone():%Y-%m-%d %H:%M}  order {x.order_number}  "
            f"{x.customer}  {x.gross} {x.currency}{corrects}  {x.state.label}{why}"
        )
    if not found and not args.json:
        print("No invoices or credit notes match.")
    return 0


def _run_spool(args: argparse.Namespace) -> int:
    import signal
    import threading

    from app.faults import Fault
    from app.services.spooler import PrintState

    config = load_config()
    _setup_logging(config)
    # Beside the app, a job marked "sending" may be on its way from the app's spooler: only
    # a spooler alone at the station may call it left half-sent by a crash.
    alone = not _app_holds(config.local_database)
    station = open_station(config, notify=_say)
    try:
        if alone:
            station.spooler.recover()
        if args.once:
            state = station.spooler.pass_once()
            print(state.line())
            return 0 if not (state.waiting or state.unsure) else 1
        stop = threading.Event()
        said: list[str] = []

        def show(state: PrintState) -> None:
            line = state.line()
            if state.sent or not said or said[-1] != line:
                said.append(line)
                print(line, flush=True)

        def tell(fault: Fault) -> None:
            print(f"packbench: {fault.line()}", file=sys.stderr, flush=True)

        station.spooler.changed.connect(show)
        station.faulted.connect(tell)
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stop.set())
        station.spooler.start(recover=alone)
        print(f"packbench: spooling for station {config.station_id} until stopped", file=sys.stderr)
        while not stop.wait(0.5):
            pass
        return 0
    finally:
        station.close()


def _app_holds(database: Path) -> bool:
    """Whether a packbench window holds this station: its lock file (``ui.single_instance``:
    process id, program, host) names a process that is alive, or another machine."""
    import os
    import socket

    try:
        pid, _program, host, *_ = (
            (database.parent / f"{database.name}.lock").read_text(encoding="utf-8").splitlines()
        )
        alive = int(pid)
    except (OSError, ValueError):
        return False
    if host != socket.gethostname():
        return True  # cannot look at another machine's processes: take it as running
    try:
        os.kill(alive, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


IMPORT_FORMATS = (
    "csv",
    "woocommerce",
    "shopify",
    "bigcommerce",
    "magento",
    "amazon",
    "products",
)


def _run_import(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from app.services.importing import ImportFileError, ImportInterrupted, import_file

    config = load_config()
    station = open_station(config, notify=_say)
    try:
        summary = import_file(
            station,
            args.format,
            args.file,
            progress=lambda text: print(text, file=sys.stderr, flush=True),
            warehouse=args.warehouse,
        )
    except ImportFileError as error:
        print(f"packbench: {error}", file=sys.stderr)
        return 2
    except ImportInterrupted as error:  # the file ended early, or the central store went away
        print(f"packbench: {error}", file=sys.stderr)
        return EXIT_SURROUNDINGS if isinstance(error.__cause__, DBAPIError) else 2
    finally:
        station.close()
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
    else:
        for problem in summary.errors:
            print(f"  {problem.where}: {problem.field}: {problem.reason}")
        print(summary.line())
    return 1 if summary.rejected else 0


def _run_order_create(args: argparse.Namespace) -> int:
    from app.services.importing import ImportFileError
    from app.services.orders import create_orders
    from app.sync.engine import sync_once

    config = load_config()
    station = open_station(config, notify=_say)
    try:
        try:
            actor = _sign_in(station, args.user)
            summary = create_orders(station, actor, args.file)
        except (ImportFileError, DomainError) as error:
            print(f"packbench: {error}", file=sys.stderr)
            return 2
        report = sync_once(station)
    finally:
        station.close()
    if args.json:
        print(json.dumps({**summary.as_json(), "synced": report.error is None}, ensure_ascii=False))
    else:
        for problem in summary.errors:
            print(f"  {problem.where}: {problem.field}: {problem.reason}")
        print(summary.line())
        if report.error is not None:
            print(f"packbench: not synced yet: {report.error}", file=sys.stderr)
    return 1 if summary.rejected else 0


def _sync_progress() -> Callable[[SyncProgress], None] | None:
    """On a terminal a long round says how far it is; from cron or a script it stays quiet."""
    if not sys.stderr.isatty():
        return None
    from app.progress import Ticker

    ticker = Ticker(lambda text: print(text, file=sys.stderr, flush=True), "sync")
    return lambda state: ticker.tick(state.line)


def _run_sync(args: argparse.Namespace) -> int:
    from app.sync.engine import sync_once

    config = load_config()
    _setup_logging(config)
    station = open_station(config, notify=_say)
    try:
        report = sync_once(station, _sync_progress())
    finally:
        station.close()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(report.line())
    return 0 if report.error is None else 1


def _run_connector(args: argparse.Namespace) -> int:
    import threading

    from app.services.connector.partners import PartnerReport
    from app.services.connector.run import AccountReport, run_connector

    config = load_config()
    if not config.channels and not config.partners:
        print(
            f"packbench: {config.paths.config_file} names no store account or partner: add a "
            "[channels.NAME] table (kind, url, secret_env or secret_file) or a "
            "[partners.NAME] table (docs/connector.md).",
            file=sys.stderr,
        )
        return 2
    _setup_logging(config)
    stop = threading.Event()

    def stopped(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopped)
    failed = False

    def told(reports: list[AccountReport | PartnerReport]) -> None:
        nonlocal failed
        failed = any(r.error or r.failed for r in reports)
        if not args.once:  # a long run speaks when something happened, not every few seconds
            reports = [r for r in reports if r.eventful]
            if not reports:
                return
        if args.json:
            shown = {
                "accounts": [r.as_json() for r in reports if isinstance(r, AccountReport)],
                "partners": [r.as_json() for r in reports if isinstance(r, PartnerReport)],
            }
            print(json.dumps(shown, ensure_ascii=False))
        else:
            for report in reports:
                print(report.line())
        sys.stdout.flush()

    station = open_station(config, notify=_say)
    try:
        run_connector(station, once=args.once, stop=stop, told=told)
    except KeyboardInterrupt:
        stop.set()
    finally:
        station.close()
    return 1 if failed else 0


def _run_central_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from app.db.migrate import head_revision, shown

    config = load_config()
    where = shown(make_url(config.central_url))
    try:
        engine, change = open_central(config)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        print(
            f"packbench: the central store {where} cannot be reached ({reason}). Check that the "
            "server is running and PACKBENCH_CENTRAL_URL (or [central] url) names it.",
            file=sys.stderr,
        )
        return 1
    engine.dispose()
    if change is None:
        print(f"{where} is at schema {head_revision()} already: nothing to do.")
    else:
        print(change.describe(where))
    return 0


def _run_bench(args: argparse.Namespace) -> int:
    from app.benchmarks import run

    def emit(figures: dict[str, object]) -> None:
        print(json.dumps(figures), flush=True)

    run(args.name, args.n, emit, stations=args.stations, minutes=args.minutes)
    return 0


def _run_doctor(args: argparse.Namespace) -> int:
    from app.services.doctor import format_report, run_doctor

    report = run_doctor(open_label_printer)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(format_report(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

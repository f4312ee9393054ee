"""What services and the domain say, in the language of the screens.

``app/`` stays free of Qt (an import-linter contract): its refusals, statuses and the bench's
sentences are English, built from f-strings. This module holds each sentence the screens
show as an English *template* whose ``{name}`` placeholders stand for the parts that vary
("Wrong bin: this is {scanned}, the list goes to {bin} next."), marked for lupdate under the
context ``Domain``; the German catalogue translates the template, placeholders kept.

``translated(text)`` reads a message sentence by sentence: a sentence that matches a
template is replaced by the template's translation with the same parts; one that matches
none stays as it is (English beats a wrong or missing word). Messages are joined from
sentences (``app.domain.wording.sentences``), so templates are single sentences and recombine
freely. The English of a template must stay word for word what the domain writes: a test
(tests/ui/test_domain_text.py) walks the pick bench and fails on a sentence left English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.domain.returns import Disposition, Reason
from app.domain.status import OrderStatus

CONTEXT = "Domain"

_MARKED = (
    # --- picking: app/domain/picking.py ----------------------------------------------------
    QT_TRANSLATE_NOOP("Domain", "Wrong bin: this is {scanned}, the list goes to {bin} next."),
    QT_TRANSLATE_NOOP("Domain", "Go to {bin} and scan its label."),
    QT_TRANSLATE_NOOP("Domain", "Wrong item: {what} is not {sku} ({name})."),
    QT_TRANSLATE_NOOP("Domain", "Put it back and take {sku} from {bin}."),
    QT_TRANSLATE_NOOP(
        "Domain", "One too many: {sku} needs {left} more here, the scan counted {units}."
    ),
    QT_TRANSLATE_NOOP(
        "Domain", "Wrong tote: order {order} goes in {tote} (slot {slot}), not {scanned}."
    ),
    QT_TRANSLATE_NOOP("Domain", "Wrong tote: {tote} holds order {other}."),
    QT_TRANSLATE_NOOP("Domain", "Put the items for order {order} in slot {slot}'s tote."),
    QT_TRANSLATE_NOOP("Domain", "{missing} short is more than the {open} still to pick here."),
    QT_TRANSLATE_NOOP("Domain", "Order {order} is void."),
    QT_TRANSLATE_NOOP("Domain", "Order {order} is on hold ({why}): release it first."),
    QT_TRANSLATE_NOOP("Domain", "Order {order} is already on pick list {list}."),
    QT_TRANSLATE_NOOP("Domain", "Order {order} holds no stock in any bin: allocate it first."),
    # --- picking: app/services/picking.py --------------------------------------------------
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} is done."),
    QT_TRANSLATE_NOOP("Domain", "Go to {bin}."),
    QT_TRANSLATE_NOOP("Domain", "Take {n} × {sku}."),
    QT_TRANSLATE_NOOP("Domain", "{bin}: take {n} × {sku}."),
    QT_TRANSLATE_NOOP("Domain", "Picking {list}."),
    QT_TRANSLATE_NOOP("Domain", "Resumed {list}."),
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} is {state}. Scan another list."),
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} is {state}: scan the list to pick from it."),
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} is done: nothing more to pick."),
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} is {state} (picked at another station)."),
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} is being picked at {station} by {user}."),
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} is being picked at {station}."),
    QT_TRANSLATE_NOOP("Domain", "Put the {n} item in hand in a tote first (scan the tote)."),
    QT_TRANSLATE_NOOP("Domain", "Put the {n} items in hand in a tote first (scan the tote)."),
    QT_TRANSLATE_NOOP("Domain", "Scan the bin first: go to {bin} and scan its label."),
    QT_TRANSLATE_NOOP("Domain", "Scan the item first: take {sku} from {bin}."),
    QT_TRANSLATE_NOOP(
        "Domain", "{n} item of {sku} in hand: put {m} in slot {slot}'s tote (order {order})."
    ),
    QT_TRANSLATE_NOOP(
        "Domain", "{n} items of {sku} in hand: put {m} in slot {slot}'s tote (order {order})."
    ),
    QT_TRANSLATE_NOOP("Domain", "Short {n} × {sku} in {bin} ({reason}); a supervisor decides."),
    QT_TRANSLATE_NOOP("Domain", "{n} item of {sku} in hand: put {m} in {tote} (order {order})."),
    QT_TRANSLATE_NOOP("Domain", "{n} items of {sku} in hand: put {m} in {tote} (order {order})."),
    QT_TRANSLATE_NOOP("Domain", "{units} × {sku} in {tote} (order {order})."),
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} paused: scan it to go on."),
    QT_TRANSLATE_NOOP("Domain", "Pick list {list} is {state}: only a list being picked pauses."),
    QT_TRANSLATE_NOOP("Domain", "No order waits in {tote}: it is empty, or its order was packed."),
    QT_TRANSLATE_NOOP("Domain", "There is no order {order} at this station."),
    QT_TRANSLATE_NOOP("Domain", "There is no order {order}."),
    QT_TRANSLATE_NOOP("Domain", "Order {order} ships what was picked ({n} short)."),
    QT_TRANSLATE_NOOP("Domain", "Order {order} has no short pick waiting for a choice."),
    QT_TRANSLATE_NOOP("Domain", "Nothing to pick."),
    # --- packing: app/domain/packing.py and app/services/packing.py ------------------------
    QT_TRANSLATE_NOOP("Domain", "{shown} is not on this order: put it aside."),
    QT_TRANSLATE_NOOP("Domain", "{sku}: {packed} of {expected} already packed."),
    QT_TRANSLATE_NOOP("Domain", "Put this one aside."),
    QT_TRANSLATE_NOOP("Domain", "{sku}: {units} more would make {total} of {expected}."),
    QT_TRANSLATE_NOOP("Domain", "Scan the single items instead."),
    QT_TRANSLATE_NOOP(
        "Domain",
        "{sku}: only {packable} of {expected} are in stock for this order and {packed} are packed.",
    ),
    QT_TRANSLATE_NOOP("Domain", "Ship partial, or wait for stock."),
    QT_TRANSLATE_NOOP(
        "Domain", "{sku} needs its serial number: scan the serial barcode on the item."
    ),
    QT_TRANSLATE_NOOP(
        "Domain", "Serial {serial} of {sku} is already packed: scan the serial of this item."
    ),
    QT_TRANSLATE_NOOP("Domain", "NEXT  scan the serial number of {sku}"),
    QT_TRANSLATE_NOOP("Domain", "NEXT  everything is packed: weigh the parcel and scan CLOSE"),
    QT_TRANSLATE_NOOP("Domain", "NEXT  {sku} is short of stock: CLOSE this parcel or SHIP-PARTIAL"),
    QT_TRANSLATE_NOOP(
        "Domain", "NEXT  {sku} is short of stock: SHIP-PARTIAL with a reason, or wait for stock"
    ),
    QT_TRANSLATE_NOOP("Domain", "NEXT  scan {n} more {sku} with its serial, then {then}"),
    QT_TRANSLATE_NOOP("Domain", "NEXT  scan {n} more {sku}, then {then}"),
    QT_TRANSLATE_NOOP("Domain", "NEXT  scan {n} more {sku} with its serial"),
    QT_TRANSLATE_NOOP("Domain", "NEXT  scan {n} more {sku}"),
    QT_TRANSLATE_NOOP(
        "Domain", "Order {order} is on hold ({why}): a supervisor must release it first."
    ),
    QT_TRANSLATE_NOOP("Domain", "Order {order} was voided: {why}."),
    QT_TRANSLATE_NOOP("Domain", "Order {order} was voided."),
    QT_TRANSLATE_NOOP("Domain", "Do not pack it."),
    QT_TRANSLATE_NOOP("Domain", "Order {order} has already been packed and shipped."),
    QT_TRANSLATE_NOOP(
        "Domain", "Order {order} is {status}: it can be packed once it is allocated."
    ),
    QT_TRANSLATE_NOOP("Domain", "Parcel {n} is empty: scan items into it."),
    QT_TRANSLATE_NOOP("Domain", "Parcel {n} is empty: scan items into it first"),
    QT_TRANSLATE_NOOP("Domain", "Check the slip, or sync."),
    QT_TRANSLATE_NOOP("Domain", "Undone: {sku} ×{units} ({packed} packed)"),
    # --- returns: app/domain/returns.py ----------------------------------------------------
    QT_TRANSLATE_NOOP("Domain", "Serial {serial} came back already; scan another unit."),
)
TEMPLATES: tuple[str, ...] = tuple(str(marked) for marked in _MARKED)
"""Every sentence the bands translate, in English with its ``{name}`` placeholders."""


STATUS_CONTEXT = "OrderStatus"
_STATUS_NAMES: dict[OrderStatus, str] = {
    OrderStatus.DRAFT: str(QT_TRANSLATE_NOOP("OrderStatus", "Draft")),
    OrderStatus.IMPORTED: str(QT_TRANSLATE_NOOP("OrderStatus", "Imported")),
    OrderStatus.ON_HOLD: str(QT_TRANSLATE_NOOP("OrderStatus", "On hold")),
    OrderStatus.FINALIZED: str(QT_TRANSLATE_NOOP("OrderStatus", "Finalized")),
    OrderStatus.ALLOCATED: str(QT_TRANSLATE_NOOP("OrderStatus", "Allocated")),
    OrderStatus.PICKING: str(QT_TRANSLATE_NOOP("OrderStatus", "Picking")),
    OrderStatus.PICKED: str(QT_TRANSLATE_NOOP("OrderStatus", "Picked")),
    OrderStatus.PACKING: str(QT_TRANSLATE_NOOP("OrderStatus", "Packing")),
    OrderStatus.PARTIALLY_SHIPPED: str(QT_TRANSLATE_NOOP("OrderStatus", "Partly shipped")),
    OrderStatus.SHIPPED: str(QT_TRANSLATE_NOOP("OrderStatus", "Shipped")),
    OrderStatus.FULFILLED: str(QT_TRANSLATE_NOOP("OrderStatus", "Fulfilled")),
    OrderStatus.PARTIALLY_RETURNED: str(QT_TRANSLATE_NOOP("OrderStatus", "Partly returned")),
    OrderStatus.RETURNED: str(QT_TRANSLATE_NOOP("OrderStatus", "Returned")),
    OrderStatus.VOID: str(QT_TRANSLATE_NOOP("OrderStatus", "Void")),
}
"""Each order status by name, translated where it is shown (``app/`` stays free of Qt)."""


def status_name(status: OrderStatus) -> str:
    """``status`` in the language of the screens (safe off the GUI thread)."""
    return QCoreApplication.translate(STATUS_CONTEXT, _STATUS_NAMES.get(status, status.label))


_BREAK = re.compile(r"(?<=[.!?…])(\s+)")
"""Between two sentences: the spaces after a full stop (or ! ? …)."""
_PART = r"(?:(?![.!?…]\s).)+?"
"""What a placeholder stands for: words within one sentence."""
_LONGEST = 2
"""The most sentences one template spans ("Pick list {list} is {state}. Scan another list.")."""


@dataclass(frozen=True)
class _Template:
    english: str
    pattern: re.Pattern[str]
    literals: tuple[str, ...]  # every one is in a sentence the template can match


@cache
def _templates() -> tuple[_Template, ...]:
    return tuple(
        _Template(t, _pattern(t), tuple(x for x in re.split(r"\{\w+\}", t) if x)) for t in TEMPLATES
    )


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    seen: set[str] = set()
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{_PART})")
            seen.add(name)
    return re.compile("".join(parts))


def translated(text: str) -> str:
    """``text`` with each sentence a template knows in the language of the screens."""
    if not text:
        return text
    pieces = _BREAK.split(text)
    sentences, gaps = pieces[0::2], [*pieces[1::2], ""]
    out: list[str] = []
    at = 0
    while at < len(sentences):
        taken, words = 1, sentences[at]
        for span in range(min(_LONGEST, len(sentences) - at), 0, -1):
            chunk = "".join(
                sentences[j] + (gaps[j] if j < at + span - 1 else "") for j in range(at, at + span)
            )
            found = _sentence(chunk)
            if found is not None:
                taken, words = span, found
                break
        out.append(words + gaps[at + taken - 1])
        at += taken
    return "".join(out)


def _sentence(chunk: str) -> str | None:
    """``chunk`` in the language of the screens, or None when no template knows it."""
    for template in _templates():
        if not all(literal in chunk for literal in template.literals):
            continue
        match = template.pattern.fullmatch(chunk)
        if match is None:
            continue
        words = QCoreApplication.translate(CONTEXT, template.english)
        return chunk if words == template.english else _filled(words, match.groupdict(), chunk)
    return None


def _filled(words: str, parts: dict[str, str], english: str) -> str:
    try:
        return words.format(**parts)
    except (KeyError, IndexError, ValueError):  # a catalogue entry with a wrong placeholder
        return english


_DEVICE_STATES: dict[str, str] = {
    "connected": str(QT_TRANSLATE_NOOP("DeviceState", "connected")),
    "listening": str(QT_TRANSLATE_NOOP("DeviceState", "listening")),
    "connecting": str(QT_TRANSLATE_NOOP("DeviceState", "connecting")),
    "disconnected": str(QT_TRANSLATE_NOOP("DeviceState", "disconnected")),
    "none": str(QT_TRANSLATE_NOOP("DeviceState", "none")),
}
"""The state words a device reports (devices/ and app/ say them in English)."""


def device_state(state: str) -> str:
    """A device's state word in the language of the screens; an unknown word as it is."""
    return QCoreApplication.translate("DeviceState", state) if state in _DEVICE_STATES else state


_DISPOSITION_NAMES: dict[Disposition, str] = {
    Disposition.RESTOCK: str(QT_TRANSLATE_NOOP("Disposition", "Restock")),
    Disposition.QUARANTINE: str(QT_TRANSLATE_NOOP("Disposition", "Quarantine")),
    Disposition.SCRAP: str(QT_TRANSLATE_NOOP("Disposition", "Scrap")),
    Disposition.RETURN_TO_VENDOR: str(QT_TRANSLATE_NOOP("Disposition", "Return to vendor")),
}
_REASON_NAMES: dict[Reason, str] = {
    Reason.DAMAGED: str(QT_TRANSLATE_NOOP("ReturnReason", "Damaged")),
    Reason.WRONG_ITEM: str(QT_TRANSLATE_NOOP("ReturnReason", "Wrong item sent")),
    Reason.NOT_AS_DESCRIBED: str(QT_TRANSLATE_NOOP("ReturnReason", "Not as described")),
    Reason.NO_LONGER_WANTED: str(QT_TRANSLATE_NOOP("ReturnReason", "No longer wanted")),
    Reason.ARRIVED_LATE: str(QT_TRANSLATE_NOOP("ReturnReason", "Arrived late")),
    Reason.OTHER: str(QT_TRANSLATE_NOOP("ReturnReason", "Other")),
}


def disposition_name(disposition: Disposition) -> str:
    """Where a returned unit goes, in the language of the screens."""
    english = _DISPOSITION_NAMES.get(disposition, disposition.label)
    return QCoreApplication.translate("Disposition", english)


def reason_name(reason: Reason) -> str:
    """Why a unit came back, in the language of the screens."""
    return QCoreApplication.translate("ReturnReason", _REASON_NAMES.get(reason, reason.label))

"""What every serial device here (scanner, scale, printer) says when its port misbehaves."""

from __future__ import annotations

import errno
import logging

import serial

log = logging.getLogger(__name__)

RECONNECT_EVERY_S = 0.5
"""How often a missing or failed serial device is tried again, however long it has been away.

Fixed, not backing off: a scanner or scale plugged back after an hour is read again within
about this long, as after a second. A try is one open() of a path that is usually missing,
a cheap system call, so two a second cost nothing worth saving.
"""


def is_missing(error: BaseException) -> bool:
    """The device node is gone (unplugged, or never there)."""
    return getattr(error, "errno", None) == errno.ENOENT or "No such file" in str(error)


def open_failure(port: str, error: BaseException, missing_hint: str) -> str:
    """Why the port would not open, in words for the person at the bench.

    ``missing_hint`` finishes "PORT not found: ..." for this device, e.g. "plug the scale in
    or fix [scale] port".
    """
    text = str(error)
    if is_missing(error):
        return f"{port} not found: {missing_hint}"
    if getattr(error, "errno", None) == errno.EACCES or "Permission denied" in text:
        return f"no permission to open {port}: add this user to the dialout group"
    if "exclusively lock" in text or getattr(error, "errno", None) == errno.EBUSY:
        return f"{port} is in use by another program"
    return f"cannot open {port}: {text}"


def close_quietly(handle: serial.SerialBase) -> None:
    """Close a port that is already lost; failing to is no news."""
    try:
        handle.close()
    except Exception:
        log.debug("closing a lost port failed", exc_info=True)

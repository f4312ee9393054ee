"""One window per station database: a second ``packbench`` brings the first to the front.

The station's SQLite file takes one app at a time: two windows would each think they hold
the packer's open order, the printer queue and the scanner. The app holds a lock file beside
the database (``station.sqlite3.lock``, with its process id; a lock left by a process that
is gone is taken over) and listens on a local socket named after the database's path. A
second start finds the lock, asks the first over the socket to raise its window, and ends
with a message naming the process that holds the station.

Headless commands (``packbench sync``, ``import``, ``print``, ``doctor``) take no lock and
may run beside the app: each does its work in transactions of its own, as the app does, and
SQLite queues the writers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, QSysInfo, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE = b"raise"
ANSWER_MS = 3000  # a running app answers at once; one that is starting gets this long


def server_name(database: Path) -> str:
    """The local socket's name for a station database: the same for every way of naming it."""
    digest = hashlib.sha256(str(database.resolve()).encode("utf-8")).hexdigest()[:20]
    return f"packbench-{digest}"


@dataclass(frozen=True)
class AlreadyRunning:
    """Another process holds this station; ``raised`` is whether it took the request."""

    pid: int
    host: str
    raised: bool

    @property
    def message(self) -> str:
        holder = f"process {self.pid}" + (f" on {self.host}" if self.host else "")
        if self.raised:
            return (
                f"Packbench is already running on this station ({holder}); its window was "
                "brought to the front. Headless commands (sync, import, print) may run "
                "beside it."
            )
        return (
            f"Packbench is already running on this station ({holder}) and did not answer. "
            f"Switch to its window, or end {holder} if it hangs, then start again."
        )


class StationClaim(QObject):
    """This process's hold on the station: the lock file and the socket others call.

    Signals:
        raise_requested: another ``packbench`` was started on this station (its pid).
    """

    raise_requested = Signal(int)

    def __init__(self, lock: QLockFile, name: str) -> None:
        super().__init__()
        self._lock = lock
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self._server.listen(name):
            # Left by a process that died: the lock is ours, so its socket is no one's.
            QLocalServer.removeServer(name)
            if not self._server.listen(name):
                log.warning("cannot listen on %s: %s", name, self._server.errorString())
        self._server.newConnection.connect(self._on_connection)

    @Slot()
    def _on_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_request(s))
            socket.disconnected.connect(socket.deleteLater)
            self._on_request(socket)  # what arrived before readyRead was connected

    def _on_request(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        words = bytes(socket.readLine().data()).split()
        if words[:1] == [RAISE]:
            socket.write(QByteArray(f"raised {os.getpid()}\n".encode()))
            socket.flush()
            caller = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
            log.info("another packbench (process %s) was started: window brought to front", caller)
            self.raise_requested.emit(caller)
        socket.disconnectFromServer()

    def release(self) -> None:
        self._server.close()
        self._lock.unlock()


def claim_station(database: Path) -> StationClaim | AlreadyRunning:
    """Hold this station for the app, or find who holds it and ask it to come forward."""
    database.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(database) + ".lock")
    lock.setStaleLockTime(0)  # held as long as the app runs; only a dead holder is stale
    name = server_name(database)
    if lock.tryLock(0):
        return StationClaim(lock, name)
    info = lock.getLockInfo()
    pid, host = (int(info[0]), str(info[1])) if info else (0, "")
    if host == QSysInfo.machineHostName():
        host = ""
    return AlreadyRunning(pid, host, _ask_to_raise(name))


def _ask_to_raise(name: str) -> bool:
    """Whether the app holding the station took the request (it may still be starting)."""
    deadline = time.monotonic() + ANSWER_MS / 1000
    socket = QLocalSocket()
    while True:
        socket.connectToServer(name)
        if socket.waitForConnected(ANSWER_MS):
            break
        socket.abort()
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)  # it has the lock but is not listening yet
    socket.write(QByteArray(RAISE + f" {os.getpid()}\n".encode()))
    socket.flush()
    left = max(1, int((deadline - time.monotonic()) * 1000))
    answered = socket.waitForReadyRead(left) and bytes(socket.readLine().data()).startswith(
        b"raised"
    )
    socket.disconnectFromServer()
    return answered

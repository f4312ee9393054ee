"""A real SFTP server on 127.0.0.1 for the partner tests: paramiko's server side (SSH
transport, password authentication, the SFTP subsystem) over a local folder, with its own
host key generated for the run. The connector reaches it as any partner's server."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko
from paramiko.sftp import SFTP_FAILURE, SFTP_NO_SUCH_FILE, SFTP_OK, SFTP_PERMISSION_DENIED

USER, PASSWORD = "acme", "s3cret-sftp"


class _Server(paramiko.ServerInterface):
    def check_auth_password(self, username: str, password: str) -> int:
        if (username, password) == (USER, PASSWORD):
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def stat(self) -> Any:
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))


def _error(e: OSError) -> int:
    return paramiko.SFTPServer.convert_errno(e.errno)


class _Folder(paramiko.SFTPServerInterface):
    """The SFTP requests the connector makes, over ``root`` (paths are relative to it)."""

    root: Path

    def _real(self, path: str) -> str:
        path = self.canonicalize(path)
        return str(self.root / path.lstrip("/"))

    def canonicalize(self, path: str) -> str:
        return os.path.normpath("/" + path)

    def list_folder(self, path: str) -> Any:
        real = self._real(path)
        try:
            out = []
            for name in os.listdir(real):
                attr = paramiko.SFTPAttributes.from_stat(os.stat(os.path.join(real, name)))
                attr.filename = name
                out.append(attr)
            return out
        except OSError as e:
            return _error(e)

    def stat(self, path: str) -> Any:
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._real(path)))
        except OSError as e:
            return _error(e)

    lstat = stat

    def open(self, path: str, flags: int, attr: Any) -> Any:
        real = self._real(path)
        try:
            fd = os.open(real, flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as e:
            return _error(e)
        mode = "wb" if flags & os.O_WRONLY else "r+b" if flags & os.O_RDWR else "rb"
        handle = _Handle(flags)
        f = os.fdopen(fd, mode)
        handle.readfile = handle.writefile = f
        return handle

    def remove(self, path: str) -> int:
        try:
            os.remove(self._real(path))
        except OSError as e:
            return _error(e)
        return SFTP_OK

    def rename(self, oldpath: str, newpath: str) -> int:
        if os.path.exists(self._real(newpath)):
            return SFTP_FAILURE
        return self.posix_rename(oldpath, newpath)

    def posix_rename(self, oldpath: str, newpath: str) -> int:
        try:
            os.replace(self._real(oldpath), self._real(newpath))
        except OSError as e:
            return _error(e)
        return SFTP_OK

    def mkdir(self, path: str, attr: Any) -> int:
        try:
            os.mkdir(self._real(path))
        except OSError as e:
            return _error(e)
        return SFTP_OK


_ = (SFTP_NO_SUCH_FILE, SFTP_PERMISSION_DENIED)


@dataclass
class SftpServer:
    root: Path
    port: int
    host_key_line: str
    sessions: list[paramiko.Transport] = field(default_factory=list)


@contextmanager
def sftp_server(root: Path) -> Iterator[SftpServer]:
    """Serve ``root`` by SFTP on 127.0.0.1 (a free port) until the block ends."""
    key = paramiko.RSAKey.generate(2048)
    folder = type("Folder", (_Folder,), {"root": root})
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    server = SftpServer(root, listener.getsockname()[1], f"{key.get_name()} {key.get_base64()}")
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, folder)
            transport.start_server(server=_Server())
            server.sessions.append(transport)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stopping.set()
        listener.close()
        for transport in server.sessions:
            transport.close()
        thread.join(timeout=5)

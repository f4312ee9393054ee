"""Lines typed to a simulator on its terminal, where Ctrl+C always stops it at once.

Python notes a signal in its C handler and raises KeyboardInterrupt at the next bytecode.
A ``for line in sys.stdin`` loop spends its time inside C code that ends in a blocking
read(): a Ctrl+C that lands after the last bytecode but before the read() is noted, and
then the read() blocks until the next line, so the simulator seems to ignore Ctrl+C until
Enter is pressed. The window is short, and a loaded machine hits it (a test's SIGINT
right after the simulator printed its path did, once in a full run).

``typed_lines`` closes the window: it waits with select() on the input and on a pipe that
the C signal handler writes to (``signal.set_wakeup_fd``), so a signal that came at any
moment ends the wait, and the KeyboardInterrupt is raised as soon as select() returns.
"""

from __future__ import annotations

import codecs
import io
import os
import select
import signal
import threading
from collections.abc import Iterator
from typing import TextIO


def typed_lines(stream: TextIO) -> Iterator[str]:
    """The lines of ``stream`` (each with its newline), interruptible by Ctrl+C at any moment.

    A stream without a file descriptor (a StringIO) or a caller off the main thread (which
    receives no signals) simply iterates the stream.
    """
    fd = _fileno(stream)
    if fd is None or threading.current_thread() is not threading.main_thread():
        yield from stream
        return
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    previous = signal.set_wakeup_fd(wake_write)
    try:
        decoder = codecs.getincrementaldecoder(stream.encoding or "utf-8")(errors="replace")
        pending = ""
        while True:
            # A signal before or during this select() wakes it; its KeyboardInterrupt is
            # raised here, as the call returns.
            ready, _, _ = select.select([fd, wake_read], [], [])
            if wake_read in ready:
                os.read(wake_read, 512)  # another signal, handled by its own handler
            if fd not in ready:
                continue
            chunk = os.read(fd, 4096)
            pending += decoder.decode(chunk, final=not chunk)
            *lines, pending = pending.split("\n")
            yield from (line + "\n" for line in lines)
            if not chunk:
                break
        if pending:
            yield pending
    finally:
        signal.set_wakeup_fd(previous)
        os.close(wake_read)
        os.close(wake_write)


def _fileno(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None

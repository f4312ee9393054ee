"""Where finished PDFs go (packing slips now, invoices later): a folder or a CUPS printer.

A folder is the bench's paper trail and often the hand-over to another system (a shared
drive an accounts package picks invoices up from), so a file there must never be half
written and never replace an earlier one: something watching the folder may take a file
the moment its name appears. ``FolderSink`` therefore writes a hidden temporary file in the
same folder, flushes it to disk, and only then gives it its name, adding ``-2``, ``-3``, ...
when the name is taken.

A CUPS queue (``cups:OFFICE``) prints the PDF on an office printer; CUPS does the rest.

Failures raise ``DocumentNotDelivered`` whose ``message`` says what to do.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path

from devices.label_printer import PrinterUnreachable, lp_submit

log = logging.getLogger(__name__)

CUPS_PREFIX = "cups:"
_MAX_SUFFIX = 10_000
_UNSAFE = re.compile(r"[/\\\x00-\x1f]+")
_REQUEST_ID = re.compile(r"request id is (\S+)")
# Hard links give "create the name only if it is free" in one step; these say the file
# system has none (FAT, some network shares), and a check-then-rename is the fallback.
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}


class DocumentNotDelivered(OSError):
    """A document could not be saved or printed; ``message`` says what to do about it.

    An ``OSError``, as the failure of a folder or a print spooler is one, so a caller that
    treats I/O failures as "try again later" treats these the same way.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentSink(ABC):
    """Somewhere a finished PDF is delivered."""

    @abstractmethod
    def describe(self) -> str:
        """Where documents go, for logs and the settings page."""

    @abstractmethod
    def deliver(self, name: str, pdf: bytes) -> str:
        """Deliver ``pdf`` under ``name`` and say where it went (a path, a print job)."""


class FolderSink(DocumentSink):
    """PDFs as files in a folder, written whole or not at all, never over another file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def describe(self) -> str:
        return f"folder {self.directory}"

    def deliver(self, name: str, pdf: bytes) -> str:
        stem, suffix = _file_name(name)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, staged_name = tempfile.mkstemp(
                dir=self.directory, prefix=f".{stem}.", suffix=".part"
            )
        except OSError as error:
            raise self._failed(error) from error
        staged = Path(staged_name)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(pdf)
                file.flush()
                os.fsync(file.fileno())
            final = self._publish(staged, stem, suffix)
        except OSError as error:
            raise self._failed(error) from error
        finally:
            staged.unlink(missing_ok=True)
        _sync_directory(self.directory)
        log.info("document %s saved as %s", name, final)
        return str(final)

    def _publish(self, staged: Path, stem: str, suffix: str) -> Path:
        """Give the written file the first free name: ``stem.pdf``, ``stem-2.pdf``, ..."""
        for number in range(1, _MAX_SUFFIX):
            target = self.directory / (
                f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}"
            )
            try:
                os.link(staged, target)
                return target
            except FileExistsError:
                continue
            except OSError as error:
                if error.errno not in _NO_HARD_LINKS:
                    raise
            if target.exists():
                continue
            os.replace(staged, target)
            return target
        raise FileExistsError(
            errno.EEXIST, f"{_MAX_SUFFIX} files named {stem}{suffix} already", str(self.directory)
        )

    def _failed(self, error: OSError) -> DocumentNotDelivered:
        if error.errno == errno.ENOSPC:
            why = "the disk is full: free some space"
        elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            why = "no permission to write there: choose another folder or fix its permissions"
        else:
            why = f"{error.strerror or error}: check the folder exists and can be written"
        return DocumentNotDelivered(f"Cannot save the document in {self.directory}: {why}")


class CupsDocumentSink(DocumentSink):
    """PDFs printed through a CUPS queue, titled with the document's name."""

    def __init__(self, queue: str, timeout: float = 60.0) -> None:
        self.queue = queue
        self.timeout = timeout

    def describe(self) -> str:
        return f"printer {self.queue} (CUPS)"

    def deliver(self, name: str, pdf: bytes) -> str:
        try:
            answer = lp_submit(self.queue, pdf, ("-t", name), timeout=self.timeout)
        except PrinterUnreachable as error:
            raise DocumentNotDelivered(error.message) from error
        request = _REQUEST_ID.search(answer)
        return f"printer {self.queue}" + (f" (job {request[1]})" if request else "")


def open_document_sink(destination: str) -> DocumentSink | None:
    """The sink a destination setting names: "" none, ``cups:QUEUE``, else a folder path."""
    text = destination.strip()
    if not text:
        return None
    if text.startswith(CUPS_PREFIX):
        queue = text[len(CUPS_PREFIX) :].strip()
        if not queue or any(c.isspace() or c in "/#" for c in queue):
            raise ValueError(
                f"{destination!r} does not name a CUPS queue: write cups:QUEUE, "
                "e.g. cups:OFFICE (lpstat -p lists the queues)"
            )
        return CupsDocumentSink(queue)
    return FolderSink(Path(text).expanduser())


def _file_name(name: str) -> tuple[str, str]:
    """A safe file name for ``name`` as stem and ``.pdf``: no folders, no hidden files."""
    cleaned = _UNSAFE.sub("-", name).strip().lstrip(".")
    if cleaned.lower().endswith(".pdf"):
        cleaned = cleaned[:-4]
    return (cleaned.strip() or "document"), ".pdf"


def _sync_directory(directory: Path) -> None:
    """Make the new name itself survive a power cut (best effort: not every FS allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)

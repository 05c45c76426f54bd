"""``.lvz`` files: a recording saved as its own stream of protocol frames, compressed.

Why frames: a recording *is* the stream the runner sent (strings, records,
messages), so a file is that stream with a header; loading it is feeding it
to a new :class:`Recording`, the same code path as a live run. The format is
documented in ``docs/recording-format.md``.

Loading never executes anything from the file (JSON and int64 arrays only)
and treats every file as hostile: lengths are checked before anything is
allocated, decompression is bounded (declared size, a hard cap, a ratio),
and every failure is a :class:`RecordingFileError` that says what is wrong.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any, BinaryIO

from loopviz.model.recording import Recording
from loopviz.protocol import (
    SCHEMA_VERSION,
    FrameReader,
    FrameType,
    WireError,
    decode_messages,
    decode_strings,
    encode_messages,
    encode_records,
    encode_strings,
)
from loopviz.protocol.wire import MAX_FRAME

MAGIC = b"\x89LVZ\r\n\x1a\n"
"""Like PNG's: a non-ASCII first byte, and CR LF / ^Z / LF to catch text-mode transfers."""
FORMAT_VERSION = 1
COMPRESSION_ZLIB = 1
HEADER = struct.Struct("<8sHBBIQQ")
"""magic, format version, compression, reserved, CRC-32 and length of the data, packed length."""
MAX_DATA = 1 << 30
"""Largest decompressed data a load accepts by default (about 20 million events)."""
MAX_RATIO = 200
"""Decompressed/compressed ratio beyond which a file is taken for a decompression bomb."""
RATIO_FREE = 64 << 20
"""Small files may compress better than MAX_RATIO (sparse test recordings)."""
RECORDS_PER_FRAME = 1 << 16
MESSAGES_PER_FRAME = 2000
STRINGS_PER_FRAME = 20000
_STEP = 4 << 20
SAVE_LEVEL = 1
"""zlib level for saving. The data is dense already (int64 columns, JSON lines): on a
1 M-line print flood level 1 compressed in half the time of level 6 (0.9 s against 1.8 s)
for a file 14 % larger (5.9 MB against 5.2 MB). Any level reads back the same."""

Progress = Callable[[int, int], None]
"""Called with ``(done, total)`` as a save or load goes on (from the thread doing it).
It may raise to abandon the work: the exception goes through unchanged, and a save
abandoned so leaves no file behind."""

PathOrFile = str | os.PathLike[str] | BinaryIO | IO[bytes]


class RecordingFileError(ValueError):
    """A file that is not a loopviz recording this version can read; the message says why."""


# -- writing --------------------------------------------------------------------------------


def _frames(recording: Recording, progress: Progress | None = None) -> Iterator[bytes]:
    """The recording's frames; ``progress`` counts them (messages dominate a print flood).

    Messages are turned into dicts one frame at a time: a print flood's million dicts
    built at once cost 2 s, and the garbage collector's full passes over them (with
    the GIL held) froze the window for a third of a second even from a worker thread.
    The counts are taken first, so what a live run adds meanwhile is not half-saved.
    """
    strings = sorted(recording.strings().items())
    log = recording._store.messages.all
    n_messages = len(log)
    n = recording.event_count
    total = (
        -(-len(strings) // STRINGS_PER_FRAME)
        + -(-n_messages // MESSAGES_PER_FRAME)
        + -(-n // RECORDS_PER_FRAME)
    )
    done = 0
    if progress is not None:
        progress(done, total)
    for lo in range(0, len(strings), STRINGS_PER_FRAME):
        yield encode_strings(strings[lo : lo + STRINGS_PER_FRAME])
        done += 1
        if progress is not None:
            progress(done, total)
    messages = iter(log)  # a frame's worth at a time, see below
    for lo in range(0, n_messages, MESSAGES_PER_FRAME):
        yield encode_messages(list(islice(messages, min(MESSAGES_PER_FRAME, n_messages - lo))))
        done += 1
        if progress is not None:
            progress(done, total)
    for lo in range(0, n, RECORDS_PER_FRAME):
        yield encode_records(recording.records(lo, lo + RECORDS_PER_FRAME))
        done += 1
        if progress is not None:
            progress(done, total)


def to_bytes(
    recording: Recording, level: int = SAVE_LEVEL, progress: Progress | None = None
) -> bytes:
    """The ``.lvz`` file's bytes."""
    comp = zlib.compressobj(level)
    parts: list[bytes] = []
    crc = 0
    size = 0
    for frame in _frames(recording, progress):
        crc = zlib.crc32(frame, crc)
        size += len(frame)
        parts.append(comp.compress(frame))
    parts.append(comp.flush())
    body = b"".join(parts)
    header = HEADER.pack(MAGIC, FORMAT_VERSION, COMPRESSION_ZLIB, 0, crc, size, len(body))
    return header + body


def save(
    recording: Recording,
    path: PathOrFile,
    level: int = SAVE_LEVEL,
    progress: Progress | None = None,
) -> None:
    """Write ``recording`` as an ``.lvz`` file (atomically when given a path).

    A path gets a temporary file in the same folder, renamed over the target only once
    it is complete: a crash, a full disk or a cancelled save leaves the old file as it was.
    """
    data = to_bytes(recording, level, progress)
    if hasattr(path, "write"):
        path.write(data)  # type: ignore[union-attr]
        return
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- reading ----------------------------------------------------------------------------------


def from_bytes(data: bytes | bytearray | memoryview, *, max_data: int = MAX_DATA) -> Recording:
    """A recording from an ``.lvz`` file's bytes."""
    return _load(io.BytesIO(bytes(data)), len(data), max_data)


def load(
    path: PathOrFile, *, max_data: int = MAX_DATA, progress: Progress | None = None
) -> Recording:
    """Read an ``.lvz`` file; raises :class:`RecordingFileError` saying what is wrong.

    ``progress`` gets decompressed bytes fed to the recording against the declared total.
    """
    if hasattr(path, "read"):
        f: Any = path
        size = None
        try:
            here = f.tell()
            size = f.seek(0, os.SEEK_END) - here
            f.seek(here)
        except (OSError, AttributeError, ValueError):
            size = None
        return _load(f, size, max_data, progress)
    try:
        with open(path, "rb") as f:
            return _load(f, os.fstat(f.fileno()).st_size, max_data, progress)
    except OSError as exc:
        raise RecordingFileError(f"cannot read {os.fspath(path)}: {exc.strerror or exc}") from None


def _header(head: bytes, size: int | None, max_data: int) -> tuple[int, int, int]:
    if len(head) < len(MAGIC) or head[: len(MAGIC)] != MAGIC:
        if head[:4] == MAGIC[:4]:
            raise RecordingFileError(
                "damaged loopviz signature (was the file transferred as text?)"
            )
        raise RecordingFileError("not a loopviz recording (no LVZ signature at the start)")
    if len(head) < HEADER.size:
        raise RecordingFileError(
            f"truncated at byte {len(head)}: the header alone needs {HEADER.size} bytes"
        )
    _, version, compression, _, crc, data_len, comp_len = HEADER.unpack(head)
    if version > FORMAT_VERSION:
        raise RecordingFileError(
            f"made by a newer loopviz (format v{version}, this reads v{FORMAT_VERSION})"
        )
    if version == 0:
        raise RecordingFileError("corrupt header: format version 0")
    if compression != COMPRESSION_ZLIB:
        raise RecordingFileError(f"unknown compression method {compression} in the header")
    if data_len > max_data:
        raise RecordingFileError(
            f"the header declares {data_len} bytes of data, more than the {max_data} "
            "this reader accepts"
        )
    if data_len > max(RATIO_FREE, comp_len * MAX_RATIO):
        raise RecordingFileError(
            f"the header declares {data_len} bytes from {comp_len} compressed "
            f"(more than {MAX_RATIO}:1): refusing a likely decompression bomb"
        )
    if size is not None:
        expected = HEADER.size + comp_len
        if size < expected:
            raise RecordingFileError(
                f"truncated at byte {size}: the header promises {expected} bytes"
            )
        if size > expected:
            raise RecordingFileError(
                f"{size - expected} unexpected bytes after the end of the recording "
                f"(at byte {expected})"
            )
    return crc, data_len, comp_len


class _Inflater:
    """Decompresses a bounded stream and feeds whole frames to a recording."""

    def __init__(self, data_len: int, progress: Progress | None = None) -> None:
        self.data_len = data_len
        self.progress = progress
        self.fed = 0
        """Payload bytes handed to the recording so far (for ``progress``)."""
        self.produced = 0
        self.crc = 0
        self.zlib = zlib.decompressobj()
        self.reader = FrameReader(max_frame=min(MAX_FRAME, max(data_len, 1)))
        self.recording = Recording()

    def push(self, compressed: bytes, at: int) -> None:
        buf = compressed
        while buf:
            if self.zlib.eof:
                raise RecordingFileError(
                    f"unexpected data after the compressed stream (near byte {at})"
                )
            try:
                out = self.zlib.decompress(buf, _STEP)
            except zlib.error as exc:
                raise RecordingFileError(f"corrupt compressed data near byte {at}: {exc}") from None
            buf = self.zlib.unconsumed_tail
            if self.zlib.eof and self.zlib.unused_data:
                raise RecordingFileError(
                    f"unexpected data after the compressed stream (near byte {at})"
                )
            if out:
                self._frames(out)

    def _frames(self, out: bytes) -> None:
        self.produced += len(out)
        if self.produced > self.data_len:
            raise RecordingFileError(
                f"the data is longer than the {self.data_len} bytes the header declares"
            )
        self.crc = zlib.crc32(out, self.crc)
        progress = self.progress
        try:
            for frame in self.reader.feed(out):
                self._frame(frame.type, frame.payload)
                if progress is not None:  # per frame: a Cancel is heard within milliseconds
                    self.fed = min(self.fed + len(frame.payload), self.produced)
                    progress(self.fed, self.data_len)
        except WireError as exc:
            raise RecordingFileError(f"corrupt frame in the data: {exc}") from None
        if progress is not None:
            self.fed = self.produced
            progress(self.produced, self.data_len)

    def _frame(self, ftype: FrameType, payload: bytes | memoryview) -> None:
        rec = self.recording
        if ftype == FrameType.STRINGS:
            rec.add_strings(decode_strings(payload))
        elif ftype == FrameType.RECORDS:
            rec.add_records(payload)
        else:
            rec.add_messages(decode_messages(payload))
            schema = rec.hello.get("schema")
            if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION:
                raise RecordingFileError(
                    f"recorded with event schema v{schema}; this loopviz reads "
                    f"v{SCHEMA_VERSION} (a newer loopviz made it)"
                )

    def finish(self, crc: int) -> Recording:
        if not self.zlib.eof:
            raise RecordingFileError(
                f"truncated compressed data: it ends after {self.produced} of {self.data_len} bytes"
            )
        if self.produced != self.data_len:
            raise RecordingFileError(
                f"the data is {self.produced} bytes; the header declares {self.data_len}"
            )
        if self.crc != crc:
            raise RecordingFileError("checksum mismatch: the recording's data is corrupt")
        if self.reader.pending:
            raise RecordingFileError(
                f"truncated frame at the end of the data ({self.reader.pending} bytes)"
            )
        self.recording._store.trim()
        return self.recording


def _load(f: Any, size: int | None, max_data: int, progress: Progress | None = None) -> Recording:
    head = _read(f, HEADER.size)
    crc, data_len, comp_len = _header(head, size, max_data)
    inflater = _Inflater(data_len, progress)
    at = HEADER.size
    left = comp_len
    while left:
        chunk = _read(f, min(left, 1 << 20))
        if not chunk:
            raise RecordingFileError(
                f"truncated at byte {at}: the header promises {HEADER.size + comp_len} bytes"
            )
        inflater.push(chunk, at)
        at += len(chunk)
        left -= len(chunk)
    if size is None and _read(f, 1):
        raise RecordingFileError(f"unexpected bytes after the end of the recording (at byte {at})")
    return inflater.finish(crc)


def _read(f: Any, n: int) -> bytes:
    try:
        data = f.read(n)
    except OSError as exc:
        raise RecordingFileError(f"cannot read the file: {exc}") from None
    if not isinstance(data, bytes | bytearray):
        raise RecordingFileError("the file object did not return bytes")
    return bytes(data)

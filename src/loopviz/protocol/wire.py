"""Frames on the runner's event channel, and in ``.lvz`` files.

A stream is a sequence of frames::

    frame   := length:u32-le  type:u8  payload[length]
    STRINGS  payload = UTF-8 JSON array of [sid, text] pairs
    RECORDS  payload = little-endian int64 array, a whole number of records
                       (RECORD_WIDTH values each, see loopviz.protocol.events)
    MESSAGES payload = UTF-8 JSON array of message objects {"k": ..., "t": ..., ...}

Order guarantee a writer keeps: every sid used by a record or message was sent
in a STRINGS frame *before* the frame that uses it, so a reader can decode
frame by frame. Records come in time order per loop thread.

Why this shape: the tracer's hot path only appends integers to an
``array('q')``; the flusher thread turns a whole batch into one RECORDS frame
with a single ``tobytes()``, and the reader turns it back into a numpy view
with one ``frombuffer`` — no per-event Python work on either side.
"""

from __future__ import annotations

import json
import struct
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from loopviz.protocol.events import RECORD_WIDTH

HEADER = struct.Struct("<IB")
RECORD_BYTES = 8 * RECORD_WIDTH
MAX_FRAME = 256 * 1024 * 1024
"""Upper bound on one frame's payload; a larger declared length means a corrupt stream."""


class FrameType(IntEnum):
    STRINGS = 1
    RECORDS = 2
    MESSAGES = 3


class WireError(ValueError):
    """The byte stream is not valid loopviz frames; the message says what is wrong and where."""


@dataclass(frozen=True, slots=True)
class Frame:
    type: FrameType
    payload: bytes | memoryview


def encode_frame(frame_type: FrameType, payload: bytes) -> bytes:
    """One frame: header + payload."""
    return HEADER.pack(len(payload), frame_type) + payload


def encode_strings(pairs: Iterable[tuple[int, str]]) -> bytes:
    """A STRINGS frame from ``(sid, text)`` pairs; unpaired surrogates are replaced."""
    text = json.dumps([list(p) for p in pairs], ensure_ascii=False, separators=(",", ":"))
    return encode_frame(FrameType.STRINGS, text.encode("utf-8", "replace"))


def encode_records(records: Any) -> bytes:
    """A RECORDS frame from an ``array('q')`` (or anything with ``tobytes``) of whole records."""
    data = records.tobytes()
    if len(data) % RECORD_BYTES:
        raise ValueError(f"{len(data)} bytes is not a whole number of records")
    if sys.byteorder != "little":  # pragma: no cover - all supported platforms are little-endian
        import array

        swapped = array.array("q", data)
        swapped.byteswap()
        data = swapped.tobytes()
    return encode_frame(FrameType.RECORDS, data)


def encode_messages(messages: Iterable[dict[str, Any]]) -> bytes:
    """A MESSAGES frame. Values must be JSON-serialisable; anything else is written as its repr."""
    text = json.dumps(list(messages), ensure_ascii=False, separators=(",", ":"), default=repr)
    return encode_frame(FrameType.MESSAGES, text.encode("utf-8", "replace"))


def decode_strings(payload: bytes | memoryview) -> list[tuple[int, str]]:
    """Parse a STRINGS payload, checking its shape."""
    data = _json(payload, "STRINGS")
    if not isinstance(data, list):
        raise WireError("STRINGS frame is not a list")
    out = []
    for item in data:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], int)
            or not isinstance(item[1], str)
        ):
            raise WireError(f"STRINGS entry is not [sid, text]: {str(item)[:80]}")
        out.append((item[0], item[1]))
    return out


def decode_messages(payload: bytes | memoryview) -> list[dict[str, Any]]:
    """Parse a MESSAGES payload, checking each item is an object with a string ``k``."""
    data = _json(payload, "MESSAGES")
    if not isinstance(data, list):
        raise WireError("MESSAGES frame is not a list")
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("k"), str):
            raise WireError(f"message is not an object with a kind: {str(item)[:80]}")
    return data


def _json(payload: bytes | memoryview, what: str) -> Any:
    try:
        return json.loads(bytes(payload).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"{what} frame holds invalid JSON: {exc}") from None


class FrameReader:
    """Incremental decoder: feed it bytes as they arrive, iterate whole frames.

    Reading from a pipe gives arbitrary chunks; this keeps the partial tail and
    never copies a payload more than once.
    """

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self._buf = bytearray()
        self._max = max_frame
        self.offset = 0
        """Bytes consumed so far (for error messages)."""

    def feed(self, data: bytes) -> Iterator[Frame]:
        """Add ``data`` and yield every frame now complete. Raises WireError on garbage.

        A caller may stop early (and ``close()`` the iterator): the frames not yielded
        yet stay here for the next call, so a reader can spread a big read over turns."""
        self._buf += data
        buf = self._buf
        pos = 0
        size = len(buf)
        try:
            while size - pos >= HEADER.size:
                length, ftype = HEADER.unpack_from(buf, pos)
                if ftype not in _TYPES:
                    raise WireError(f"unknown frame type {ftype} at byte {self.offset + pos}")
                if length > self._max:
                    raise WireError(
                        f"frame at byte {self.offset + pos} declares {length} bytes "
                        f"(more than the {self._max} allowed)"
                    )
                end = pos + HEADER.size + length
                if end > size:
                    break
                if ftype == FrameType.RECORDS and length % RECORD_BYTES:
                    raise WireError(
                        f"RECORDS frame at byte {self.offset + pos} is {length} bytes, "
                        f"not a whole number of {RECORD_BYTES}-byte records"
                    )
                frame = Frame(FrameType(ftype), bytes(buf[pos + HEADER.size : end]))
                pos = end  # before the yield: a caller that stops here has taken this frame
                yield frame
        finally:
            del buf[:pos]
            self.offset += pos

    @property
    def pending(self) -> int:
        """Bytes of an incomplete frame still waiting for the rest."""
        return len(self._buf)


_TYPES = frozenset(int(t) for t in FrameType)

"""The wire between the runner (which records) and the app (which shows).

Stdlib only: imported by the traced program's process, so it must be light
and must never pull in Qt (DESIGN.md, layer rule).
"""

from loopviz.protocol.events import (
    KIND_MASK,
    LOOP_SHIFT,
    RECORD_WIDTH,
    SCHEMA_VERSION,
    Await,
    EventKind,
    HandleKind,
    Message,
    Origin,
    Outcome,
    handle_kind_and_origin,
    pack_kind,
    split_kind,
)
from loopviz.protocol.wire import (
    RECORD_BYTES,
    Frame,
    FrameReader,
    FrameType,
    WireError,
    decode_messages,
    decode_strings,
    encode_frame,
    encode_messages,
    encode_records,
    encode_strings,
)

__all__ = [
    "KIND_MASK",
    "LOOP_SHIFT",
    "RECORD_BYTES",
    "RECORD_WIDTH",
    "SCHEMA_VERSION",
    "Await",
    "EventKind",
    "Frame",
    "FrameReader",
    "FrameType",
    "HandleKind",
    "Message",
    "Origin",
    "Outcome",
    "WireError",
    "decode_messages",
    "decode_strings",
    "encode_frame",
    "encode_messages",
    "encode_records",
    "encode_strings",
    "handle_kind_and_origin",
    "pack_kind",
    "split_kind",
]

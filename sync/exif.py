"""The time a photo was taken, from its EXIF block (DateTimeOriginal with OffsetTimeOriginal).

The phone writes both when it shrinks a photo (static/js/photo-input.js), so the capture time travels
inside the file through the upload queue. Only these two tags are read; a file without them, or with a
malformed block, has no capture time — never an error. A time without an offset is not guessed at."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

EXIF_POINTER, DATE_TIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x8769, 0x9003, 0x9011
ASCII = 2


def captured_at(data: bytes) -> datetime | None:
    """The aware UTC moment the photo was taken, or None."""
    tiff = _exif_tiff(data)
    if tiff is None:
        return None
    try:
        order = {b"II": "<", b"MM": ">"}[tiff[:2]]
        pointer = _entries(tiff, order, struct.unpack(order + "I", tiff[4:8])[0]).get(EXIF_POINTER)
        if pointer is None:
            return None
        tags = _entries(tiff, order, struct.unpack(order + "I", pointer[2])[0])
        stamp, offset = _ascii(tiff, order, tags.get(DATE_TIME_ORIGINAL)), _ascii(tiff, order, tags.get(OFFSET_TIME_ORIGINAL))
        if not stamp or not offset:
            return None
        return datetime.strptime(stamp + offset.replace(":", ""), "%Y:%m:%d %H:%M:%S%z").astimezone(UTC)
    except (KeyError, IndexError, struct.error, ValueError, UnicodeDecodeError):
        return None


def _exif_tiff(data: bytes) -> bytes | None:
    """The TIFF block of a JPEG's `Exif` APP1 segment (the segments before the image data)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] not in (0xD9, 0xDA):
        size = struct.unpack(">H", data[at + 2:at + 4])[0]
        body = data[at + 4:at + 2 + size]
        if data[at + 1] == 0xE1 and body.startswith(b"Exif\x00\x00"):
            return body[6:]
        at += 2 + size
    return None


def _entries(tiff: bytes, order: str, offset: int) -> dict[int, tuple[int, int, bytes]]:
    """An IFD's entries: tag → (type, count, the 4-byte value or offset field)."""
    (count,) = struct.unpack(order + "H", tiff[offset:offset + 2])
    found = {}
    for i in range(count):
        start = offset + 2 + 12 * i
        tag, kind, n = struct.unpack(order + "HHI", tiff[start:start + 8])
        found[tag] = (kind, n, tiff[start + 8:start + 12])
    return found


def _ascii(tiff: bytes, order: str, entry: tuple[int, int, bytes] | None) -> str | None:
    if entry is None or entry[0] != ASCII:
        return None
    kind, n, field = entry
    raw = field[:n] if n <= 4 else tiff[struct.unpack(order + "I", field)[0]:][:n]
    if len(raw) != n:
        return None
    return raw.split(b"\x00")[0].decode("ascii").strip()

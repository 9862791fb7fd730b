"""A photo's capture time from its EXIF block (sync/exif.py): what the phone writes when it shrinks a
photo (static/js/photo-input.js: DateTimeOriginal and OffsetTimeOriginal, big-endian) and what a camera
writes (little-endian); anything else has no capture time, never an error."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import pytest

from sync.exif import captured_at

JPEG_BODY = b"\xff\xdb\x00\x04\x00\x00\xff\xda\x00\x02" + b"\x00" * 32 + b"\xff\xd9"


def exif_jpeg(stamp: str | None = "2026:12:06 08:30:05", offset: str | None = "+08:00", order: str = ">") -> bytes:
    """A JPEG whose APP1 holds IFD0 → Exif IFD with DateTimeOriginal and OffsetTimeOriginal."""
    tags = [(0x9003, stamp), (0x9011, offset)]
    tags = [(tag, value.encode() + b"\x00") for tag, value in tags if value is not None]
    exif_at = 8 + 2 + 12 + 4
    data_at = exif_at + 2 + 12 * len(tags) + 4
    entries, blob = b"", b""
    for tag, raw in tags:
        entries += struct.pack(order + "HHII", tag, 2, len(raw), data_at + len(blob))
        blob += raw
    tiff = ((b"MM" if order == ">" else b"II") + struct.pack(order + "HI", 42, 8)
            + struct.pack(order + "H", 1) + struct.pack(order + "HHII", 0x8769, 4, 1, exif_at) + b"\x00" * 4
            + struct.pack(order + "H", len(tags)) + entries + b"\x00" * 4 + blob)
    app1 = b"Exif\x00\x00" + tiff
    return b"\xff\xd8\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + JPEG_BODY


@pytest.mark.parametrize("order", [">", "<"])
def test_the_capture_time_with_its_offset_is_read_as_utc(order):
    assert captured_at(exif_jpeg(order=order)) == datetime(2026, 12, 6, 0, 30, 5, tzinfo=UTC)


@pytest.mark.parametrize("data", [
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200 + b"\xff\xd9",  # no EXIF at all
    exif_jpeg(offset=None),                    # a local time without its offset is not guessed at
    exif_jpeg(stamp="2026:13:45 99:00:00"),    # nonsense
    exif_jpeg()[:40],                          # cut short
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,       # not a JPEG
    b"",
])
def test_no_usable_capture_time_is_none(data):
    assert captured_at(data) is None

"""A structural check of JPEG files, for damage that Pillow's decoder papers over instead of refusing."""

import re

# 0xFF and the byte naming the marker; 0xFF 0x00 is a data byte and more 0xFF bytes are fill.
_MARKER = re.compile(rb"\xff([^\x00\xff])")
_FILLED_MARKER = re.compile(rb"\xff+([^\x00\xff])")
_TEM, _RST0, _RST7, _EOI, _SOS = 0x01, 0xD0, 0xD7, 0xD9, 0xDA


def jpeg_is_intact(data: bytes) -> bool:
    """True when a JPEG's segments and scans are well formed from its start to its end-of-image marker.

    libjpeg only warns about damaged scan data, and Pillow ignores the warning and paints grey or
    shifted blocks; so damage shows here as a byte where a marker must be, restart markers out of
    sequence, an invalid marker code or a missing end. Bytes after the end (a second picture some
    phones append) are not read.
    """
    if not data.startswith(b"\xff\xd8"):
        return False
    position = 2
    while True:
        match = _FILLED_MARKER.match(data, position)
        if match is None:
            return False
        marker, position = match[1][0], match.end()
        if marker == _EOI:
            return True
        if marker == _TEM:
            continue
        if marker < 0xC0 or _RST0 <= marker <= 0xD8 or position + 2 > len(data):
            return False
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2:
            return False
        position += length
        if marker == _SOS and (position := _end_of_scan(data, position)) < 0:
            return False


def _end_of_scan(data: bytes, position: int) -> int:
    """Where the marker after the entropy-coded data at ``position`` starts; -1 if that data is damaged."""
    expected = _RST0
    for match in _MARKER.finditer(data, position):
        marker = match[1][0]
        if not _RST0 <= marker <= _RST7:
            return match.start() if marker >= 0xC0 else -1
        if marker != expected:
            return -1
        expected = _RST0 + (marker - _RST0 + 1) % 8
    return -1

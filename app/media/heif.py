"""A structural check of HEIC/HEIF files, for truncation that libheif papers over instead of refusing.

A phone's HEIC is a grid of tiles; libheif decodes the tiles it finds and paints the missing ones green,
so half a file decodes without an error. A whole file has boxes that fit inside it, and every item's data
(each tile) lies inside the file.
"""

import struct


class _Damaged(Exception):
    pass


def heif_is_complete(data: bytes) -> bool:
    """True when every top-level box fits in ``data`` and every item the ``iloc`` box locates is present."""
    try:
        boxes = dict(_boxes(data, 0, len(data)))
        if "meta" not in boxes:
            return False
        start, end = boxes["meta"]
        meta = dict(_boxes(data, start + 4, end))  # meta is a full box: version and flags first
        if "iloc" not in meta:
            return False
        return all(stop <= len(data) for stop in _item_ends(data, *meta["iloc"]))
    except (_Damaged, struct.error, IndexError):
        return False


def _boxes(data: bytes, position: int, end: int):
    """(type, (content start, content end)) of the boxes between ``position`` and ``end``; _Damaged if one
    does not fit."""
    while position < end:
        if position + 8 > end:
            raise _Damaged
        size, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            (size,) = struct.unpack_from(">Q", data, position + 8)
            header = 16
        elif size == 0:  # extends to the end of the file
            size = end - position
        if size < header or position + size > end:
            raise _Damaged
        yield kind.decode("latin-1"), (position + header, position + size)
        position += size


def _uint(data: bytes, position: int, size: int) -> int:
    if position + size > len(data):
        raise _Damaged
    return int.from_bytes(data[position : position + size], "big") if size else 0


def _item_ends(data: bytes, start: int, end: int):
    """Where each extent of each item stored in this file ends (ISO/IEC 14496-12, ItemLocationBox)."""
    version = data[start]
    position = start + 4
    offset_size, length_size = data[position] >> 4, data[position] & 15
    base_offset_size, index_size = data[position + 1] >> 4, data[position + 1] & 15
    position += 2
    if version < 2:
        item_count, position = _uint(data, position, 2), position + 2
    else:
        item_count, position = _uint(data, position, 4), position + 4
    for _ in range(item_count):
        position += 2 if version < 2 else 4  # item id
        method = 0
        if version in (1, 2):
            method, position = _uint(data, position, 2) & 15, position + 2
        position += 2  # data reference index
        base, position = _uint(data, position, base_offset_size), position + base_offset_size
        extent_count, position = _uint(data, position, 2), position + 2
        for _ in range(extent_count):
            position += index_size if version in (1, 2) else 0
            offset, position = _uint(data, position, offset_size), position + offset_size
            length, position = _uint(data, position, length_size), position + length_size
            if position > end:
                raise _Damaged
            if method == 0:  # in this file; method 1 points into the idat box, checked with the meta box
                yield base + offset + length

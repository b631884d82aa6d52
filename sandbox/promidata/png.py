"""Small valid PNG files (a square of one colour), written with zlib and struct only."""

import struct
import zlib
from functools import lru_cache

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
IMAGE_SIDE = 32


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@lru_cache(maxsize=4096)
def solid_png(colour: tuple[int, int, int], side: int = IMAGE_SIDE) -> bytes:
    """A `side`×`side` 8-bit RGB PNG filled with `colour`: IHDR, one IDAT (filter 0 per row), IEND."""
    row = b"\x00" + bytes(colour) * side
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * side)) + _chunk(b"IEND", b"")

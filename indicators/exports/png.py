"""PNG metadata: text chunks (tEXt / iTXt) and pixel density (pHYs).

Chunks are spliced into the byte stream right after IHDR, so the image data is never decoded
or re-encoded: pixels stay exactly as the browser rendered them, and it costs microseconds.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IHDR_END = len(PNG_SIGNATURE) + 8 + 13 + 4  # signature, length+type, IHDR data, CRC
_METERS_PER_INCH = 0.0254


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _check_png(png: bytes) -> None:
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image (missing signature or IHDR)")


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from IHDR."""
    _check_png(png)
    return struct.unpack(">II", png[16:24])


def _keyword(key: str) -> bytes:
    # PNG spec: 1-79 Latin-1 printable characters, no leading/trailing/double spaces.
    try:
        raw = key.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"PNG text keyword must be Latin-1: {key!r}") from None
    if not 1 <= len(raw) <= 79 or key != key.strip() or "  " in key:
        raise ValueError(f"invalid PNG text keyword: {key!r}")
    if any(b < 32 or 126 < b < 161 for b in raw):
        raise ValueError(f"invalid PNG text keyword: {key!r}")
    return raw


def text_chunk(key: str, value: str) -> bytes:
    """tEXt when the value is Latin-1, otherwise an uncompressed UTF-8 iTXt."""
    keyword = _keyword(key)
    value = value.replace("\x00", "")
    try:
        return _chunk(b"tEXt", keyword + b"\x00" + value.encode("latin-1"))
    except UnicodeEncodeError:
        # keyword, compression flag 0, method 0, empty language tag, empty translated keyword
        return _chunk(b"iTXt", keyword + b"\x00\x00\x00\x00\x00" + value.encode("utf-8"))


def phys_chunk(dpi: float) -> bytes:
    per_meter = round(dpi / _METERS_PER_INCH)
    return _chunk(b"pHYs", struct.pack(">IIB", per_meter, per_meter, 1))


def _strip_chunks(png: bytes, kinds: set[bytes]) -> bytes:
    out = [png[:_IHDR_END]]
    pos = _IHDR_END
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        end = pos + 12 + length
        if png[pos + 4 : pos + 8] not in kinds:
            out.append(png[pos:end])
        pos = end
    return b"".join(out)


def add_png_metadata(
    png: bytes, text: Mapping[str, str] | None = None, dpi: float | None = None
) -> bytes:
    """Return ``png`` with text entries and, if ``dpi`` is given, a pixel density."""
    _check_png(png)
    extra = [text_chunk(k, v) for k, v in (text or {}).items()]
    if dpi:
        png = _strip_chunks(png, {b"pHYs"})
        extra.insert(0, phys_chunk(dpi))
    if not extra:
        return png
    return png[:_IHDR_END] + b"".join(extra) + png[_IHDR_END:]

"""Read a release file into sheets of rows (lists of cells), whatever its format.

xlsx is read with python-calamine (which also reads TI's strict OOXML workbooks that openpyxl
opens with no sheets); csv with the standard library (a UTF-8 BOM and CRLF are accepted). CSV
cells stay text, so that their number of decimals is known; xlsx cells are numbers or text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from indicators.data.releases.errors import ReleaseError

MAX_BYTES = 64 * 1024 * 1024


def read_sheets(path: Path) -> dict[str, list[list]]:
    """{sheet name: rows}; a CSV file is one sheet named after the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReleaseError(str(path), f"cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise ReleaseError(str(path), f"file is over {MAX_BYTES // 2**20} MB; not a release file")
    if raw[:4] == b"PK\x03\x04":
        return _xlsx(path, raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ReleaseError(str(path), "unknown layout: neither a workbook nor text") from None
    if "\x00" in text:
        raise ReleaseError(str(path), "unknown layout: binary content")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return {path.name: rows}


def _xlsx(path: Path, raw: bytes) -> dict[str, list[list]]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        raise ReleaseError(str(path), "reading xlsx needs python-calamine (pip install)") from None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        # skip_empty_area=False: rows keep their spreadsheet numbers (errors name them)
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }
    except Exception as exc:  # zip, XML and calamine's own errors: not a readable workbook
        raise ReleaseError(str(path), f"unknown layout: not a readable workbook ({exc})") from None

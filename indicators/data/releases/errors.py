"""The one error of a bad release file: names the file, row and column."""

from __future__ import annotations


class ReleaseError(Exception):
    """Bad input: unknown layout or series, missing column, bad value, duplicate."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.message = file, row, column, message
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")

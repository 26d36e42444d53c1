"""Errors of the cross-check that a person must be able to act on (Chinese messages)."""

from __future__ import annotations


class DataError(Exception):
    """Unusable input (数据不可用): names the file, the Excel row, the column and what was expected."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, expected: str | None = None, value: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.expected = expected
        self.value = value

    def __str__(self) -> str:
        return self.message


class DataErrors(DataError):
    """Several input errors found in one run (all are reported, none imported)."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        text = "\n".join(e.message for e in errors)
        super().__init__(f"输入数据有 {len(errors)} 处问题，未导入任何数据：\n{text}")

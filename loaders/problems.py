"""Problems found in an uploaded file: stable codes, where (row, column), the raw value, Thai and English messages.

The shape follows frictionless (DESIGN §6) so that a report flattens to a table.  A problem's severity comes with its
code (:func:`severity`): an *error* keeps its rows out (and rejects the file, unless only valid rows are loaded); a
*warning* (:data:`WARNING_CODES`, e.g. ``implausible-change``) rejects nothing and is listed apart, for the person
loading the file to look at before confirming.  Rows are spreadsheet rows (the
header is row 1 when it is the first row); columns are named and numbered from 1.  Values are kept as the raw text
of the cell and are never evaluated (a cell that begins with ``= + - @`` stays text).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from indicators.words import TEXT

MAX_LISTED = 1000
#: every problem code; its messages are ``problem.<code>`` in the one text table
CODES: frozenset[str] = frozenset(k.removeprefix("problem.") for k in TEXT if k.startswith("problem."))


FILE_CODES = {"file-too-large", "too-many-rows", "too-many-cells", "too-many-columns", "file-format",
              "encoding-error", "empty-file", "missing-column", "no-values", "years-as-columns",
              "check-time-limit", "check-memory-limit", "check-failed"}


#: codes that are warnings: listed apart from errors (``LoadReport.warnings``), never rejecting a row or a file
WARNING_CODES: frozenset[str] = frozenset({"implausible-change"})
Severity = Literal["error", "warning"]


def severity(code: str) -> Severity:
    """``"warning"`` for the codes of :data:`WARNING_CODES`, else ``"error"``."""
    return "warning" if code in WARNING_CODES else "error"


@dataclass(frozen=True)
class Problem:
    """One problem; ``row`` and ``column`` are None for problems of the whole file."""

    code: str
    message_th: str
    message_en: str
    row: int | None = None
    column: str | None = None
    column_number: int | None = None
    value: str | None = None

    @property
    def severity(self) -> Severity:
        """``"error"`` or ``"warning"``, by the code (:func:`severity`)."""
        return severity(self.code)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cell_text(value: Any) -> str | None:
    """The raw text of a cell as it is kept in reports: text, never evaluated; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text[:500] + "…" if len(text) > 500 else text


def problem(code: str, *, row: int | None = None, column: str | None = None, column_number: int | None = None,
            value: Any = None, **details: Any) -> Problem:
    """Build a problem with its messages (``problem.<code>`` in :data:`indicators.words.TEXT`)."""
    th, en = TEXT[f"problem.{code}"]
    text = cell_text(value)
    fields = {"value": text if text is not None else "", "column_number": column_number, **details}
    return Problem(code=code, message_th=th.format(**fields), message_en=en.format(**fields), row=row,
                   column=column, column_number=column_number, value=text)


def file_problem(code: str, th: str, en: str) -> Problem:
    """A problem of the whole file with free messages (``file-format``, ``encoding-error``)."""
    return problem(code, th=th, en=en)


class Problems:
    """Collects problems; lists at most :data:`MAX_LISTED` but counts them all and remembers the rows involved."""

    def __init__(self, limit: int = MAX_LISTED) -> None:
        self.limit = limit
        self.listed: list[Problem] = []
        self.total = 0
        self.bad_rows: set[int] = set()
        self.fatal = False

    def add(self, p: Problem) -> None:
        if p.severity != "error":
            raise ValueError(f"{p.code} is a warning: warnings are kept apart from the errors that decide")
        self.total += 1
        if p.code in FILE_CODES:
            self.fatal = True
        if p.row is not None:
            self.bad_rows.add(p.row)
        if len(self.listed) < self.limit:
            self.listed.append(p)

    @property
    def full(self) -> bool:
        """True once :data:`MAX_LISTED` problems are listed: further ones need only be counted (:meth:`tally`)."""
        return len(self.listed) >= self.limit

    def tally(self, code: str, row: int | None) -> None:
        """Count a problem that will not be listed (when :attr:`full`), without building its messages."""
        self.total += 1
        if code in FILE_CODES:
            self.fatal = True
        if row is not None:
            self.bad_rows.add(row)

    @property
    def partial(self) -> bool:
        """True when more problems were found than are listed."""
        return self.total > len(self.listed)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def sorted(self) -> list[Problem]:
        return sorted(self.listed, key=lambda p: (p.row or 0, p.column_number or 0, p.code))


def neutralise(text: str | None) -> str | None:
    """A cell for a CSV or Excel export: text that begins with ``= + - @`` gets a leading apostrophe."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text

"""What a migration did to one file, and how it is shown to the instructor.

A report lists every change with its location and every finding: a construct
the migrator could not convert (``blocking``: the script will not run as its
author meant it) or a piece of advice (a legacy habit that still runs but is
worth fixing). Each finding carries a suggested fix.
"""

import dataclasses
import enum
from typing import Optional


@dataclasses.dataclass(frozen=True)
class Location:
    """A 1-based line, inside a notebook's cell when ``cell`` is set (1-based too).

    Line 0 stands for the file as a whole (a notebook's metadata or outputs).
    """

    line: int
    cell: Optional[int] = None

    @property
    def order(self):
        return (self.cell or 0, self.line)

    def __str__(self):
        if self.line == 0:
            return "file"
        if self.cell is None:
            return f"line {self.line}"
        return f"cell {self.cell}, line {self.line}"


@dataclasses.dataclass(frozen=True)
class Change:
    location: Location
    before: str
    after: str
    reason: str

    def __str__(self):
        return f"{self.location}: `{self.before}` -> `{self.after}` ({self.reason})"


@dataclasses.dataclass(frozen=True)
class Finding:
    location: Location
    message: str
    suggestion: str
    blocking: bool

    def __str__(self):
        kind = "not converted" if self.blocking else "advice"
        return f"{self.location}: {kind}: {self.message}; suggested fix: {self.suggestion}"


class Status(enum.Enum):
    MIGRATED = "migrated"
    UNCHANGED = "nothing to change"
    NOT_TENSORFLOW = "does not use TensorFlow; left untouched"
    ERROR = "error"


@dataclasses.dataclass
class RunOutcome:
    ok: bool
    detail: str
    seconds: float


@dataclasses.dataclass
class FileReport:
    source: str
    destination: Optional[str] = None
    status: Status = Status.UNCHANGED
    changes: list = dataclasses.field(default_factory=list)
    findings: list = dataclasses.field(default_factory=list)
    error: Optional[str] = None
    run: Optional[RunOutcome] = None

    @property
    def unconverted(self):
        return [finding for finding in self.findings if finding.blocking]

    @property
    def advice(self):
        return [finding for finding in self.findings if not finding.blocking]

    def render(self):
        """The report as text lines, one item a line, in source order."""
        head = self.source
        if self.destination and self.destination != self.source:
            head += f" -> {self.destination}"
        if self.status is Status.ERROR:
            return [f"{head}: error: {self.error}"]
        summary = self.status.value
        if self.status is Status.MIGRATED or self.findings:
            summary += (
                f" ({len(self.changes)} changed, {len(self.unconverted)} not converted, "
                f"{len(self.advice)} advice)"
            )
        lines = [f"{head}: {summary}"]
        items = [(change.location.order, 0, f"  {change}") for change in self.changes]
        items += [(finding.location.order, 1, f"  {finding}") for finding in self.findings]
        lines += [text for _, _, text in sorted(items, key=lambda item: item[:2])]
        if self.run is not None:
            verdict = "succeeded" if self.run.ok else "FAILED"
            lines.append(f"  run {verdict} in {self.run.seconds:.1f} s{self.run.detail}")
        return lines

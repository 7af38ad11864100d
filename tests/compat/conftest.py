"""The fresh-process report (``tests/compat/fresh_process.py``).

Right after collection, if a selected test asks for ``fresh_process``, one
child interpreter starts running every check that needs a process of its own;
the tests that read its report run after the other compat tests, so the child
works while they do.
"""

import json

import pytest

from tests.background import Children

FIXTURE = "fresh_process"
REPORT = "report.json"
COST = 11  # CPU seconds on TF 2.21 (docs/suite-cost.md), for the children's queue


class FreshProcess:
    """The child interpreter and its report."""

    def __init__(self, child):
        self.child = child
        self._report = None

    def __getitem__(self, check):
        """The result of ``check``; fails the test with the child's traceback if it raised."""
        report = self.report()
        if check not in report:
            self.child.fail(f"reported nothing for {check!r} (exit {self.child.exit_status()})")
        if "error" in report[check]:
            pytest.fail(f"{check} raised in the fresh process:\n{report[check]['error']}")
        return report[check]["result"]

    def report(self):
        if self._report is None:
            self.child.wait()
            path = self.child.directory / REPORT
            self._report = json.loads(path.read_text()) if path.exists() else {}
        return self._report


_CHILDREN = Children()


def start_fresh_process():
    return FreshProcess(_CHILDREN.start(
        "fresh process (tests/compat/fresh_process.py)",
        lambda directory: ["-m", "tests.compat.fresh_process", directory / REPORT],
        cost=COST))


def _uses_fresh_process(item):
    return FIXTURE in getattr(item, "fixturenames", ())


def pytest_collection_finish(session):
    if not session.config.option.collectonly and any(map(_uses_fresh_process, session.items)):
        start_fresh_process()


@pytest.fixture(scope="session")
def fresh_process():
    return start_fresh_process()  # already started, unless not selected at collection


def pytest_unconfigure(config):
    _CHILDREN.forget()

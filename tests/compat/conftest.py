"""The fresh-process report (``tests/compat/fresh_process.py``).

Right after collection, if a selected test asks for ``fresh_process``, one
child interpreter starts running every check that needs a process of its own;
the tests that read its report run after the other compat tests, so the child
works while they do.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURE = "fresh_process"
TIMEOUT_SECONDS = 600


class FreshProcess:
    """The child interpreter, its log and its report."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="compat-fresh-"))
        self.report_path = self.directory / "report.json"
        self.log_path = self.directory / "child.log"
        environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=os.pathsep.join(
            filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")])))
        self.waited = None  # seconds the first reading test waited
        with open(self.log_path, "w") as log:
            # cwd: a scratch directory, so nothing a course script writes lands in the repo.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.compat.fresh_process", str(self.report_path)],
                cwd=self.directory, env=environment, stdout=log, stderr=subprocess.STDOUT)
        self._report = None

    def __getitem__(self, check):
        """The result of ``check``; fails the test with the child's traceback if it raised."""
        report = self.report()
        if check not in report:
            pytest.fail(f"the fresh process reported nothing for {check!r} (exit {self.process.returncode}):\n"
                        f"{self.log_path.read_text()[-5000:]}")
        if "error" in report[check]:
            pytest.fail(f"{check} raised in the fresh process:\n{report[check]['error']}")
        return report[check]["result"]

    def report(self):
        if self._report is None:
            waiting = time.perf_counter()
            try:
                self.process.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.waited = time.perf_counter() - waiting
            self._report = json.loads(self.report_path.read_text()) if self.report_path.exists() else {}
        return self._report

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


_CHILD = {}


def _uses_fresh_process(item):
    return FIXTURE in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items):
    items.sort(key=_uses_fresh_process)  # stable: every other test keeps its place


def pytest_collection_finish(session):
    if not session.config.option.collectonly and any(map(_uses_fresh_process, session.items)):
        _CHILD["process"] = FreshProcess()


@pytest.fixture(scope="session")
def fresh_process():
    if "process" not in _CHILD:  # e.g. the test was not selected at collection
        _CHILD["process"] = FreshProcess()
    return _CHILD["process"]


def pytest_terminal_summary(terminalreporter):
    child = _CHILD.get("process")
    if child is not None and child.waited is not None:
        terminalreporter.write_line(
            f"fresh process (tests/compat/fresh_process.py): the tests reading it waited {child.waited:.1f} s for it")


def pytest_unconfigure(config):
    child = _CHILD.pop("process", None)
    if child is not None:
        child.stop()

"""Child interpreters that start right after collection and are read later.

Some checks need an interpreter of their own (TF1 behaviour switched on,
another PYTHONHASHSEED, a course script run as `__main__`), and some runs are
long (the labs' 50 to 3000 iterations). A conftest starts them as soon as
pytest knows which tests were selected; the tests that read them run later,
so on a machine with two cores the children work while other tests do.

A child writes its results as files into its own scratch directory, each
complete before it appears (`write_file`). `Child.wait_for` returns a file
once written and fails the test with the end of the child's log if the child
stopped, or ran out of time, without writing it.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
TIMEOUT_SECONDS = 900


def write_file(path, text):
    """Writes `text` to `path` through a temporary name: a reader never sees
    half a file."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    os.replace(partial, path)


class Child:
    """`python ARGV...` in the background, run from the repository.

    Args:
      name: what the terminal summary and failures call it.
      argv: the interpreter's arguments; a callable gets the child's scratch
        directory and returns them.
      environment: variables set for the child on top of this process's own
        (which already has the repository on PYTHONPATH for it).
      cwd: where the child runs; default its scratch directory, so nothing
        it writes lands in the repository.
    """

    def __init__(self, name, argv, environment=None, cwd=None):
        self.name = name
        self.directory = Path(tempfile.mkdtemp(prefix="lab12-child-"))
        self.log_path = self.directory / "child.log"
        self.waited = 0.0
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=os.pathsep.join(
            filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")])))
        env.update(environment or {})
        if callable(argv):
            argv = argv(self.directory)
        self._started = time.monotonic()
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, *map(str, argv)], cwd=cwd or self.directory,
                env=env, stdout=log, stderr=subprocess.STDOUT)

    def wait_for(self, relative_path):
        """`directory / relative_path`, once the child has written it."""
        path = self.directory / relative_path
        waiting = time.monotonic()
        try:
            while not path.exists():
                if self.process.poll() is not None:
                    if path.exists():
                        break
                    self.fail(f"stopped (exit {self.process.returncode}) "
                              f"before writing {relative_path}")
                if time.monotonic() - self._started > TIMEOUT_SECONDS:
                    self.stop_process()
                    self.fail(f"ran {TIMEOUT_SECONDS} s without writing "
                              f"{relative_path}; stopped")
                time.sleep(0.05)
        finally:
            self.waited += time.monotonic() - waiting
        return path

    def wait(self):
        """The child's exit status, once it has ended."""
        waiting = time.monotonic()
        try:
            remaining = TIMEOUT_SECONDS - (time.monotonic() - self._started)
            return self.process.wait(timeout=max(remaining, 0))
        except subprocess.TimeoutExpired:
            self.stop_process()
            self.fail(f"ran {TIMEOUT_SECONDS} s without ending; stopped")
        finally:
            self.waited += time.monotonic() - waiting

    def log(self):
        return self.log_path.read_text(errors="replace")

    def fail(self, what):
        pytest.fail(f"{self.name} {what}:\n{self.log()[-5000:]}")

    def stop_process(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def stop(self):
        """Ends the child and removes its directory."""
        self.stop_process()
        shutil.rmtree(self.directory, ignore_errors=True)


class Children:
    """The children of one conftest, started once per pytest session."""

    def __init__(self):
        self._children = {}

    def start(self, name, argv, environment=None, cwd=None):
        if name not in self._children:
            self._children[name] = Child(name, argv, environment, cwd)
        return self._children[name]

    def summary(self, terminalreporter):
        """One line per child: how long the tests waited for it."""
        for child in self._children.values():
            terminalreporter.write_line(
                f"{child.name}: tests waited {child.waited:.1f} s for it")

    def stop(self):
        for child in self._children.values():
            child.stop()
        self._children.clear()

"""Child interpreters that start right after collection and are read later.

Some checks need an interpreter of their own (TF1 behaviour switched on,
another PYTHONHASHSEED, a course script run as `__main__`), and some runs are
long (the labs' 50 to 3000 iterations). A conftest starts them as soon as
pytest knows which tests were selected; the tests that read them run later,
so on a machine with two cores the children work while other tests do.

A child writes its results as files into its own scratch directory, each
complete before it appears (`write_file`). `Child.wait_for` returns a file
once written and fails the test with the end of the child's log if the child
stopped, or was stopped, without writing it.

A child is stopped when it is stuck or runaway, judged by the CPU time of
its whole process tree (it runs scripts and kernels of its own), not by the
clock: under `tox p` two envs share two cores with their children, and a
child that needs 280 CPU-seconds took more than 900 s of wall time there.
Stuck: the tree used less than `STALL_CPU_SECONDS` in `STALL_SECONDS`.
Runaway: it used more than `CPU_BUDGET_SECONDS` in all (the largest child
needs about 300).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
STALL_SECONDS = 600
STALL_CPU_SECONDS = 1.0
CPU_BUDGET_SECONDS = 3600
CHECK_INTERVAL_SECONDS = 2.0


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
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, *map(str, argv)], cwd=cwd or self.directory,
                env=env, stdout=log, stderr=subprocess.STDOUT)
        self._cpu_seconds = 0.0
        self._progress = (time.monotonic(), 0.0)  # when, at what CPU time

    def wait_for(self, relative_path):
        """`directory / relative_path`, once the child has written it."""
        path = self.directory / relative_path
        self._wait_until(path.exists, f"without writing {relative_path}")
        return path

    def wait(self):
        """The child's exit status, once it has ended."""
        self._wait_until(lambda: self.process.poll() is not None,
                         "without ending")
        return self.process.returncode

    def _wait_until(self, done, unfinished):
        waiting = time.monotonic()
        checked = 0.0
        try:
            while not done():
                if self.process.poll() is not None and not done():
                    self.fail(f"stopped (exit {self.process.returncode}) "
                              f"{unfinished}")
                # Reading the process tree costs a walk over /proc: seldom.
                if time.monotonic() - checked >= CHECK_INTERVAL_SECONDS:
                    checked = time.monotonic()
                    why = self._stuck_or_runaway()
                    if why:
                        self.stop_process()
                        self.fail(f"{why} {unfinished}; stopped")
                time.sleep(0.05)
        finally:
            self.waited += time.monotonic() - waiting

    def _stuck_or_runaway(self):
        """Why the child must be stopped, or "" while it works."""
        now = time.monotonic()
        cpu = self.cpu_seconds()
        since, cpu_then = self._progress
        if cpu - cpu_then >= STALL_CPU_SECONDS:
            self._progress = (now, cpu)
        elif now - since > STALL_SECONDS:
            return (f"used {cpu - cpu_then:.2f} CPU-seconds in "
                    f"{now - since:.0f} s (stuck)")
        if cpu > CPU_BUDGET_SECONDS:
            return f"used {cpu:.0f} CPU-seconds (more than {CPU_BUDGET_SECONDS})"
        return ""

    def cpu_seconds(self):
        """CPU time used so far by the child and every process under it.

        Each live process counts its own time and that of the children it
        has reaped (so an ended script counts in its parent); a process that
        has ended but is not yet reaped counts nowhere for a moment, so the
        largest sum seen is kept.
        """
        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            processes = []
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += (times.user + times.system + times.children_user
                      + times.children_system)
        self._cpu_seconds = max(self._cpu_seconds, total)
        return self._cpu_seconds

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

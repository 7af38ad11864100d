"""Child interpreters that start right after collection and are read later.

Some checks need an interpreter of their own (TF1 behaviour switched on,
another PYTHONHASHSEED, a course script run as `__main__`), and some runs are
long (the labs' 50 to 3000 iterations). A conftest starts them as soon as
pytest knows which tests were selected; the tests that read them run later,
so the children work while other tests do.

One pytest run has one children's directory (`session_directory`), made by
the process that runs the session: plain pytest, or pytest-xdist's
controller, whose workers inherit it through `SESSION_VARIABLE`. Every
worker collects the same tests and asks for the same children; the first to
make a child's folder there (an atomic `mkdir`) starts it and the others
attach to it, so each child runs once per run however many workers read it.
The session's process stops them all and removes the directory when the run
ends (`end_session`): a worker that finishes early leaves them to the others.

A child runs under a small wrapper (`python -m tests.background`), in a
session of its own, that writes how it ended (`EXIT_FILE`: exit status, wall
and CPU seconds of its whole process tree) when it ends. A child writes its
results as files into its folder, each complete before it appears
(`write_file`). `Child.wait_for` returns a file once written and fails the
test with the end of the child's log if the child ended, or was stopped,
without writing it.

A child is stopped when it is stuck or runaway, judged by the CPU time of
its whole process tree (it runs scripts and kernels of its own), not by the
clock: under `tox p` two envs share two cores with their children, and a
child that needs 280 CPU-seconds took more than 900 s of wall time there.
Stuck: the tree used less than `STALL_CPU_SECONDS` in `STALL_SECONDS`.
Runaway: it used more than `CPU_BUDGET_SECONDS` in all (the largest child
needs about 300).
"""

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPOSITORY = Path(__file__).resolve().parents[1]
SESSION_VARIABLE = "LAB12_CHILDREN_DIR"
STALL_SECONDS = 600
STALL_CPU_SECONDS = 1.0
CPU_BUDGET_SECONDS = 3600
CHECK_INTERVAL_SECONDS = 2.0

# A child's own files in its folder, beside the results it writes.
NAME_FILE = "child.name"
PID_FILE = "child.pid"
LOG_FILE = "child.log"
EXIT_FILE = "child.exit.json"
WAITS_FILE = "child.waits"

_SESSION = {}  # "directory": the session's directory, when this process made it


def write_file(path, text):
    """Writes `text` to `path` through a temporary name: a reader never sees
    half a file."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    os.replace(partial, path)


def begin_session():
    """The run's children's directory: made here (and exported for pytest-xdist
    workers, which start after this) unless an enclosing run made it."""
    if not os.environ.get(SESSION_VARIABLE):
        directory = tempfile.mkdtemp(prefix="lab12-children-")
        os.environ[SESSION_VARIABLE] = directory
        _SESSION["directory"] = Path(directory)
    return session_directory()


def session_directory():
    value = os.environ.get(SESSION_VARIABLE)
    if not value:
        raise RuntimeError(f"tests/background.py: ${SESSION_VARIABLE} is not set; "
                           f"tests/conftest.py calls begin_session() first")
    return Path(value)


def end_session():
    """Stops every child of the run and removes the directory, if this
    process made it."""
    directory = _SESSION.pop("directory", None)
    if directory is None:
        return
    for folder in sorted(directory.iterdir()):
        if (folder / NAME_FILE).exists():
            Child.attach(folder).stop_process()
    shutil.rmtree(directory, ignore_errors=True)
    os.environ.pop(SESSION_VARIABLE, None)


def session_children():
    """Every child started in this run, in the order they started."""
    folders = [folder for folder in session_directory().iterdir()
               if (folder / NAME_FILE).exists()]
    return [Child.attach(folder) for folder in
            sorted(folders, key=lambda folder: (folder / NAME_FILE).stat().st_mtime)]


def _slug(name):
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


class Child:
    """A child interpreter, `python ARGV...`, started here (`launch`) or by
    another process of the run (`attach`); its folder holds what it writes."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.name = (self.directory / NAME_FILE).read_text()
        self.log_path = self.directory / LOG_FILE
        self.waited = 0.0
        self._popen = None
        self._pid = None
        self._cpu_seconds = 0.0
        self._progress = (time.monotonic(), 0.0)  # when, at what CPU time

    @classmethod
    def launch(cls, name, argv, environment=None, cwd=None, directory=None):
        """Starts `python ARGV...` from the repository's code.

        Args:
          name: what the terminal summary and failures call it.
          argv: the interpreter's arguments; a callable gets the child's folder
            and returns them.
          environment: variables set for the child on top of this process's
            own (which already has the repository on PYTHONPATH for it).
          cwd: where the child runs; default its folder, so nothing it writes
            lands in the repository.
          directory: the child's folder, which must not exist yet; default a
            new temporary one.
        """
        if directory is None:
            directory = Path(tempfile.mkdtemp(prefix="lab12-child-"))
        else:
            directory = Path(directory)
            directory.mkdir()
        (directory / NAME_FILE).write_text(name)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=os.pathsep.join(
            filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")])))
        env.update(environment or {})
        if callable(argv):
            argv = argv(directory)
        with open(directory / LOG_FILE, "w") as log:
            popen = subprocess.Popen(
                [sys.executable, "-m", "tests.background", str(directory),
                 sys.executable, *map(str, argv)],
                cwd=cwd or directory, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        write_file(directory / PID_FILE, str(popen.pid))
        child = cls(directory)
        child._popen = popen
        child._pid = popen.pid
        return child

    @classmethod
    def attach(cls, directory):
        """The child whose folder is `directory`, started by any process."""
        return cls(directory)

    def pid(self):
        """The wrapper's process id (the child's process group)."""
        if self._pid is None:
            path = self.directory / PID_FILE
            deadline = time.monotonic() + 60
            while not path.exists():  # its starter writes it right after the start
                if time.monotonic() > deadline:
                    self.fail(f"has no {PID_FILE} 60 s after its folder was made")
                time.sleep(0.05)
            self._pid = int(path.read_text())
        return self._pid

    def exit_record(self):
        """How the child ended (status, seconds, cpu_seconds), or None while
        it runs."""
        path = self.directory / EXIT_FILE
        return json.loads(path.read_text()) if path.exists() else None

    def running(self):
        if self._popen is not None:
            return self._popen.poll() is None
        if self.exit_record() is not None:
            return False
        try:
            return psutil.Process(self.pid()).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    def exit_status(self):
        """The child's exit status once it ended (None if it was killed
        before its wrapper could say)."""
        record = self.exit_record()
        return None if record is None else record["status"]

    def wait_for(self, relative_path):
        """`directory / relative_path`, once the child has written it."""
        path = self.directory / relative_path
        self._wait_until(path.exists, f"without writing {relative_path}")
        return path

    def wait(self):
        """The child's exit status, once it has ended."""
        self._wait_until(lambda: self.exit_record() is not None, "without ending")
        return self.exit_status()

    def _wait_until(self, done, unfinished):
        waiting = time.monotonic()
        checked = 0.0
        try:
            while not done():
                if not self.running() and not done():
                    self.fail(f"stopped (exit {self.exit_status()}) {unfinished}")
                # Reading the process tree costs a walk over /proc: seldom.
                if time.monotonic() - checked >= CHECK_INTERVAL_SECONDS:
                    checked = time.monotonic()
                    why = self._stuck_or_runaway()
                    if why:
                        self.stop_process()
                        self.fail(f"{why} {unfinished}; stopped")
                time.sleep(0.05)
        finally:
            waited = time.monotonic() - waiting
            self.waited += waited
            with open(self.directory / WAITS_FILE, "a") as waits:
                waits.write(f"{waited:.3f}\n")

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

    def _tree(self):
        try:
            root = psutil.Process(self.pid())
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def cpu_seconds(self):
        """CPU time used so far by the child and every process under it.

        Once the child has ended, what its wrapper recorded. Before: each live
        process counts its own time and that of the children it has reaped
        (so an ended script counts in its parent); a process that has ended
        but is not yet reaped counts nowhere for a moment, so the largest sum
        seen is kept.
        """
        record = self.exit_record()
        if record is not None:
            return record["cpu_seconds"]
        try:
            total = tree_cpu_seconds(psutil.Process(self.pid()))
        except psutil.NoSuchProcess:
            total = 0.0
        self._cpu_seconds = max(self._cpu_seconds, total)
        return self._cpu_seconds

    def waits(self):
        """Every wait for this child by any process of the run, in seconds."""
        path = self.directory / WAITS_FILE
        return [float(line) for line in path.read_text().split()] if path.exists() else []

    def log(self):
        return self.log_path.read_text(errors="replace")

    def fail(self, what):
        import pytest

        pytest.fail(f"{self.name} {what}:\n{self.log()[-5000:]}")

    def stop_process(self):
        """Kills the child's whole process tree (kernels and scripts too)."""
        if self.running():
            tree = self._tree()
            for process in reversed(tree):
                try:
                    process.kill()
                except psutil.NoSuchProcess:
                    pass
            psutil.wait_procs(tree, timeout=10)  # reaps those that are this process's own
        if self._popen is not None:
            self._popen.wait()

    def stop(self):
        """Ends the child and removes its folder."""
        self.stop_process()
        shutil.rmtree(self.directory, ignore_errors=True)


class Children:
    """The children of one conftest, started once per pytest run however many
    pytest-xdist workers ask for them."""

    def __init__(self):
        self._children = {}

    def start(self, name, argv, environment=None, cwd=None):
        if name not in self._children:
            directory = session_directory() / _slug(name)
            try:
                child = Child.launch(name, argv, environment, cwd, directory)
            except FileExistsError:
                child = Child.attach(directory)
            self._children[name] = child
        return self._children[name]

    def forget(self):
        """Drops this process's handles; `end_session` stops the children."""
        self._children.clear()


def summary(terminalreporter):
    """One line per child of the run: its wall and CPU time, and how long
    the tests waited for it."""
    children = session_children()
    if children:
        terminalreporter.section("children")
    for child in children:
        record = child.exit_record() or {}
        ended = (f"ended {record['status']} after {record['seconds']:.1f} s"
                 if record else "still running")
        terminalreporter.write_line(
            f"{child.name}: {ended}, {child.cpu_seconds():.1f} CPU-seconds; "
            f"tests waited {sum(child.waits()):.1f} s for it")


def tree_cpu_seconds(process):
    """CPU seconds of `process` and every live process under it, each with
    the time of the children it has reaped."""
    try:
        processes = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for member in processes:
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def _run_wrapped(directory, argv, sample_seconds=0.5):
    """The wrapper's work: runs `argv`, then records how it ended.

    Its CPU time is what the wrapper reaped (`RUSAGE_CHILDREN`: the command
    and all it reaped) or, if more, the most its live tree was seen to have
    used: a kernel that its client kills without reaping counts too.
    """
    started = time.monotonic()
    command = subprocess.Popen(argv)
    tree = psutil.Process(command.pid)
    seen = 0.0
    while command.poll() is None:
        seen = max(seen, tree_cpu_seconds(tree))
        try:
            command.wait(sample_seconds)
        except subprocess.TimeoutExpired:
            pass
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    write_file(Path(directory) / EXIT_FILE, json.dumps({
        "status": command.returncode, "seconds": time.monotonic() - started,
        "cpu_seconds": max(seen, usage.ru_utime + usage.ru_stime)}))
    return command.returncode


if __name__ == "__main__":
    sys.exit(_run_wrapped(sys.argv[1], sys.argv[2:]))

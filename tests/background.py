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
and CPU seconds of its whole process tree) when it ends.

The run's children queue for the machine's cores: at most `child_slots()`
of them work at once (the cores, shared among the envs of an enclosing
`tox p`), the dearest first by the CPU seconds each is expected to take
(`cost`), except that a child a test is waiting for starts at once: the
waiting process idles, so its core is the child's. Started all at once, ten
children shared two cores until the end, and the last of them ran alone
while the other core idled. A child writes its
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
QUEUE_FILE = "child.queue.json"  # {"cost": seconds, "slots": n}: it waits its turn
STARTED_FILE = "child.started"  # its turn came: the command runs
WANTED_FILE = "child.wanted"  # a test waits for it, idle: it starts on that core
SLOTS_VARIABLE = "LAB12_CHILD_PROCESSES"
QUEUE_GRACE_SECONDS = 1.0  # for the children started in the same breath to be queued too

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


def _siblings(directory):
    """The children in the same session directory as `directory`."""
    return [Child.attach(folder) for folder in Path(directory).parent.iterdir()
            if (folder / NAME_FILE).exists()]


def shared_cores(ancestors=None):
    """This machine's cores shared among the envs of an enclosing `tox p`
    (at least 1); `ancestors` as `parallel_tox_envs` takes them."""
    cores = len(os.sched_getaffinity(0))
    return max(1, cores // parallel_tox_envs(cores, ancestors))


def child_slots():
    """How many children work at once: ``$LAB12_CHILD_PROCESSES``, else
    `shared_cores()`."""
    value = os.environ.get(SLOTS_VARIABLE, "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{SLOTS_VARIABLE} must be a whole number of at least 1, "
                             f"got {value!r}")
        return int(value)
    return shared_cores()


def parallel_tox_envs(cores, ancestors=None):
    """How many envs an enclosing ``tox p`` / ``tox run-parallel`` runs at
    once (1 under plain ``tox`` or no tox), read from the command lines of
    this process's ancestors (`ancestors`: those command lines, nearest
    first; default, read with psutil)."""
    if ancestors is None:
        ancestors = []
        for process in psutil.Process().parents():
            try:
                ancestors.append(process.cmdline())
            except psutil.Error:
                continue
    for argv in ancestors:
        arguments = _tox_arguments(argv)
        if arguments is None:
            continue
        if not {"p", "run-parallel"} & set(arguments):
            return 1
        setting = "auto"
        for index, word in enumerate(arguments):
            if word in ("-p", "--parallel") and index + 1 < len(arguments):
                setting = arguments[index + 1]
            elif word.startswith("--parallel="):
                setting = word.split("=", 1)[1]
        if setting.isdigit() and int(setting) > 0:
            return int(setting)
        return cores  # auto, all, or 0 (every env at once): at least one per core
    return 1


def _tox_arguments(argv):
    """What follows tox's own name in a command line, or None if not tox's."""
    for index, word in enumerate(argv[:3]):
        if Path(word).name == "tox":
            return argv[index + 1:]
        if word == "-m" and argv[index + 1:index + 2] == ["tox"]:
            return argv[index + 2:]
    return None


def _queue_key(folder):
    """The order children take the slots in: the dearest first, then the
    first started."""
    queue = json.loads((folder / QUEUE_FILE).read_text())
    return (-queue["cost"], (folder / QUEUE_FILE).stat().st_mtime_ns, folder.name)


def _wait_for_a_slot(directory, poll_seconds=0.1):
    """In the wrapper: blocks until it is this child's turn and one of the
    run's `slots` is free; returns the slot's file, locked (the lock ends
    with the wrapper)."""
    import fcntl

    directory = Path(directory)
    slots = json.loads((directory / QUEUE_FILE).read_text())["slots"]
    time.sleep(QUEUE_GRACE_SECONDS)
    mine = _queue_key(directory)
    while True:
        waiting = [folder for folder in directory.parent.iterdir()
                   if (folder / QUEUE_FILE).exists() and not (folder / STARTED_FILE).exists()
                   and not (folder / EXIT_FILE).exists() and folder != directory]
        if (directory / WANTED_FILE).exists():  # a test idles for it: it takes that core
            (directory / STARTED_FILE).write_text("lent")
            return None
        ahead = [folder for folder in waiting if _queue_key(folder) < mine]
        if not ahead:
            for number in range(slots):
                slot = open(directory.parent / f"slot.{number}", "a")
                try:
                    fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    slot.close()
                    continue
                (directory / STARTED_FILE).write_text(str(number))
                return slot
        time.sleep(poll_seconds)


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
    def launch(cls, name, argv, environment=None, cwd=None, directory=None, cost=None):
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
          cost: the CPU seconds it is expected to take: it queues with the
            run's other children (module docstring); None: it starts at once.
        """
        if directory is None:
            directory = Path(tempfile.mkdtemp(prefix="lab12-child-"))
        else:
            directory = Path(directory)
            directory.mkdir()
        if cost is not None:
            write_file(directory / QUEUE_FILE, json.dumps({"cost": cost, "slots": child_slots()}))
        write_file(directory / NAME_FILE, name)
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
    def attach(cls, directory, timeout=60.0):
        """The child whose folder is `directory`, started by any process
        (which may have made the folder a moment ago: its name follows)."""
        name = Path(directory) / NAME_FILE
        deadline = time.monotonic() + timeout
        while not name.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{directory} has no {NAME_FILE} {timeout:.0f} s after "
                                   f"another process made it")
            time.sleep(0.05)
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
        if not done() and self.queued():
            # This process idles until the child is done: its core is the child's.
            (self.directory / WANTED_FILE).touch()
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

    def queued(self):
        """Whether it still waits for its turn."""
        return ((self.directory / QUEUE_FILE).exists()
                and not (self.directory / STARTED_FILE).exists()
                and self.exit_record() is None)

    def _stuck_or_runaway(self):
        """Why the child must be stopped, or "" while it works (or waits its
        turn while the children before it work)."""
        now = time.monotonic()
        if self.queued():
            others = [child for child in _siblings(self.directory) if not child.queued()]
            cpu = sum(child.cpu_seconds() for child in others)
        else:
            cpu = self.cpu_seconds()
        since, cpu_then = self._progress
        if cpu - cpu_then >= STALL_CPU_SECONDS:
            self._progress = (now, cpu)
        elif now - since > STALL_SECONDS:
            return (f"used {cpu - cpu_then:.2f} CPU-seconds in "
                    f"{now - since:.0f} s (stuck)")
        if not self.queued() and cpu > CPU_BUDGET_SECONDS:
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

    def start(self, name, argv, environment=None, cwd=None, cost=0.0):
        """The child `name` of this run, started (queued by `cost`, its
        expected CPU seconds) unless another process of the run did."""
        if name not in self._children:
            directory = session_directory() / _slug(name)
            try:
                child = Child.launch(name, argv, environment, cwd, directory, cost)
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
        ended = (f"queued {record['queued_seconds']:.1f} s, ended {record['status']} "
                 f"after {record['seconds']:.1f} s" if record else "still running")
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
    launched = time.monotonic()
    slot = None
    if (Path(directory) / QUEUE_FILE).exists():
        slot = _wait_for_a_slot(directory)
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
        "queued_seconds": started - launched,
        "cpu_seconds": max(seen, usage.ru_utime + usage.ru_stime)}))
    if slot is not None:
        slot.close()
    return command.returncode


if __name__ == "__main__":
    sys.exit(_run_wrapped(sys.argv[1], sys.argv[2:]))

"""tests/background.py: a child is stopped when stuck or runaway, judged by
its process tree's CPU time, and never for being slow on a busy machine."""

import os
import time

import pytest

from tests import background

BUSY = "import time\nend = time.process_time() + {seconds}\n" \
       "while time.process_time() < end: pass\n"


@pytest.fixture
def child():
    children = []

    def start(code, name="test child"):
        made = background.Child.launch(name, ["-c", code])
        children.append(made)
        return made

    yield start
    for made in children:
        made.stop()


@pytest.fixture
def quick_checks(monkeypatch):
    monkeypatch.setattr(background, "CHECK_INTERVAL_SECONDS", 0.1)
    monkeypatch.setattr(background, "STALL_SECONDS", 1.5)
    # A busy child on a loaded machine gets a fifth of a core: 0.3 s in 1.5 s.
    monkeypatch.setattr(background, "STALL_CPU_SECONDS", 0.05)


def test_a_child_using_no_cpu_is_stopped_as_stuck(child, quick_checks):
    sleeper = child("import time; time.sleep(60)")
    with pytest.raises(pytest.fail.Exception,
                       match=r"test child used 0\.0\d CPU-seconds in \d+ s "
                             r"\(stuck\) without writing result.json; "
                             r"stopped"):
        sleeper.wait_for("result.json")
    assert not sleeper.running()


def test_a_child_over_its_cpu_budget_is_stopped(child, quick_checks,
                                                monkeypatch):
    monkeypatch.setattr(background, "CPU_BUDGET_SECONDS", 1)
    spinner = child(BUSY.format(seconds=60))
    with pytest.raises(pytest.fail.Exception,
                       match=r"used \d CPU-seconds \(more than 1\) without "
                             r"ending; stopped"):
        spinner.wait()


def test_a_working_child_outlives_the_stall_window(child, quick_checks):
    """3 CPU-seconds of work, twice the stall window: not stuck."""
    worker = child(BUSY.format(seconds=3) + "import pathlib\n"
                   "pathlib.Path('result.json').write_text('{}')\n")
    assert worker.wait_for("result.json").read_text() == "{}"
    # the last reading may precede its last 0.1 s of work
    assert worker.cpu_seconds() >= 2.5


def test_cpu_time_counts_the_childs_own_children(child, quick_checks,
                                                 monkeypatch):
    """A child that waits on a script (as the course children do) is not
    stuck while the script works, and the script's time is counted."""
    # Two interpreters must start before the script works: in a full suite
    # on 2 cores they once used 0.05 CPU-seconds in the quick 1.5 s window
    # (a clean-clone run of the README's test command) and were stopped as
    # stuck. A longer window; the check below is the same.
    monkeypatch.setattr(background, "STALL_SECONDS", 6)
    parent = child(
        "import pathlib, subprocess, sys, time\n"
        f"subprocess.run([sys.executable, '-c', {BUSY.format(seconds=3)!r}])\n"
        "pathlib.Path('ran.txt').write_text('')\n"
        "time.sleep(60)\n")
    parent.wait_for("ran.txt")
    # Read while the child lives: its reaped script is in its children's
    # times (counting the child alone gives about 0.05 s).
    assert parent.cpu_seconds() >= 2.9


def test_a_child_that_ends_without_the_file_is_reported(child):
    quitter = child("import sys; print('no result'); sys.exit(3)")
    with pytest.raises(pytest.fail.Exception,
                       match=r"stopped \(exit 3\) without writing "
                             r"result.json:\nno result"):
        quitter.wait_for("result.json")



COUNTING = ("import pathlib, sys\n"
            "with open(sys.argv[1], 'a') as runs: runs.write('ran\\n')\n"
            "pathlib.Path('result.json').write_text('{}')\n")


def test_a_child_asked_for_by_two_workers_runs_once(tmp_path, monkeypatch):
    """pytest-xdist workers each ask for the run's children: the first starts
    one, the others attach to it and read the same files."""
    monkeypatch.setenv(background.SESSION_VARIABLE, str(tmp_path))
    runs = tmp_path / "runs.txt"
    first, second = background.Children(), background.Children()
    argv = ["-c", COUNTING, runs]
    started = first.start("shared child", argv)
    attached = second.start("shared child", lambda directory: pytest.fail(
        "a second worker computed the child's arguments"))
    try:
        assert attached.wait_for("result.json") == started.wait_for("result.json")
        assert attached.wait() == 0
        assert runs.read_text() == "ran\n"
        assert [child.name for child in background.session_children()] == ["shared child"]
    finally:
        started.stop()


def test_the_run_that_made_the_directory_stops_its_children(monkeypatch):
    monkeypatch.delenv(background.SESSION_VARIABLE, raising=False)
    monkeypatch.setattr(background, "_SESSION", {})  # this run's own stays as it is
    directory = background.begin_session()
    sleeper = background.Children().start("sleeper", ["-c", "import time; time.sleep(60)"])
    sleeper.pid()
    assert sleeper.running()
    background.end_session()
    assert not sleeper.running()
    assert not directory.exists()
    assert background.SESSION_VARIABLE not in os.environ


def test_a_worker_leaves_the_children_to_the_run(tmp_path, monkeypatch):
    """A session directory made by another process (xdist's controller) is
    not this process's to stop."""
    monkeypatch.setenv(background.SESSION_VARIABLE, str(tmp_path))
    monkeypatch.setattr(background, "_SESSION", {})  # as in a worker: the run's is not its own
    assert background.begin_session() == tmp_path
    sleeper = background.Children().start("sleeper", ["-c", "import time; time.sleep(60)"])
    try:
        background.end_session()
        assert sleeper.running() and tmp_path.exists()
    finally:
        sleeper.stop()


def test_the_exit_record_counts_the_whole_tree(child):
    parent = child(
        "import subprocess, sys\n"
        f"subprocess.run([sys.executable, '-c', {BUSY.format(seconds=1)!r}])\n")
    assert parent.wait() == 0
    record = parent.exit_record()
    assert record["status"] == 0
    assert record["cpu_seconds"] >= 0.9 and parent.cpu_seconds() == record["cpu_seconds"]
    assert record["seconds"] >= record["cpu_seconds"] - 0.1


STAMP = ("import pathlib, sys, time\n"
         "pathlib.Path(sys.argv[1]).write_text(str(time.time()))\n"
         "time.sleep(float(sys.argv[2]))\n")


@pytest.fixture
def one_slot(tmp_path, monkeypatch):
    """(a run's `Children` with one slot for children, a folder for stamps)."""
    session, stamps = tmp_path / "session", tmp_path / "stamps"
    session.mkdir(), stamps.mkdir()
    monkeypatch.setenv(background.SESSION_VARIABLE, str(session))
    monkeypatch.setenv(background.SLOTS_VARIABLE, "1")
    return background.Children(), stamps


def test_children_queue_for_the_slots_dearest_first(one_slot):
    children, stamps = one_slot
    cheap = children.start("cheap", ["-c", STAMP, stamps / "cheap", 0], cost=1)
    dear = children.start("dear", ["-c", STAMP, stamps / "dear", 1.5], cost=50)
    try:
        while not (dear.directory / background.STARTED_FILE).exists():
            time.sleep(0.05)  # its turn, not a waiting test's lent core (below)
        assert (dear.directory / background.STARTED_FILE).read_text() == "0"  # slot 0
        assert dear.wait() == 0 and cheap.wait() == 0
        # the dearer ran first, and the cheaper only once its slot was free
        assert float((stamps / "cheap").read_text()) >= float((stamps / "dear").read_text()) + 1.4
        assert cheap.exit_record()["queued_seconds"] >= 1.4
    finally:
        cheap.stop(), dear.stop()


def test_a_child_a_test_waits_for_starts_at_once(one_slot):
    """The waiting process idles, so its core is lent to the child."""
    children, stamps = one_slot
    busy = children.start("busy", ["-c", STAMP, stamps / "busy", 60], cost=50)
    wanted = children.start("wanted", ["-c", STAMP, stamps / "wanted", 0], cost=1)
    try:
        started = time.monotonic()
        assert wanted.wait() == 0
        assert time.monotonic() - started < 20
        assert busy.running()
    finally:
        busy.stop(), wanted.stop()


def test_attaching_waits_for_the_name_the_starter_writes(tmp_path):
    """A second xdist worker may find a child's folder before its starter has
    written the child's name into it."""
    import threading

    folder = tmp_path / "child"
    folder.mkdir()
    threading.Timer(0.3, lambda: background.write_file(folder / background.NAME_FILE,
                                                       "late")).start()
    assert background.Child.attach(folder).name == "late"
    with pytest.raises(RuntimeError, match="has no child.name"):
        background.Child.attach(tmp_path, timeout=0.2)

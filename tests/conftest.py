"""Shared fixtures and the hypothesis profiles. TensorFlow's C++ log noise is
silenced before it loads.

Hypothesis: tests that build a TensorFlow graph per example take their number
of examples from the profile, ``HYPOTHESIS_PROFILE=default`` (what a test run
can afford; every run draws new examples) or ``thorough`` (many more, for a
change to the cells or before a release); cheap tests set their own. What
every run must see is pinned instead: ``@example`` cases, and the fixed
configurations of tests/compat/fresh_process.py.
"""

import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# As `labs` sets it (labs/__init__.py), before a compat test starts TensorFlow
# in this process ahead of the first lab; the suite's children inherit it.
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from tests import background, cost  # noqa: E402

for _profile, _examples in (("default", 6), ("thorough", 200)):
    settings.register_profile(
        _profile, max_examples=_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def graph():
    """A fresh ``tf.Graph`` installed as the default graph for the test."""
    import tensorflow as tf

    fresh = tf.Graph()
    with fresh.as_default():
        yield fresh


def test_processes():
    """How many processes run tests: ``$LAB12_TEST_PROCESSES`` if set, else
    this machine's cores shared among the envs of an enclosing ``tox p``
    (``-p N``; tox's default, ``auto``, runs as many envs as there are
    cores), so that parallel envs and their workers do not oversubscribe it.
    The background children come on top, in every case."""
    value = os.environ.get("LAB12_TEST_PROCESSES", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise pytest.UsageError(
                f"LAB12_TEST_PROCESSES must be a whole number of at least 1, got {value!r}")
        return int(value)
    cores = len(os.sched_getaffinity(0))
    return max(1, cores // parallel_tox_envs(cores))


def parallel_tox_envs(cores, ancestors=None):
    """How many envs an enclosing ``tox p`` / ``tox run-parallel`` runs at
    once (1 under plain ``tox`` or no tox), read from the command lines of
    this process's ancestors (`ancestors`: those command lines, nearest
    first; default, read with psutil)."""
    if ancestors is None:
        import psutil

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


def _is_worker(config):
    return hasattr(config, "workerinput")


def pytest_configure(config):
    if not _is_worker(config):  # plain pytest, or xdist's controller
        background.begin_session()


def pytest_sessionstart(session):
    cost.session_started()


def pytest_runtest_logreport(report):
    cost.test_reported(report)


def pytest_sessionfinish(session):
    if not cost.wanted():
        return
    if _is_worker(session.config):
        cost.worker_finished(session.config.workerinput["workerid"])
    else:
        cost.write(getattr(session.config.option, "numprocesses", None) or 1)


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: the processes `test_processes` gives (0: no xdist)."""
    processes = test_processes()
    return 0 if processes == 1 else processes


def pytest_unconfigure(config):
    background.end_session()  # only where begin_session made the directory


def pytest_terminal_summary(terminalreporter):
    background.summary(terminalreporter)

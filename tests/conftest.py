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
import sys

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


def _shared_runs():
    """tests/lab_runs.py, imported only where a test reads a lab run: it
    imports `labs`, which the oracle env on TF 2.15's Keras 2 cannot."""
    from tests import lab_runs

    return lab_runs


@pytest.fixture(scope="session")
def lab_runs():
    """`lab_runs(lab_id, impl, dtype, **run_lab_options)`: the run's shared
    lab runs (tests/lab_runs.py)."""
    return _shared_runs().lab_runs()


@pytest.fixture(scope="session")
def short_runs():
    """The worker making the short runs under another hash seed
    (tests/lab_runs.py)."""
    return _shared_runs().short_runs()


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
    cores), so that parallel envs and their workers do not oversubscribe it
    (`background.shared_cores`). The background children queue for the
    same cores (tests/background.py)."""
    value = os.environ.get("LAB12_TEST_PROCESSES", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise pytest.UsageError(
                f"LAB12_TEST_PROCESSES must be a whole number of at least 1, got {value!r}")
        return int(value)
    return background.shared_cores()


def _is_worker(config):
    return hasattr(config, "workerinput")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "reads_runs(function): function(**params) names the shared lab runs "
                   "the test reads (tests/lab_runs.py)")
    config.addinivalue_line(
        "markers", "notebook_kernels: executes notebooks in Jupyter kernels (what tox.ini's "
                   "older TensorFlow envs deselect, and why)")
    if not _is_worker(config):  # plain pytest, or xdist's controller
        background.begin_session()


# The fixtures that read a background child or a shared lab run.
READS_A_CHILD = {"lab_runs", "short_runs", "fresh_process", "notebook_child", "course_child",
                 "course_notebook_child", "tutorial_child", "keras_scripts_child",
                 "keras_notebooks_child"}


def pytest_collection_modifyitems(items):
    """Tests that wait for a child run after all others (a stable sort, the
    one place the suite orders its tests), so the children work while the
    others run, on every xdist worker."""
    items.sort(key=lambda item: bool(READS_A_CHILD & set(getattr(item, "fixturenames", ()))))


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    if any({"lab_runs", "short_runs"} & set(getattr(item, "fixturenames", ()))
           for item in session.items):
        _shared_runs().start_workers(session.items)


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
    if "tests.lab_runs" in sys.modules:
        _shared_runs().forget()
    background.end_session()  # only where begin_session made the directory


def pytest_terminal_summary(terminalreporter):
    if "tests.lab_runs" in sys.modules:
        _shared_runs().summary(terminalreporter)
    background.summary(terminalreporter)

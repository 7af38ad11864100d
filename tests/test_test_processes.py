"""How many processes run tests (tests/conftest.py) and children (tests/background.py),
so that ``tox p`` envs, their pytest-xdist workers and children share the machine's cores."""

import pytest

from tests import background, conftest

PYTEST = ["/env/bin/python", "/env/bin/pytest", "-n", "auto"]
TOX = ["/venv/bin/python", "/venv/bin/tox"]


@pytest.mark.parametrize("tox, envs", [
    (None, 1),
    (TOX + ["-e", "tf221,legacy"], 1),
    (TOX + ["p", "-p", "2"], 2),
    (TOX + ["run-parallel", "--parallel", "3"], 3),
    (TOX + ["p", "--parallel=4"], 4),
    (TOX + ["p"], 8),  # tox's default, auto: one env per core
    (TOX + ["p", "-p", "all"], 8),
    (["python", "-m", "tox", "p", "-p", "2"], 2),
])
def test_parallel_tox_envs_are_read_from_the_enclosing_tox(tox, envs):
    ancestors = [PYTEST, ["/bin/sh", "-c", "pytest"]] + ([tox] if tox else []) + [["bash"]]
    assert background.parallel_tox_envs(8, ancestors) == envs


@pytest.mark.parametrize("setting, processes", [("3", 3), ("1", 1)])
def test_the_variable_sets_the_processes(monkeypatch, setting, processes):
    monkeypatch.setenv("LAB12_TEST_PROCESSES", setting)
    assert conftest.test_processes() == processes


@pytest.mark.parametrize("setting", ["0", "two", "-1"])
def test_a_bad_variable_is_named(monkeypatch, setting):
    monkeypatch.setenv("LAB12_TEST_PROCESSES", setting)
    with pytest.raises(pytest.UsageError, match="LAB12_TEST_PROCESSES"):
        conftest.test_processes()


def test_cores_are_shared_among_parallel_envs(monkeypatch):
    monkeypatch.delenv("LAB12_TEST_PROCESSES", raising=False)
    monkeypatch.setattr(background.os, "sched_getaffinity", lambda pid: set(range(4)))
    monkeypatch.setattr(background, "parallel_tox_envs", lambda cores, ancestors=None: 2)
    assert conftest.test_processes() == 2
    assert background.child_slots() == 2
    monkeypatch.setattr(background, "parallel_tox_envs", lambda cores, ancestors=None: cores)
    assert conftest.test_processes() == 1
    assert background.child_slots() == 1
    monkeypatch.setenv(background.SLOTS_VARIABLE, "3")
    assert background.child_slots() == 3
    monkeypatch.setenv(background.SLOTS_VARIABLE, "none")
    with pytest.raises(ValueError, match=background.SLOTS_VARIABLE):
        background.child_slots()

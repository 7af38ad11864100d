"""The notebook child of test_notebooks.py (tests/background.py).

Right after collection, if selected tests read it, one child interpreter
(`run_notebooks.py`) executes the selected labs' notebooks, each in a fresh
kernel, while the other tests run; then it makes the `run_lab` runs their
printed losses are compared with.

Which labs: `$LAB12_NOTEBOOKS`, "all" or lab ids separated by commas;
unset, `SHORTEST`: the two whose notebooks cost least (kernel CPU seconds on
TF 2.21, a loaded machine: 12-1y 15.6, 12-1 17.2, 12-2 17.3, 12-0 19.3,
12-3 21.9, 12-5 26.6, 12-4 48.6) and 12-0, the one section lab, so both
kinds of notebook run in every env. tox.ini sets "all" for the TensorFlow
2.21 env, the one the committed notebooks are executed on.
"""

import os

import pytest

from labs.harness import registry
from tests.background import Children

SHORTEST = ("12-0", "12-1", "12-1y")
CHILD_ENVIRONMENT = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}

_CHILDREN = Children()


def selected_labs():
    """The labs whose notebooks this run executes (see the module)."""
    value = os.environ.get("LAB12_NOTEBOOKS", "").strip()
    if not value:
        return SHORTEST
    if value == "all":
        return registry.lab_ids()
    lab_ids = tuple(part.strip() for part in value.split(",") if part.strip())
    for lab_id in lab_ids:
        try:
            registry.get(lab_id)
        except ValueError as error:
            raise pytest.UsageError(f"LAB12_NOTEBOOKS: {error}") from None
    return lab_ids


def start_child():
    return _CHILDREN.start(
        "notebook child (tests/lesson/run_notebooks.py)",
        lambda directory: ["-m", "tests.lesson.run_notebooks", directory,
                           *selected_labs()],
        CHILD_ENVIRONMENT)


@pytest.fixture(scope="session")
def notebook_child():
    """The child; its files are named by tests.lesson.run_notebooks."""
    return start_child()


def _reads_child(item):
    return "notebook_child" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items):
    items.sort(key=_reads_child)  # stable: every other test keeps its place


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    if any(_reads_child(item) for item in session.items):
        start_child()


def pytest_unconfigure(config):
    _CHILDREN.forget()

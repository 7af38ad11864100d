"""The notebook children of test_notebooks.py (tests/background.py).

Right after collection, if selected tests read them, `CHILDREN` child
interpreters (`run_notebooks.py`) side by side execute the selected labs'
notebooks (and one broken notebook), each in a fresh kernel, while the
other tests run: the labs are dealt out by expected cost, so that the
children end at about the same time. The printed losses are compared with
the suite's shared runs (tests/lab_runs.py).

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
from tests.lesson import run_notebooks

SHORTEST = ("12-0", "12-1", "12-1y")
CHILD_ENVIRONMENT = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}

_CHILDREN = Children()
_STARTED = {}


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


CHILDREN = 2
KERNEL_SECONDS = 5  # a fresh kernel's start, TensorFlow's import most of it


def notebook_cost(lab_id):
    """A notebook's expected CPU seconds: a kernel's start and its lab's four
    runs (`labs.harness.pool.expected_cost`, about a millisecond a unit)."""
    from labs.harness.pool import Job, expected_cost

    if lab_id == run_notebooks.BROKEN:
        return 1
    return KERNEL_SECONDS + 4 * expected_cost(Job(lab_id, "v1", "float32")) / 1000


def groups():
    """The selected labs and the broken notebook, dealt out to `CHILDREN`
    groups of about equal cost (the dearest first, to the cheapest group)."""
    dealt = [[] for _ in range(CHILDREN)]
    totals = [0.0] * CHILDREN
    for lab_id in sorted([*selected_labs(), run_notebooks.BROKEN], key=notebook_cost,
                         reverse=True):
        cheapest = totals.index(min(totals))
        dealt[cheapest].append(lab_id)
        totals[cheapest] += notebook_cost(lab_id)
    return [group for group in dealt if group]


class NotebookChildren:
    """The children, and which one executes which notebook."""

    def __init__(self):
        self._children = {}
        dealt = groups()
        for number, group in enumerate(dealt, 1):
            child = _CHILDREN.start(
                f"notebook child {number} of {len(dealt)} (tests/lesson/run_notebooks.py)",
                lambda directory, group=group: ["-m", "tests.lesson.run_notebooks", directory,
                                                *group],
                CHILD_ENVIRONMENT, cost=sum(map(notebook_cost, group)))
            self._children.update(dict.fromkeys(group, child))

    def child_of(self, lab_id):
        """The child executing the notebook of `lab_id` (or `BROKEN`)."""
        return self._children[lab_id]


def start_child():
    if "children" not in _STARTED:
        _STARTED["children"] = NotebookChildren()
    return _STARTED["children"]


@pytest.fixture(scope="session")
def notebook_child():
    """`NotebookChildren`: `notebook_child.child_of(lab_id)` executes the notebook
    of `lab_id`; its files are named by tests.lesson.run_notebooks."""
    return start_child()


def _reads_child(item):
    return "notebook_child" in getattr(item, "fixturenames", ())


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    if any(_reads_child(item) for item in session.items):
        start_child()


def pytest_unconfigure(config):
    _CHILDREN.forget()
    _STARTED.clear()

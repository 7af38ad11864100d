"""Helpers for the migrator's tests: migrate a snippet, call the CLI in-process.

And the two children of test_course_runs.py (tests/background.py): right
after collection, if selected tests read them, the course folder (the four
lab scripts, a synthetic stock CSV, the rnn_basics notebook) is written into
each child's own folder and

* the course child (``run_course.py``) migrates it with the CLI and runs
  every migrated script, and the reverted variants, in one interpreter;
* the course notebook child runs ``python -m labs migrate rnn_basics.ipynb --run``,
  which executes the migrated notebook with nbclient.

* the tutorial child (``run_tutorials.py``) migrates the TF1 tutorial-style
  scripts (fixtures/tutorials, with a small ``MNIST_data/``) and runs them;

* the two Keras children (``run_keras.py``) migrate the course's Keras
  material (``keras_course.py``: tf.keras ports, standalone Keras 2 scripts,
  seed 002), one as scripts, the other as notebooks, and run them on TF2
  behaviour.

They work while the other tests do; the tests reading them run last.
PYTHONHASHSEED is fixed for the children, since the labs' ``list(set(...))``
vocabularies depend on it.
"""

import os
import pathlib
import shutil

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from tests.background import Children  # noqa: E402
from tests.migrate import run_course, run_tutorials  # noqa: E402

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
CHILD_ENVIRONMENT = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}

_CHILDREN = Children()


def migrate_text(text):
    """Migrate Python source text; returns the ``Migrated`` with ``text`` set to the new source."""
    from labs.migrate import script

    migrated = script.migrate(text.encode("utf-8"))
    migrated.text = migrated.data.decode("utf-8")
    return migrated


def blocking(migrated):
    return [finding for finding in migrated.findings if finding.blocking]


def advice(migrated):
    return [finding for finding in migrated.findings if not finding.blocking]


@pytest.fixture
def cli(capfd):
    """``cli(*argv)`` runs ``python -m labs migrate`` in-process: (status, stdout, stderr).

    Captured at the file-descriptor level, so the output of ``--run`` children counts.
    """
    from labs.migrate.cli import main

    def invoke(*argv):
        status = main([str(arg) for arg in argv])
        captured = capfd.readouterr()
        return status, captured.out, captured.err

    return invoke


def write_stock_csv(path, days=60, seed=0):
    """Daily Open, High, Low, Volume, Close as a random walk; newest first, two comment lines."""
    rng = np.random.default_rng(seed)
    close = 800 + np.cumsum(rng.normal(0, 5, days))
    opening = close + rng.normal(0, 2, days)
    high = np.maximum(opening, close) + np.abs(rng.normal(0, 2, days))
    low = np.minimum(opening, close) - np.abs(rng.normal(0, 2, days))
    volume = rng.integers(1_000_000, 2_000_000, days)
    rows = [f"{o:.6f},{h:.6f},{lo:.6f},{v},{c:.6f}" for o, h, lo, v, c in zip(opening, high, low, volume, close)]
    path.write_text("# synthetic daily prices\n# Open,High,Low,Volume,Close\n" + "\n".join(rows[::-1]) + "\n")


def course_folder(parent):
    """The course as its users had it, written into ``parent / "course"``."""
    import nbformat

    from tests.migrate import course_notebook

    folder = pathlib.Path(parent) / "course"
    folder.mkdir()
    for name in run_course.COURSE_SCRIPTS:
        shutil.copy(FIXTURES / f"{name}.py", folder)
    write_stock_csv(folder / "data-02-stock_daily.csv")
    nbformat.write(course_notebook.build(), folder / run_course.NOTEBOOK)
    return folder


def tutorial_folder(parent):
    """The TF1 tutorial-style scripts with an ``MNIST_data/`` folder, in ``parent / "tutorials"``."""
    from tests.mnist_idx import tiny_mnist

    folder = pathlib.Path(parent) / "tutorials"
    folder.mkdir()
    for name in run_tutorials.SCRIPTS:
        shutil.copy(FIXTURES / "tutorials" / f"{name}.py", folder)
    tiny_mnist(folder / "MNIST_data")
    return folder


def keras_course_folder(parent, suffix):
    """The course's Keras material as scripts (``suffix`` ".py") or notebooks
    (".ipynb"), written into ``parent / "keras-course"``."""
    from tests.migrate import keras_course

    folder = pathlib.Path(parent) / "keras-course"
    folder.mkdir()
    return keras_course.write(folder, write_stock_csv, (suffix,))


# Each child gets its own copy of the course inside its own folder, which
# lives until the run ends (tests/background.py), whichever pytest-xdist
# worker started it.
def keras_scripts_argv(directory):
    return ["-m", "tests.migrate.run_keras", "scripts", keras_course_folder(directory, ".py"), directory]


def keras_notebooks_argv(directory):
    return ["-m", "tests.migrate.run_keras", "notebooks", keras_course_folder(directory, ".ipynb"),
            directory]


def course_argv(directory):
    return ["-m", "tests.migrate.run_course", course_folder(directory), directory]


def tutorials_argv(directory):
    return ["-m", "tests.migrate.run_tutorials", tutorial_folder(directory), directory]


def notebook_argv(directory):
    notebook = run_course.NOTEBOOK
    return ["-m", "labs", "migrate", course_folder(directory) / notebook, "-o", directory / notebook,
            "--run", "--timeout", 600, "--allow-partial"]


# The fixture a test reading a child asks for -> the child's name, arguments,
# and CPU seconds on TF 2.21 (docs/suite-cost.md), for the children's queue.
CHILDREN = {
    "course_child": ("course child (tests/migrate/run_course.py)", course_argv, 9),
    "tutorial_child": ("tutorial child (tests/migrate/run_tutorials.py)", tutorials_argv, 25),
    "course_notebook_child": (f"notebook child (python -m labs migrate {run_course.NOTEBOOK} --run)",
                              notebook_argv, 10),
    "keras_scripts_child": ("Keras scripts child (tests/migrate/run_keras.py scripts)",
                            keras_scripts_argv, 60),
    "keras_notebooks_child": ("Keras notebooks child (tests/migrate/run_keras.py notebooks)",
                              keras_notebooks_argv, 35),
}


def start_child(fixture):
    """The child read through ``fixture``, started unless it already runs."""
    name, argv, cost = CHILDREN[fixture]
    return _CHILDREN.start(name, argv, CHILD_ENVIRONMENT, cost=cost)


@pytest.fixture(scope="session")
def course_child():
    """The course child; its result is ``course_child.wait_for(run_course.RESULT)``."""
    return start_child("course_child")


@pytest.fixture(scope="session")
def tutorial_child():
    """The tutorial child; its result is ``tutorial_child.wait_for(run_tutorials.RESULT)``."""
    return start_child("tutorial_child")


@pytest.fixture(scope="session")
def keras_scripts_child():
    """The Keras child running the scripts; its result is ``.wait_for(run_keras.RESULT)``."""
    return start_child("keras_scripts_child")


@pytest.fixture(scope="session")
def keras_notebooks_child():
    """The Keras child running the notebooks; its result is ``.wait_for(run_keras.RESULT)``."""
    return start_child("keras_notebooks_child")


@pytest.fixture(scope="session")
def course_notebook_child():
    """The notebook child; once it has ended, the executed notebook is ``directory / run_course.NOTEBOOK``."""
    return start_child("course_notebook_child")


def reads_children(item):
    return [fixture for fixture in CHILDREN if fixture in getattr(item, "fixturenames", ())]


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    read = {fixture for item in session.items for fixture in reads_children(item)}
    for fixture in CHILDREN:  # the longer course child first
        if fixture in read:
            start_child(fixture)


def pytest_unconfigure(config):
    _CHILDREN.forget()

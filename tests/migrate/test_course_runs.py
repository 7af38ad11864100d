"""The course, migrated, runs on today's TensorFlow and learns.

The four lab scripts (tests/migrate/fixtures) and the rnn_basics notebook are
migrated with the CLI in two child interpreters that conftest.py starts right
after collection. The course child (``run_course.py``: one TensorFlow import
for all) migrates the folder and runs the scripts; the notebook child runs
``python -m labs migrate rnn_basics.ipynb --run``, which executes it with
nbclient. These tests read what the children left.

Teeth: the migrated long-char lab and the notebook's MultiRNNCell section are
also run with ``[cell] * n`` put back. The first then trains one shared set of
LSTM weights instead of two; the second fails to build (layer 0 sees depth 3,
the others depth 5). So the rewrite is what restores what the authors ran.
"""

import difflib
import json
import re

import nbformat
import pytest

from tests.migrate import course_notebook, run_course

SENTENCE = (
    "if you want to build a ship, don't drum up people together to "
    "collect wood and don't assign them tasks and work, but rather "
    "teach them to long for the endless immensity of the sea."
)


@pytest.fixture(scope="module")
def course(course_child):
    result = json.loads(course_child.wait_for(run_course.RESULT).read_text())
    migration = result["migration"]
    assert migration["status"] == 0, migration["stdout"] + migration["stderr"]
    assert course_child.wait() == 0, course_child.log()[-3000:]
    return {
        "report": migration["stdout"],
        "runs": result["scripts"],
        "contract": result["contract"],
        "reverted": result["reverted"],
    }


def losses(stdout, pattern):
    return [float(match) for match in re.findall(pattern, stdout, flags=re.MULTILINE)]


def assert_learns(values, iterations):
    assert len(values) == iterations
    assert values[-1] < values[0] / 4, f"loss went from {values[0]} to {values[-1]}"
    assert min(values[-5:]) < min(values[:5])


def test_the_course_migrates_completely(course):
    assert "5 file(s): 5 migrated" in course["report"]
    assert "0 construct(s) not converted" in course["report"]


def test_the_migrator_tables_agree_with_the_drop_in(course):
    assert course["contract"] == []


def test_hello_rnn_learns_ihello(course):
    run = course["runs"]["hello_rnn"]
    assert run["error"] is None
    assert_learns(losses(run["stdout"], r"^\d+ loss: (\S+)"), 50)
    assert run["stdout"].rstrip().endswith("Prediction str:  ihello")


def test_char_seq_rnn_learns_the_sample(course):
    run = course["runs"]["char_seq_rnn"]
    assert run["error"] is None
    assert_learns(losses(run["stdout"], r"^\d+ loss: (\S+) Prediction"), 50)
    assert run["stdout"].rstrip().endswith("Prediction: if you want you")


def test_long_char_learns_with_two_layers_of_its_own(course):
    run = course["runs"]["rnn_long_char"]
    assert run["error"] is None
    assert_learns(losses(run["stdout"], r"^\d+ 0 .* (\S+)$"), 40)
    spelled = run["stdout"].rstrip().splitlines()[-1]
    assert difflib.SequenceMatcher(None, spelled[1:], SENTENCE[2:]).ratio() > 0.9, spelled
    kernels = [name for name in run["variables"] if name.endswith("basic_lstm_cell/kernel:0")]
    assert sorted(kernels) == [
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0",
    ]


def test_stock_prediction_learns_from_the_csv(course):
    run = course["runs"]["rnn_stock_prediction"]
    assert run["error"] is None
    assert_learns(losses(run["stdout"], r"^\[step: \d+\] loss: (\S+)"), 60)
    [rmse] = losses(run["stdout"], r"^RMSE: (\S+)")
    assert 0 < rmse < 1  # on min-max scaled prices


def test_teeth_repeated_cells_share_weights_or_fail(course):
    assert course["reverted"] == {"long_char": True, "notebook": True}
    shared = course["runs"]["long_char_shared"]
    assert shared["error"] is None
    assert [n for n in shared["variables"] if n.endswith("kernel:0") and "lstm" in n] == [
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0"
    ]
    assert course["runs"]["notebook_fresh"]["error"] is None
    failed = course["runs"]["notebook_shared"]["error"]
    assert failed is not None and failed.startswith("ValueError"), failed


@pytest.mark.notebook_kernels
def test_notebook_runs_end_to_end_with_nbclient_and_gets_fresh_outputs(course_notebook_child):
    status = course_notebook_child.wait()
    out = course_notebook_child.log()  # the CLI's stdout and stderr
    assert status == 0, out
    assert "run succeeded" in out

    executed = nbformat.read(course_notebook_child.directory / run_course.NOTEBOOK, as_version=4)
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for cell in code for o in cell.outputs)
    assert course_notebook.STALE_OUTPUT.text not in text
    _, multi = course_notebook.section(executed, "MultiRNNCell")
    assert "shape=(3, 5, 5)" in "".join(o.get("text", "") for o in multi.outputs)
    assert "Loss1: " in text and "Loss4: " in text

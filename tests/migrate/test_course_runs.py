"""The course, migrated, runs on today's TensorFlow and learns.

The four lab scripts (tests/migrate/fixtures) and the rnn_basics notebook are
migrated with the CLI into a temporary folder. The scripts run in one child
interpreter (``run_course.py``: one TensorFlow import for all), the notebook
with nbclient through ``--run``. PYTHONHASHSEED is fixed for the children,
since the labs' ``list(set(...))`` vocabularies depend on it.

Teeth: the migrated long-char lab and the notebook's MultiRNNCell section are
also run with ``[cell] * n`` put back. The first then trains one shared set of
LSTM weights instead of two; the second fails to build (layer 0 sees depth 3,
the others depth 5). So the rewrite is what restores what the authors ran.
"""

import contextlib
import difflib
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from labs.migrate import cli
from tests.migrate import course_notebook
from tests.migrate.conftest import COURSE_SCRIPTS, FIXTURES

ROOT = pathlib.Path(__file__).resolve().parents[2]
SENTENCE = (
    "if you want to build a ship, don't drum up people together to "
    "collect wood and don't assign them tasks and work, but rather "
    "teach them to long for the endless immensity of the sea."
)
LONG_CHAR_FRESH = "[rnn.BasicLSTMCell(hidden_size, state_is_tuple=True) for _ in range(2)]"
NOTEBOOK_FRESH = "[rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]"


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


def call_cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main([str(arg) for arg in argv])
    return status, out.getvalue(), err.getvalue()


def child_environment():
    env = dict(os.environ, PYTHONHASHSEED="0", MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return env


def notebook_as_script(notebook, last_scope):
    """The notebook's code cells up to the ``last_scope`` section, as one script (magics dropped)."""
    number, _ = course_notebook.section(notebook, last_scope)
    sources = [cell.source for cell in notebook.cells[:number] if cell.cell_type == "code"]
    lines = [line for source in sources for line in source.splitlines() if not line.startswith("%")]
    return "\n".join(lines) + "\n"


def revert(text, fresh, repeated):
    """``text`` with the migrator's fresh cells put back to one repeated cell."""
    return text.replace(fresh, repeated)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("course")
    source, migrated, variants = folder / "source", folder / "migrated", folder / "variants"
    source.mkdir()
    variants.mkdir()
    for name in COURSE_SCRIPTS:
        shutil.copy(FIXTURES / f"{name}.py", source)
    write_stock_csv(source / "data-02-stock_daily.csv")
    nbformat.write(course_notebook.build(), source / "rnn_basics.ipynb")

    # --allow-partial: a construct left unconverted must show as a failed run below,
    # not only in the report (test_the_course_migrates_completely checks the report).
    status, out, err = call_cli(source, "-o", migrated, "--allow-partial")
    assert status == 0, out + err

    long_char = (migrated / "rnn_long_char.py").read_text()
    (variants / "long_char_shared.py").write_text(revert(long_char, LONG_CHAR_FRESH, "[cell] * 2"))
    cells = notebook_as_script(nbformat.read(migrated / "rnn_basics.ipynb", as_version=4), "MultiRNNCell")
    (variants / "notebook_fresh.py").write_text(cells)
    (variants / "notebook_shared.py").write_text(revert(cells, NOTEBOOK_FRESH, "[cell] * 3"))

    paths = [migrated / f"{name}.py" for name in COURSE_SCRIPTS]
    paths += [variants / name for name in ("long_char_shared.py", "notebook_fresh.py", "notebook_shared.py")]
    spec = folder / "spec.json"
    spec.write_text(json.dumps({"scripts": [{"path": str(p), "cwd": str(source)} for p in paths]}))
    result = folder / "result.json"
    child = subprocess.run(
        [sys.executable, str(pathlib.Path(__file__).with_name("run_course.py")), str(spec), str(result)],
        env=child_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    results = json.loads(result.read_text())
    runs = dict(zip([p.stem for p in paths], results["scripts"]))
    reverted = {
        "long_char": long_char != (variants / "long_char_shared.py").read_text(),
        "notebook": cells != (variants / "notebook_shared.py").read_text(),
    }
    return {
        "source": source,
        "report": out,
        "runs": runs,
        "contract": results["contract"],
        "reverted": reverted,
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


def test_notebook_runs_end_to_end_with_nbclient_and_gets_fresh_outputs(course, tmp_path):
    target = tmp_path / "rnn_basics.ipynb"
    status, out, err = call_cli(
        course["source"] / "rnn_basics.ipynb", "-o", target, "--run", "--timeout", 600, "--allow-partial"
    )
    assert status == 0, out + err
    assert "run succeeded" in out

    executed = nbformat.read(target, as_version=4)
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for cell in code for o in cell.outputs)
    assert course_notebook.STALE_OUTPUT.text not in text
    _, multi = course_notebook.section(executed, "MultiRNNCell")
    assert "shape=(3, 5, 5)" in "".join(o.get("text", "") for o in multi.outputs)
    assert "Loss1: " in text and "Loss4: " in text

"""The teaching notebooks: current, executed, and printing the harness's numbers.

* The committed notebooks (notebooks/) hold the code cells the generator
  writes now, and were executed on TensorFlow 2.21 without an error.
* The selected labs' notebooks (conftest.py) execute top to bottom in a
  fresh kernel, and the losses they print are `run_lab`'s, bit for bit.
* A failing cell is named by its number and first line.
"""

import json
import re

import nbformat
import numpy as np
import pytest

from labs.harness import registry
from labs.lesson import notebook
from tests.background import REPOSITORY
from tests.lesson import run_notebooks
from tests.labs.worker import run_name
from tests.lesson.conftest import selected_labs

NOTEBOOKS = REPOSITORY / "notebooks"
LOSS_LINE = re.compile(r"^(\d+) loss: (\S+)", re.MULTILINE)
EXECUTED_ON = "TensorFlow 2.21."


def committed(lab_id):
    path = NOTEBOOKS / notebook.filename(lab_id)
    if not path.exists():
        pytest.fail(f"{path.relative_to(REPOSITORY)} is missing: write it "
                    f"with `python -m labs notebook {lab_id} --execute` on "
                    f"TensorFlow 2.21 and commit it.")
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("lab_id", registry.lab_ids())
def test_committed_notebook_is_current(lab_id):
    cells = notebook.code_cells(committed(lab_id))
    expected = notebook.code_cells(notebook.build(lab_id))
    for number, (have, want) in enumerate(zip(cells, expected), 1):
        if have != want:
            now, was = next(((b, a) for a, b in zip(
                have.splitlines() + [""], want.splitlines() + [""])
                if a != b))
            pytest.fail(
                f"notebooks/{notebook.filename(lab_id)} is stale: its code "
                f"cell {number} ({want.splitlines()[0]!r}) has {was!r} where "
                f"the lab's files now give {now!r}. Regenerate it on "
                f"TensorFlow 2.21 with `python -m labs notebook {lab_id} "
                f"--execute` and commit it.")
    assert len(cells) == len(expected), (
        f"notebooks/{notebook.filename(lab_id)} has {len(cells)} code cells, "
        f"the generator writes {len(expected)}: regenerate it with `python -m "
        f"labs notebook {lab_id} --execute` on TensorFlow 2.21.")


def test_no_notebook_without_a_lab():
    expected = {notebook.filename(lab_id) for lab_id in registry.lab_ids()}
    extra = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb")
                   if path.name not in expected)
    assert not extra, f"notebooks/ holds notebooks of no lab: {extra}"


@pytest.mark.parametrize("lab_id", registry.lab_ids())
def test_committed_notebook_was_executed_on_tf_2_21(lab_id):
    cells = [cell for cell in committed(lab_id).cells
             if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in cells), (
        "a code cell was never run: regenerate with --execute")
    errors = [cell.source.splitlines()[0] for cell in cells
              if any(output.output_type == "error" for output in cell.outputs)]
    assert not errors, f"cells that failed: {errors}"
    assert EXECUTED_ON in _text(cells[0]), _text(cells[0])
    machine_paths = [cell.source.splitlines()[0] for cell in cells
                     if str(REPOSITORY) in _text(cell) or
                     "site-packages" in _text(cell)]
    assert not machine_paths, (
        f"outputs naming files of the machine that ran them: {machine_paths}")


def _text(cell):
    """Everything a code cell printed or displayed as text."""
    parts = []
    for output in cell.outputs:
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
        parts.extend(output.get("traceback", []))
    return "".join(parts)


def executed(notebook_child, lab_id):
    """(Execution fields, executed notebook) of `lab_id` from the child."""
    child = notebook_child.child_of(lab_id)
    execution = json.loads(child.wait_for(
        run_notebooks.execution_file(lab_id)).read_text())
    path = child.wait_for(run_notebooks.notebook_file(lab_id))
    return execution, nbformat.read(path, as_version=4)


@pytest.mark.notebook_kernels
@pytest.mark.parametrize("lab_id", selected_labs())
def test_notebook_executes_in_a_fresh_kernel(notebook_child, lab_id):
    execution, _ = executed(notebook_child, lab_id)
    assert execution["ok"], (
        f"the notebook of lab {lab_id} failed in code cell {execution['cell']} "
        f"({execution['first_line']!r}): {execution['error']}")


@pytest.mark.notebook_kernels
def test_a_failing_cell_is_named(notebook_child):
    execution, ran = executed(notebook_child, run_notebooks.BROKEN)
    assert not execution["ok"]
    assert execution["cell"] == 2  # the second code cell, the third cell
    assert execution["first_line"] == run_notebooks.BROKEN_CELL
    assert execution["error"] == "ValueError: broken on purpose"
    assert ran.cells[0].outputs == [] and ran.cells[0].execution_count == 1
    assert ran.cells[3].execution_count is None


def printed_losses(ran, marker):
    """{iteration: printed loss} of the code cell whose source has `marker`."""
    cells = [cell for cell in ran.cells
             if cell.cell_type == "code" and marker in cell.source]
    assert len(cells) == 1, f"{len(cells)} cells contain {marker!r}"
    return {int(i): text for i, text in LOSS_LINE.findall(_text(cells[0]))}


# The cell of each form that trains and prints, found by the call it makes.
TRAINING_CELLS = {"v1": "train_session(session, lab, tf1_recorder)",
                  "v2": "run_training(lab, lab.optimizer, keras_recorder)"}


@pytest.mark.notebook_kernels
@pytest.mark.parametrize("lab_id", [lab_id for lab_id in selected_labs()
                                    if registry.get(lab_id).kind == "training"])
@pytest.mark.parametrize("impl", ("v1", "v2"))
@pytest.mark.reads_runs(lambda lab_id, impl: [run_name(lab_id, impl, "float32")])
def test_printed_losses_are_run_labs(notebook_child, lab_runs, lab_id, impl):
    """Every printed pre-update loss and the final one, parsed back into
    float32, are `run_lab(lab_id, impl, "float32")`'s bits: the run the
    suite shares (tests/lab_runs.py), not one trained again for this."""
    _, ran = executed(notebook_child, lab_id)
    printed = printed_losses(ran, TRAINING_CELLS[impl])
    result = lab_runs(lab_id, impl, "float32")
    recorded = registry.get(lab_id).recorded_iterations()
    assert sorted(printed) == [*recorded, result.iterations]
    for iteration, text in printed.items():
        expected = (result.losses[iteration] if iteration < result.iterations
                    else np.float32(result.metrics["final_loss"]))
        assert np.float32(text).tobytes() == expected.tobytes(), (
            f"lab {lab_id} {impl}, iteration {iteration}: the notebook printed "
            f"{text}, run_lab has {expected!r}")

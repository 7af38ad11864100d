"""The notebook generator: cells cut from the modules that run, and runnable.

Fast checks in this process; the notebooks themselves execute in
test_notebooks.py.
"""

import ast
import importlib
import sys

import numpy as np
import pytest

from labs.harness import registry
from labs.lesson import kernel, notebook, source


def test_module_cell_is_the_file_without_docstring_and_main_block():
    cell = source.module_cell("labs.hello_rnn.v1")
    first, body = cell.split("\n", 1)
    assert first == "%%module labs.hello_rnn.v1"
    ast.parse(body)
    assert '"""Lab 12-1, hello RNN' not in body
    assert "__main__" not in body and "noqa" not in body
    file_text = source.module_source("labs.hello_rnn.v1")
    for line in body.splitlines():
        assert line in file_text.splitlines() or line + "  # noqa: E402" in \
            file_text.splitlines(), line
    assert "def build(" in body and "AdamOptimizer(learning_rate=" in body


@pytest.mark.parametrize("name, expected", [
    ("labs.yeonjee_rnn.v1", ["labs.hello_rnn.v1"]),
    ("labs.yeonjee_rnn.v2", ["labs.hello_rnn.v2"]),
    ("labs.char_seq_softmax_only.data", ["labs.char_seq_rnn.data"]),
    ("labs.hello_rnn.v1", []),
    ("labs.rnn_basics.v2", []),
])
def test_lab_dependencies_are_other_labs_modules(name, expected):
    assert source.lab_dependencies(name) == expected


def test_the_shown_session_loop_trains_as_run_lab_does():
    """The cell of the harness's v1 loop, run on its own, gives run_lab's
    losses bit for bit."""
    from labs.harness import session_loop
    from labs.harness.run import recorder_for, run_lab

    namespace = {}
    exec(source.function_cell([session_loop.build_graph,
                               session_loop.train_session]), namespace)
    recorder = recorder_for("12-1", "float32", iterations=3)
    graph, lab, init_op = namespace["build_graph"](
        registry.get("12-1").module("v1").build, "float32")
    import tensorflow as tf

    with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
        session.run(init_op)
        namespace["train_session"](session, lab, recorder)
    expected = run_lab("12-1", "v1", "float32", iterations=3)
    np.testing.assert_array_equal(recorder.losses, expected.losses)
    assert recorder.final_loss == expected.metrics["final_loss"]


def test_function_cell_imports_what_the_functions_use():
    from labs.harness import keras_loop, tensorflow_steps

    cell = source.function_cell([tensorflow_steps.compiled_train_steps,
                                 tensorflow_steps.train_steps,
                                 keras_loop.run_training])
    header = cell.split("\n\n", 1)[0].splitlines()
    assert header == [
        "import functools", "import keras", "import numpy as np",
        "import tensorflow as tf",
        "from labs.harness import batches",
        "from labs.harness.keras_loop import DEFAULT_STEPS_PER_CALL"]
    namespace = {}
    exec(cell, namespace)
    assert namespace["compiled_train_steps"].__code__.co_code == \
        tensorflow_steps.compiled_train_steps.__code__.co_code


def test_module_cell_runs_as_that_module(monkeypatch):
    """`%%module NAME` replaces NAME for every later import; the harness
    then trains with the cell's hyperparameters."""
    name = "labs.hello_rnn.data"
    package = importlib.import_module("labs.hello_rnn")
    monkeypatch.setitem(sys.modules, name, sys.modules[name])
    monkeypatch.setattr(package, "data", package.data)
    code = source.module_body(name).replace(
        "ITERATIONS = 50", "ITERATIONS = 7")
    namespace = {}
    module = kernel.run_as_module(name, code, namespace)
    assert namespace["data"] is module is sys.modules[name]
    from labs.hello_rnn import data

    assert data is module and data.ITERATIONS == 7
    assert registry.get("12-1").iterations == 7
    with pytest.raises(ValueError, match="dotted module name"):
        kernel.run_as_module("not a name", "", {})


def test_side_by_side_prints_both_forms_and_their_difference(capsys):
    kernel.side_by_side({"outputs": np.array([[1.0, 2.0]])},
                        {"outputs": np.array([[1.0, 2.5]])})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "outputs (1, 2)   max |TF1 - Keras| = 5.0e-01"
    assert lines[1].split() == ["TF1", "Keras", "3"]
    assert lines[2].split() == ["[[1.", "2.]]", "[[1.", "2.5]]"]


def test_side_by_side_summarises_a_large_array_but_compares_all_of_it(capsys):
    tf1 = np.zeros((8, 10, 8))
    keras = tf1.copy()
    keras[4, 5, 4] = 0.25  # a number the summary does not show
    kernel.side_by_side({"deep": tf1}, {"deep": keras})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("deep (8, 10, 8)   max |TF1 - Keras| = 2.5e-01 "
                        "(first and last rows of each axis)")
    assert any("..." in line for line in lines)
    assert len(lines) < 40
    assert not any("0.25" in line for line in lines)


def test_side_by_side_checks_its_arguments():
    with pytest.raises(KeyError, match="keras has no array named state"):
        kernel.side_by_side({"outputs": np.ones(2), "state": np.ones(2)},
                            {"outputs": np.ones(2)})
    with pytest.raises(ValueError, match="precision"):
        kernel.side_by_side({}, {}, precision=-1)


@pytest.mark.parametrize("lab_id", registry.lab_ids())
def test_every_lab_has_a_notebook_with_its_three_files(lab_id):
    built = notebook.build(lab_id)
    package = registry.get(lab_id).package
    firsts = [cell.source.splitlines()[0] for cell in built.cells
              if cell.cell_type == "code"]
    for module in ("data", "v1", "v2"):
        assert f"%%module {package}.{module}" in firsts
    for cell in notebook.code_cells(built):
        ast.parse("\n".join(line for line in cell.splitlines()
                            if not line.startswith("%")))


@pytest.mark.parametrize("lab_id", registry.lab_ids())
def test_only_a_section_labs_model_files_are_folded(lab_id):
    """12-0 and 12-6 quote each section's functions beside its arrays, so
    their whole v1 and v2 files run folded; every other cell stays open."""
    entry = registry.get(lab_id)
    folded = {cell.source.splitlines()[0] for cell in
              notebook.build(lab_id).cells if cell.cell_type == "code"
              and cell.metadata.get("jupyter", {}).get("source_hidden")}
    expected = ({f"%%module {entry.package}.{module}" for module in
                 ("v1", "v2")} if entry.kind == "sections" else set())
    assert folded == expected


def test_cli_writes_notebooks_and_refuses_in_ci(tmp_path, monkeypatch, capsys):
    import nbformat

    from labs.cli import main

    monkeypatch.delenv("CI", raising=False)
    assert main(["notebook", "12-1", "-o", str(tmp_path)]) == 0
    written = nbformat.read(tmp_path / "12-1_hello_rnn.ipynb", as_version=4)
    assert notebook.code_cells(written) == notebook.code_cells(
        notebook.build("12-1"))
    assert main(["notebook", "12-9", "-o", str(tmp_path)]) == 2
    assert "lab_id must be one of" in capsys.readouterr().err
    monkeypatch.setenv("CI", "true")
    assert main(["notebook", "12-1", "-o", str(tmp_path / "ci")]) == 2
    assert "refusing to write notebooks" in capsys.readouterr().err
    assert not (tmp_path / "ci").exists()


def test_describe_loss_is_the_line_that_makes_it():
    import keras

    from labs.harness.keras_loop import describe_loss

    line = describe_loss(keras.losses.MeanSquaredError(reduction="sum"))
    assert line == "keras.losses.MeanSquaredError(reduction='sum')"
    line = describe_loss(keras.losses.SparseCategoricalCrossentropy(
        from_logits=True))
    assert line.startswith("keras.losses.SparseCategoricalCrossentropy(")
    assert "from_logits=True" in line and "name=" not in line

"""``import compat.tf1 as tf``: course scripts run with only their imports changed.

``compat.tf1`` switches the whole process to TF1 behaviour, so what is checked
here runs in the fresh process (``fresh_process.py``: a scratch working
directory, each script in a fresh default graph), and this pytest process
keeps TF2 behaviour for the other tests.

* Course scripts train and print as the labs did: the course's own hello-rnn
  script (the migration tests' fixture) with only ``import tensorflow as tf``
  replaced, and the notebook-style ``tests/scripts/rnn_basics_tf1.py``.
* ``tf.layers.dense``: TF1 names and values, and the genuine layer where it exists.
* Every name of the drop-in's namespaces is compared with the module it
  delegates to, and what compat serves instead is checked.
* Importing the rest of compat leaves TF2 behaviour on.
"""

import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


# -- course-style scripts ----------------------------------------------------


def test_hello_rnn_script_trains_to_ihello(fresh_process):
    stdout = fresh_process["hello_rnn_course_script"]
    losses = [float(value) for value in re.findall(r"^\d+ loss: (\S+)", stdout, re.MULTILINE)]
    predictions = re.findall(r"Prediction str:\s+(\w+)", stdout)
    assert len(losses) == len(predictions) == 50
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.1 * losses[0], (losses[0], losses[-1])
    assert predictions[-1] == "ihello"


def test_rnn_basics_notebook_prints_the_course_shapes(fresh_process):
    stdout = fresh_process["rnn_basics_script"]
    shapes = {
        f"{section} {name}": shape
        for section, name, shape in re.findall(r"^SHAPE (\S+) (\S+) (.*)$", stdout, re.MULTILINE)
    }
    assert shapes == {
        "one_cell outputs": "(1, 1, 2)",
        "two_sequences outputs": "(1, 5, 2)",
        "3_batches outputs": "(3, 5, 2)",
        "3_batches_dynamic_length outputs": "(3, 5, 2)",
        "initial_state outputs": "(3, 5, 2)",
        "generated_data outputs": "(3, 5, 5)",
        "MultiRNNCell outputs": "(3, 5, 5)",
        "dynamic_rnn outputs": "(3, 5, 5)",
        "keras_cells lstm_outputs": "(3, 5, 4)",
        "keras_cells lstm_states": "(2, 3, 4)",  # [h, c]
        "keras_cells gru_outputs": "(3, 5, 3)",
        "keras_cells gru_states": "(3, 3)",
        "bi-directional outputs": "(2, 3, 5, 5)",  # (fw, bw)
        "bi-directional states": "(2, 2, 3, 5)",  # (fw, bw) x LSTMStateTuple
        "softmax outputs": "(3, 5, 5)",
        "sequence_loss loss": "()",
    }
    names = json.loads(re.search(r"^NAMES (.*)$", stdout, re.MULTILINE).group(1))
    assert names == [
        f"one_cell/rnn/while/simple_rnn_cell/{short}:0" for short in ("kernel", "recurrent_kernel", "bias")
    ]
    dynamic = np.array(json.loads(re.search(r"^VALUES 3_batches_dynamic_length (.*)$", stdout,
                                            re.MULTILINE).group(1)))
    for row, length in enumerate([5, 3, 4]):
        assert np.all(dynamic[row, length:] == 0)
        assert np.all(np.any(dynamic[row, :length] != 0, axis=-1))


# -- the namespaces ----------------------------------------------------------

@pytest.fixture
def namespace_facts(fresh_process):
    return fresh_process["namespaces"]


def test_import_switches_to_tf1_behaviour(fresh_process):
    assert fresh_process["import_compat_tf1"] == {
        "executing_eagerly": False, "tf2_enabled": False, "control_flow_v2": False, "resource_variables": False
    }


def test_switch_is_idempotent(fresh_process):
    # Once switched, neither a reload nor a second call switches again.
    after_reload = fresh_process["switch_is_idempotent"]
    assert after_reload["switch_calls_after_reload"] == 0
    assert after_reload["executing_eagerly"] is False
    assert after_reload["nn_is_compat"] is True


@pytest.mark.parametrize("namespace", ["v1", "nn", "layers", "keras", "keras_layers"])
def test_every_other_name_is_delegated(namespace_facts, namespace):
    assert namespace_facts[f"{namespace}_mismatches"] == []


def test_dir_lists_delegated_and_served_names(namespace_facts):
    assert namespace_facts["v1_names_missing_from_dir"] == []
    assert namespace_facts["nn_names_missing_from_dir"] == []
    assert namespace_facts["layers_names_missing_from_dir"] == []
    assert namespace_facts["served_in_dir"] is True
    assert namespace_facts["version"] is True


def test_compat_serves_contrib_rnn_cell_and_keras_cells(namespace_facts):
    assert namespace_facts["contrib"] == [True] * 4
    assert namespace_facts["rnn_cell"] is True
    assert namespace_facts["keras_cells"] == [True] * 3


def test_missing_names_raise_attribute_error_naming_the_module(namespace_facts):
    errors = namespace_facts["errors"]
    assert "compat.tf1" in errors["tf"] and "no_such_name" in errors["tf"]
    assert "compat.tf1.contrib" in errors["contrib"]
    assert "compat.tf1.nn" in errors["nn"]
    assert errors["dunder"] is not None  # never borrowed from TensorFlow's package


def test_interactive_session_eval_and_adam(fresh_process):
    before, after = fresh_process["interactive_session_eval_and_adam"]
    assert before == pytest.approx(22.5)  # mean((3 * [1, 2])^2)
    assert after < before


# -- tf.layers.dense ------------------------------------------------------------

@pytest.fixture
def dense_facts(fresh_process):
    return fresh_process["layers_dense"]


def test_layers_dense_has_tf1_names_and_collections(dense_facts):
    ours = dense_facts["ours"]
    shapes = {name: list(np.shape(value)) for name, value in ours["variables"].items()}
    assert shapes == {
        "dense/kernel:0": [3, 5], "dense/bias:0": [5],
        "out/fc/kernel:0": [3, 2],
        "dense_1/kernel:0": [3, 4], "dense_1/bias:0": [4],
    }
    assert ours["trainable"] == list(ours["variables"])
    assert ours["model_variables"] == []
    assert not np.any(ours["variables"]["dense/bias:0"])
    kernel = np.array(ours["variables"]["dense/kernel:0"])
    assert 0 < np.abs(kernel).max() <= np.sqrt(6.0 / (3 + 5))  # v1 glorot uniform


def test_layers_dense_values(dense_facts):
    ours = dense_facts["ours"]
    x = np.array(ours["x"], np.float64)
    weights = {name: np.array(value, np.float64) for name, value in ours["variables"].items()}
    relu, fc, fc_reused, linear = (np.array(value) for value in ours["outputs"])
    np.testing.assert_allclose(
        relu, np.maximum(x @ weights["dense/kernel:0"] + weights["dense/bias:0"], 0), atol=1e-6)
    np.testing.assert_allclose(fc, x[:, 0] @ weights["out/fc/kernel:0"], atol=1e-6)
    np.testing.assert_array_equal(fc_reused, fc)
    np.testing.assert_allclose(
        linear, x[:, 0] @ weights["dense_1/kernel:0"] + weights["dense_1/bias:0"], atol=1e-6)


def test_layers_dense_equals_genuine(dense_facts):
    if dense_facts["genuine"] is None:
        pytest.skip("tf.compat.v1.layers.dense is not available with Keras 3 (no tf-keras): "
                    "nothing genuine to compare with.")
    assert dense_facts["ours"] == dense_facts["genuine"]


# -- the rest of compat leaves global state alone -------------------------------


def test_importing_the_rest_of_compat_keeps_tf2_behaviour(fresh_process):
    imported = fresh_process["import_compat_without_tf1"]
    assert {"compat", "compat.contrib", "compat.rnn_cell", "compat.keras_legacy_cells"} <= set(imported["modules"])
    assert imported["after"]["executing_eagerly"] is True
    assert imported["after"]["tf2_enabled"] is True

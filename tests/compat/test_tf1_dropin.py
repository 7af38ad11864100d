"""``import compat.tf1 as tf``: course scripts run with only their imports changed.

``compat.tf1`` switches the whole process to TF1 behaviour, so every check
here runs in a fresh interpreter (working directory: a tmp dir), and this
pytest process keeps TF2 behaviour for the other tests.

* The course-style scripts in ``tests/scripts/`` train and print as the labs did.
* ``tf.layers.dense``: TF1 names and values, and the genuine layer where it exists.
* A probe compares every name of the drop-in's namespaces with the module it
  delegates to, and checks what compat serves instead.
* Importing the rest of compat leaves TF2 behaviour on.
"""

import json
import os
import re
import subprocess
import sys
import textwrap

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(REPO_ROOT, "tests", "scripts")


def run_python(args, cwd):
    env = dict(os.environ, PYTHONPATH=REPO_ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    completed = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return completed.stdout


def run_code(code, cwd):
    return run_python(["-c", textwrap.dedent(code)], cwd)


# -- course-style scripts ----------------------------------------------------


def test_hello_rnn_script_trains_to_ihello(tmp_path):
    stdout = run_python([os.path.join(SCRIPTS, "hello_rnn_tf1.py")], tmp_path)
    losses = [float(value) for value in re.findall(r"^\d+ loss: (\S+)", stdout, re.MULTILINE)]
    predictions = re.findall(r"Prediction str:\s+(\w+)", stdout)
    assert len(losses) == len(predictions) == 50
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.1 * losses[0], (losses[0], losses[-1])
    assert predictions[-1] == "ihello"


def test_rnn_basics_notebook_prints_the_course_shapes(tmp_path):
    stdout = run_python([os.path.join(SCRIPTS, "rnn_basics_tf1.py")], tmp_path)
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

NAMESPACE_PROBE = """
    import importlib, json
    import tensorflow as real_tf
    import compat.tf1 as tf
    from compat.tf1.contrib import rnn as contrib_rnn
    import compat.contrib
    import compat.keras_legacy_cells as legacy
    import compat.rnn_cell

    v1 = real_tf.compat.v1
    MISSING = object()

    def lookup(module, name):
        try:
            return getattr(module, name)
        except Exception as error:  # a lazy TF name may fail to load; both must then fail
            return MISSING

    def safe_dir(module):
        try:
            return dir(module)
        except ImportError:  # tf.compat.v1.layers with Keras 3 and no tf-keras
            return []

    def mismatches(proxy, target, served):
        return sorted(
            name for name in safe_dir(target)
            if not name.startswith("__") and name not in served
            and lookup(proxy, name) is not lookup(target, name)
        )

    facts = {
        "executing_eagerly": tf.executing_eagerly(),
        "tf2_enabled": real_tf.__internal__.tf2.enabled(),
        "v1_mismatches": mismatches(tf, v1, {"contrib", "keras", "layers", "nn"}),
        "nn_mismatches": mismatches(tf.nn, v1.nn, {"rnn_cell"}),
        "keras_mismatches": mismatches(tf.keras, real_tf.keras, {"layers"}),
        "layers_mismatches": mismatches(tf.layers, v1.layers, {"dense"}),
        "keras_layers_mismatches": mismatches(
            tf.keras.layers, real_tf.keras.layers, {"SimpleRNNCell", "LSTMCell", "GRUCell"}),
        "v1_names_missing_from_dir": sorted(set(dir(v1)) - set(dir(tf)) - {"__builtins__"}),
        "nn_names_missing_from_dir": sorted(set(dir(v1.nn)) - set(dir(tf.nn))),
        "layers_names_missing_from_dir": sorted(set(dir(real_tf.keras.layers)) - set(dir(tf.keras.layers))),
        "served_in_dir": all(name in dir(tf) for name in ("contrib", "nn", "keras", "layers"))
                         and "rnn_cell" in dir(tf.nn) and "dense" in dir(tf.layers),
        "version": tf.__version__ == real_tf.__version__,
        "contrib": [tf.contrib.rnn is compat.contrib.rnn, tf.contrib.seq2seq is compat.contrib.seq2seq,
                    tf.contrib.layers is compat.contrib.layers, contrib_rnn is compat.contrib.rnn],
        "rnn_cell": tf.nn.rnn_cell is compat.rnn_cell
                    and tf.nn.rnn_cell.LSTMStateTuple is compat.rnn_cell.LSTMStateTuple,
        "keras_cells": [tf.keras.layers.SimpleRNNCell is legacy.SimpleRNNCell,
                        tf.keras.layers.LSTMCell is legacy.LSTMCell,
                        tf.keras.layers.GRUCell is legacy.GRUCell],
    }

    errors = {}
    for label, expression in (("tf", lambda: tf.no_such_name), ("contrib", lambda: tf.contrib.foo),
                              ("nn", lambda: tf.nn.no_such_op), ("dunder", lambda: tf.nn.__path__)):
        try:
            expression()
            errors[label] = None
        except AttributeError as error:
            errors[label] = str(error)
    facts["errors"] = errors

    sess = tf.InteractiveSession()
    p = tf.placeholder(tf.float32, [None])
    w = tf.Variable(3.0)
    loss = tf.reduce_mean(tf.square(p * w))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    sess.run(tf.global_variables_initializer())
    before = loss.eval({p: [1.0, 2.0]})
    train.run({p: [1.0, 2.0]})
    facts["eval_and_adam"] = [float(before), float(loss.eval({p: [1.0, 2.0]}))]
    sess.close()

    calls = []
    v1.disable_v2_behavior = lambda: calls.append(1)
    importlib.reload(tf)
    tf._use_tf1_behaviour()
    facts["switch_calls_after_reload"] = len(calls)
    facts["executing_eagerly_after_reload"] = tf.executing_eagerly()
    facts["nn_after_reload"] = tf.nn.rnn_cell is compat.rnn_cell
    print(json.dumps(facts))
"""


@pytest.fixture(scope="module")
def namespace_facts(tmp_path_factory):
    stdout = run_code(NAMESPACE_PROBE, tmp_path_factory.mktemp("probe"))
    return json.loads(stdout.splitlines()[-1])


def test_import_switches_to_tf1_behaviour(namespace_facts):
    assert namespace_facts["executing_eagerly"] is False
    assert namespace_facts["tf2_enabled"] is False


def test_switch_is_idempotent(namespace_facts):
    # Once switched, neither a reload nor a second call switches again.
    assert namespace_facts["switch_calls_after_reload"] == 0
    assert namespace_facts["executing_eagerly_after_reload"] is False
    assert namespace_facts["nn_after_reload"] is True


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


def test_interactive_session_eval_and_adam(namespace_facts):
    before, after = namespace_facts["eval_and_adam"]
    assert before == pytest.approx(22.5)  # mean((3 * [1, 2])^2)
    assert after < before


# -- tf.layers.dense ------------------------------------------------------------

DENSE_PROBE = """
    import json
    import numpy as np
    import tensorflow as real_tf
    import compat.tf1 as tf

    def build(dense):
        with tf.Graph().as_default():
            tf.set_random_seed(777)
            x = tf.constant(np.linspace(-1, 1, 24, dtype=np.float32).reshape(2, 4, 3))
            outputs = [dense(x, 5, activation=tf.nn.relu)]
            with tf.variable_scope("out"):
                outputs.append(dense(x[:, 0], 2, name="fc", use_bias=False))
                outputs.append(dense(x[:, 0], 2, name="fc", reuse=True, use_bias=False))
            outputs.append(dense(x[:, 0], 4))
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                return {
                    "x": session.run(x).tolist(),
                    "variables": {v.name: session.run(v).tolist() for v in tf.global_variables()},
                    "trainable": [v.name for v in tf.trainable_variables()],
                    "model_variables": [v.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)],
                    "outputs": [session.run(t).tolist() for t in outputs],
                }

    try:
        genuine_dense = real_tf.compat.v1.layers.dense
    except AttributeError:  # Keras 3: "`dense` is not available with Keras 3."
        genuine_dense = None
    print(json.dumps({
        "ours": build(tf.layers.dense),
        "genuine": None if genuine_dense is None else build(genuine_dense),
    }))
"""


@pytest.fixture(scope="module")
def dense_facts(tmp_path_factory):
    stdout = run_code(DENSE_PROBE, tmp_path_factory.mktemp("dense"))
    return json.loads(stdout.splitlines()[-1])


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


def test_importing_the_rest_of_compat_keeps_tf2_behaviour(tmp_path):
    stdout = run_code(
        """
        import tensorflow as tf
        import compat, compat.contrib, compat.rnn_cell, compat.keras_legacy_cells
        compat.contrib.rnn, compat.contrib.seq2seq, compat.contrib.layers
        print(tf.executing_eagerly(), tf.__internal__.tf2.enabled())
        """,
        tmp_path,
    )
    assert stdout.split()[-2:] == ["True", "True"]

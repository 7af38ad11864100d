"""The checks that need an interpreter of their own, all in one child process.

``import compat.tf1`` switches the whole process to TF1 behaviour, and "no
other module of compat changes global state" can only be seen in a process
that has not imported compat yet; pytest's process keeps TF2 behaviour for
every other test. Rather than one interpreter (and one TensorFlow import) per
check, one child runs them all, in an order that keeps each one honest:

1. TF2 behaviour, nothing of compat imported: the global state is read,
   every module of compat but ``compat.tf1`` is imported and the state is read
   again; then what needs TF2 behaviour (eager calls, a plain ``tf.Graph``).
2. ``import compat.tf1``: the switch is read, then everything that needs TF1
   behaviour runs, the course scripts included, each on a fresh global
   default graph and in no graph context, as its own interpreter would run it.
3. Last, as it reloads ``compat.tf1``: the switch is idempotent.

    python -m tests.compat.fresh_process REPORT.json

writes ``{check: {"result": ...} or {"error": traceback}, "seconds": ...}``,
rewritten after every check; ``tests/compat/conftest.py`` starts it right after collection and
each test reads its check from the report.
"""

import contextlib
import importlib
import io
import json
import os
import runpy
import sys
import time
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as real_tf  # noqa: E402
from tensorflow.python.ops import control_flow_util  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELLO_RNN_COURSE_SCRIPT = os.path.join(REPO_ROOT, "tests", "migrate", "fixtures", "hello_rnn.py")
RNN_BASICS_SCRIPT = os.path.join(REPO_ROOT, "tests", "scripts", "rnn_basics_tf1.py")
# Every module of compat but compat.tf1; KERAS3_COMPAT_MODULES import only with Keras 3.
COMPAT_MODULES = [
    "compat", "compat.contrib", "compat.contrib.rnn", "compat.contrib.seq2seq", "compat.contrib.layers",
    "compat.rnn_cell", "compat.seq2seq", "compat.layers", "compat.keras_legacy_cells", "compat.weights",
]
KERAS3_COMPAT_MODULES = ["compat.losses", "compat.optimizers"]

v1 = real_tf.compat.v1


def global_state():
    """What ``disable_v2_behavior`` turns off."""
    return {
        "executing_eagerly": real_tf.executing_eagerly(),
        "tf2_enabled": real_tf.__internal__.tf2.enabled(),
        "control_flow_v2": control_flow_util.ENABLE_CONTROL_FLOW_V2,
        "resource_variables": v1.resource_variables_enabled(),
    }


STATE_BEFORE_COMPAT = global_state()  # taken before anything of compat is imported


# -- 1. TF2 behaviour ------------------------------------------------------------


def import_compat_without_tf1():
    import keras

    modules = COMPAT_MODULES + (KERAS3_COMPAT_MODULES if int(keras.__version__.split(".")[0]) >= 3 else [])
    for name in modules:
        importlib.import_module(name)
    import compat.contrib

    compat.contrib.rnn, compat.contrib.seq2seq, compat.contrib.layers  # noqa: B018 (namespaces resolve)
    return {"modules": modules, "before": STATE_BEFORE_COMPAT, "after": global_state()}


def eager_calls():
    from compat.contrib import rnn

    report = {}
    cell = rnn.BasicLSTMCell(2)
    try:
        cell(real_tf.ones([1, 3]), cell.zero_state(1, real_tf.float32))
        report["eager"] = None
    except Exception as error:
        report["eager"] = [type(error).__name__, str(error)]

    @real_tf.function
    def traced(x):
        traced_cell = rnn.GRUCell(2)
        return traced_cell(x, traced_cell.zero_state(1, real_tf.float32))

    try:
        traced(real_tf.ones([1, 3]))
        report["function"] = None
    except Exception as error:
        report["function"] = [type(error).__name__, str(error)]
    report["cell_built"] = cell.built
    return report


def fixed_rnn_configurations():
    from tests.compat.test_rnn_cells import fixed_configuration_errors

    errors, variable_class = fixed_configuration_errors()
    return {"errors": errors, "variable_class": variable_class, "executing_eagerly": real_tf.executing_eagerly()}


# -- 2. TF1 behaviour, switched on by `import compat.tf1` --------------------------


def import_compat_tf1():
    import compat.tf1  # noqa: F401

    return global_state()


def _lookup(module, name, missing):
    try:
        return getattr(module, name)
    except Exception:  # a lazy TF name may fail to load; both sides must then fail
        return missing


def _safe_dir(module):
    try:
        return dir(module)
    except ImportError:  # tf.compat.v1.layers with Keras 3 and no tf-keras
        return []


def _mismatches(proxy, target, served):
    missing = object()
    return sorted(
        name for name in _safe_dir(target)
        if not name.startswith("__") and name not in served
        and _lookup(proxy, name, missing) is not _lookup(target, name, missing)
    )


def namespaces():
    import compat.contrib
    import compat.keras_legacy_cells as legacy
    import compat.rnn_cell
    import compat.tf1 as tf
    from compat.tf1.contrib import rnn as contrib_rnn

    facts = {
        "v1_mismatches": _mismatches(tf, v1, {"contrib", "keras", "layers", "nn"}),
        "nn_mismatches": _mismatches(tf.nn, v1.nn, {"rnn_cell"}),
        "keras_mismatches": _mismatches(tf.keras, real_tf.keras, {"layers"}),
        "layers_mismatches": _mismatches(tf.layers, v1.layers, {"dense"}),
        "keras_layers_mismatches": _mismatches(
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
    return facts


def interactive_session_eval_and_adam():
    import compat.tf1 as tf

    with tf.Graph().as_default():
        sess = tf.InteractiveSession()
        p = tf.placeholder(tf.float32, [None])
        w = tf.Variable(3.0)
        loss = tf.reduce_mean(tf.square(p * w))
        train = tf.train.AdamOptimizer(0.1).minimize(loss)
        sess.run(tf.global_variables_initializer())
        before = loss.eval({p: [1.0, 2.0]})
        train.run({p: [1.0, 2.0]})
        after = loss.eval({p: [1.0, 2.0]})
        sess.close()
    return [float(before), float(after)]


def layers_dense():
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
        genuine_dense = v1.layers.dense
    except AttributeError:  # Keras 3: "`dense` is not available with Keras 3."
        genuine_dense = None
    return {"ours": build(tf.layers.dense), "genuine": None if genuine_dense is None else build(genuine_dense)}


def keras_legacy_cells():
    """Variable names and initial values of the TF 1.13 Keras cells, and the genuine ones where they exist."""
    from compat import keras_legacy_cells as cells

    def build(factory):
        with real_tf.Graph().as_default():
            v1.set_random_seed(777)
            with v1.variable_scope("section"):
                v1.nn.dynamic_rnn(factory(), real_tf.ones([2, 4, 3]), dtype=real_tf.float32)
            with v1.Session() as session:
                session.run(v1.global_variables_initializer())
                return {v.name: session.run(v).tolist() for v in v1.global_variables()}

    ours = {
        "simple": build(lambda: cells.SimpleRNNCell(5)),
        "lstm": build(lambda: cells.LSTMCell(5)),
        "gru": build(lambda: cells.GRUCell(5)),
    }
    genuine = None
    with real_tf.Graph().as_default():
        genuine_available = getattr(v1.keras.layers.GRUCell(1), "reset_after", True) is False
    if genuine_available:
        layers = v1.keras.layers
        genuine = {
            "simple": build(lambda: layers.SimpleRNNCell(5)),
            "lstm": build(lambda: layers.LSTMCell(5)),
            "gru": build(lambda: layers.GRUCell(5)),
        }
    return {"ours": ours, "genuine": genuine}


def fully_connected_and_sequence_loss():
    from compat.contrib import layers, seq2seq

    inputs_value = np.random.default_rng(4).normal(size=(2, 2, 3))
    targets_value = [[0, 3], [2, 1]]
    with real_tf.Graph().as_default():
        inputs = v1.placeholder(real_tf.float64, [None, None, 3])
        targets = v1.placeholder(real_tf.int32, [None, None])
        logits = layers.fully_connected(inputs, 4)
        loss = seq2seq.sequence_loss(logits, targets, real_tf.ones_like(targets, real_tf.float64))
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            weights, biases, logits, loss = session.run(
                v1.model_variables() + [logits, loss], {inputs: inputs_value, targets: targets_value})
        return {"names": [v.op.name for v in v1.model_variables()],
                "variable_classes": [type(v).__name__ for v in v1.model_variables()],
                "inputs": inputs_value.tolist(), "targets": targets_value,
                "weights": weights.tolist(), "biases": biases.tolist(),
                "logits": logits.tolist(), "loss": float(loss)}


def _run_script(path, source=None):
    """Runs a course script as ``__main__`` on a fresh global default graph; returns what it printed.

    No graph context is entered for it: like its own interpreter, the script
    is in graph mode only if ``compat.tf1`` switched the process.
    """
    printed = io.StringIO()
    v1.reset_default_graph()
    with contextlib.redirect_stdout(printed):
        if source is None:
            namespace = runpy.run_path(path, run_name="__main__")
        else:
            namespace = {"__name__": "__main__", "__file__": path}
            exec(compile(source, path, "exec"), namespace)
        session = namespace.get("sess")
        if isinstance(session, v1.InteractiveSession):
            session.close()  # the notebook never closes its own
    return printed.getvalue()


def hello_rnn_course_script():
    """The course's hello-rnn script, its ``import tensorflow as tf`` line replaced, and nothing else."""
    with open(HELLO_RNN_COURSE_SCRIPT) as script:
        lines = script.read().splitlines(keepends=True)
    imports = [index for index, line in enumerate(lines) if line.strip() == "import tensorflow as tf"]
    if len(imports) != 1:
        raise AssertionError(f"{HELLO_RNN_COURSE_SCRIPT}: expected one 'import tensorflow as tf', found {imports}")
    lines[imports[0]] = "import compat.tf1 as tf\n"
    return _run_script(HELLO_RNN_COURSE_SCRIPT, "".join(lines))


def rnn_basics_script():
    return _run_script(RNN_BASICS_SCRIPT)


# -- 3. last: reloads compat.tf1 ----------------------------------------------------


def switch_is_idempotent():
    import compat.rnn_cell
    import compat.tf1 as tf

    calls = []
    genuine_switch = v1.disable_v2_behavior
    v1.disable_v2_behavior = lambda: calls.append(1)
    try:
        importlib.reload(tf)
        tf._use_tf1_behaviour()
    finally:
        v1.disable_v2_behavior = genuine_switch
    return {"switch_calls_after_reload": len(calls), "executing_eagerly": tf.executing_eagerly(),
            "nn_is_compat": tf.nn.rnn_cell is compat.rnn_cell}


CHECKS = [
    import_compat_without_tf1,
    eager_calls,
    ("fixed_rnn_configurations_in_a_plain_graph", fixed_rnn_configurations),
    import_compat_tf1,
    namespaces,
    interactive_session_eval_and_adam,
    layers_dense,
    keras_legacy_cells,
    fully_connected_and_sequence_loss,
    ("fixed_rnn_configurations_in_tf1_behaviour", fixed_rnn_configurations),
    hello_rnn_course_script,
    rnn_basics_script,
    switch_is_idempotent,
]


def main(report_path):
    report = {}
    for check in CHECKS:
        name, function = check if isinstance(check, tuple) else (check.__name__, check)
        start = time.perf_counter()
        try:
            report[name] = {"result": function()}
        except (Exception, SystemExit):  # a script may exit; the other checks still run
            report[name] = {"error": traceback.format_exc()}
        report[name]["seconds"] = round(time.perf_counter() - start, 3)
        partial = report_path + ".partial"
        with open(partial, "w") as file:
            json.dump(report, file)
        os.replace(partial, report_path)


if __name__ == "__main__":
    main(sys.argv[1])

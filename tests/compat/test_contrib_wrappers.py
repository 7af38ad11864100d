"""The contrib-only cell wrappers and ``LayerRNNCell`` against numpy, with TF1's names.

``EmbeddingWrapper``, ``InputProjectionWrapper`` and ``OutputProjectionWrapper``
left TensorFlow with ``tf.contrib``, so no genuine one runs here: they are held
to the numpy references (tests/reference/numpy_rnn.py) and to the variable
names and creation order of TF 1.15's ``contrib/rnn/python/ops/core_rnn_cell.py``
(each wrapper a cell with its own scope, ``kernel``/``bias`` from ``_linear``).
The wrappers ``tf.nn.rnn_cell`` kept are held to the genuine ones in
tests/oracle/test_legacy_wrappers.py; here they get their argument checks.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from compat.contrib import rnn  # noqa: E402
from tests.compat.test_rnn_cells import graph_for_random_values, run_randomized  # noqa: E402
from tests.reference import numpy_rnn as ref  # noqa: E402

v1 = tf.compat.v1


def _values(fetched, cell, name):
    return fetched[cell.scope_name + "/" + name]


def _run(fetches, cells, seed):
    """Runs ``fetches`` with random variables; returns them and {full name: value} of every variable."""
    outputs, per_cell = run_randomized(fetches, cells, np.random.default_rng(seed))
    values = {}
    for cell, cell_values in zip(cells, per_cell):
        for short, value in cell_values.items():
            values[cell.scope_name + "/" + short] = value
    return outputs, values


@given(batch=st.integers(1, 3), time=st.integers(1, 4), classes=st.integers(2, 6),
       size=st.integers(1, 4), units=st.integers(1, 4), projected=st.integers(1, 5),
       dtype=st.sampled_from([tf.float32, tf.float64]), seed=st.integers(0, 2**16))
def test_embedding_then_output_projection_matches_reference(batch, time, classes, size, units, projected,
                                                            dtype, seed):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, classes, size=(batch, time, 1)).astype(np.int32)
    with graph_for_random_values():
        gru = rnn.GRUCell(units)
        projection = rnn.OutputProjectionWrapper(gru, projected)
        embedded = rnn.EmbeddingWrapper(projection, classes, size)
        outputs, state = v1.nn.dynamic_rnn(embedded, tf.constant(ids), dtype=dtype)
        assert outputs.shape.as_list() == [batch, time, projected]
        (got, got_state), values = _run((outputs, state), [gru, embedded, projection], seed)
    names = [name for name in values if "gru_cell" not in name]
    assert names == ["rnn/embedding_wrapper/embedding",
                     "rnn/embedding_wrapper/output_projection_wrapper/kernel",
                     "rnn/embedding_wrapper/output_projection_wrapper/bias"]
    gru_prefix = "rnn/embedding_wrapper/output_projection_wrapper/gru_cell/"
    numpy_cell = ref.Embedding(
        ref.OutputProjection(
            ref.GRU(*(values[gru_prefix + name] for name in
                      ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"))),
            values["rnn/embedding_wrapper/output_projection_wrapper/kernel"],
            values["rnn/embedding_wrapper/output_projection_wrapper/bias"]),
        values["rnn/embedding_wrapper/embedding"])
    want, want_state = ref.dynamic_rnn(numpy_cell, ids)
    tolerance = 1e-6 if dtype == tf.float32 else 1e-12
    np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(got_state, want_state, rtol=tolerance, atol=tolerance)


@given(batch=st.integers(1, 3), time=st.integers(1, 4), depth=st.integers(1, 4), projected=st.integers(1, 4),
       units=st.integers(1, 4), activation=st.sampled_from([None, "tanh", "relu"]), seed=st.integers(0, 2**16))
def test_input_projection_matches_reference(batch, time, depth, projected, units, activation, seed):
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(batch, time, depth))
    activations = {None: None, "tanh": tf.tanh, "relu": tf.nn.relu}
    with graph_for_random_values():
        lstm = rnn.BasicLSTMCell(units)
        wrapper = rnn.InputProjectionWrapper(lstm, projected, activation=activations[activation])
        steps = tf.unstack(tf.constant(inputs), axis=1)
        outputs, state = v1.nn.static_rnn(wrapper, steps, dtype=tf.float64)
        (got, got_state), values = _run((outputs, state), [wrapper, lstm], seed)
    assert list(values) == ["rnn/input_projection_wrapper/kernel", "rnn/input_projection_wrapper/bias",
                            "rnn/input_projection_wrapper/basic_lstm_cell/kernel",
                            "rnn/input_projection_wrapper/basic_lstm_cell/bias"]
    numpy_cell = ref.InputProjection(
        ref.LSTM(values["rnn/input_projection_wrapper/basic_lstm_cell/kernel"],
                 values["rnn/input_projection_wrapper/basic_lstm_cell/bias"]),
        values["rnn/input_projection_wrapper/kernel"], values["rnn/input_projection_wrapper/bias"],
        activation)
    want, want_state = ref.static_rnn(numpy_cell, [inputs[:, t] for t in range(time)])
    np.testing.assert_allclose(np.stack(got, 1), np.stack(want, 1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got_state, want_state, rtol=1e-12, atol=1e-12)


def test_embedding_default_initializer_has_unit_variance():
    """TF1: uniform on [-sqrt(3), sqrt(3)) unless the scope or the wrapper gives one."""
    with tf.Graph().as_default():
        v1.set_random_seed(1)
        cell = rnn.EmbeddingWrapper(rnn.BasicRNNCell(2), 400, 50)
        v1.nn.dynamic_rnn(cell, tf.zeros([1, 1, 1], tf.int32), dtype=tf.float32)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            [embedding] = [v for v in v1.global_variables() if v.name.endswith("embedding:0")]
            value = session.run(embedding)
    assert np.abs(value).max() <= np.sqrt(3)
    assert value.var() == pytest.approx(1.0, abs=0.02)


def test_layer_rnn_cell_subclass_builds_from_the_input_shape_in_its_own_scope():
    class MinimalRNNCell(rnn.LayerRNNCell):
        def __init__(self, units):
            super().__init__()
            self.units = units

        @property
        def state_size(self):
            return self.units

        @property
        def output_size(self):
            return self.units

        def build(self, inputs_shape):
            self.kernel = self.add_weight("kernel", shape=[inputs_shape[-1], self.units])
            self.recurrent = self.add_variable("recurrent_kernel", [self.units, self.units])

        def call(self, inputs, state):
            output = tf.tanh(tf.matmul(inputs, self.kernel) + tf.matmul(state, self.recurrent))
            return output, output

    with tf.Graph().as_default():
        cell = MinimalRNNCell(3)
        outputs, _ = v1.nn.dynamic_rnn(cell, tf.ones([2, 4, 5]), dtype=tf.float32)
        names = [v.name for v in v1.global_variables()]
    assert names == ["rnn/minimal_rnn_cell/kernel:0", "rnn/minimal_rnn_cell/recurrent_kernel:0"]
    assert outputs.shape.as_list() == [2, 4, 3]


# -- bad input ---------------------------------------------------------------

NOT_A_CELL = object()


@pytest.mark.parametrize("make", [
    lambda: rnn.DropoutWrapper(NOT_A_CELL),
    lambda: rnn.ResidualWrapper(NOT_A_CELL),
    lambda: rnn.DeviceWrapper(NOT_A_CELL, "/cpu:0"),
    lambda: rnn.EmbeddingWrapper(NOT_A_CELL, 3, 2),
    lambda: rnn.InputProjectionWrapper(NOT_A_CELL, 3),
    lambda: rnn.OutputProjectionWrapper(NOT_A_CELL, 3),
], ids=["dropout", "residual", "device", "embedding", "input_projection", "output_projection"])
def test_wrappers_reject_what_is_not_a_cell(make):
    with pytest.raises(TypeError, match=r"`cell` is not an RNN cell \(it lacks output_size"):
        make()


@pytest.mark.parametrize("argument", ["input_keep_prob", "output_keep_prob", "state_keep_prob"])
@pytest.mark.parametrize("value, error, message", [
    (1.5, ValueError, "must be between 0 and 1: 1.5"),
    (-0.1, ValueError, "must be between 0 and 1"),
    ("0.5", TypeError, "must be a number or a scalar"),
    (True, TypeError, "must be a number or a scalar tensor"),
    ([0.5, 0.5], TypeError, "must be a number or a scalar float tensor"),
])
def test_dropout_keep_probabilities_are_checked(argument, value, error, message):
    with tf.Graph().as_default(), pytest.raises(error, match=f"{argument}.*{message}|{message}.*"):
        rnn.DropoutWrapper(rnn.GRUCell(2), **{argument: value})


def test_dropout_keep_probability_tensor_is_fed_at_run_time():
    """The tutorials' ``keep_prob`` placeholder: 1.0 at test time means no dropout."""
    with tf.Graph().as_default():
        keep_prob = v1.placeholder(tf.float32, [])
        cell = rnn.DropoutWrapper(rnn.GRUCell(4), output_keep_prob=keep_prob, seed=1)
        outputs, _ = v1.nn.dynamic_rnn(cell, tf.ones([2, 3, 2]), dtype=tf.float32)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            full = session.run(outputs, {keep_prob: 1.0})
            dropped = session.run(outputs, {keep_prob: 0.5})
    assert np.count_nonzero(full == 0) == 0
    assert np.count_nonzero(dropped == 0) > 0


@pytest.mark.parametrize("options, error, message", [
    ({"variational_recurrent": True}, ValueError, "`dtype` must be provided"),
    ({"variational_recurrent": True, "dtype": tf.float32, "input_keep_prob": 0.5}, ValueError,
     "`input_size` must be provided"),
    ({"variational_recurrent": 1}, TypeError, "`variational_recurrent` must be a bool"),
    ({"seed": 1.5}, TypeError, "`seed` must be None or an integer"),
    ({"dropout_state_filter_visitor": "c"}, TypeError, "`dropout_state_filter_visitor` must be callable"),
])
def test_dropout_options_are_checked(options, error, message):
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        rnn.DropoutWrapper(rnn.BasicLSTMCell(2), **options)


def test_variational_dropout_names_a_dtype_that_does_not_match():
    with tf.Graph().as_default():
        cell = rnn.DropoutWrapper(rnn.GRUCell(2), output_keep_prob=0.5, variational_recurrent=True,
                                  dtype=tf.float64)
        with pytest.raises(ValueError, match="dtype=float64 .* its output is float32"):
            v1.nn.dynamic_rnn(cell, tf.ones([1, 2, 2]), dtype=tf.float32)


def test_state_filter_must_answer_with_bools():
    with tf.Graph().as_default():
        cell = rnn.DropoutWrapper(rnn.BasicLSTMCell(2), state_keep_prob=0.5,
                                  dropout_state_filter_visitor=lambda state: "yes")
        with pytest.raises(TypeError, match="`dropout_state_filter_visitor` must return a bool"):
            v1.nn.dynamic_rnn(cell, tf.ones([1, 2, 2]), dtype=tf.float32)


def test_residual_needs_matching_depths():
    with tf.Graph().as_default():
        cell = rnn.ResidualWrapper(rnn.GRUCell(3))
        with pytest.raises(ValueError, match="output_size equal to the input depth"):
            v1.nn.dynamic_rnn(cell, tf.ones([1, 2, 2]), dtype=tf.float32)


@pytest.mark.parametrize("make, message", [
    (lambda: rnn.ResidualWrapper(rnn.GRUCell(2), residual_fn="add"), "`residual_fn` must be None or callable"),
    (lambda: rnn.DeviceWrapper(rnn.GRUCell(2), 0), "`device` must be a device string"),
    (lambda: rnn.EmbeddingWrapper(rnn.GRUCell(2), 0, 2), "`embedding_classes` must be a positive integer"),
    (lambda: rnn.EmbeddingWrapper(rnn.GRUCell(2), 3, 2.5), "`embedding_size` must be a positive integer"),
    (lambda: rnn.EmbeddingWrapper(rnn.GRUCell(2), 3, 2, initializer="uniform"), "`initializer` must be None"),
    (lambda: rnn.InputProjectionWrapper(rnn.GRUCell(2), -1), "`num_proj` must be a positive integer"),
    (lambda: rnn.OutputProjectionWrapper(rnn.GRUCell(2), "5"), "`output_size` must be a positive integer"),
    (lambda: rnn.OutputProjectionWrapper(rnn.GRUCell(2), 5, activation="relu"),
     "`activation` must be None or callable"),
], ids=["residual_fn", "device", "embedding_classes", "embedding_size", "initializer", "num_proj",
        "output_size", "activation"])
def test_wrapper_arguments_are_checked(make, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make()


def test_embedding_wrapper_wants_integer_ids():
    with tf.Graph().as_default():
        cell = rnn.EmbeddingWrapper(rnn.GRUCell(2), 5, 3)
        with pytest.raises(ValueError, match="must be integer symbol ids"):
            v1.nn.dynamic_rnn(cell, tf.ones([1, 2, 1]), dtype=tf.float32)
        with pytest.raises(ValueError, match=r"ids of shape \[batch\] or \[batch, 1\]"):
            v1.nn.dynamic_rnn(cell, tf.ones([1, 2, 3], tf.int32), dtype=tf.float32, scope="wide")

"""The TF 1.13 Keras cells of ``compat.keras_legacy_cells``.

* Values: run by ``tf.compat.v1.nn.dynamic_rnn`` with random weights set from
  the test, against a numpy re-implementation written here from TF 1.13's
  ``keras/layers/recurrent.py`` (fused matrices, unlike the cells' per-block
  code).
* Genuine: where Keras 2 is installed (TF 2.15 as shipped, or tf-keras with
  ``TF_USE_LEGACY_KERAS=1``), against ``tf.compat.v1.keras.layers.*Cell`` run
  by the same ``dynamic_rnn`` with identical weights, and, in TF1 behaviour,
  variable names and initial values under one graph seed.
* Names, shapes, initial values, weight ownership and argument checks.

Everything runs in a fresh ``tf.Graph``; the TF1-behaviour checks run in the
fresh process (``fresh_process.py``), so this one keeps TF2 behaviour.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from compat import keras_legacy_cells as cells  # noqa: E402

v1 = tf.compat.v1

TOLERANCE = {np.float32: 1e-6, np.float64: 1e-12}
KINDS = ("simple", "lstm", "gru", "gru_reset_after")
BLOCKS = {"simple": 1, "lstm": 4, "gru": 3, "gru_reset_after": 3}


# -- numpy reference (TF 1.13 keras/layers/recurrent.py) ---------------------


def np_hard_sigmoid(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_run(kind, x, kernel, recurrent_kernel, bias, recurrent_activation=np_hard_sigmoid):
    """Returns (outputs [B, T, H], final state) of cell ``kind`` over ``x`` [B, T, D].

    ``bias`` may be None (``use_bias=False``). The LSTM state is ``[h, c]``.
    """
    x = np.asarray(x, np.float64)
    kernel = np.asarray(kernel, np.float64)
    recurrent_kernel = np.asarray(recurrent_kernel, np.float64)
    units = recurrent_kernel.shape[0]
    if bias is None:
        bias = np.zeros([2, 3 * units] if kind == "gru_reset_after" else [kernel.shape[1]])
    bias = np.asarray(bias, np.float64)
    h = np.zeros([x.shape[0], units])
    c = np.zeros_like(h)
    outputs = []
    for step in np.moveaxis(x, 1, 0):
        if kind == "simple":
            h = np.tanh(step @ kernel + bias + h @ recurrent_kernel)
        elif kind == "lstm":
            z = step @ kernel + bias + h @ recurrent_kernel
            i, f, g, o = np.split(z, 4, axis=1)
            c = recurrent_activation(f) * c + recurrent_activation(i) * np.tanh(g)
            h = recurrent_activation(o) * np.tanh(c)
        elif kind == "gru":
            x_z, x_r, x_h = np.split(step @ kernel + bias, 3, axis=1)
            u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=1)
            z = recurrent_activation(x_z + h @ u_z)
            r = recurrent_activation(x_r + h @ u_r)
            h = z * h + (1 - z) * np.tanh(x_h + (r * h) @ u_h)
        else:  # gru_reset_after
            x_z, x_r, x_h = np.split(step @ kernel + bias[0], 3, axis=1)
            h_z, h_r, h_h = np.split(h @ recurrent_kernel + bias[1], 3, axis=1)
            z = recurrent_activation(x_z + h_z)
            r = recurrent_activation(x_r + h_r)
            h = z * h + (1 - z) * np.tanh(x_h + r * h_h)
        outputs.append(h)
    state = [h, c] if kind == "lstm" else h
    return np.stack(outputs, axis=1), state


# -- helpers -----------------------------------------------------------------


def make_cell(kind, units, **kwargs):
    if kind == "simple":
        return cells.SimpleRNNCell(units, **kwargs)
    if kind == "lstm":
        return cells.LSTMCell(units, **kwargs)
    return cells.GRUCell(units, reset_after=kind == "gru_reset_after", **kwargs)


def bias_shape(kind, units):
    return [2, 3 * units] if kind == "gru_reset_after" else [BLOCKS[kind] * units]


def random_weights(rng, kind, depth, units, dtype, use_bias=True):
    width = BLOCKS[kind] * units
    return {
        "kernel": rng.uniform(-1, 1, [depth, width]).astype(dtype),
        "recurrent_kernel": rng.uniform(-1, 1, [units, width]).astype(dtype),
        "bias": rng.uniform(-1, 1, bias_shape(kind, units)).astype(dtype) if use_bias else None,
    }


def initial_values(variables, weights):
    """Feed for the global initializer: ``weights`` as the initial values of
    ``variables`` (kernel, recurrent_kernel[, bias] order), as ``Variable.load`` feeds them."""
    values = [weights[name] for name in ("kernel", "recurrent_kernel", "bias") if weights[name] is not None]
    assert len(variables) == len(values)
    return {variable.initializer.inputs[1]: value for variable, value in zip(variables, values)}


def run_dynamic(cell, x, weights, dtype, scope=None):
    """Builds dynamic_rnn(cell) in a fresh graph, loads ``weights``, returns numpy results."""
    with tf.Graph().as_default():
        inputs = v1.placeholder(dtype, [None, None, x.shape[2]])
        outputs, state = v1.nn.dynamic_rnn(cell, inputs, dtype=dtype, scope=scope)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer(), initial_values(cell.variables, weights))
            return session.run((outputs, state), {inputs: x})


# -- values against numpy ----------------------------------------------------


@given(  # examples: the hypothesis profile's (tests/conftest.py)

    kind=st.sampled_from(KINDS),
    dtype=st.sampled_from([np.float32, np.float64]),
    batch=st.integers(1, 3),
    time=st.integers(1, 4),
    depth=st.integers(1, 4),
    units=st.integers(1, 4),
    use_bias=st.booleans(),
    seed=st.integers(0, 2**31 - 1),
)
def test_dynamic_rnn_matches_numpy(kind, dtype, batch, time, depth, units, use_bias, seed):
    rng = np.random.default_rng(seed)
    weights = random_weights(rng, kind, depth, units, dtype, use_bias)
    x = rng.uniform(-2, 2, [batch, time, depth]).astype(dtype)
    outputs, state = run_dynamic(make_cell(kind, units, use_bias=use_bias), x, weights, dtype)
    expected_outputs, expected_state = np_run(kind, x, **weights)
    assert outputs.dtype == dtype
    np.testing.assert_allclose(outputs, expected_outputs, rtol=0, atol=TOLERANCE[dtype])
    if kind == "lstm":
        assert isinstance(state, list) and len(state) == 2  # [h, c], h first
    np.testing.assert_allclose(state, expected_state, rtol=0, atol=TOLERANCE[dtype] * time)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_recurrent_activation_argument(kind):
    rng = np.random.default_rng(3)
    weights = random_weights(rng, kind, 3, 2, np.float64)
    x = rng.uniform(-2, 2, [2, 3, 3])
    outputs, _ = run_dynamic(make_cell(kind, 2, recurrent_activation="sigmoid"), x, weights, tf.float64)
    expected, _ = np_run(kind, x, **weights, recurrent_activation=np_sigmoid)
    np.testing.assert_allclose(outputs, expected, rtol=0, atol=1e-12)


def test_hard_sigmoid_is_tf113s():
    x = np.linspace(-4, 4, 81)
    with tf.Graph().as_default(), v1.Session() as session:
        result = session.run(cells.hard_sigmoid(tf.constant(x)))
    np.testing.assert_allclose(result, np_hard_sigmoid(x), rtol=0, atol=1e-15)


# -- names, shapes, initial values, ownership --------------------------------


@pytest.mark.parametrize(
    "kind, name, shapes",
    [
        ("simple", "simple_rnn_cell", {"kernel": [3, 5], "recurrent_kernel": [5, 5], "bias": [5]}),
        ("lstm", "lstm_cell", {"kernel": [3, 20], "recurrent_kernel": [5, 20], "bias": [20]}),
        ("gru", "gru_cell", {"kernel": [3, 15], "recurrent_kernel": [5, 15], "bias": [15]}),
        ("gru_reset_after", "gru_cell", {"kernel": [3, 15], "recurrent_kernel": [5, 15], "bias": [2, 15]}),
    ],
)
def test_variables_and_initial_values(graph, kind, name, shapes):
    cell = make_cell(kind, 5)
    assert cell.name == name
    outputs, _ = v1.nn.dynamic_rnn(cell, tf.zeros([2, 4, 3]), dtype=tf.float32)
    assert [(v.op.name, v.shape.as_list()) for v in v1.trainable_variables()] == [
        (f"{name}/{short}", shape) for short, shape in shapes.items()
    ]
    assert [v.op.name for v in cell.variables] == [f"{name}/{short}" for short in shapes]
    assert cell.kernel is cell.variables[0] and cell.bias is cell.variables[2]
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        kernel, recurrent_kernel, bias = session.run(cell.variables)
    limit = np.sqrt(6.0 / sum(shapes["kernel"]))  # glorot uniform
    assert 0 < np.abs(kernel).max() <= limit
    np.testing.assert_allclose(recurrent_kernel @ recurrent_kernel.T, np.eye(5), atol=1e-5)  # orthonormal rows
    expected_bias = np.zeros(shapes["bias"], np.float32)
    if kind == "lstm":
        expected_bias[5:10] = 1.0  # unit_forget_bias
    np.testing.assert_array_equal(bias, expected_bias)


def test_unit_forget_bias_false_and_no_bias(graph):
    plain = cells.LSTMCell(2, unit_forget_bias=False, bias_initializer="ones")
    unbiased = cells.GRUCell(2, use_bias=False)
    v1.nn.dynamic_rnn(plain, tf.zeros([1, 1, 3]), dtype=tf.float32, scope="a")
    v1.nn.dynamic_rnn(unbiased, tf.zeros([1, 1, 3]), dtype=tf.float32, scope="b")
    assert [v.op.name.rsplit("/", 1)[-1] for v in unbiased.variables] == ["kernel", "recurrent_kernel"]
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        np.testing.assert_array_equal(session.run(plain.bias), np.ones(8, np.float32))


def test_layer_names_are_numbered_per_graph():
    with tf.Graph().as_default():
        names = [cells.SimpleRNNCell(1).name, cells.SimpleRNNCell(1).name, cells.GRUCell(1).name]
        assert cells.LSTMCell(1, name="mine").name == "mine"
    with tf.Graph().as_default():
        fresh = cells.SimpleRNNCell(1).name
    assert names == ["simple_rnn_cell", "simple_rnn_cell_1", "gru_cell"]
    assert fresh == "simple_rnn_cell"


def test_one_cell_object_owns_one_set_of_weights(graph):
    cell = cells.LSTMCell(3)
    x = tf.ones([2, 4, 2])
    first, _ = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="enc")
    second, _ = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="dec")
    assert len(v1.global_variables()) == 3
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        a, b = session.run((first, second))
    np.testing.assert_array_equal(a, b)


def test_dtype_follows_the_first_inputs(graph):
    cell = cells.SimpleRNNCell(2)
    v1.nn.dynamic_rnn(cell, tf.zeros([1, 2, 3], tf.float64), dtype=tf.float64)
    assert cell.dtype == tf.float64
    assert {v.dtype.base_dtype for v in cell.variables} == {tf.float64}


def test_works_in_multi_rnn_cell_and_with_zero_state(graph):
    from compat.rnn_cell import MultiRNNCell

    stack = MultiRNNCell([cells.LSTMCell(4), cells.GRUCell(3)])
    initial = stack.zero_state(2, tf.float32)
    outputs, (lstm_state, gru_state) = v1.nn.dynamic_rnn(stack, tf.ones([2, 5, 6]), initial_state=initial)
    assert outputs.shape.as_list() == [2, 5, 3]
    assert [s.shape.as_list() for s in lstm_state] == [[2, 4], [2, 4]]
    assert gru_state.shape.as_list() == [2, 3]


# -- argument checks ---------------------------------------------------------


@pytest.mark.parametrize(
    "factory, error, argument",
    [
        (lambda: cells.SimpleRNNCell(0), ValueError, "units"),
        (lambda: cells.SimpleRNNCell(2.0), TypeError, "units"),
        (lambda: cells.SimpleRNNCell(2, activation="swish!"), ValueError, "activation"),
        (lambda: cells.LSTMCell(2, recurrent_activation=3), ValueError, "recurrent_activation"),
        (lambda: cells.SimpleRNNCell(2, use_bias=1), TypeError, "use_bias"),
        (lambda: cells.LSTMCell(2, unit_forget_bias="yes"), TypeError, "unit_forget_bias"),
        (lambda: cells.GRUCell(2, reset_after=None), TypeError, "reset_after"),
        (lambda: cells.GRUCell(2, kernel_initializer="he_uniform"), ValueError, "kernel_initializer"),
        (lambda: cells.GRUCell(2, recurrent_initializer=0.5), ValueError, "recurrent_initializer"),
        (lambda: cells.GRUCell(2, bias_initializer=None), ValueError, "bias_initializer"),
        (lambda: cells.GRUCell(2, name=""), TypeError, "name"),
    ],
)
def test_constructor_arguments_are_checked(factory, error, argument):
    with tf.Graph().as_default(), pytest.raises(error, match=f"`{argument}`"):
        factory()


def test_call_checks(graph):
    cell = cells.LSTMCell(2)
    with pytest.raises(ValueError, match="`state`.*structure"):
        cell(tf.zeros([1, 3]), tf.zeros([1, 2]))
    with pytest.raises(ValueError, match="`scope` must be None"):
        cell(tf.zeros([1, 3]), [tf.zeros([1, 2])] * 2, scope="x")
    with pytest.raises(ValueError, match="rank 2"):
        cell(tf.zeros([1, 1, 3]), [tf.zeros([1, 2])] * 2)


def test_eager_call_is_refused():
    with pytest.raises(RuntimeError, match="eager"):
        cells.SimpleRNNCell(2)(tf.zeros([1, 3]), tf.zeros([1, 2]))


# -- against the genuine Keras 2 cells ---------------------------------------


@pytest.fixture(scope="module")
def genuine_layers():
    """``tf.compat.v1.keras.layers`` if it holds the TF1-API (Keras 2) cells."""
    layers = v1.keras.layers
    with tf.Graph().as_default():
        probe = layers.GRUCell(1)
    recurrent_activation = getattr(getattr(probe, "recurrent_activation", None), "__name__", "")
    if getattr(probe, "reset_after", True) or recurrent_activation != "hard_sigmoid":
        pytest.skip(
            f"TF {tf.__version__}: tf.compat.v1.keras.layers.GRUCell is Keras 3's "
            "(reset_after=True, sigmoid); the genuine TF1-API Keras cells need "
            "Keras 2 (TF 2.15 as shipped, or tf-keras with TF_USE_LEGACY_KERAS=1)."
        )
    return layers


def make_genuine(layers, kind, units, dtype):
    # TF 1.13 took the dtype from the inputs, as the compat cells do; Keras 2
    # in TF2 behaviour defaults to float32, so it is told.
    if kind == "simple":
        return layers.SimpleRNNCell(units, dtype=dtype)
    if kind == "lstm":
        return layers.LSTMCell(units, dtype=dtype)
    return layers.GRUCell(units, reset_after=kind == "gru_reset_after", dtype=dtype)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(  # examples: the hypothesis profile's (tests/conftest.py)

    kind=st.sampled_from(KINDS),
    dtype=st.sampled_from([np.float32, np.float64]),
    time=st.integers(1, 4),
    units=st.integers(1, 4),
    lengths=st.lists(st.integers(0, 4), min_size=1, max_size=3),
    seed=st.integers(0, 2**31 - 1),
)
def test_matches_genuine_keras2_cells(genuine_layers, kind, dtype, time, units, lengths, seed):
    rng = np.random.default_rng(seed)
    depth = 3
    x = rng.uniform(-2, 2, [len(lengths), time, depth]).astype(dtype)
    weights = random_weights(rng, kind, depth, units, dtype)
    lengths = np.minimum(lengths, time)
    with tf.Graph().as_default():
        inputs = v1.placeholder(dtype, [None, time, depth])
        genuine = make_genuine(genuine_layers, kind, units, dtype)
        ours = make_cell(kind, units)
        results = [
            v1.nn.dynamic_rnn(cell, inputs, sequence_length=lengths, dtype=dtype, scope=scope)
            for cell, scope in ((genuine, "genuine"), (ours, "ours"))
        ]
        with v1.Session() as session:
            session.run(
                v1.global_variables_initializer(),
                {**initial_values(genuine.weights, weights), **initial_values(ours.variables, weights)},
            )
            (genuine_outputs, genuine_state), (our_outputs, our_state) = session.run(
                results, {inputs: x}
            )
    assert [w.shape.as_list() for w in genuine.weights] == [w.shape.as_list() for w in ours.variables]
    np.testing.assert_allclose(our_outputs, genuine_outputs, rtol=0, atol=TOLERANCE[dtype])
    np.testing.assert_allclose(our_state, genuine_state, rtol=0, atol=TOLERANCE[dtype])


# -- TF1 behaviour (in the fresh process) ----------------------------------


def test_names_in_tf1_behaviour_are_tf113s(fresh_process):
    # TF 1.13 built Keras cells inside dynamic_rnn's while loop, in its name scope.
    for kind, name in (("simple", "simple_rnn_cell"), ("lstm", "lstm_cell"), ("gru", "gru_cell")):
        assert list(fresh_process["keras_legacy_cells"]["ours"][kind]) == [
            f"section/rnn/while/{name}/{short}:0" for short in ("kernel", "recurrent_kernel", "bias")
        ]


def test_initial_values_in_tf1_behaviour_equal_genuine(fresh_process):
    built = fresh_process["keras_legacy_cells"]
    if built["genuine"] is None:
        pytest.skip(
            f"TF {tf.__version__}: no Keras 2 tf.compat.v1.keras cells to compare with "
            "(Keras 3 installed without tf-keras)."
        )
    assert built["ours"] == built["genuine"]

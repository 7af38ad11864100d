"""compat.weights: exact TF1 <-> Keras weight mapping and transfer plans.

Three layers of evidence:
* the pure mappings round-trip exactly (hypothesis over shapes and values),
  and one step of the Keras cell with mapped weights equals one step of the
  independent numpy TF1 cell (so a gate swap cannot hide behind a round trip);
* whole TF1 graphs (dynamic_rnn, MultiRNNCell, bidirectional_dynamic_rnn,
  fully_connected, embedding_lookup) agree with Keras models through
  `TransferPlan`, in both directions, outputs and states, with padding;
* a TF1 checkpoint loads into Keras, and every misuse fails loudly.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from compat.contrib import layers as contrib_layers  # noqa: E402
from compat.contrib import rnn as compat_rnn  # noqa: E402
from compat.weights import (  # noqa: E402
    Link,
    TransferPlan,
    basic_lstm_to_keras,
    basic_rnn_to_keras,
    embedding_to_keras,
    fully_connected_to_keras,
    gru_to_keras,
    keras_to_basic_lstm,
    keras_to_basic_rnn,
    keras_to_embedding,
    keras_to_fully_connected,
    keras_to_gru,
    read_tf1_variables,
    write_tf1_variables,
)
from tests.reference import numpy_rnn as ref  # noqa: E402

v1 = tf.compat.v1

EXAMPLES = settings(max_examples=40)  # numpy only; Keras-building tests take the profile's
TOLERANCE = {"float32": 1e-6, "float64": 1e-12}


# -- pure mappings -------------------------------------------------------------


def _arrays(dtype, shape):
    width = 32 if dtype == "float32" else 64
    elements = st.floats(-1e3, 1e3, width=width, allow_subnormal=False)
    return hnp.arrays(dtype, shape, elements=elements)


@st.composite
def _lstm_weights(draw):
    dtype = draw(st.sampled_from(["float32", "float64"]))
    depth, units = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    kernel = draw(_arrays(dtype, (depth + units, 4 * units)))
    bias = draw(_arrays(dtype, (4 * units,)))
    forget_bias = draw(st.sampled_from([0.0, 1.0, 0.5, -2.25, 1e-3]))
    return dtype, depth, units, kernel, bias, forget_bias


def _folded(dtype, values, *steps):
    """`values` after adding then removing the forget bias, rounded as in dtype."""
    out = values.astype(dtype)
    for step in steps:
        out = (out + np.asarray(step, dtype)).astype(dtype)
    return out


@EXAMPLES
@given(_lstm_weights())
def test_basic_lstm_round_trip_is_exact(weights):
    dtype, depth, units, kernel, bias, forget_bias = weights
    keras_weights = basic_lstm_to_keras(kernel, bias, forget_bias)
    assert [w.shape for w in keras_weights] == [
        (depth, 4 * units), (units, 4 * units), (4 * units,)
    ]
    assert all(w.dtype == np.dtype(dtype) for w in keras_weights)
    back_kernel, back_bias = keras_to_basic_lstm(*keras_weights, forget_bias=forget_bias)
    np.testing.assert_array_equal(back_kernel, kernel)
    f = slice(2 * units, 3 * units)  # TF1's forget block
    expected_bias = bias.copy()
    expected_bias[f] = _folded(dtype, bias[f], forget_bias, -forget_bias)
    np.testing.assert_array_equal(back_bias, expected_bias)
    # And from the Keras side.
    again = basic_lstm_to_keras(back_kernel, back_bias, forget_bias)
    np.testing.assert_array_equal(again[0], keras_weights[0])
    np.testing.assert_array_equal(again[1], keras_weights[1])
    keras_f = slice(units, 2 * units)
    expected = keras_weights[2].copy()
    expected[keras_f] = _folded(dtype, keras_weights[2][keras_f], -forget_bias, forget_bias)
    np.testing.assert_array_equal(again[2], expected)


@st.composite
def _gru_weights(draw):
    dtype = draw(st.sampled_from(["float32", "float64"]))
    depth, units = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    return (
        draw(_arrays(dtype, (depth + units, 2 * units))),
        draw(_arrays(dtype, (2 * units,))),
        draw(_arrays(dtype, (depth + units, units))),
        draw(_arrays(dtype, (units,))),
    )


@EXAMPLES
@given(_gru_weights())
def test_gru_round_trip_is_exact(tf1_weights):
    keras_weights = gru_to_keras(*tf1_weights)
    for got, want in zip(keras_to_gru(*keras_weights), tf1_weights):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype


@st.composite
def _rnn_weights(draw):
    dtype = draw(st.sampled_from(["float32", "float64"]))
    depth, units = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    return draw(_arrays(dtype, (depth + units, units))), draw(_arrays(dtype, (units,)))


@EXAMPLES
@given(_rnn_weights(), st.booleans())
def test_basic_rnn_and_dense_round_trips_are_exact(tf1_weights, with_bias):
    for got, want in zip(keras_to_basic_rnn(*basic_rnn_to_keras(*tf1_weights)), tf1_weights):
        np.testing.assert_array_equal(got, want)
    dense = tf1_weights if with_bias else tf1_weights[:1]
    back = keras_to_fully_connected(*fully_connected_to_keras(*dense))
    assert len(back) == len(dense)
    for got, want in zip(back, dense):
        np.testing.assert_array_equal(got, want)


def _keras_cell_step(cell, keras_weights, x, state):
    if not cell.built:
        cell.build((None, x.shape[1]))
    cell.set_weights(keras_weights)
    output, new_state = cell(tf.constant(x), [tf.constant(s) for s in state])
    return output.numpy(), [s.numpy() for s in tf.nest.flatten(new_state)]


@st.composite
def _step_problem(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    depth, units, batch = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    return rng, depth, units, rng.normal(size=(batch, depth))


@given(_step_problem(), st.sampled_from([0.0, 1.0, -0.75]))
def test_mapped_lstm_step_equals_tf1_step(problem, forget_bias):
    rng, depth, units, x = problem
    batch = x.shape[0]
    kernel, bias = rng.normal(size=(depth + units, 4 * units)), rng.normal(size=4 * units)
    c, h = rng.normal(size=(batch, units)), rng.normal(size=(batch, units))
    want_h, (want_c, _) = ref.LSTM(kernel, bias, forget_bias=forget_bias)(x, (c, h))
    cell = keras.layers.LSTMCell(units, dtype="float64")
    got_h, (_, got_c) = _keras_cell_step(
        cell, basic_lstm_to_keras(kernel, bias, forget_bias), x, [h, c]
    )
    np.testing.assert_allclose(got_h, want_h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got_c, want_c, rtol=0, atol=1e-12)
    # The reverse mapping, from random Keras weights.
    keras_weights = [
        rng.normal(size=(depth, 4 * units)), rng.normal(size=(units, 4 * units)),
        rng.normal(size=4 * units),
    ]
    got_h, (_, got_c) = _keras_cell_step(cell, keras_weights, x, [h, c])
    tf1 = keras_to_basic_lstm(*keras_weights, forget_bias=forget_bias)
    want_h, (want_c, _) = ref.LSTM(*tf1, forget_bias=forget_bias)(x, (c, h))
    np.testing.assert_allclose(got_h, want_h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got_c, want_c, rtol=0, atol=1e-12)


@given(_step_problem())
def test_mapped_gru_and_rnn_steps_equal_tf1_steps(problem):
    rng, depth, units, x = problem
    h = rng.normal(size=(x.shape[0], units))
    gru = [
        rng.normal(size=(depth + units, 2 * units)), rng.normal(size=2 * units),
        rng.normal(size=(depth + units, units)), rng.normal(size=units),
    ]
    want, _ = ref.GRU(*gru)(x, h)
    cell = keras.layers.GRUCell(units, reset_after=False, dtype="float64")
    got, _ = _keras_cell_step(cell, gru_to_keras(*gru), x, [h])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)

    basic = [rng.normal(size=(depth + units, units)), rng.normal(size=units)]
    want, _ = ref.BasicRNN(*basic)(x, h)
    cell = keras.layers.SimpleRNNCell(units, dtype="float64")
    got, _ = _keras_cell_step(cell, basic_rnn_to_keras(*basic), x, [h])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: basic_lstm_to_keras(np.zeros((5, 8)), np.zeros(6)), "`bias`"),
        (lambda: basic_lstm_to_keras(np.zeros((5, 12)), np.zeros(8)), "`kernel`"),
        (lambda: basic_lstm_to_keras(np.zeros((2, 8)), np.zeros(8)), "`kernel`"),
        (lambda: basic_lstm_to_keras(np.zeros(8), np.zeros(8)), "`kernel`"),
        (lambda: basic_lstm_to_keras(np.zeros((5, 8), int), np.zeros(8)), "`kernel`"),
        (lambda: basic_lstm_to_keras(np.zeros((5, 8)), np.zeros(8, "f4")), "`bias`"),
        (lambda: basic_lstm_to_keras(np.zeros((5, 8)), np.zeros(8), np.nan), "`forget_bias`"),
        (lambda: keras_to_basic_lstm(np.zeros((3, 8)), np.zeros((3, 8)), np.zeros(8)), "`recurrent_kernel`"),
        (lambda: keras_to_basic_lstm(np.zeros((3, 4)), np.zeros((2, 8)), np.zeros(8)), "`kernel`"),
        (lambda: gru_to_keras(np.zeros((5, 4)), np.zeros(4), np.zeros((5, 3)), np.zeros(2)), "`candidate_kernel`"),
        (lambda: gru_to_keras(np.zeros((5, 4)), np.zeros(4), np.zeros((5, 2)), np.zeros(3)), "`candidate_bias`"),
        (lambda: gru_to_keras(np.zeros((5, 4)), np.zeros(3), np.zeros((5, 2)), np.zeros(2)), "`gates_bias`"),
        (lambda: keras_to_gru(np.zeros((3, 6)), np.zeros((2, 6)), np.zeros((2, 6))), "reset_after=True"),
        (lambda: keras_to_gru(np.zeros((3, 6)), np.zeros((3, 6)), np.zeros(6)), "`recurrent_kernel`"),
        (lambda: basic_rnn_to_keras(np.zeros((2, 2)), np.zeros(2)), "`kernel`"),
        (lambda: keras_to_basic_rnn(np.zeros((3, 2)), np.zeros((2, 3)), np.zeros(2)), "`recurrent_kernel`"),
        (lambda: fully_connected_to_keras(np.zeros((3, 2)), np.zeros(3)), "`biases`"),
        (lambda: keras_to_fully_connected(np.zeros((3, 2)), np.zeros((2, 1))), "`bias`"),
        (lambda: embedding_to_keras(np.zeros(12)), "`embeddings`"),
        (lambda: keras_to_embedding(np.zeros((12, 10), int)), "`embeddings`"),
    ],
)
def test_mappings_name_the_bad_argument(call, argument):
    with pytest.raises((ValueError, TypeError), match=argument.replace("(", r"\(")):
        call()


# -- whole graphs against whole models -----------------------------------------

BATCH, TIME, DEPTH, UNITS, CLASSES = 4, 6, 3, 4, 5
LENGTHS = np.array([6, 3, 1, 0], np.int32)  # full, padded, one step, empty


def _genuine_rnn_cells():
    try:
        module = tf.compat.v1.nn.rnn_cell
        module.BasicLSTMCell  # noqa: B018 -- raises on Keras 3
        return module
    except (AttributeError, ImportError):
        return None


CELL_SOURCES = [pytest.param(compat_rnn, id="compat")]
CELL_SOURCES.append(
    pytest.param(
        _genuine_rnn_cells(),
        id="genuine",
        marks=pytest.mark.skipif(
            _genuine_rnn_cells() is None,
            reason=f"genuine tf.compat.v1.nn.rnn_cell is absent with Keras "
            f"{keras.__version__} (TensorFlow {tf.__version__})",
        ),
    )
)


def _lstm_with_head(rnn, x, lengths):
    out, state = v1.nn.dynamic_rnn(
        rnn.BasicLSTMCell(UNITS, forget_bias=0.75), x, sequence_length=lengths, dtype=x.dtype
    )
    logits = contrib_layers.fully_connected(out, CLASSES, activation_fn=None)
    return [logits, out, state.h, state.c]


def _keras_lstm_with_head(x, mask, dtype):
    out, h, c = keras.layers.LSTM(
        UNITS, return_sequences=True, return_state=True, zero_output_for_mask=True,
        dtype=dtype, name="lstm",
    )(x, mask=mask)
    return [keras.layers.Dense(CLASSES, dtype=dtype, name="logits")(out), out, h, c]


def _gru(rnn, x, lengths):
    out, state = v1.nn.dynamic_rnn(rnn.GRUCell(UNITS), x, sequence_length=lengths, dtype=x.dtype)
    return [out, state]


def _keras_gru(x, mask, dtype):
    return keras.layers.GRU(
        UNITS, reset_after=False, return_sequences=True, return_state=True,
        zero_output_for_mask=True, dtype=dtype, name="gru",
    )(x, mask=mask)


def _basic_rnn(rnn, x, lengths):
    out, state = v1.nn.dynamic_rnn(rnn.BasicRNNCell(UNITS), x, sequence_length=lengths, dtype=x.dtype)
    return [out, state]


def _keras_simple_rnn(x, mask, dtype):
    return keras.layers.SimpleRNN(
        UNITS, return_sequences=True, return_state=True, zero_output_for_mask=True,
        dtype=dtype, name="rnn",
    )(x, mask=mask)


def _stacked_lstm(rnn, x, lengths):
    cell = rnn.MultiRNNCell([rnn.BasicLSTMCell(UNITS), rnn.BasicLSTMCell(UNITS + 1)])
    out, (first, second) = v1.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=x.dtype)
    return [out, first.h, first.c, second.h, second.c]


def _keras_stacked_lstm(x, mask, dtype):
    cells = [keras.layers.LSTMCell(UNITS, dtype=dtype), keras.layers.LSTMCell(UNITS + 1, dtype=dtype)]
    return keras.layers.RNN(
        keras.layers.StackedRNNCells(cells, dtype=dtype), return_sequences=True, return_state=True,
        zero_output_for_mask=True, dtype=dtype, name="stack",
    )(x, mask=mask)


def _bidirectional_lstm(rnn, x, lengths):
    (out_fw, out_bw), (fw, bw) = v1.nn.bidirectional_dynamic_rnn(
        rnn.BasicLSTMCell(UNITS), rnn.BasicLSTMCell(UNITS, forget_bias=0.0), x,
        sequence_length=lengths, dtype=x.dtype,
    )
    return [out_fw, out_bw, fw.h, fw.c, bw.h, bw.c]


def _keras_bidirectional_lstm(x, mask, dtype):
    return keras.layers.Bidirectional(
        keras.layers.LSTM(UNITS, return_sequences=True, return_state=True, dtype=dtype),
        merge_mode=None, dtype=dtype, name="bidi",
    )(x, mask=mask)


CASES = {
    "lstm+dense": (
        _lstm_with_head,
        _keras_lstm_with_head,
        [
            Link("rnn/basic_lstm_cell", "lstm", kind="basic_lstm", forget_bias=0.75),
            Link("fully_connected", "logits", kind="dense"),
        ],
    ),
    "gru": (_gru, _keras_gru, [Link("rnn/gru_cell", "gru", kind="gru")]),
    "basic_rnn": (_basic_rnn, _keras_simple_rnn, [Link("rnn/basic_rnn_cell", "rnn", kind="basic_rnn")]),
    "multi_rnn_cell": (
        _stacked_lstm,
        _keras_stacked_lstm,
        [
            Link(f"rnn/multi_rnn_cell/cell_{i}/basic_lstm_cell", f"stack/cell_{i}", kind="basic_lstm")
            for i in range(2)
        ],
    ),
    "bidirectional": (
        _bidirectional_lstm,
        _keras_bidirectional_lstm,
        [
            Link("bidirectional_rnn/fw/basic_lstm_cell", "bidi/forward", kind="basic_lstm"),
            Link("bidirectional_rnn/bw/basic_lstm_cell", "bidi/backward", kind="basic_lstm",
                 forget_bias=0.0),
        ],
    ),
}


class _Tf1Model:
    """A TF1 graph built by `build(rnn, x, lengths)`, with its own session."""

    def __init__(self, build, rnn, dtype, optimizer=False):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.x = v1.placeholder(dtype, [None, None, DEPTH])
            self.lengths = v1.placeholder(tf.int32, [None])
            self.fetches = build(rnn, self.x, self.lengths)
            if optimizer:
                loss = tf.add_n([tf.reduce_sum(t) for t in self.fetches])
                v1.train.AdamOptimizer().minimize(loss)
            init = v1.global_variables_initializer()
            self.saver = v1.train.Saver()
        self.session = v1.Session(graph=self.graph)
        self.session.run(init)

    def __call__(self, inputs):
        return self.session.run(self.fetches, {self.x: inputs, self.lengths: LENGTHS})

    def close(self):
        self.session.close()


def _keras_model(build, dtype):
    x = keras.Input((TIME, DEPTH), dtype=dtype)
    mask = keras.Input((TIME,), dtype="bool")
    # Flat outputs: Keras 3.3 takes no nested lists as a model's outputs.
    return keras.Model([x, mask], tf.nest.flatten(build(x, mask, dtype)))


def _keras_outputs(model, inputs):
    mask = np.arange(TIME)[None, :] < LENGTHS[:, None]
    return [t.numpy() for t in tf.nest.flatten(model([inputs, mask]))]


def _random_like(rng, arrays):
    return {name: rng.uniform(-1, 1, np.shape(a)).astype(np.asarray(a).dtype)
            for name, a in arrays.items()}


def _assert_outputs_close(got, want, dtype):
    assert len(got) == len(want)
    for index, (g, w) in enumerate(zip(got, want)):
        assert g.shape == w.shape, f"output {index}"
        np.testing.assert_allclose(g, w, rtol=0, atol=TOLERANCE[dtype], err_msg=f"output {index}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("rnn", CELL_SOURCES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_tf1_graph_and_keras_model_agree(case, rnn, dtype):
    build_tf1, build_keras, links = CASES[case]
    plan = TransferPlan(links)
    rng = np.random.default_rng(sorted(CASES).index(case))
    inputs = rng.normal(size=(BATCH, TIME, DEPTH)).astype(dtype)
    tf1 = _Tf1Model(build_tf1, rnn, dtype)
    try:
        model = _keras_model(build_keras, dtype)

        # TF1 -> Keras, with every TF1 variable (biases too) randomised.
        write_tf1_variables(tf1.session, _random_like(rng, read_tf1_variables(tf1.session)))
        plan.to_keras(read_tf1_variables(tf1.session), model)
        want = tf1(inputs)
        got = _keras_outputs(model, inputs)
        _assert_outputs_close(got, want, dtype)
        # Padded steps are exactly zero in both (dynamic_rnn's convention).
        padded = np.arange(TIME)[None, :] >= LENGTHS[:, None]
        assert np.all(got[1 if case == "lstm+dense" else 0][padded] == 0)

        # Keras -> TF1, from random Keras weights.
        model.set_weights([rng.uniform(-1, 1, w.shape).astype(w.dtype) for w in model.get_weights()])
        write_tf1_variables(tf1.session, plan.to_tf1(model))
        _assert_outputs_close(tf1(inputs), _keras_outputs(model, inputs), dtype)
    finally:
        tf1.close()


def test_checkpoint_loads_into_keras(tmp_path):
    """A TF1 checkpoint (with Adam slots) -> Keras, outputs equal."""
    build_tf1, build_keras, links = CASES["lstm+dense"]
    dtype = "float64"
    rng = np.random.default_rng(11)
    inputs = rng.normal(size=(BATCH, TIME, DEPTH))
    tf1 = _Tf1Model(build_tf1, compat_rnn, dtype, optimizer=True)
    try:
        trainable = {v.op.name for v in tf1.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)}
        write_tf1_variables(
            tf1.session,
            _random_like(rng, {k: v for k, v in read_tf1_variables(tf1.session).items() if k in trainable}),
        )
        with tf1.graph.as_default():  # else Saver.save takes its eager path
            prefix = tf1.saver.save(tf1.session, str(tmp_path / "model.ckpt"))
        want = tf1(inputs)
    finally:
        tf1.close()

    variables = read_tf1_variables(prefix)
    assert read_tf1_variables(str(tmp_path)).keys() == variables.keys()  # directory works too
    assert "rnn/basic_lstm_cell/kernel/Adam" in variables and "beta1_power" in variables
    model = _keras_model(build_keras, dtype)
    with pytest.raises(ValueError, match=r"no link consumes.*beta1_power"):
        TransferPlan(links).to_keras(variables, model)
    TransferPlan(links, ignore=(r"/Adam(_1)?$", r"^beta[12]_power$")).to_keras(variables, model)
    _assert_outputs_close(_keras_outputs(model, inputs), want, dtype)


# -- embeddings ----------------------------------------------------------------

VOCABULARY, EMBEDDING = 7, 3
EMBEDDING_LINKS = [
    Link("embedding", "embedding", kind="embedding"),
    Link("rnn/basic_rnn_cell", "rnn", kind="basic_rnn"),
]


@EXAMPLES
@given(st.sampled_from(["float32", "float64"]).flatmap(
    lambda dtype: _arrays(dtype, (VOCABULARY, EMBEDDING))))
def test_embedding_round_trip_is_exact(embeddings):
    (keras_embeddings,) = embedding_to_keras(embeddings)
    np.testing.assert_array_equal(keras_embeddings, embeddings)
    (back,) = keras_to_embedding(keras_embeddings)
    np.testing.assert_array_equal(back, embeddings)
    assert back.dtype == embeddings.dtype


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_embedding_lookup_graph_and_keras_embedding_agree(dtype):
    """embedding_lookup + BasicRNNCell against Embedding + SimpleRNN, both
    directions; every index (0 included) is looked up, some repeatedly, so
    a row moved or mixed up changes the outputs."""
    rng = np.random.default_rng(7)
    ids = np.concatenate(
        [np.arange(VOCABULARY), rng.integers(0, VOCABULARY, BATCH * TIME - VOCABULARY)]
    ).reshape(BATCH, TIME).astype(np.int32)
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.int32, [None, TIME])
        with v1.variable_scope("embedding"):
            embeddings = v1.get_variable("embeddings", [VOCABULARY, EMBEDDING], dtype)
        embedded = v1.nn.embedding_lookup(embeddings, x)
        outputs, _ = v1.nn.dynamic_rnn(compat_rnn.BasicRNNCell(UNITS), embedded, dtype=dtype)
        init = v1.global_variables_initializer()
    ids_in = keras.Input((TIME,), dtype="int32")
    keras_embedded = keras.layers.Embedding(VOCABULARY, EMBEDDING, dtype=dtype, name="embedding")(ids_in)
    model = keras.Model(ids_in, [keras_embedded, keras.layers.SimpleRNN(
        UNITS, return_sequences=True, dtype=dtype, name="rnn")(keras_embedded)])
    plan = TransferPlan(EMBEDDING_LINKS)
    session = v1.Session(graph=graph)  # not as a context: Keras runs eagerly
    try:
        session.run(init)
        write_tf1_variables(session, _random_like(rng, read_tf1_variables(session)))
        plan.to_keras(read_tf1_variables(session), model)
        want = session.run([embedded, outputs], {x: ids})
        _assert_outputs_close([t.numpy() for t in model(ids)], want, dtype)

        model.set_weights([rng.uniform(-1, 1, w.shape).astype(w.dtype) for w in model.get_weights()])
        write_tf1_variables(session, plan.to_tf1(model))
        _assert_outputs_close(session.run([embedded, outputs], {x: ids}),
                              [t.numpy() for t in model(ids)], dtype)
    finally:
        session.close()


# -- misuse ------------------------------------------------------------------


@pytest.fixture(scope="module")
def lstm_setup():
    """A built TF1 LSTM+dense graph's variables and matching Keras model."""
    build_tf1, build_keras, _ = CASES["lstm+dense"]
    tf1 = _Tf1Model(build_tf1, compat_rnn, "float32")
    variables = read_tf1_variables(tf1.session)
    tf1.close()
    return variables, _keras_model(build_keras, "float32")


LSTM_LINK = Link("rnn/basic_lstm_cell", "lstm", kind="basic_lstm")
DENSE_LINK = Link("fully_connected", "logits", kind="dense")


def test_plan_refuses_unconsumed_and_missing_variables(lstm_setup):
    variables, model = lstm_setup
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=r"no link consumes.*fully_connected/biases"):
        TransferPlan([LSTM_LINK]).to_keras(variables, model)
    without_kernel = {k: v for k, v in variables.items() if k != "rnn/basic_lstm_cell/kernel"}
    with pytest.raises(ValueError, match=r"absent: \['rnn/basic_lstm_cell/kernel'\]"):
        TransferPlan([LSTM_LINK, DENSE_LINK]).to_keras(without_kernel, model)
    # Nothing was assigned by the failed transfers.
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)


def test_plan_checks_targets(lstm_setup):
    variables, model = lstm_setup
    cases = [
        (Link("rnn/basic_lstm_cell", "nope", kind="basic_lstm"), "nope"),
        (Link("rnn/basic_lstm_cell", "logits", kind="basic_lstm"), "expected LSTM or LSTMCell"),
        (Link("rnn/basic_lstm_cell", "lstm/cell_0", kind="basic_lstm"), "cannot resolve 'cell_0'"),
        (Link("rnn/basic_lstm_cell", "lstm", kind="gru"), "expected GRU or GRUCell"),
        (Link("embedding", "logits", kind="embedding"), "expected Embedding"),
    ]
    for link, message in cases:
        with pytest.raises(ValueError, match=message):
            TransferPlan([link]).to_tf1(model)
    with pytest.raises(ValueError, match="nope"):
        TransferPlan([LSTM_LINK, Link("fully_connected", "nope", kind="dense")]).to_keras(
            variables, model
        )


def test_plan_checks_shapes_and_bias_presence(lstm_setup):
    variables, model = lstm_setup
    wrong = dict(variables)
    wrong["fully_connected/weights"] = np.zeros((UNITS + 1, CLASSES), np.float32)
    with pytest.raises(ValueError, match=r"weight 0 of 'logits' has shape \[4, 5\]"):
        TransferPlan([LSTM_LINK, DENSE_LINK]).to_keras(wrong, model)
    no_bias = {k: v for k, v in variables.items() if k != "fully_connected/biases"}
    with pytest.raises(ValueError, match="holds 2 weights.*give 1"):
        TransferPlan([LSTM_LINK, DENSE_LINK]).to_keras(no_bias, model)
    lossy = {k: v.astype(np.float64) for k, v in variables.items()}
    with pytest.raises(ValueError, match="lose precision"):
        TransferPlan([LSTM_LINK, DENSE_LINK]).to_keras(lossy, model)


def test_plan_addressing_in_wrappers():
    stack = _keras_model(_keras_stacked_lstm, "float32")
    bidi = _keras_model(_keras_bidirectional_lstm, "float32")
    with pytest.raises(ValueError, match=r"stack of 2 cells.*cell_<i>"):
        TransferPlan([Link("a", "stack", kind="basic_lstm")]).to_tf1(stack)
    with pytest.raises(ValueError, match=r"stack of 2 cells"):
        TransferPlan([Link("a", "stack/cell_2", kind="basic_lstm")]).to_tf1(stack)
    with pytest.raises(ValueError, match="Bidirectional.*forward"):
        TransferPlan([Link("a", "bidi", kind="basic_lstm")]).to_tf1(bidi)
    names = TransferPlan([Link("a", "bidi/backward", kind="basic_lstm")]).to_tf1(bidi)
    assert sorted(names) == ["a/bias", "a/kernel"]


def test_plan_addresses_the_layer_inside_time_distributed():
    x = keras.Input((TIME, DEPTH))
    wrapped = keras.layers.TimeDistributed(keras.layers.Dense(UNITS), name="td")
    model = keras.Model(x, wrapped(x))
    rng = np.random.default_rng(0)
    values = {"fc/weights": rng.normal(size=(DEPTH, UNITS)).astype("float32"),
              "fc/biases": rng.normal(size=UNITS).astype("float32")}
    plan = TransferPlan([Link("fc", "td", kind="dense")])
    plan.to_keras(values, model)
    np.testing.assert_array_equal(wrapped.layer.kernel.numpy(), values["fc/weights"])
    back = plan.to_tf1(model)
    assert sorted(back) == sorted(values)
    for name, value in values.items():
        np.testing.assert_array_equal(back[name], value)


def test_plan_refuses_reset_after_gru_and_unbuilt_layers():
    x = keras.Input((TIME, DEPTH))
    model = keras.Model(x, keras.layers.GRU(UNITS, name="gru")(x))
    with pytest.raises(ValueError, match="reset_after=True"):
        TransferPlan([Link("rnn/gru_cell", "gru", kind="gru")]).to_tf1(model)
    unbuilt = keras.Sequential([keras.layers.Dense(2, name="d")])
    with pytest.raises(ValueError, match="no weights yet"):
        TransferPlan([Link("fc", "d", kind="dense")]).to_tf1(unbuilt)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Link("", "x", kind="dense"), "`tf1_scope`"),
        (lambda: Link("a/", "x", kind="dense"), "`tf1_scope`"),
        (lambda: Link("a", "x/left", kind="dense"), "`keras_target`"),
        (lambda: Link("a", "x", kind="lstm_cell"), "`kind`"),
        (lambda: Link("a", "x", kind="gru", forget_bias=1.0), "`forget_bias`"),
        (lambda: Link("a", "x", kind="basic_lstm", forget_bias=float("inf")), "`forget_bias`"),
        (lambda: TransferPlan([]), "`links`"),
        (lambda: TransferPlan([Link("a", "x", kind="dense"), Link("a", "y", kind="dense")]), "tf1_scope"),
        (lambda: TransferPlan([Link("a", "x", kind="dense"), Link("b", "x", kind="dense")]), "keras_target"),
        (lambda: TransferPlan([Link("a", "x", kind="dense")], ignore=["("]), "`ignore`"),
        (lambda: read_tf1_variables(42), "`source`"),
        (lambda: write_tf1_variables("session", {}), "`session`"),
    ],
)
def test_construction_errors_name_the_argument(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_write_tf1_variables_checks_everything_before_assigning():
    tf1 = _Tf1Model(_basic_rnn, compat_rnn, "float64")
    try:
        values = read_tf1_variables(tf1.session)
        kernel, bias = "rnn/basic_rnn_cell/kernel", "rnn/basic_rnn_cell/bias"
        with pytest.raises(ValueError, match=rf"trainable variables without a value: \['{bias}'\]"):
            write_tf1_variables(tf1.session, {kernel: values[kernel] + 1})
        with pytest.raises(ValueError, match=r"not variables of the graph: \['extra'\]"):
            write_tf1_variables(tf1.session, {**values, "extra": np.zeros(1)})
        with pytest.raises(ValueError, match=rf"{bias}: shape \[3\] given"):
            write_tf1_variables(tf1.session, {kernel: values[kernel] + 1, bias: np.zeros(3)})
        after = read_tf1_variables(tf1.session)
        for name in values:
            np.testing.assert_array_equal(after[name], values[name])
        # A lossless cast is fine: float32 values into the float64 graph.
        write_tf1_variables(tf1.session, {k: v.astype(np.float32) for k, v in values.items()})
        with pytest.raises(TypeError, match="`values`"):
            write_tf1_variables(tf1.session, [values])
    finally:
        tf1.close()

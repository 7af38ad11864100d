"""compat's cells against the genuine TF1 cells: variables, shapes and values.

Every comparison builds the same :class:`graph_builder.Case` twice, once with
the genuine ``tf.compat.v1.nn.rnn_cell`` and once with ``compat.rnn_cell``,
loads identical random values into the variables of both (by name), feeds
identical inputs, and requires equal variable lists, equal static shapes,
equal state structures and outputs/final states within 1e-6 (float32) or
1e-12 (float64).
"""

import os

import hypothesis
import numpy as np
import pytest
from hypothesis import strategies as st

from .graph_builder import (
    DRIVERS,
    Case,
    assert_results_close,
    build,
    cell,
    multi,
    random_inputs,
    random_values,
    run,
    static_shapes,
    structure,
    variable_signature,
)

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*is deprecated:UserWarning"),
    # The genuine cells' Keras-v2 default initializer, once per shard.
    pytest.mark.filterwarnings("ignore:The initializer .* is unseeded:UserWarning"),
]

CELL_NAMES = ("BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell", "LSTMStateTuple")

# Every constructor option of every cell, at least once.
CELLS = {
    "basic_rnn": cell("BasicRNNCell", 5),
    "basic_rnn-relu": cell("BasicRNNCell", 4, activation="relu"),
    "basic_rnn-named": cell("BasicRNNCell", 4, name="my_rnn"),
    "basic_lstm": cell("BasicLSTMCell", 5),
    "basic_lstm-forget_bias=0": cell("BasicLSTMCell", 5, forget_bias=0.0),
    "basic_lstm-forget_bias=2.5": cell("BasicLSTMCell", 4, forget_bias=2.5),
    "basic_lstm-not_tuple": cell("BasicLSTMCell", 5, state_is_tuple=False),
    "basic_lstm-softsign": cell("BasicLSTMCell", 4, activation="softsign"),
    "basic_lstm-named": cell("BasicLSTMCell", 4, name="my_lstm"),
    "lstm": cell("LSTMCell", 5),
    "lstm-peepholes": cell("LSTMCell", 5, use_peepholes=True),
    "lstm-cell_clip": cell("LSTMCell", 5, cell_clip=0.3),
    "lstm-num_proj": cell("LSTMCell", 5, num_proj=3),
    "lstm-proj_clip": cell("LSTMCell", 5, num_proj=3, proj_clip=0.2),
    "lstm-initializer": cell("LSTMCell", 4, initializer="orthogonal"),
    "lstm-forget_bias=0.5": cell("LSTMCell", 4, forget_bias=0.5),
    "lstm-not_tuple": cell("LSTMCell", 4, state_is_tuple=False),
    "lstm-not_tuple-num_proj": cell("LSTMCell", 5, num_proj=2, state_is_tuple=False),
    "lstm-relu": cell("LSTMCell", 4, activation="relu"),
    "lstm-shards": cell("LSTMCell", 4, num_proj=3, num_unit_shards=2, num_proj_shards=2),
    "lstm-everything": cell(
        "LSTMCell", 5, use_peepholes=True, cell_clip=0.5, num_proj=4,
        proj_clip=0.05, forget_bias=0.0, initializer="uniform", activation="softsign",
    ),
    "gru": cell("GRUCell", 5),
    "gru-relu": cell("GRUCell", 4, activation="relu"),
    "gru-initializers": cell(
        "GRUCell", 4, kernel_initializer="normal", bias_initializer="constant"
    ),
    "gru-named": cell("GRUCell", 3, name="my_gru"),
    "multi": multi(
        cell("BasicLSTMCell", 4), cell("GRUCell", 3), cell("LSTMCell", 5, num_proj=2)
    ),
    "multi-not_tuple": multi(
        cell("BasicRNNCell", 3), cell("GRUCell", 4),
        cell("BasicLSTMCell", 2, state_is_tuple=False), state_is_tuple=False,
    ),
    "multi-nested": multi(
        multi(cell("BasicRNNCell", 3), cell("LSTMCell", 4, use_peepholes=True)),
        cell("GRUCell", 2),
    ),
    "multi-single": multi(cell("BasicLSTMCell", 3)),
}

LENGTHS = (4, 1, 0)  # batch 3, time 4: full, short and empty rows

# Each driver with and without sequence_length, on a cell of each state kind.
DRIVER_CELLS = ("basic_lstm", "lstm-everything", "gru", "multi", "multi-not_tuple")


def compare(genuine, compat_cells, case, seed=0):
    """Build ``case`` with both modules; assert they agree; return the genuine
    results."""
    expected_graph = build(genuine, case)
    actual_graph = build(compat_cells, case)
    signature = variable_signature(expected_graph)
    assert variable_signature(actual_graph) == signature
    assert static_shapes(actual_graph) == static_shapes(expected_graph)
    for expected_cell, actual_cell in zip(expected_graph.cells, actual_graph.cells, strict=True):
        assert actual_cell.state_size == expected_cell.state_size
        assert structure(actual_cell.state_size) == structure(expected_cell.state_size)
        assert actual_cell.output_size == expected_cell.output_size
    values = random_values(signature, case.dtype, seed)
    inputs = random_inputs(case, seed)
    expected = run(expected_graph, inputs, values)
    actual = run(actual_graph, inputs, values)
    assert_results_close(expected, actual, case.dtype)
    return expected


def test_genuine_module_is_the_legacy_implementation(genuine):
    for name in CELL_NAMES:
        module = getattr(genuine, name).__module__
        assert module.endswith(".layers.rnn.legacy_cells"), module
        if os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true"):
            assert module.startswith("tf_keras."), module


def test_compat_cells_are_not_the_genuine_ones(genuine, compat_cells):
    import compat.contrib.rnn

    for name in CELL_NAMES:
        ours = getattr(compat_cells, name)
        assert ours is not getattr(genuine, name)
        assert ours.__module__.startswith("compat."), ours.__module__
        assert getattr(compat.contrib.rnn, name) is ours


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("cell_id", list(CELLS))
def test_every_cell_option_under_dynamic_rnn(genuine, compat_cells, cell_id, dtype):
    compare(genuine, compat_cells,
            Case(CELLS[cell_id], dtype=dtype, sequence_length=LENGTHS))


@pytest.mark.parametrize("lengths", [None, LENGTHS], ids=["full", "lengths"])
@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("cell_id", DRIVER_CELLS)
def test_every_driver(genuine, compat_cells, cell_id, driver, lengths):
    compare(genuine, compat_cells,
            Case(CELLS[cell_id], driver=driver, sequence_length=lengths))


@pytest.mark.parametrize("driver", ["dynamic", "bidirectional"])
@pytest.mark.parametrize("cell_id", ["lstm-not_tuple-num_proj", "multi"])
def test_time_major_with_zero_state_as_initial_state(
        genuine, compat_cells, cell_id, driver):
    compare(genuine, compat_cells, Case(
        CELLS[cell_id], driver=driver, dtype="float64", sequence_length=(2, 4, 3),
        time_major=True, initial_state=True,
    ))


@pytest.mark.parametrize("cell_id", ["lstm-cell_clip", "lstm-proj_clip", "lstm-everything"])
def test_clipping_is_active_in_the_compared_graphs(genuine, compat_cells, cell_id):
    """The clip cases above would not notice a missing clip unless it bites."""
    options = dict(CELLS[cell_id].options)
    state = compare(genuine, compat_cells, Case(CELLS[cell_id]))["state"]
    if "cell_clip" in options:
        assert np.max(np.abs(state.c)) == pytest.approx(options["cell_clip"])
    if "proj_clip" in options:
        assert np.max(np.abs(state.h)) == pytest.approx(options["proj_clip"])


def test_forget_bias_matters_in_the_compared_graphs(genuine, compat_cells):
    """Guard against a forget_bias that is a no-op for these inputs and values."""
    results = [
        compare(genuine, compat_cells, Case(cell("BasicLSTMCell", 4, forget_bias=bias)))
        for bias in (0.0, 2.5)
    ]
    assert not np.allclose(results[0]["outputs"], results[1]["outputs"], atol=1e-3)


# -- hypothesis ------------------------------------------------------------

def _single_cells():
    units = st.integers(1, 5)
    activation = st.sampled_from([None, "relu", "sigmoid", "softsign"])

    def with_activation(kind, num_units, activation, **options):
        if activation is not None:
            options["activation"] = activation
        return cell(kind, num_units, **options)

    basic_rnn = st.builds(with_activation, st.just("BasicRNNCell"), units, activation)
    gru = st.builds(with_activation, st.just("GRUCell"), units, activation)
    basic_lstm = st.builds(
        with_activation, st.just("BasicLSTMCell"), units, activation,
        forget_bias=st.sampled_from([0.0, 0.5, 1.0, 3.0]),
        state_is_tuple=st.booleans(),
    )
    lstm = st.builds(
        with_activation, st.just("LSTMCell"), units, activation,
        use_peepholes=st.booleans(),
        cell_clip=st.sampled_from([None, 0.2, 1.0]),
        num_proj=st.sampled_from([None, 1, 3]),
        forget_bias=st.sampled_from([0.0, 1.0, 2.0]),
        state_is_tuple=st.booleans(),
    ).map(_with_proj_clip_only_with_num_proj)
    return st.one_of(basic_rnn, gru, basic_lstm, lstm)


def _with_proj_clip_only_with_num_proj(spec):
    options = dict(spec.options)
    if options.get("num_proj") is None:
        options.pop("num_proj", None)
    else:
        options["proj_clip"] = 0.4
    return cell(spec.kind, spec.num_units, **options)


def _has_tuple_state(spec):
    return spec.kind in ("BasicLSTMCell", "LSTMCell") and dict(spec.options).get(
        "state_is_tuple", True)


@st.composite
def _cases(draw):
    layer = _single_cells()
    cell_spec = draw(st.one_of(
        layer,
        st.lists(layer, min_size=1, max_size=3).map(lambda layers: multi(*layers)),
        st.lists(layer.filter(lambda spec: not _has_tuple_state(spec)),
                 min_size=1, max_size=3).map(
            lambda layers: multi(*layers, state_is_tuple=False)),
    ))
    batch = draw(st.integers(1, 3))
    time = draw(st.integers(1, 5))
    lengths = draw(st.none() | st.tuples(*[st.integers(0, time)] * batch))
    driver = draw(st.sampled_from(DRIVERS))
    return Case(
        cell_spec, driver=driver, dtype=draw(st.sampled_from(["float32", "float64"])),
        batch=batch, time=time, depth=draw(st.integers(1, 4)), sequence_length=lengths,
        time_major=not driver.startswith("static") and draw(st.booleans()),
    )


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(case=_cases(), seed=st.integers(0, 2**16))
def test_random_cells_shapes_and_values(genuine, compat_cells, case, seed):
    compare(genuine, compat_cells, case, seed)

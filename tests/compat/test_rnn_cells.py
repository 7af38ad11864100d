"""The compat cells against the independent numpy reference.

Shapes, lengths, options and values are drawn by hypothesis; the variables
are set to random numpy values from the test, so the comparison does not
depend on initialisers. Every driver with every cell option is also run on
pinned configurations, in both graph modes, by the fresh process. Initial
values are pinned separately at the end.
"""

import contextlib
import dataclasses
import functools
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from compat.contrib import rnn  # noqa: E402
from tests.reference import numpy_rnn as ref  # noqa: E402

v1 = tf.compat.v1

TOLERANCE = {tf.float32: 1e-6, tf.float64: 1e-12}
TF_ACTIVATIONS = {"tanh": tf.tanh, "sigmoid": tf.sigmoid, "relu": tf.nn.relu, "softsign": tf.nn.softsign}


# -- cell specifications -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CellSpec:
    """A compat cell's constructor arguments, and the matching numpy cell."""

    kind: str
    units: int
    activation: str = None
    activation_by_name: bool = False
    forget_bias: float = 1.0
    state_is_tuple: bool = True
    use_peepholes: bool = False
    cell_clip: float = None
    num_proj: int = None
    proj_clip: float = None
    num_unit_shards: int = None

    def make(self):
        kwargs = {}
        if self.activation is not None:
            kwargs["activation"] = (
                self.activation if self.activation_by_name else TF_ACTIVATIONS[self.activation]
            )
        if self.kind == "basic_rnn":
            return rnn.BasicRNNCell(self.units, **kwargs)
        if self.kind == "gru":
            return rnn.GRUCell(self.units, **kwargs)
        kwargs.update(forget_bias=self.forget_bias, state_is_tuple=self.state_is_tuple)
        if self.kind == "basic_lstm":
            return rnn.BasicLSTMCell(self.units, **kwargs)
        return rnn.LSTMCell(
            self.units,
            use_peepholes=self.use_peepholes,
            cell_clip=self.cell_clip,
            num_proj=self.num_proj,
            proj_clip=self.proj_clip,
            num_unit_shards=self.num_unit_shards,
            **kwargs,
        )

    def reference(self, values):
        """The numpy cell holding ``values`` (short variable name -> array)."""
        activation = self.activation or "tanh"
        if self.kind == "basic_rnn":
            return ref.BasicRNN(values["kernel"], values["bias"], activation)
        if self.kind == "gru":
            return ref.GRU(
                values["gates/kernel"],
                values["gates/bias"],
                values["candidate/kernel"],
                values["candidate/bias"],
                activation,
            )
        peepholes = None
        if self.use_peepholes:
            peepholes = (values["w_f_diag"], values["w_i_diag"], values["w_o_diag"])
        return ref.LSTM(
            values["kernel"],
            values["bias"],
            forget_bias=self.forget_bias,
            peepholes=peepholes,
            cell_clip=self.cell_clip,
            projection=values.get("projection/kernel"),
            proj_clip=self.proj_clip,
            state_is_tuple=self.state_is_tuple,
            activation=activation,
        )


@st.composite
def cell_specs(draw, kinds=("basic_rnn", "basic_lstm", "lstm", "gru"), state_is_tuple=None):
    kind = draw(st.sampled_from(kinds))
    spec = {
        "kind": kind,
        "units": draw(st.integers(1, 5)),
        "activation": draw(st.sampled_from([None, "tanh", "sigmoid", "relu", "softsign"])),
        "activation_by_name": draw(st.booleans()),
    }
    if kind in ("basic_lstm", "lstm"):
        spec["forget_bias"] = draw(st.sampled_from([1.0, 0.0, -0.7, 2.5]))
        spec["state_is_tuple"] = draw(st.booleans()) if state_is_tuple is None else state_is_tuple
    if kind == "lstm":
        spec["use_peepholes"] = draw(st.booleans())
        spec["cell_clip"] = draw(st.sampled_from([None, 0.05, 0.3, 2.0]))
        spec["num_proj"] = draw(st.sampled_from([None, 1, 2, 4]))
        spec["proj_clip"] = draw(st.sampled_from([None, 0.05, 0.4]))
        spec["num_unit_shards"] = draw(st.sampled_from([None, None, 2]))
    return CellSpec(**spec)


DTYPES = st.sampled_from([tf.float32, tf.float64])
SEEDS = st.integers(0, 2**32 - 1)


# -- graph helpers -------------------------------------------------------------


@contextlib.contextmanager
def graph_for_random_values():
    """A fresh default graph whose variables start at zero, as ``run_randomized``
    sets them all anyway (and a constant builds faster than glorot's random ops)."""
    with tf.Graph().as_default(), v1.variable_scope(v1.get_variable_scope(), initializer=v1.zeros_initializer()):
        yield


def randomize_variables(session, rng):
    """Assigns moderate random values to every global variable of the graph, in one run."""
    variables = v1.global_variables()
    values = {}
    for variable in variables:
        shape = variable.shape.as_list()
        scale = 1.0 / np.sqrt(shape[0]) if len(shape) == 2 else 1.0
        value = rng.uniform(-scale, scale, size=shape).astype(variable.dtype.base_dtype.as_numpy_dtype)
        values[variable.initializer.inputs[1]] = value  # what Variable.load feeds
    session.run([variable.initializer for variable in variables], values)


def cell_variables(cell):
    """Short variable name (``kernel``, ``gates/bias``, ...) -> value tensor of ``cell``'s variable."""
    prefix = cell.scope_name + "/"
    variables = {}
    for variable in cell.variables:
        assert variable.name.startswith(prefix), (variable.name, prefix)
        # A tensor, as sharded (partitioned) variables are not fetchable themselves.
        variables[variable.name[len(prefix) :].split(":")[0]] = tf.convert_to_tensor(variable)
    return variables


def run_randomized(fetches, cells, rng):
    """Runs ``fetches`` with random variables; returns them and each cell's variable values, read in the same run."""
    cell_values = [cell_variables(cell) for cell in cells]
    with v1.Session() as session:
        randomize_variables(session, rng)
        return session.run((fetches, cell_values))


def random_state(rng, state_size, batch):
    if isinstance(state_size, tuple):
        return type(state_size)(*(random_state(rng, s, batch) for s in state_size))
    return rng.uniform(-1, 1, size=(batch, state_size))


def cast_state(state, dtype):
    return tf.nest.map_structure(lambda s: np.asarray(s, dtype.as_numpy_dtype), state)


def max_abs_diff(actual, expected):
    actual, expected = tf.nest.flatten(actual), tf.nest.flatten(expected)
    assert len(actual) == len(expected)
    return max(float(np.max(np.abs(np.asarray(a, np.float64) - e), initial=0.0)) for a, e in zip(actual, expected))


def assert_close(actual, expected, dtype):
    assert tf.nest.is_nested(actual) == isinstance(expected, tuple)
    assert max_abs_diff(actual, expected) <= TOLERANCE[dtype]


@st.composite
def sequences(draw, max_batch=4, max_time=6):
    """``(batch, time, lengths)``: ``lengths`` is None or one length in [0, time] per row."""
    batch, time = draw(st.integers(1, max_batch), label="batch"), draw(st.integers(1, max_time), label="time")
    lengths = draw(st.none() | st.lists(st.integers(0, time), min_size=batch, max_size=batch).map(np.array))
    return batch, time, lengths


# -- one step ------------------------------------------------------------------


# Every option is exercised on every run, whatever hypothesis draws besides.
EXPLICIT_STEP_SPECS = [
    CellSpec("basic_rnn", 3),
    CellSpec("basic_lstm", 3, forget_bias=-0.7, state_is_tuple=False),
    CellSpec("lstm", 4, use_peepholes=True, cell_clip=0.05, num_proj=2, proj_clip=0.05, num_unit_shards=2),
    CellSpec("lstm", 3, forget_bias=2.5, cell_clip=0.3, state_is_tuple=False, activation="relu"),
    CellSpec("gru", 3, activation="sigmoid", activation_by_name=True),
]


def explicit_steps(test):
    for index, spec in enumerate(EXPLICIT_STEP_SPECS):
        for dtype in (tf.float32, tf.float64):
            test = example(spec=spec, dtype=dtype, batch=3, depth=2, seed=index)(test)
    return test


@given(spec=cell_specs(), dtype=DTYPES, batch=st.integers(1, 4), depth=st.integers(1, 5), seed=SEEDS)
@explicit_steps
def test_cell_step_matches_reference(spec, dtype, batch, depth, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(batch, depth))
    with graph_for_random_values():
        cell = spec.make()
        state = cast_state(random_state(rng, cell.state_size, batch), dtype)
        output, new_state = cell(x.astype(dtype.as_numpy_dtype), state)
        assert output.shape.as_list() == [batch, cell.output_size]
        (got_output, got_state), (values,) = run_randomized((output, new_state), [cell], rng)
    expected_output, expected_state = spec.reference(values)(x.astype(dtype.as_numpy_dtype), state)
    assert_close(got_output, expected_output, dtype)
    assert_close(got_state, expected_state, dtype)
    if spec.state_is_tuple and spec.kind in ("basic_lstm", "lstm"):
        assert isinstance(got_state, rnn.LSTMStateTuple)


# -- dynamic_rnn ---------------------------------------------------------------


@given(spec=cell_specs(), dtype=DTYPES, sequence=sequences(), depth=st.integers(1, 4), time_major=st.booleans(),
       random_initial=st.booleans(), seed=SEEDS)
def test_dynamic_rnn_matches_reference(spec, dtype, sequence, depth, time_major, random_initial, seed):
    batch, time, lengths = sequence
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(batch, time, depth)).astype(dtype.as_numpy_dtype)
    with graph_for_random_values():
        cell = spec.make()
        initial = cast_state(random_state(rng, cell.state_size, batch), dtype) if random_initial else None
        outputs, final_state = v1.nn.dynamic_rnn(
            cell,
            tf.constant(x.transpose(1, 0, 2) if time_major else x),
            sequence_length=lengths,
            initial_state=initial,
            dtype=dtype,
            time_major=time_major,
        )
        (got_outputs, got_state), (values,) = run_randomized((outputs, final_state), [cell], rng)
    expected_outputs, expected_state = ref.dynamic_rnn(
        spec.reference(values), x.transpose(1, 0, 2) if time_major else x, lengths, initial, time_major
    )
    assert got_outputs.shape == expected_outputs.shape
    assert_close(got_outputs, expected_outputs, dtype)
    assert_close(got_state, expected_state, dtype)
    if lengths is not None:
        past_length = np.arange(time)[None, :] >= lengths[:, None]
        batch_major = got_outputs.transpose(1, 0, 2) if time_major else got_outputs
        assert np.all(batch_major[past_length] == 0.0)


@given(specs=st.lists(cell_specs(), min_size=1, max_size=3), state_is_tuple=st.booleans(), dtype=DTYPES,
       sequence=sequences(max_batch=3, max_time=5), depth=st.integers(1, 4), seed=SEEDS)
def test_multi_rnn_cell_matches_reference(specs, state_is_tuple, dtype, sequence, depth, seed):
    batch, time, lengths = sequence
    if not state_is_tuple:
        specs = [dataclasses.replace(spec, state_is_tuple=False) for spec in specs]
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(batch, time, depth)).astype(dtype.as_numpy_dtype)
    with graph_for_random_values():
        cells = [spec.make() for spec in specs]
        stack = rnn.MultiRNNCell(cells, state_is_tuple=state_is_tuple)
        outputs, final_state = v1.nn.dynamic_rnn(stack, x, sequence_length=lengths, dtype=dtype)
        (got_outputs, got_state), values = run_randomized((outputs, final_state), cells, rng)
    numpy_cells = [spec.reference(cell_values) for spec, cell_values in zip(specs, values)]
    expected_outputs, expected_state = ref.dynamic_rnn(ref.MultiRNN(numpy_cells, state_is_tuple), x, lengths)
    assert_close(got_outputs, expected_outputs, dtype)
    assert_close(got_state, expected_state, dtype)


@given(spec_fw=cell_specs(), spec_bw=cell_specs(), dtype=DTYPES, sequence=sequences(max_time=5),
       depth=st.integers(1, 4), seed=SEEDS)
def test_bidirectional_dynamic_rnn_matches_reference(spec_fw, spec_bw, dtype, sequence, depth, seed):
    batch, time, lengths = sequence
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(batch, time, depth)).astype(dtype.as_numpy_dtype)
    with graph_for_random_values():
        cell_fw, cell_bw = spec_fw.make(), spec_bw.make()
        outputs, states = v1.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, x, sequence_length=lengths, dtype=dtype)
        (got_outputs, got_states), (values_fw, values_bw) = run_randomized((outputs, states), [cell_fw, cell_bw], rng)
    expected_outputs, expected_states = ref.bidirectional_dynamic_rnn(
        spec_fw.reference(values_fw), spec_bw.reference(values_bw), x, lengths
    )
    for got, expected in zip(got_outputs + got_states, expected_outputs + expected_states):
        assert_close(got, expected, dtype)


@given(spec=cell_specs(), dtype=DTYPES, sequence=sequences(max_time=5), depth=st.integers(1, 4), seed=SEEDS)
def test_static_rnn_matches_reference(spec, dtype, sequence, depth, seed):
    batch, time, lengths = sequence
    rng = np.random.default_rng(seed)
    steps = [rng.uniform(-1, 1, size=(batch, depth)).astype(dtype.as_numpy_dtype) for _ in range(time)]
    with graph_for_random_values():
        cell = spec.make()
        outputs, final_state = rnn.static_rnn(
            cell, [tf.constant(step) for step in steps], sequence_length=lengths, dtype=dtype
        )
        (got_outputs, got_state), (values,) = run_randomized((outputs, final_state), [cell], rng)
    expected_outputs, expected_state = ref.static_rnn(spec.reference(values), steps, lengths)
    for got, expected in zip(got_outputs, expected_outputs):
        assert_close(got, expected, dtype)
    assert_close(got_state, expected_state, dtype)


@given(specs=st.lists(st.tuples(cell_specs(), cell_specs()), min_size=1, max_size=2), dtype=DTYPES,
       sequence=sequences(max_batch=3, max_time=5), depth=st.integers(1, 4), seed=SEEDS)
def test_stack_bidirectional_dynamic_rnn_matches_reference(specs, dtype, sequence, depth, seed):
    batch, time, lengths = sequence
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(batch, time, depth)).astype(dtype.as_numpy_dtype)
    with graph_for_random_values():
        cells_fw, cells_bw = [fw.make() for fw, _ in specs], [bw.make() for _, bw in specs]
        result = rnn.stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, x, sequence_length=lengths, dtype=dtype)
        got, values = run_randomized(result, cells_fw + cells_bw, rng)
    numpy_fw = [fw.reference(cell_values) for (fw, _), cell_values in zip(specs, values)]
    numpy_bw = [bw.reference(cell_values) for (_, bw), cell_values in zip(specs, values[len(specs) :])]
    expected = ref.stack_bidirectional_dynamic_rnn(numpy_fw, numpy_bw, x, lengths)
    assert got[0].shape == (batch, time, specs[-1][0].make().output_size + specs[-1][1].make().output_size)
    for got_part, expected_part in zip(got, expected):
        assert_close(got_part, expected_part, dtype)


# -- initial values ------------------------------------------------------------

# (kind, constructor, [(short name, rows, columns or None, bias constant or None)])
# for input depth 3 and 4 units; bias constants are TF1's, kernels use glorot.
INITIAL_LAYOUTS = [
    ("basic_rnn_cell", lambda: rnn.BasicRNNCell(4), [("kernel", 7, 4, None), ("bias", 4, None, 0.0)]),
    ("basic_lstm_cell", lambda: rnn.BasicLSTMCell(4), [("kernel", 7, 16, None), ("bias", 16, None, 0.0)]),
    ("lstm_cell", lambda: rnn.LSTMCell(4), [("kernel", 7, 16, None), ("bias", 16, None, 0.0)]),
    (
        "gru_cell",
        lambda: rnn.GRUCell(4),
        [
            ("gates/kernel", 7, 8, None),
            ("gates/bias", 8, None, 1.0),
            ("candidate/kernel", 7, 4, None),
            ("candidate/bias", 4, None, 0.0),
        ],
    ),
]


@functools.lru_cache(maxsize=None)  # several tests read the same cell's initial values
def _initial_values(make_cell, dtype=tf.float32):
    with tf.Graph().as_default():
        v1.set_random_seed(777)
        cell = make_cell()
        v1.nn.dynamic_rnn(cell, tf.zeros([2, 5, 3], dtype), dtype=dtype)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            return cell.scope_name, {v.name: session.run(v) for v in v1.global_variables()}


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("scope, make_cell, layout", INITIAL_LAYOUTS, ids=[c[0] for c in INITIAL_LAYOUTS])
def test_biases_start_at_tf1_constants_and_kernels_inside_glorot_limit(scope, make_cell, layout, dtype):
    scope_name, values = _initial_values(make_cell, dtype)
    assert scope_name == f"rnn/{scope}"
    assert list(values) == [f"rnn/{scope}/{name}:0" for name, *_ in layout]
    for name, rows, columns, constant in layout:
        value = values[f"rnn/{scope}/{name}:0"]
        assert value.dtype == dtype.as_numpy_dtype
        if constant is not None:
            np.testing.assert_array_equal(value, np.full([rows], constant))
        else:
            assert value.shape == (rows, columns)
            limit = np.sqrt(6.0 / (rows + columns))
            assert np.all(np.abs(value) <= limit)
            assert np.abs(value).max() > 0.5 * limit  # not a constant or a shrunken range
            assert len(np.unique(value)) == value.size


@pytest.mark.parametrize("scope, make_cell, layout", INITIAL_LAYOUTS, ids=[c[0] for c in INITIAL_LAYOUTS])
def test_initial_values_equal_get_variable_defaults_in_tf1_creation_order(scope, make_cell, layout):
    """Same seed, same names, same order through plain get_variable: same values."""
    _, values = _initial_values(make_cell, tf.float32)
    with tf.Graph().as_default():
        v1.set_random_seed(777)
        with v1.variable_scope(f"rnn/{scope}"):
            for name, rows, columns, constant in layout:
                shape = [rows] if columns is None else [rows, columns]
                initializer = None if constant is None else v1.constant_initializer(constant)
                v1.get_variable(name, shape, initializer=initializer)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            expected = {v.name: session.run(v) for v in v1.global_variables()}
    assert list(values) == list(expected)
    for name in expected:
        np.testing.assert_array_equal(values[name], expected[name])


def test_lstm_cell_initializer_covers_kernel_peepholes_and_projection_not_bias():
    cell = lambda: rnn.LSTMCell(  # noqa: E731
        4, use_peepholes=True, num_proj=2, initializer=v1.constant_initializer(0.25)
    )
    _, values = _initial_values(cell)
    for name in ("kernel", "w_f_diag", "w_i_diag", "w_o_diag", "projection/kernel"):
        np.testing.assert_array_equal(values[f"rnn/lstm_cell/{name}:0"], 0.25)
    np.testing.assert_array_equal(values["rnn/lstm_cell/bias:0"], 0.0)
    assert values["rnn/lstm_cell/kernel:0"].shape == (3 + 2, 16)
    assert values["rnn/lstm_cell/projection/kernel:0"].shape == (4, 2)


def test_gru_initializers_replace_kernel_default_and_both_bias_constants():
    cell = lambda: rnn.GRUCell(  # noqa: E731
        4, kernel_initializer=v1.constant_initializer(0.5), bias_initializer=v1.constant_initializer(-2.0)
    )
    _, values = _initial_values(cell)
    for name in ("gates/kernel", "candidate/kernel"):
        np.testing.assert_array_equal(values[f"rnn/gru_cell/{name}:0"], 0.5)
    for name in ("gates/bias", "candidate/bias"):
        np.testing.assert_array_equal(values[f"rnn/gru_cell/{name}:0"], -2.0)


@pytest.mark.parametrize("scope, make_cell, layout", INITIAL_LAYOUTS, ids=[c[0] for c in INITIAL_LAYOUTS])
def test_scope_initializer_reaches_kernels_but_not_bias_constants(scope, make_cell, layout):
    with tf.Graph().as_default():
        with v1.variable_scope("outer", initializer=v1.constant_initializer(0.125)):
            v1.nn.dynamic_rnn(make_cell(), tf.zeros([2, 5, 3]), dtype=tf.float32)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            values = {v.name: session.run(v) for v in v1.global_variables()}
    for name, _rows, _columns, constant in layout:
        expected = 0.125 if constant is None else constant
        np.testing.assert_array_equal(values[f"outer/rnn/{scope}/{name}:0"], expected)


def test_lstm_cell_with_defaults_is_basic_lstm_cell():
    with tf.Graph().as_default():
        x = tf.constant(np.random.default_rng(0).uniform(-1, 1, (2, 5, 3)), tf.float64)
        outputs = []
        for make in (rnn.BasicLSTMCell, rnn.LSTMCell):
            with v1.variable_scope(make.__name__):
                outputs.append(v1.nn.dynamic_rnn(make(4), x, dtype=tf.float64))
        with v1.Session() as session:
            randomize_variables(session, np.random.default_rng(1))
            variables = v1.global_variables()
            for basic_var, lstm_var in zip(variables[:2], variables[2:]):
                lstm_var.load(session.run(basic_var), session)
            got_basic, got_lstm = session.run(outputs)
    assert max_abs_diff(got_basic, got_lstm) == 0.0


# -- both graph modes: a plain tf.Graph and TF1 behaviour (both in the fresh process) ------
#
# Every driver with every cell option, pinned: the configurations each run must
# see whatever hypothesis draws above. ``fixed_configuration_errors`` builds all
# of them in one graph per dtype; the fresh process runs it before and after it
# switches to TF1 behaviour, alongside this process's tests.

FIXED_STACK = [
    CellSpec("basic_lstm", 3, forget_bias=0.5),
    CellSpec("lstm", 4, use_peepholes=True, cell_clip=0.5, num_proj=2, proj_clip=0.3),
    CellSpec("gru", 2, activation="relu"),
    CellSpec("basic_rnn", 3, activation="softsign", activation_by_name=True),
]
FIXED_SHARDED_LSTM = CellSpec(
    "lstm", 3, forget_bias=-0.7, state_is_tuple=False, cell_clip=0.3, num_unit_shards=2, activation="relu",
    activation_by_name=True,
)
FIXED_CONCATENATED_STACK = [
    CellSpec("basic_lstm", 2, state_is_tuple=False, forget_bias=2.5),
    CellSpec("gru", 3, activation="sigmoid", activation_by_name=True),
]
FIXED_BIDIRECTIONAL_LAYERS = [(FIXED_STACK[3], FIXED_STACK[0]), (FIXED_STACK[2], FIXED_STACK[1])]


def _fixed_configurations(x, lengths, dtype, rng):
    """``{name: (fetches, cells, expected(cell values))}``, built in the default graph."""
    built = {}
    with v1.variable_scope("stack"):
        cells = [spec.make() for spec in FIXED_STACK]
        fetches = v1.nn.dynamic_rnn(rnn.MultiRNNCell(cells), x, sequence_length=lengths, dtype=dtype)
    built["dynamic_rnn"] = (fetches, cells, lambda values: ref.dynamic_rnn(
        ref.MultiRNN([spec.reference(v) for spec, v in zip(FIXED_STACK, values)]), x, lengths))

    with v1.variable_scope("time_major"):
        cell = FIXED_SHARDED_LSTM.make()
        initial = cast_state(random_state(rng, cell.state_size, x.shape[0]), dtype)
        fetches = v1.nn.dynamic_rnn(cell, tf.constant(x.transpose(1, 0, 2)), sequence_length=lengths, initial_state=initial,
                                    time_major=True)
    built["dynamic_rnn_time_major_initial_state"] = (fetches, [cell], lambda values: ref.dynamic_rnn(
        FIXED_SHARDED_LSTM.reference(values[0]), x.transpose(1, 0, 2), lengths, initial, time_major=True))

    with v1.variable_scope("concatenated"):
        cells = [spec.make() for spec in FIXED_CONCATENATED_STACK]
        fetches = v1.nn.dynamic_rnn(rnn.MultiRNNCell(cells, state_is_tuple=False), x, dtype=dtype)
    built["multi_rnn_cell_concatenated_state"] = (fetches, cells, lambda values: ref.dynamic_rnn(
        ref.MultiRNN([spec.reference(v) for spec, v in zip(FIXED_CONCATENATED_STACK, values)], state_is_tuple=False),
        x))

    fw, bw = FIXED_STACK[1].make(), FIXED_STACK[2].make()
    fetches = v1.nn.bidirectional_dynamic_rnn(fw, bw, x, sequence_length=lengths, dtype=dtype)
    built["bidirectional"] = (fetches, [fw, bw], lambda values: ref.bidirectional_dynamic_rnn(
        FIXED_STACK[1].reference(values[0]), FIXED_STACK[2].reference(values[1]), x, lengths))

    cell = FIXED_STACK[0].make()
    fetches = rnn.static_rnn(cell, tf.unstack(x, axis=1), sequence_length=lengths, dtype=dtype, scope="static")
    built["static_rnn"] = (fetches, [cell], lambda values: ref.static_rnn(
        FIXED_STACK[0].reference(values[0]), list(x.transpose(1, 0, 2)), lengths))

    cells_fw = [fw.make() for fw, _ in FIXED_BIDIRECTIONAL_LAYERS]
    cells_bw = [bw.make() for _, bw in FIXED_BIDIRECTIONAL_LAYERS]
    fetches = rnn.stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, x, sequence_length=lengths, dtype=dtype)
    built["stack_bidirectional"] = (fetches, cells_fw + cells_bw, lambda values: ref.stack_bidirectional_dynamic_rnn(
        [fw.reference(v) for (fw, _), v in zip(FIXED_BIDIRECTIONAL_LAYERS, values)],
        [bw.reference(v) for (_, bw), v in zip(FIXED_BIDIRECTIONAL_LAYERS, values[len(cells_fw) :])],
        x, lengths))
    return built


def fixed_configuration_errors():
    """Max |TF - numpy| of every fixed configuration and dtype in the current mode, and the variables' class."""
    rng = np.random.default_rng(7)
    lengths = np.array([5, 0, 2])
    errors = {}
    for dtype in (tf.float32, tf.float64):
        x = rng.uniform(-1, 1, (3, 5, 4)).astype(dtype.as_numpy_dtype)
        with graph_for_random_values():
            built = _fixed_configurations(x, lengths, dtype, rng)
            got, values = run_randomized(
                {name: fetches for name, (fetches, _, _) in built.items()},
                [cell for _, cells, _ in built.values() for cell in cells],
                rng,
            )
            variable_class = type(v1.global_variables()[0]).__name__
        for name, (_, cells, expected) in built.items():
            cell_values, values = values[: len(cells)], values[len(cells) :]
            errors[f"{name}/{dtype.name}"] = max_abs_diff(got[name], expected(cell_values))
    return errors, variable_class


FIXED_CONFIGURATIONS = 6


def _assert_fixed_errors(errors):
    assert len(errors) == 2 * FIXED_CONFIGURATIONS
    for key, error in errors.items():
        assert error <= TOLERANCE[tf.as_dtype(key.split("/")[1])], key


def test_fixed_configurations_in_a_plain_graph(fresh_process):
    # Run by the fresh process before it switches to TF1 behaviour: this one's TF2 behaviour, in parallel.
    report = fresh_process["fixed_rnn_configurations_in_a_plain_graph"]
    assert report["executing_eagerly"] is True
    assert report["variable_class"] == "ResourceVariable"
    _assert_fixed_errors(report["errors"])


def test_fixed_configurations_under_tf1_behaviour(fresh_process):
    report = fresh_process["fixed_rnn_configurations_in_tf1_behaviour"]
    assert report["executing_eagerly"] is False
    assert report["variable_class"] == "RefVariable"  # TF1 behaviour really was in force
    _assert_fixed_errors(report["errors"])

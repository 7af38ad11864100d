"""The one parameterised graph builder behind every oracle comparison.

A :class:`Case` describes a graph: which cell (with which options), which RNN
driver runs it (``dynamic_rnn``, ``bidirectional_dynamic_rnn``, ``static_rnn``
or ``static_bidirectional_rnn``), dtype, shapes and sequence lengths.
:func:`build` turns a case and a *cell module* into a fresh ``tf.Graph``. The
cell module is either the genuine ``tf.compat.v1.nn.rnn_cell`` or
``compat.rnn_cell``; nothing else differs between the two graphs of a
comparison.

Cases only hold names and numbers (activations and initializers are named, not
passed as objects), so they are hashable, print readably in test ids, and can
be rebuilt in a subprocess.
"""

import dataclasses

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1

ACTIVATIONS = {
    "relu": tf.nn.relu,
    "sigmoid": tf.sigmoid,
    "softsign": tf.nn.softsign,
}

# Factories, not instances: a v1 initializer object with a seed would carry
# state between the genuine and the compat graph.
INITIALIZERS = {
    "uniform": lambda: v1.random_uniform_initializer(-0.3, 0.3),
    "normal": lambda: v1.random_normal_initializer(stddev=0.4),
    "orthogonal": lambda: v1.orthogonal_initializer(),
    "constant": lambda: v1.constant_initializer(0.25),
}

DRIVERS = ("dynamic", "bidirectional", "static", "static_bidirectional")

# Cells that wrap one other cell (``Cell.layers == (inner,)``).
WRAPPERS = ("DropoutWrapper", "ResidualWrapper", "DeviceWrapper")

# Named state filters for DropoutWrapper's ``dropout_state_filter_visitor``.
STATE_FILTERS = {
    "everything": lambda substate: True,
    "nothing": lambda substate: False,
}

TOLERANCE = {"float32": 1e-6, "float64": 1e-12}


@dataclasses.dataclass(frozen=True)
class Cell:
    """A cell constructor call: ``module.<kind>(num_units, **options)``.

    For ``MultiRNNCell``, ``layers`` holds the stacked cells and ``num_units``
    is unused. ``options`` is a sorted tuple of ``(keyword, value)`` pairs;
    activation and initializer values are keys of ``ACTIVATIONS`` and
    ``INITIALIZERS``.
    """

    kind: str
    num_units: int = 0
    options: tuple = ()
    layers: tuple = ()

    def make(self, module):
        kwargs = {keyword: _resolve(keyword, value) for keyword, value in self.options}
        if self.kind == "MultiRNNCell":
            return module.MultiRNNCell(
                [layer.make(module) for layer in self.layers], **kwargs
            )
        if self.kind in WRAPPERS:
            return getattr(module, self.kind)(self.layers[0].make(module), **kwargs)
        return getattr(module, self.kind)(self.num_units, **kwargs)

    def __str__(self):
        if self.kind == "MultiRNNCell":
            head = "[" + ", ".join(str(layer) for layer in self.layers) + "]"
        elif self.kind in WRAPPERS:
            head = str(self.layers[0])
        else:
            head = str(self.num_units)
        options = "".join(f", {keyword}={value!r}" for keyword, value in self.options)
        return f"{self.kind}({head}{options})"


def _resolve(keyword, value):
    if keyword == "activation":
        return ACTIVATIONS[value]
    if keyword == "dtype":
        return tf.as_dtype(value)
    if keyword == "dropout_state_filter_visitor":
        return STATE_FILTERS[value]
    if keyword.endswith("initializer"):
        return INITIALIZERS[value]()
    return value


def cell(kind, num_units, **options):
    return Cell(kind, num_units, tuple(sorted(options.items())))


def multi(*layers, **options):
    return Cell("MultiRNNCell", 0, tuple(sorted(options.items())), tuple(layers))


def wrap(kind, inner, **options):
    return Cell(kind, 0, tuple(sorted(options.items())), (inner,))


@dataclasses.dataclass(frozen=True)
class Case:
    """One graph: ``cell`` run by ``driver`` on inputs ``[batch, time, depth]``.

    ``sequence_length`` is a tuple of ``batch`` ints or None. ``time_major``
    applies to the dynamic drivers. ``initial_state`` passes
    ``cell.zero_state(batch, dtype)`` instead of ``dtype=``.
    ``scope_initializer`` wraps the whole graph in
    ``variable_scope(root, initializer=...)``. ``graph_seed`` seeds the graph
    (random ops: dropout). ``parallel_iterations`` goes to the dynamic drivers:
    a stateful random op inside their loop draws in the order iterations run,
    which only ``1`` fixes. ``gradients`` also fetches the gradients of
    ``sum(outputs ** 2)`` with respect to the inputs and every variable.
    """

    cell: Cell
    driver: str = "dynamic"
    dtype: str = "float32"
    batch: int = 3
    time: int = 4
    depth: int = 3
    sequence_length: tuple = None
    time_major: bool = False
    initial_state: bool = False
    scope_initializer: str = None
    graph_seed: int = None
    gradients: bool = False
    parallel_iterations: int = None

    def __post_init__(self):
        if self.driver not in DRIVERS:
            raise ValueError(f"driver must be one of {DRIVERS}, got {self.driver!r}")
        if self.sequence_length is not None and len(self.sequence_length) != self.batch:
            raise ValueError("sequence_length must have one entry per batch row")
        if self.time_major and self.driver.startswith("static"):
            raise ValueError("time_major applies to the dynamic drivers only")

    @property
    def bidirectional(self):
        return self.driver in ("bidirectional", "static_bidirectional")

    def input_shape(self):
        if self.time_major:
            return (self.time, self.batch, self.depth)
        return (self.batch, self.time, self.depth)

    def __str__(self):
        parts = [str(self.cell), self.driver, self.dtype,
                 f"B{self.batch}T{self.time}D{self.depth}"]
        if self.sequence_length is not None:
            parts.append(f"len={list(self.sequence_length)}")
        for flag in ("time_major", "initial_state"):
            if getattr(self, flag):
                parts.append(flag)
        if self.scope_initializer:
            parts.append(f"scope_initializer={self.scope_initializer}")
        if self.graph_seed is not None:
            parts.append(f"graph_seed={self.graph_seed}")
        if self.gradients:
            parts.append("gradients")
        return " ".join(parts)


@dataclasses.dataclass
class BuiltGraph:
    graph: tf.Graph
    inputs: tf.Tensor
    fetches: dict
    cells: list
    variables: list


def build(module, case, graph_seed=None):
    """Build ``case`` with the cells of ``module`` in a new graph."""
    graph = tf.Graph()
    dtype = tf.as_dtype(case.dtype)
    graph_seed = case.graph_seed if graph_seed is None else graph_seed
    with graph.as_default():
        if graph_seed is not None:
            v1.set_random_seed(graph_seed)
        initializer = (
            INITIALIZERS[case.scope_initializer]() if case.scope_initializer else None
        )
        with v1.variable_scope(v1.get_variable_scope(), initializer=initializer):
            inputs = v1.placeholder(dtype, case.input_shape(), name="inputs")
            cells = [case.cell.make(module)]
            if case.bidirectional:
                cells.append(case.cell.make(module))
            outputs, state = _run_driver(case, cells, inputs, dtype)
        variables = graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)
        fetches = {"outputs": outputs, "state": state}
        if case.gradients:
            loss = tf.add_n([tf.reduce_sum(tf.square(output)) for output in tf.nest.flatten(outputs)])
            fetches["gradients"] = tf.gradients(loss, [inputs] + variables)
    return BuiltGraph(
        graph=graph,
        inputs=inputs,
        fetches=fetches,
        cells=cells,
        variables=variables,
    )


def _run_driver(case, cells, inputs, dtype):
    lengths = None
    if case.sequence_length is not None:
        lengths = tf.constant(case.sequence_length, tf.int32, name="sequence_length")
    states = [
        cell.zero_state(case.batch, dtype) if case.initial_state else None
        for cell in cells
    ]
    state_dtype = None if case.initial_state else dtype
    if case.driver == "dynamic":
        return v1.nn.dynamic_rnn(
            cells[0], inputs, sequence_length=lengths, initial_state=states[0],
            dtype=state_dtype, time_major=case.time_major,
            parallel_iterations=case.parallel_iterations,
        )
    if case.driver == "bidirectional":
        return v1.nn.bidirectional_dynamic_rnn(
            cells[0], cells[1], inputs, sequence_length=lengths,
            initial_state_fw=states[0], initial_state_bw=states[1],
            dtype=state_dtype, time_major=case.time_major,
            parallel_iterations=case.parallel_iterations,
        )
    steps = tf.unstack(inputs, axis=1)
    if case.driver == "static":
        return v1.nn.static_rnn(
            cells[0], steps, initial_state=states[0], dtype=state_dtype,
            sequence_length=lengths,
        )
    outputs, state_fw, state_bw = v1.nn.static_bidirectional_rnn(
        cells[0], cells[1], steps, initial_state_fw=states[0],
        initial_state_bw=states[1], dtype=state_dtype, sequence_length=lengths,
    )
    return outputs, (state_fw, state_bw)


def variable_signature(built):
    """``[(name, shape)]`` of every global variable, in creation order."""
    return [(v.name, tuple(v.shape.as_list())) for v in built.variables]


def static_shapes(built):
    return tf.nest.map_structure(lambda t: t.shape.as_list(), built.fetches)


def structure(value):
    """The nesting of ``value`` with namedtuples named by class name and fields.

    ``tf.nest`` treats two namedtuple classes as different unless they are the
    same class, but the genuine and the compat ``LSTMStateTuple`` are distinct
    classes that must look alike to user code.
    """
    if isinstance(value, dict):
        return {key: structure(item) for key, item in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return (type(value).__name__, value._fields,
                tuple(structure(item) for item in value))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(structure(item) for item in value))
    return "leaf"


def random_values(signature, dtype, seed):
    """Random variable values keyed by variable name, for ``signature``."""
    rng = np.random.default_rng(seed)
    return {
        name: rng.normal(0.0, 0.5, shape).astype(dtype) for name, shape in signature
    }


def random_inputs(case, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0, case.input_shape()).astype(case.dtype)


def run(built, inputs, values=None):
    """Evaluate ``built.fetches``; ``values`` (by variable name) overrides the
    initial values of the variables."""
    with v1.Session(graph=built.graph) as session:
        session.run(v1.variables_initializer(built.variables))
        for variable in built.variables if values is not None else ():
            variable.load(values[variable.name], session)
        return session.run(built.fetches, {built.inputs: inputs})


def initial_values(built):
    """``{name: value}`` of every variable right after initialisation."""
    with v1.Session(graph=built.graph) as session:
        session.run(v1.variables_initializer(built.variables))
        return dict(zip([v.name for v in built.variables],
                        session.run(built.variables), strict=True))


def assert_results_close(expected, actual, dtype):
    """Same nesting (namedtuple classes by name) and values within TOLERANCE."""
    assert structure(actual) == structure(expected)
    tolerance = TOLERANCE[dtype]
    for path, want in _flatten_with_paths(expected):
        got = _lookup(actual, path)
        np.testing.assert_allclose(
            got, want, rtol=tolerance, atol=tolerance, err_msg=f"at {path}"
        )


def _flatten_with_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten_with_paths(item, path + (key,))
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _flatten_with_paths(item, path + (index,))
    else:
        yield path, value


def _lookup(value, path):
    for key in path:
        value = value[key]
    return value

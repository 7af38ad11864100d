"""TF1 variables <-> Keras layer weights, exactly.

TF1 cells keep one fused kernel over ``[inputs, h]`` (input rows first, then
hidden rows); Keras splits it into ``kernel`` (input rows) and
``recurrent_kernel`` (hidden rows) and orders the gate blocks differently:

* ``BasicLSTMCell`` (also ``LSTMCell`` without peepholes, clipping or
  projection) -> ``keras.layers.LSTM``: TF1 columns (i, j, f, o) become Keras
  (i, f, c, o) with c = j; TF1 adds ``forget_bias`` to f at run time, Keras
  has no such term, so it is folded into the f block of the Keras bias
  (and subtracted again on the way back).
* ``GRUCell`` -> ``keras.layers.GRU(reset_after=False)``: TF1 ``gates``
  columns (r, u) plus ``candidate`` become Keras (z, r, h) with z = u. The
  default ``reset_after=True`` GRU is a different function and is refused.
* ``BasicRNNCell`` -> ``keras.layers.SimpleRNN``: only the kernel split.
* ``fully_connected`` (``weights``, ``biases``) -> ``keras.layers.Dense``
  (``kernel``, ``bias``): the same arrays.
* an embedding matrix ``[vocab_size, dim]`` looked up with
  ``tf.nn.embedding_lookup`` (``embeddings``, as ``embed_sequence`` names it)
  -> ``keras.layers.Embedding`` (``embeddings``): the same array, row i the
  vector of index i on both sides.

Every mapping is a permutation of array blocks, hence exact; the only
arithmetic is the forget-bias fold, whose round trip ``(b + fb) - fb`` is
exact unless the addition itself rounds.

`TransferPlan` applies these mappings to whole models: each `Link` names a TF1
variable scope, a Keras target and a kind, and every TF1 variable must be
consumed by exactly one link, so nothing is silently left at its initial
value. A Keras target is addressed as ``"<layer name>"``, then
``"/forward"`` or ``"/backward"`` inside a ``Bidirectional`` layer, then
``"/cell_<i>"`` inside an ``RNN`` over ``StackedRNNCells`` -- for example
``"encoder"``, ``"bidi/backward"``, ``"stack/cell_1"``. A ``TimeDistributed``
layer stands for the layer it wraps.
"""

import dataclasses
import os
import re
from collections.abc import Mapping

import keras
import numpy as np

__all__ = [
    "Link",
    "TransferPlan",
    "basic_lstm_to_keras",
    "basic_rnn_to_keras",
    "embedding_to_keras",
    "fully_connected_to_keras",
    "gru_to_keras",
    "keras_to_basic_lstm",
    "keras_to_basic_rnn",
    "keras_to_embedding",
    "keras_to_fully_connected",
    "keras_to_gru",
    "read_tf1_variables",
    "write_tf1_variables",
]


# --------------------------------------------------------------------------
# Argument checks


def _floating(name, value, ndim):
    array = np.asarray(value)
    if not np.issubdtype(array.dtype, np.floating):
        raise TypeError(
            f"`{name}` must be a floating-point array; got dtype {array.dtype}."
        )
    if array.ndim != ndim:
        raise ValueError(
            f"`{name}` must have rank {ndim}; got shape {list(array.shape)}."
        )
    return array


def _same_dtype(**arrays):
    dtypes = {name: array.dtype for name, array in arrays.items()}
    if len(set(dtypes.values())) > 1:
        listing = ", ".join(f"`{name}` {dtype}" for name, dtype in dtypes.items())
        raise TypeError(f"Arguments must share one dtype; got {listing}.")


def _units(bias_name, bias, gates):
    """num_units from a bias of `gates` blocks, checking divisibility."""
    width = bias.shape[-1]
    if width == 0 or width % gates:
        raise ValueError(
            f"`{bias_name}` must have a positive multiple of {gates} entries "
            f"({gates} * num_units); got shape {list(bias.shape)}."
        )
    return width // gates


def _expect_shape(name, array, shape):
    if array.shape != tuple(shape):
        raise ValueError(
            f"`{name}` must have shape {list(shape)}; got {list(array.shape)}."
        )


def _fused_input_depth(kernel_name, kernel, num_units, columns):
    """Input depth D of a fused TF1 kernel [D + num_units, columns]."""
    rows, width = kernel.shape
    if width != columns:
        raise ValueError(
            f"`{kernel_name}` must have {columns} columns to match the bias; "
            f"got shape {list(kernel.shape)}."
        )
    if rows <= num_units:
        raise ValueError(
            f"`{kernel_name}` must have input_depth + num_units rows with "
            f"num_units = {num_units} and input_depth >= 1; got shape "
            f"{list(kernel.shape)}."
        )
    return rows - num_units


def _forget_bias(value, dtype):
    if isinstance(value, bool) or not np.isscalar(value) or not np.isfinite(value):
        raise ValueError(f"`forget_bias` must be a finite number; got {value!r}.")
    return np.asarray(value, dtype)


# --------------------------------------------------------------------------
# Block permutations


def _swap_middle_blocks(array):
    """(a, b, c, d) column blocks -> (a, c, b, d); its own inverse."""
    a, b, c, d = np.split(array, 4, axis=-1)
    return np.concatenate([a, c, b, d], axis=-1)


def _swap_halves(array):
    """(a, b) column blocks -> (b, a); its own inverse."""
    a, b = np.split(array, 2, axis=-1)
    return np.concatenate([b, a], axis=-1)


# --------------------------------------------------------------------------
# Pure mappings


def basic_lstm_to_keras(kernel, bias, forget_bias=1.0):
    """TF1 ``BasicLSTMCell`` ``kernel``, ``bias`` -> Keras LSTM weights.

    Args:
      kernel: ``[input_depth + num_units, 4 * num_units]``, columns (i, j, f, o).
      bias: ``[4 * num_units]``, same column order.
      forget_bias: the cell's ``forget_bias``, folded into the forget block.

    Returns:
      ``[kernel, recurrent_kernel, bias]`` for ``keras.layers.LSTM``, columns
      (i, f, c, o).
    """
    kernel = _floating("kernel", kernel, 2)
    bias = _floating("bias", bias, 1)
    _same_dtype(kernel=kernel, bias=bias)
    units = _units("bias", bias, 4)
    depth = _fused_input_depth("kernel", kernel, units, 4 * units)
    keras_bias = _swap_middle_blocks(bias)
    keras_bias[units : 2 * units] += _forget_bias(forget_bias, bias.dtype)
    return [
        _swap_middle_blocks(kernel[:depth]),
        _swap_middle_blocks(kernel[depth:]),
        keras_bias,
    ]


def keras_to_basic_lstm(kernel, recurrent_kernel, bias, forget_bias=1.0):
    """Keras LSTM weights -> TF1 ``BasicLSTMCell`` ``[kernel, bias]``.

    The inverse of `basic_lstm_to_keras`: ``forget_bias`` (the TF1 cell's) is
    subtracted from the forget block, since the cell adds it back at run time.
    """
    kernel = _floating("kernel", kernel, 2)
    recurrent_kernel = _floating("recurrent_kernel", recurrent_kernel, 2)
    bias = _floating("bias", bias, 1)
    _same_dtype(kernel=kernel, recurrent_kernel=recurrent_kernel, bias=bias)
    units = _units("bias", bias, 4)
    _expect_shape("recurrent_kernel", recurrent_kernel, (units, 4 * units))
    _expect_shape("kernel", kernel, (kernel.shape[0], 4 * units))
    tf1_bias = bias.copy()
    tf1_bias[units : 2 * units] -= _forget_bias(forget_bias, bias.dtype)
    return [
        _swap_middle_blocks(np.concatenate([kernel, recurrent_kernel], axis=0)),
        _swap_middle_blocks(tf1_bias),
    ]


def gru_to_keras(gates_kernel, gates_bias, candidate_kernel, candidate_bias):
    """TF1 ``GRUCell`` variables -> ``keras.layers.GRU(reset_after=False)``.

    Args:
      gates_kernel: ``gates/kernel`` ``[input_depth + num_units, 2 * num_units]``,
        columns (r, u).
      gates_bias: ``gates/bias`` ``[2 * num_units]``.
      candidate_kernel: ``candidate/kernel`` ``[input_depth + num_units, num_units]``.
      candidate_bias: ``candidate/bias`` ``[num_units]``.

    Returns:
      ``[kernel, recurrent_kernel, bias]``, columns (z, r, h) with z = u.
    """
    gates_kernel = _floating("gates_kernel", gates_kernel, 2)
    gates_bias = _floating("gates_bias", gates_bias, 1)
    candidate_kernel = _floating("candidate_kernel", candidate_kernel, 2)
    candidate_bias = _floating("candidate_bias", candidate_bias, 1)
    _same_dtype(
        gates_kernel=gates_kernel,
        gates_bias=gates_bias,
        candidate_kernel=candidate_kernel,
        candidate_bias=candidate_bias,
    )
    units = _units("gates_bias", gates_bias, 2)
    depth = _fused_input_depth("gates_kernel", gates_kernel, units, 2 * units)
    _expect_shape("candidate_kernel", candidate_kernel, (depth + units, units))
    _expect_shape("candidate_bias", candidate_bias, (units,))
    fused = np.concatenate([_swap_halves(gates_kernel), candidate_kernel], axis=1)
    return [
        fused[:depth],
        fused[depth:],
        np.concatenate([_swap_halves(gates_bias), candidate_bias]),
    ]


def keras_to_gru(kernel, recurrent_kernel, bias):
    """``keras.layers.GRU(reset_after=False)`` weights -> TF1 ``GRUCell``.

    Returns ``[gates_kernel, gates_bias, candidate_kernel, candidate_bias]``;
    the inverse of `gru_to_keras`.
    """
    kernel = _floating("kernel", kernel, 2)
    recurrent_kernel = _floating("recurrent_kernel", recurrent_kernel, 2)
    bias = np.asarray(bias)
    if bias.ndim == 2:
        raise ValueError(
            f"`bias` has shape {list(bias.shape)}: that is a GRU with "
            "reset_after=True, which TF1 GRUCell cannot express; use "
            "keras.layers.GRU(reset_after=False)."
        )
    bias = _floating("bias", bias, 1)
    _same_dtype(kernel=kernel, recurrent_kernel=recurrent_kernel, bias=bias)
    units = _units("bias", bias, 3)
    _expect_shape("recurrent_kernel", recurrent_kernel, (units, 3 * units))
    _expect_shape("kernel", kernel, (kernel.shape[0], 3 * units))
    fused = np.concatenate([kernel, recurrent_kernel], axis=0)
    return [
        _swap_halves(fused[:, : 2 * units]),
        _swap_halves(bias[: 2 * units]),
        fused[:, 2 * units :],
        bias[2 * units :].copy(),
    ]


def basic_rnn_to_keras(kernel, bias):
    """TF1 ``BasicRNNCell`` ``kernel`` ``[D + H, H]``, ``bias`` ``[H]`` ->
    ``keras.layers.SimpleRNN`` ``[kernel, recurrent_kernel, bias]``."""
    kernel = _floating("kernel", kernel, 2)
    bias = _floating("bias", bias, 1)
    _same_dtype(kernel=kernel, bias=bias)
    units = _units("bias", bias, 1)
    depth = _fused_input_depth("kernel", kernel, units, units)
    return [kernel[:depth].copy(), kernel[depth:].copy(), bias.copy()]


def keras_to_basic_rnn(kernel, recurrent_kernel, bias):
    """``keras.layers.SimpleRNN`` weights -> TF1 ``BasicRNNCell`` ``[kernel, bias]``."""
    kernel = _floating("kernel", kernel, 2)
    recurrent_kernel = _floating("recurrent_kernel", recurrent_kernel, 2)
    bias = _floating("bias", bias, 1)
    _same_dtype(kernel=kernel, recurrent_kernel=recurrent_kernel, bias=bias)
    units = _units("bias", bias, 1)
    _expect_shape("recurrent_kernel", recurrent_kernel, (units, units))
    _expect_shape("kernel", kernel, (kernel.shape[0], units))
    return [np.concatenate([kernel, recurrent_kernel], axis=0), bias.copy()]


def fully_connected_to_keras(weights, biases=None):
    """``fully_connected`` ``weights`` [, ``biases``] -> ``Dense`` ``[kernel[, bias]]``.

    ``biases`` is absent when the layer was built with ``biases_initializer=None``
    (or a normalizer); the Dense layer then has ``use_bias=False``.
    """
    weights = _floating("weights", weights, 2)
    if biases is None:
        return [weights.copy()]
    biases = _floating("biases", biases, 1)
    _same_dtype(weights=weights, biases=biases)
    _expect_shape("biases", biases, (weights.shape[1],))
    return [weights.copy(), biases.copy()]


def keras_to_fully_connected(kernel, bias=None):
    """``Dense`` ``kernel`` [, ``bias``] -> ``fully_connected`` ``[weights[, biases]]``."""
    kernel = _floating("kernel", kernel, 2)
    if bias is None:
        return [kernel.copy()]
    bias = _floating("bias", bias, 1)
    _same_dtype(kernel=kernel, bias=bias)
    _expect_shape("bias", bias, (kernel.shape[1],))
    return [kernel.copy(), bias.copy()]


def embedding_to_keras(embeddings):
    """TF1 embedding matrix ``[vocab_size, dim]`` -> ``Embedding`` ``[embeddings]``."""
    return [_floating("embeddings", embeddings, 2).copy()]


def keras_to_embedding(embeddings):
    """``Embedding`` ``embeddings`` -> the TF1 embedding matrix ``[embeddings]``."""
    return [_floating("embeddings", embeddings, 2).copy()]


# --------------------------------------------------------------------------
# Reading and writing TF1 variables

_OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def read_tf1_variables(source):
    """All variables of a TF1 graph or checkpoint, as ``{name: array}``.

    Args:
      source: a ``tf.compat.v1.Session`` (the global variables of its graph,
        read in that session) or a checkpoint path, prefix or directory
        (anything ``tf.train.load_checkpoint`` accepts). Names carry no
        ``:0`` suffix, e.g. ``"rnn/basic_lstm_cell/kernel"``.
    """
    import tensorflow as tf

    if isinstance(source, tf.compat.v1.Session):
        variables = _global_variables(source.graph)
        values = source.run(variables)
        return {_variable_name(v): value for v, value in zip(variables, values)}
    if isinstance(source, (str, os.PathLike)):
        reader = tf.train.load_checkpoint(os.fspath(source))
        return {
            name: reader.get_tensor(name)
            for name in sorted(reader.get_variable_to_shape_map())
            if name != _OBJECT_GRAPH_KEY
        }
    raise TypeError(
        "`source` must be a tf.compat.v1.Session or a checkpoint path; "
        f"got {type(source).__name__}."
    )


def write_tf1_variables(session, values):
    """Assign ``values`` (``{name: array}``) to the variables of a TF1 graph.

    Every name must be a global variable of ``session.graph`` and every
    trainable variable of that graph must be given, so that none keeps its
    initial value by accident; non-trainable ones (optimizer slots, beta
    powers, ``global_step``) may be left out. Arrays are cast to the variable
    dtype only when that cast is lossless. Nothing is assigned unless every
    check passes. No ops are added to the graph.
    """
    import tensorflow as tf

    if not isinstance(session, tf.compat.v1.Session):
        raise TypeError(
            "`session` must be a tf.compat.v1.Session; "
            f"got {type(session).__name__}."
        )
    if not isinstance(values, Mapping):
        raise TypeError(
            f"`values` must be a mapping of names to arrays; got {type(values).__name__}."
        )
    graph_variables = {_variable_name(v): v for v in _global_variables(session.graph)}
    trainable = {
        _variable_name(v)
        for v in session.graph.get_collection(tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES)
    }
    problems = []
    unexpected = sorted(set(values) - set(graph_variables))
    if unexpected:
        problems.append(f"not variables of the graph: {unexpected}")
    missing = sorted(trainable - set(values))
    if missing:
        problems.append(f"trainable variables without a value: {missing}")
    feed = {}
    for name in sorted(set(values) & set(graph_variables)):
        variable = graph_variables[name]
        shape = tuple(variable.shape.as_list())
        dtype = variable.dtype.base_dtype.as_numpy_dtype
        array = np.asarray(values[name])
        if array.shape != shape:
            problems.append(
                f"{name}: shape {list(array.shape)} given, variable has {list(shape)}"
            )
        elif not np.can_cast(array.dtype, dtype, "safe"):
            problems.append(
                f"{name}: dtype {array.dtype} cannot be cast to {np.dtype(dtype)} "
                "without loss"
            )
        else:
            feed[variable.initializer.inputs[1]] = array.astype(dtype)
    if problems:
        raise ValueError("Cannot write `values`: " + "; ".join(problems) + ".")
    # Feeding the initializer's value input assigns without new ops, as
    # tf.Variable.load does.
    session.run(
        [graph_variables[name].initializer for name in sorted(values)], feed
    )


def _global_variables(graph):
    import tensorflow as tf

    return graph.get_collection(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)


def _variable_name(variable):
    return variable.op.name


# --------------------------------------------------------------------------
# Declarative transfer between a TF1 graph and a Keras model


@dataclasses.dataclass(frozen=True)
class _Kind:
    tf1_names: tuple  # names under the scope, in the mappings' argument order
    optional_tf1_names: frozenset  # trailing arguments that may be absent
    keras_types: tuple  # accepted layer or cell classes
    to_keras: object
    to_tf1: object


def _keras_classes(*names):
    return tuple(getattr(keras.layers, name) for name in names)


_KINDS = {
    "basic_lstm": _Kind(
        ("kernel", "bias"),
        frozenset(),
        _keras_classes("LSTM", "LSTMCell"),
        basic_lstm_to_keras,
        keras_to_basic_lstm,
    ),
    "gru": _Kind(
        ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"),
        frozenset(),
        _keras_classes("GRU", "GRUCell"),
        gru_to_keras,
        keras_to_gru,
    ),
    "basic_rnn": _Kind(
        ("kernel", "bias"),
        frozenset(),
        _keras_classes("SimpleRNN", "SimpleRNNCell"),
        basic_rnn_to_keras,
        keras_to_basic_rnn,
    ),
    "dense": _Kind(
        ("weights", "biases"),
        frozenset({"biases"}),
        _keras_classes("Dense"),
        fully_connected_to_keras,
        keras_to_fully_connected,
    ),
    "embedding": _Kind(
        ("embeddings",),
        frozenset(),
        _keras_classes("Embedding"),
        embedding_to_keras,
        keras_to_embedding,
    ),
}

_TARGET_SEGMENT = re.compile(r"^(forward|backward|cell_(\d+))$")


@dataclasses.dataclass(frozen=True)
class Link:
    """One TF1 variable scope <-> one Keras layer or cell.

    Args:
      tf1_scope: the scope holding the variables, e.g.
        ``"rnn/multi_rnn_cell/cell_0/basic_lstm_cell"`` or ``"fully_connected"``.
      keras_target: ``"<layer name>[/forward|/backward][/cell_<i>]"`` (see the
        module docstring).
      kind: ``"basic_lstm"`` (``BasicLSTMCell``, or ``LSTMCell`` without
        peepholes/projection: ``kernel``, ``bias``), ``"gru"`` (``GRUCell``:
        ``gates/*``, ``candidate/*``), ``"basic_rnn"`` (``BasicRNNCell``),
        ``"dense"`` (``fully_connected``: ``weights`` and, if present,
        ``biases``) or ``"embedding"`` (an embedding matrix
        ``embeddings`` -> ``keras.layers.Embedding``).
      forget_bias: the TF1 cell's ``forget_bias``; ``basic_lstm`` only,
        default 1.0.
    """

    tf1_scope: str
    keras_target: str
    kind: str
    forget_bias: float | None = None

    def __post_init__(self):
        for field in ("tf1_scope", "keras_target"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value or value != value.strip("/"):
                raise ValueError(
                    f"`{field}` must be a non-empty name without leading or "
                    f"trailing '/'; got {value!r}."
                )
        if self.kind not in _KINDS:
            raise ValueError(
                f"`kind` must be one of {sorted(_KINDS)}; got {self.kind!r}."
            )
        segments = self.keras_target.split("/")[1:]
        if any(not _TARGET_SEGMENT.match(s) for s in segments) or len(segments) > 2:
            raise ValueError(
                "`keras_target` must look like '<layer>[/forward|/backward]"
                f"[/cell_<i>]'; got {self.keras_target!r}."
            )
        if self.kind == "basic_lstm":
            value = 1.0 if self.forget_bias is None else self.forget_bias
            _forget_bias(value, np.float64)
            object.__setattr__(self, "forget_bias", float(value))
        elif self.forget_bias is not None:
            raise ValueError(
                f"`forget_bias` applies to kind 'basic_lstm' only; got "
                f"forget_bias={self.forget_bias!r} for kind {self.kind!r}."
            )

    @property
    def _options(self):
        return {} if self.forget_bias is None else {"forget_bias": self.forget_bias}

    def _tf1_name(self, short_name):
        return f"{self.tf1_scope}/{short_name}"


class TransferPlan:
    """Moves weights between TF1 variables and a Keras model, link by link.

    Args:
      links: the `Link`s; no TF1 scope and no Keras target may appear twice.
      ignore: regular expressions (``re.search``) for TF1 variable names that
        are deliberately not transferred, e.g. optimizer state
        ``(r"/Adam(_1)?$", r"^beta[12]_power$")``. Every other variable given
        to `to_keras` must be consumed by exactly one link.

    Example::

        plan = TransferPlan([
            Link("rnn/multi_rnn_cell/cell_0/basic_lstm_cell", "stack/cell_0",
                 kind="basic_lstm"),
            Link("rnn/multi_rnn_cell/cell_1/basic_lstm_cell", "stack/cell_1",
                 kind="basic_lstm"),
            Link("fully_connected", "logits", kind="dense"),
        ])
        plan.to_keras(read_tf1_variables(session), model)
        write_tf1_variables(session, plan.to_tf1(model))
    """

    def __init__(self, links, ignore=()):
        links = tuple(links)
        if not links or not all(isinstance(link, Link) for link in links):
            raise TypeError("`links` must be a non-empty sequence of Link objects.")
        for field in ("tf1_scope", "keras_target"):
            seen = [getattr(link, field) for link in links]
            duplicates = sorted({name for name in seen if seen.count(name) > 1})
            if duplicates:
                raise ValueError(f"`links` repeat the {field} {duplicates}.")
        if isinstance(ignore, str):
            ignore = (ignore,)
        try:
            self._ignore = tuple(re.compile(pattern) for pattern in ignore)
        except (TypeError, re.error) as error:
            raise ValueError(
                f"`ignore` must be regular expressions; got {ignore!r} ({error})."
            ) from None
        self._links = links

    @property
    def links(self):
        return self._links

    def to_keras(self, variables, model):
        """Set the weights of ``model``'s targets from TF1 ``variables``.

        ``variables`` is ``{name: array}`` (e.g. from `read_tf1_variables`).
        Every check (names, shapes, dtypes, layer types) runs before any
        weight is set.
        """
        if not isinstance(variables, Mapping):
            raise TypeError(
                "`variables` must be a mapping of TF1 names to arrays; "
                f"got {type(variables).__name__}."
            )
        consumed, missing, assignments = set(), [], []
        for link in self._links:
            kind = _KINDS[link.kind]
            present = [
                name for name in kind.tf1_names if link._tf1_name(name) in variables
            ]
            absent = [
                link._tf1_name(name)
                for name in kind.tf1_names
                if name not in present and name not in kind.optional_tf1_names
            ]
            if absent:
                missing.extend(absent)
                continue
            arrays = {name: variables[link._tf1_name(name)] for name in present}
            consumed.update(link._tf1_name(name) for name in present)
            target = self._resolve(link, model)
            try:
                weights = kind.to_keras(*arrays.values(), **link._options)
            except (TypeError, ValueError) as error:
                raise ValueError(f"{_describe(link)}: {error}") from None
            assignments.append((link, target, weights))
        leftover = sorted(
            name
            for name in variables
            if name not in consumed and not any(p.search(name) for p in self._ignore)
        )
        if missing or leftover:
            problems = []
            if missing:
                problems.append(f"variables the links need but are absent: {missing}")
            if leftover:
                problems.append(
                    "variables no link consumes (add links, or `ignore` them "
                    f"deliberately): {leftover}"
                )
            raise ValueError("Cannot transfer: " + "; ".join(problems) + ".")
        for link, target, weights in assignments:
            _check_weights_fit(link, target, weights)
        for _, target, weights in assignments:
            target.set_weights(weights)

    def to_tf1(self, model):
        """TF1 ``{name: array}`` for every link, from ``model``'s weights."""
        result = {}
        for link in self._links:
            kind = _KINDS[link.kind]
            target = self._resolve(link, model)
            try:
                arrays = kind.to_tf1(*target.get_weights(), **link._options)
            except (TypeError, ValueError) as error:
                raise ValueError(f"{_describe(link)}: {error}") from None
            for name, array in zip(kind.tf1_names, arrays):
                result[link._tf1_name(name)] = array
        return result

    @staticmethod
    def _resolve(link, model):
        """The Keras layer or cell ``link.keras_target`` names in ``model``."""
        layer_name, *segments = link.keras_target.split("/")
        try:
            target = model.get_layer(layer_name)
        except (ValueError, AttributeError) as error:
            raise ValueError(f"{_describe(link)}: {error}") from None
        if isinstance(target, keras.layers.Bidirectional):
            if not segments or segments[0] not in ("forward", "backward"):
                raise ValueError(
                    f"{_describe(link)}: layer {layer_name!r} is Bidirectional; "
                    "address its halves as '.../forward' or '.../backward'."
                )
            direction = segments.pop(0)
            target = target.forward_layer if direction == "forward" else target.backward_layer
        if isinstance(target, keras.layers.TimeDistributed):
            target = target.layer
        if isinstance(target, keras.layers.RNN) and isinstance(
            target.cell, keras.layers.StackedRNNCells
        ):
            cells = target.cell.cells
            index = _cell_index(segments[0]) if segments else None
            if index is None or index >= len(cells):
                raise ValueError(
                    f"{_describe(link)}: layer {layer_name!r} runs a stack of "
                    f"{len(cells)} cells; address one as '.../cell_<i>' with "
                    f"0 <= i < {len(cells)}."
                )
            segments.pop(0)
            target = cells[index]
        if segments:
            raise ValueError(
                f"{_describe(link)}: cannot resolve {'/'.join(segments)!r} "
                f"inside {type(target).__name__} {target.name!r}."
            )
        kind = _KINDS[link.kind]
        typed = target.cell if isinstance(target, keras.layers.RNN) else target
        if not isinstance(typed, kind.keras_types):
            expected = " or ".join(t.__name__ for t in kind.keras_types)
            raise ValueError(
                f"{_describe(link)}: expected {expected}, found "
                f"{type(typed).__name__} {target.name!r}."
            )
        if link.kind == "gru" and typed.reset_after:
            raise ValueError(
                f"{_describe(link)}: {target.name!r} has reset_after=True, which "
                "TF1 GRUCell cannot express; use reset_after=False."
            )
        if not target.weights:
            raise ValueError(
                f"{_describe(link)}: {target.name!r} has no weights yet; build "
                "the model (call it on an input) first."
            )
        return target


def _cell_index(segment):
    match = _TARGET_SEGMENT.match(segment)
    return int(match.group(2)) if match and match.group(2) is not None else None


def _check_weights_fit(link, target, weights):
    current = target.get_weights()
    if len(current) != len(weights):
        raise ValueError(
            f"{_describe(link)}: {target.name!r} holds {len(current)} weights, "
            f"the TF1 variables give {len(weights)} (a bias on one side only?)."
        )
    for index, (have, new) in enumerate(zip(current, weights)):
        if have.shape != new.shape:
            raise ValueError(
                f"{_describe(link)}: weight {index} of {target.name!r} has shape "
                f"{list(have.shape)}, the TF1 variables give {list(new.shape)}."
            )
        if not np.can_cast(new.dtype, have.dtype, "safe"):
            raise ValueError(
                f"{_describe(link)}: weight {index} of {target.name!r} is "
                f"{have.dtype}, the TF1 variables are {new.dtype}; a cast would "
                "lose precision."
            )


def _describe(link):
    return f"Link({link.tf1_scope!r} -> {link.keras_target!r}, kind={link.kind!r})"

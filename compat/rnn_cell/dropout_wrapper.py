"""``DropoutWrapper``: TF1's dropout on a cell's inputs, outputs and new state.

Each call runs the wrapped cell between two dropouts:

    x' = drop(x, input_keep_prob, "input")
    (y, s') = cell(x', s)
    s'' = drop(s', state_keep_prob, "state")   on the parts the filter selects
    y'  = drop(y, output_keep_prob, "output")

A dropout is added only where its keep probability is a tensor or a number
below 1. Per call (``variational_recurrent=False``),
``drop(v, p, salt) = tf.compat.v1.nn.dropout(v, rate=1 - p, seed=seed(salt, i))``:
a fresh mask at every step, each element kept with probability ``p`` and
scaled by ``1 / p``. With ``variational_recurrent=True`` one uniform noise
tensor ``u`` of shape ``[1, depth]`` per leaf is drawn once, when the wrapper
is built (in the graph current then), and every step uses
``v / p * floor(p + u)``: the same mask for every step and every row of the
batch (Gal and Ghahramani, arXiv:1512.05287).

Seeds are TF1's: ``i`` numbers the leaves of the structure (inputs, output,
or the state as the filter sees it, skipped leaves included), and

    seed(salt, i) = int(md5(str(seed) + f"{salt}_{i}").hexdigest()[:8], 16) & 0x7FFFFFFF

(``None`` without ``seed``), so a graph seeded as in TF1 draws TF1's masks.

The state filter (``dropout_state_filter_visitor``) is called on the new state
and on each level below it: ``True`` drops out that whole part, ``False``
keeps it, a structure of booleans decides part by part. By default the
memory ``c`` of an ``LSTMStateTuple`` is never dropped out (only ``h``) and a
``TensorArray`` is left alone.
"""

import hashlib
import itertools
import numbers

import tensorflow as tf

from compat.rnn_cell.state import LSTMStateTuple
from compat.rnn_cell.wrapper import CellWrapper


def default_dropout_state_filter_visitor(substate):
    """Drop ``h`` but not ``c`` of an LSTM state, nothing of a TensorArray, all else."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    if isinstance(substate, tf.TensorArray):
        return False
    return True


def _is_sequence(value):
    return isinstance(value, (tuple, list))


def _sequence_like(instance, items):
    if isinstance(instance, tuple) and hasattr(instance, "_fields"):
        return type(instance)(*items)
    return type(instance)(items)


def _traverse_shallow_structure(visitor, structure):
    """The structure of booleans the visitor selects (TF1 ``nest.get_traverse_shallow_structure``)."""
    decision = visitor(structure)
    if not _is_sequence(structure):
        if not isinstance(decision, bool):
            raise TypeError(
                "`dropout_state_filter_visitor` must return a bool for a single "
                f"tensor of the state, but returned {decision!r} for {structure!r}."
            )
        return decision
    if isinstance(decision, bool):
        if not decision:
            return False
        branches = [_traverse_shallow_structure(visitor, item) for item in structure]
    else:
        if not _is_sequence(decision) or len(decision) != len(structure):
            raise TypeError(
                "`dropout_state_filter_visitor` must return a bool or a structure "
                f"of bools matching {structure!r}, but returned {decision!r}."
            )
        branches = []
        for choice, item in zip(decision, structure):
            if not isinstance(choice, bool):
                raise TypeError(
                    "`dropout_state_filter_visitor` returned a structure whose "
                    f"entries are not bools: {decision!r}."
                )
            branches.append(_traverse_shallow_structure(visitor, item) if choice else False)
    return _sequence_like(structure, branches)


def _enumerated_map_up_to(shallow, function, *structures):
    """``function(i, *leaves)`` for the ``i``-th leaf of ``shallow`` and the
    parts of ``structures`` at the same place, in ``shallow``'s nesting."""
    counter = itertools.count()

    def visit(shallow_part, parts):
        if not _is_sequence(shallow_part):
            return function(next(counter), *parts)
        for part in parts:
            if not _is_sequence(part) or len(part) != len(shallow_part):
                raise ValueError(
                    f"The structure {part!r} does not match the expected structure "
                    f"{shallow_part!r}."
                )
        return _sequence_like(
            shallow_part,
            [visit(item, [part[index] for part in parts]) for index, item in enumerate(shallow_part)],
        )

    return visit(shallow, structures)


def _keep_probability(value, argument):
    """A Python float in [0, 1] if ``value`` is constant, else the tensor."""
    if isinstance(value, bool):
        raise TypeError(f"`{argument}` must be a number or a scalar tensor, but received {value!r}.")
    with tf.name_scope("DropoutWrapperInit"):
        try:
            tensor = tf.convert_to_tensor(value)
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"`{argument}` must be a number or a scalar tensor, but received {value!r}."
            ) from error
    if not (tensor.dtype.is_floating or tensor.dtype.is_integer) or tensor.shape.rank not in (None, 0):
        raise TypeError(
            f"`{argument}` must be a number or a scalar float tensor, but received "
            f"{value!r} (dtype {tensor.dtype.name}, shape {tensor.shape})."
        )
    constant = tf.get_static_value(tensor)
    if constant is None:
        return tensor
    if not 0 <= constant <= 1:
        raise ValueError(f"Parameter {argument} must be between 0 and 1: {constant}")
    return float(constant)


def _should_drop(keep_prob):
    return not isinstance(keep_prob, float) or keep_prob < 1


class DropoutWrapper(CellWrapper):
    """Adds dropout to the inputs, outputs and new state of ``cell``.

    Args:
      cell: the RNN cell to wrap.
      input_keep_prob, output_keep_prob, state_keep_prob: a number in [0, 1]
        or a scalar tensor (e.g. a placeholder fed 1.0 at test time): the
        probability of keeping each element; a constant 1 adds no dropout.
      variational_recurrent: if True, the same mask at every step (see the
        module); then ``dtype`` is required, and ``input_size`` too when
        ``input_keep_prob`` is below 1 or a tensor.
      input_size: the depth (int or ``TensorShape``, possibly nested) of the
        inputs the wrapper will be called with; variational input dropout only.
      dtype: the dtype of inputs, state and outputs; variational only.
      seed: an int: with it, each dropout's seed is derived as TF1 derived it.
      dropout_state_filter_visitor: callable choosing which parts of the state
        to drop out (see the module); default ``default_dropout_state_filter_visitor``.
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__(cell)
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError(
                "`dropout_state_filter_visitor` must be callable, but received "
                f"{dropout_state_filter_visitor!r}."
            )
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise TypeError(f"`seed` must be None or an integer, but received {seed!r}.")
        if not isinstance(variational_recurrent, bool):
            raise TypeError(
                f"`variational_recurrent` must be a bool, but received {variational_recurrent!r}."
            )
        self._state_filter = dropout_state_filter_visitor or default_dropout_state_filter_visitor
        self._input_keep_prob = _keep_probability(input_keep_prob, "input_keep_prob")
        self._state_keep_prob = _keep_probability(state_keep_prob, "state_keep_prob")
        self._output_keep_prob = _keep_probability(output_keep_prob, "output_keep_prob")
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        self._input_noise = self._state_noise = self._output_noise = None
        if variational_recurrent:
            self._draw_recurrent_noise(input_size, dtype)

    def _draw_recurrent_noise(self, input_size, dtype):
        if dtype is None:
            raise ValueError("When variational_recurrent=True, `dtype` must be provided.")
        dtype = tf.as_dtype(dtype)

        def noise(salt):
            def draw(index, size):
                shape = [1] + tf.TensorShape(size).as_list()
                return tf.random.uniform(shape, seed=self._derived_seed(salt, index), dtype=dtype)
            return draw

        if _should_drop(self._input_keep_prob):
            if input_size is None:
                raise ValueError(
                    "When variational_recurrent=True and input_keep_prob < 1.0 or is "
                    "unknown, `input_size` must be provided."
                )
            self._input_noise = _enumerated_map_up_to(input_size, noise("input"), input_size)
        state_size, output_size = self._cell.state_size, self._cell.output_size
        self._state_noise = _enumerated_map_up_to(state_size, noise("state"), state_size)
        self._output_noise = _enumerated_map_up_to(output_size, noise("output"), output_size)

    def _derived_seed(self, salt, index):
        if self._seed is None:
            return None
        text = f"{self._seed}{salt}_{index}".encode("utf-8")
        return int(hashlib.md5(text).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _dropout(self, values, salt, noise, keep_prob, shallow=None):
        shallow = values if shallow is None else shallow

        def selected(choice):
            return not isinstance(choice, bool) or choice

        if not self._variational_recurrent:
            def drop(index, choice, value):
                if not selected(choice):
                    return value
                return tf.compat.v1.nn.dropout(
                    value, rate=1.0 - keep_prob, seed=self._derived_seed(salt, index))
            return _enumerated_map_up_to(shallow, drop, shallow, values)

        def drop_with_noise(_index, choice, value, uniform):
            if not selected(choice):
                return value
            if value.dtype != uniform.dtype:
                raise ValueError(
                    f"DropoutWrapper was given dtype={uniform.dtype.name} for its "
                    f"variational dropout, but its {salt} is {value.dtype.name}: pass "
                    "the dtype of the inputs, state and outputs."
                )
            dropped = tf.math.divide(value, keep_prob) * tf.floor(keep_prob + uniform)
            dropped.set_shape(value.shape)
            return dropped
        return _enumerated_map_up_to(shallow, drop_with_noise, shallow, values, noise)

    def wrap_call(self, inputs, state, call):
        if _should_drop(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._input_noise, self._input_keep_prob)
        output, new_state = call(inputs, state)
        if _should_drop(self._state_keep_prob):
            shallow = _traverse_shallow_structure(self._state_filter, new_state)
            new_state = self._dropout(
                new_state, "state", self._state_noise, self._state_keep_prob, shallow)
        if _should_drop(self._output_keep_prob):
            output = self._dropout(output, "output", self._output_noise, self._output_keep_prob)
        return output, new_state

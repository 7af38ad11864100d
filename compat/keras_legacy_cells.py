"""The ``tf.keras.layers`` RNN cells of TF 1.13, as ``dynamic_rnn`` ran them.

Later revisions of the course notebook pass ``tf.keras.layers.SimpleRNNCell``
(and ``LSTMCell``/``GRUCell``) to ``tf.nn.dynamic_rnn``. Keras 3 cells do not
work there, and their defaults changed since TF 1.13, so ``compat.tf1`` serves
these three cells instead. They keep the TF 1.13 defaults (``keras/layers/
recurrent.py``, ``implementation=1``), with ``W`` = ``kernel``
``[input_depth, k*units]``, ``U`` = ``recurrent_kernel`` ``[units, k*units]``
and ``b`` = ``bias``, column blocks in the order given:

* ``SimpleRNNCell`` (k = 1):  h' = act(x·W + b + h·U).  State h.
* ``LSTMCell`` (k = 4, blocks i, f, c, o; recurrent_act = hard_sigmoid):

      i = ra(x·W_i + b_i + h·U_i)    f = ra(x·W_f + b_f + h·U_f)
      c' = f⊙c + i⊙act(x·W_c + b_c + h·U_c)
      o = ra(x·W_o + b_o + h·U_o)    h' = o⊙act(c')

  State ``[h, c]`` (h first, unlike TF1's ``LSTMStateTuple(c, h)``).
  ``unit_forget_bias=True`` starts ``b_f`` at 1 (it is stored in ``bias``,
  unlike ``BasicLSTMCell``'s run-time ``forget_bias``).
* ``GRUCell`` (k = 3, blocks z, r, h; recurrent_act = hard_sigmoid):

      z = ra(x·W_z + b_z + h·U_z)    r = ra(x·W_r + b_r + h·U_r)
      reset_after=False (default):  hh = act(x·W_h + b_h + (r⊙h)·U_h)
      reset_after=True:             hh = act(x·W_h + b_h + r⊙(h·U_h + b'_h))
      h' = z⊙h + (1 - z)⊙hh

  With ``reset_after=True`` the bias is ``[2, 3*units]``: row 0 is ``b``
  (input side), row 1 is ``b'`` (recurrent side, also added to the z and r
  pre-activations).

Output = h'. ``hard_sigmoid(x) = clip(0.2·x + 0.5, 0, 1)`` as in TF 1.13
(Keras 3's is ``clip(x/6 + 0.5, 0, 1)``). ``activation=None`` means linear.

Weights are Keras-style, not ``get_variable``-style: each cell gets a layer
name unique in its graph when constructed (``simple_rnn_cell``,
``simple_rnn_cell_1``, ...; or ``name``), owns its variables, and creates them
on the first call with ``tf.compat.v1.Variable`` inside the current *name*
scope. Under ``dynamic_rnn`` that is the while loop's, so the names are
``rnn/while/simple_rnn_cell/kernel:0``, ``.../recurrent_kernel:0``,
``.../bias:0`` exactly as TF 1.13 (and Keras 2 in TF 2.15) named them; variable
scopes and their ``reuse`` play no part. Initializers are the TF1 ones the
Keras names stood for (``glorot_uniform``, ``orthogonal``, ``zeros``), created
in the order kernel, recurrent_kernel, bias, so under a graph seed the initial
values equal the genuine Keras 2 cells' in TF 2.15 graph mode.

The cells implement the TF1 ``RNNCell`` interface (``compat.rnn_cell.RNNCell``)
for ``dynamic_rnn``, ``bidirectional_dynamic_rnn``, ``static_rnn`` and
``MultiRNNCell`` in graph mode; they are not Keras layers.
"""

import collections
import weakref

import tensorflow as tf

from compat.rnn_cell.base import RNNCell, check_num_units, snake_case

_v1 = tf.compat.v1


def hard_sigmoid(x):
    """TF 1.13's ``tf.keras.activations.hard_sigmoid``: clip(0.2·x + 0.5, 0, 1)."""
    return tf.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)


_ACTIVATIONS = {
    "hard_sigmoid": hard_sigmoid,
    "linear": tf.identity,
    "relu": tf.nn.relu,
    "sigmoid": tf.sigmoid,
    "tanh": tf.tanh,
}

_INITIALIZERS = {
    "glorot_normal": _v1.glorot_normal_initializer,
    "glorot_uniform": _v1.glorot_uniform_initializer,
    "ones": _v1.ones_initializer,
    "orthogonal": _v1.orthogonal_initializer,
    "zeros": _v1.zeros_initializer,
}


def _get_activation(activation, argument):
    """Keras semantics: ``None`` is linear; a name from a short table; a callable."""
    if activation is None:
        return tf.identity
    if isinstance(activation, str) and activation in _ACTIVATIONS:
        return _ACTIVATIONS[activation]
    if callable(activation) and not isinstance(activation, str):
        return activation
    raise ValueError(
        f"`{argument}` must be None, a callable or one of {sorted(_ACTIVATIONS)}, "
        f"but received {activation!r}."
    )


def _get_initializer(initializer, argument):
    """A Keras initializer name, mapped to its TF1 initializer, or a callable."""
    if isinstance(initializer, str) and initializer in _INITIALIZERS:
        return _INITIALIZERS[initializer]()
    if callable(initializer) and not isinstance(initializer, str):
        return initializer
    raise ValueError(
        f"`{argument}` must be a callable `(shape, dtype=...)` or one of "
        f"{sorted(_INITIALIZERS)}, but received {initializer!r}."
    )


def _check_bool(value, argument):
    if not isinstance(value, bool):
        raise TypeError(f"`{argument}` must be True or False, but received {value!r}.")
    return value


# Keras numbered layer names per graph, starting from the bare name.
_LAYER_NAME_COUNTS = weakref.WeakKeyDictionary()


def _unique_layer_name(base_name):
    counts = _LAYER_NAME_COUNTS.setdefault(
        _v1.get_default_graph(), collections.Counter()
    )
    count = counts[base_name]
    counts[base_name] += 1
    return base_name if count == 0 else f"{base_name}_{count}"


def _block(matrix, index, units):
    """Column block ``index`` (of width ``units``) of a kernel or bias."""
    return matrix[..., index * units:(index + 1) * units]


class _KerasLegacyCell(RNNCell):
    """Keras-style naming and variable ownership on the TF1 cell interface.

    Subclasses set ``state_size`` and implement ``build(input_depth)`` with
    ``add_variable`` and ``call(inputs, state)``.
    """

    def __init__(self, units, activation, use_bias, kernel_initializer,
                 recurrent_initializer, bias_initializer, name):
        if name is not None and not (isinstance(name, str) and name):
            raise TypeError(f"`name` must be None or a non-empty string, but received {name!r}.")
        super().__init__(name=name or _unique_layer_name(snake_case(type(self).__name__)))
        self.units = check_num_units(units, "units")
        self.activation = _get_activation(activation, "activation")
        self.use_bias = _check_bool(use_bias, "use_bias")
        self.kernel_initializer = _get_initializer(kernel_initializer, "kernel_initializer")
        self.recurrent_initializer = _get_initializer(recurrent_initializer, "recurrent_initializer")
        self.bias_initializer = _get_initializer(bias_initializer, "bias_initializer")
        self.kernel = self.recurrent_kernel = self.bias = None

    @property
    def output_size(self):
        return self.units

    def add_variable(self, name, shape, initializer=None, partitioner=None):
        """A trainable resource variable ``<name scope>/<name>`` owned by the cell."""
        if initializer is None or partitioner is not None:
            raise ValueError(
                f"{type(self).__name__}.add_variable needs an `initializer` and "
                "takes no `partitioner`."
            )
        dtype = self.dtype
        variable = _v1.Variable(
            initial_value=lambda: initializer(shape, dtype=dtype),
            name=name,
            dtype=dtype,
            trainable=True,
            use_resource=True,
        )
        self._variables.append(variable)
        return variable

    def _add_kernels(self, input_depth, blocks):
        self.kernel = self.add_variable(
            "kernel", [input_depth, blocks * self.units], self.kernel_initializer
        )
        self.recurrent_kernel = self.add_variable(
            "recurrent_kernel", [self.units, blocks * self.units], self.recurrent_initializer
        )

    def _project(self, inputs, index, bias_row=None):
        """``inputs·W_index + b_index`` (the bias only with ``use_bias``)."""
        projection = tf.matmul(inputs, _block(self.kernel, index, self.units))
        if self.use_bias:
            bias = self.bias if bias_row is None else self.bias[bias_row]
            projection = tf.nn.bias_add(projection, _block(bias, index, self.units))
        return projection

    def __call__(self, inputs, state, scope=None):
        """One step on ``inputs`` ``[batch, depth]`` from ``state`` (see ``state_size``).

        ``scope`` is accepted for the TF1 interface but must be None: Keras
        cells name their weights after the layer ``name``.
        """
        if scope is not None:
            raise ValueError(
                f"`scope` must be None for {type(self).__name__} {self.name!r}: "
                "Keras cells name their weights after the layer name (pass "
                f"`name=` to the constructor), but received scope={scope!r}."
            )
        if tf.executing_eagerly():
            raise RuntimeError(
                f"{type(self).__name__} {self.name!r} was called in eager mode. "
                "The compat Keras legacy cells are for TF1 graphs "
                "(`import compat.tf1 as tf`, or build inside "
                "`with tf.Graph().as_default():`)."
            )
        inputs = tf.convert_to_tensor(inputs, dtype_hint=self.dtype, name="inputs")
        input_depth = self._check_inputs(inputs, state)
        try:
            tf.nest.assert_same_structure(self.state_size, state, check_types=False)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"`state` of {type(self).__name__} {self.name!r} must have the "
                f"structure of state_size={self.state_size!r}, but received {state!r}."
            ) from error
        with _v1.name_scope(self.name):
            if not self.built:
                self._dtype = self.dtype or inputs.dtype.base_dtype
                # Out of any while loop or function, as Keras built layers.
                with tf.init_scope():
                    self.build(input_depth)
                self._input_depth = input_depth
                self.built = True
            return self.call(inputs, state)


class SimpleRNNCell(_KerasLegacyCell):
    """TF 1.13 ``tf.keras.layers.SimpleRNNCell``: h' = act(x·W + b + h·U).

    Args:
      units: positive int, the state and output size.
      activation: default ``"tanh"``; ``None`` is linear.
      use_bias: whether to add ``bias``.
      kernel_initializer, recurrent_initializer, bias_initializer: a name
        (``"glorot_uniform"``, ``"orthogonal"``, ``"zeros"``, ...) or a callable
        ``(shape, dtype=...)``.
      name: layer name; default ``simple_rnn_cell`` numbered per graph.
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 name=None):
        super().__init__(units, activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, name)

    @property
    def state_size(self):
        return self.units

    def build(self, input_depth):
        self._add_kernels(input_depth, blocks=1)
        if self.use_bias:
            self.bias = self.add_variable("bias", [self.units], self.bias_initializer)

    def call(self, inputs, state):
        output = self.activation(self._project(inputs, 0) + tf.matmul(state, self.recurrent_kernel))
        return output, output


class LSTMCell(_KerasLegacyCell):
    """TF 1.13 ``tf.keras.layers.LSTMCell``: gates (i, f, c, o), state ``[h, c]``.

    Args:
      units: positive int, the size of h and c.
      activation: for the candidate and the output; default ``"tanh"``.
      recurrent_activation: for the gates; default ``"hard_sigmoid"``.
      use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
        name: see ``SimpleRNNCell`` (default name ``lstm_cell``).
      unit_forget_bias: if True, the forget block of ``bias`` starts at 1
        (the other blocks from ``bias_initializer``).
    """

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, name=None):
        super().__init__(units, activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, name)
        self.recurrent_activation = _get_activation(recurrent_activation, "recurrent_activation")
        self.unit_forget_bias = _check_bool(unit_forget_bias, "unit_forget_bias")

    @property
    def state_size(self):
        return [self.units, self.units]

    def build(self, input_depth):
        self._add_kernels(input_depth, blocks=4)
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = self._unit_forget_bias_initializer
            self.bias = self.add_variable("bias", [4 * self.units], initializer)

    def _unit_forget_bias_initializer(self, shape, dtype=None):
        del shape  # [4 * units]; the blocks are built as TF 1.13 built them
        return tf.concat([
            self.bias_initializer([self.units], dtype=dtype),
            tf.ones([self.units], dtype=dtype),
            self.bias_initializer([2 * self.units], dtype=dtype),
        ], 0)

    def call(self, inputs, state):
        h, c = state

        def pre_activation(index):
            return self._project(inputs, index) + tf.matmul(
                h, _block(self.recurrent_kernel, index, self.units))

        input_gate = self.recurrent_activation(pre_activation(0))
        forget_gate = self.recurrent_activation(pre_activation(1))
        new_c = forget_gate * c + input_gate * self.activation(pre_activation(2))
        output_gate = self.recurrent_activation(pre_activation(3))
        new_h = output_gate * self.activation(new_c)
        return new_h, [new_h, new_c]


class GRUCell(_KerasLegacyCell):
    """TF 1.13 ``tf.keras.layers.GRUCell``: gates (z, r, h), reset before ``U_h``.

    Args:
      units: positive int, the state and output size.
      activation: for the candidate; default ``"tanh"``.
      recurrent_activation: for z and r; default ``"hard_sigmoid"``.
      use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
        name: see ``SimpleRNNCell`` (default name ``gru_cell``).
      reset_after: False (TF 1.13's default, TF1 ``GRUCell``'s convention)
        applies r to h before ``U_h``; True applies it after, with a separate
        recurrent bias row (the cuDNN convention, Keras 3's default).
    """

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 reset_after=False, name=None):
        super().__init__(units, activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, name)
        self.recurrent_activation = _get_activation(recurrent_activation, "recurrent_activation")
        self.reset_after = _check_bool(reset_after, "reset_after")

    @property
    def state_size(self):
        return self.units

    def build(self, input_depth):
        self._add_kernels(input_depth, blocks=3)
        if self.use_bias:
            shape = [2, 3 * self.units] if self.reset_after else [3 * self.units]
            self.bias = self.add_variable("bias", shape, self.bias_initializer)

    def call(self, inputs, state):
        input_row, recurrent_row = (0, 1) if self.reset_after else (None, None)

        def recurrent(index, hidden):
            projection = tf.matmul(hidden, _block(self.recurrent_kernel, index, self.units))
            if self.reset_after and self.use_bias:
                projection = tf.nn.bias_add(projection, _block(self.bias[recurrent_row], index, self.units))
            return projection

        update_gate = self.recurrent_activation(self._project(inputs, 0, input_row) + recurrent(0, state))
        reset_gate = self.recurrent_activation(self._project(inputs, 1, input_row) + recurrent(1, state))
        if self.reset_after:
            recurrent_candidate = reset_gate * recurrent(2, state)
        else:
            recurrent_candidate = recurrent(2, reset_gate * state)
        candidate = self.activation(self._project(inputs, 2, input_row) + recurrent_candidate)
        output = update_gate * state + (1 - update_gate) * candidate
        return output, output


__all__ = ["GRUCell", "LSTMCell", "SimpleRNNCell", "hard_sigmoid"]

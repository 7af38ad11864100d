"""``RNNCell``: the TF1 cell interface, rebuilt on ``tf.compat.v1`` primitives.

A cell maps ``(inputs, state)`` to ``(output, new_state)`` for one time step:
``inputs`` is ``[batch, input_depth]``, ``state`` has the structure of
``state_size`` and ``output`` is ``[batch, output_size]``.
``tf.compat.v1.nn.dynamic_rnn``, ``bidirectional_dynamic_rnn`` and
``static_rnn`` accept these cells as they accepted the genuine ones.

Variables and scopes follow the TF1 layer-based cells exactly, so checkpoints
written by the genuine cells restore by name:

* On its first call a cell captures its variable scope:
  ``variable_scope(scope, default_name=<name>)``, uniquified among siblings
  (``basic_lstm_cell``, ``basic_lstm_cell_1``, ...), where ``<name>`` is the
  constructor's ``name`` or the snake-cased class name. With ``reuse=True`` the
  scope is ``<name>`` itself, not uniquified.
* It then creates its variables there with ``tf.compat.v1.get_variable``: the
  enclosing scope's initializer or the v1 glorot-uniform default, the same
  creation order as the genuine cell, hence the same initial values under
  ``tf.compat.v1.set_random_seed``.
* Every later call re-enters that captured scope with ``reuse=True``, wherever
  it is made, so one cell object means one set of weights.
* Cells without variables of their own (``MultiRNNCell``, user subclasses)
  were TF1's plain ``RNNCell`` rather than layer-like cells: they run each call
  inside the caller's scope of their first call, re-entered, which restarts
  its default-name counter. Two such cells called directly in one scope thus
  both get ``multi_rnn_cell`` (sharing under ``AUTO_REUSE``, else colliding).

Cells need graph mode (a ``tf.Graph`` or ``disable_eager_execution``): eagerly,
``get_variable`` never shares variables, so every step would silently get new
random weights. Calling a cell eagerly raises ``RuntimeError``.
"""

import contextlib
import copy
import numbers
import re

import tensorflow as tf


def snake_case(name):
    """``BasicLSTMCell`` -> ``basic_lstm_cell``, as TF1 layers named scopes."""
    words = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", words).lower()


def check_num_units(value, argument="num_units"):
    """Returns ``value`` if it is a positive Python or numpy integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"`{argument}` must be a positive integer, but received "
            f"{value!r} of type {type(value).__name__}."
        )
    if value <= 0:
        raise ValueError(f"`{argument}` must be a positive integer, but received {value}.")
    return int(value)


def check_optional_clip(value, argument):
    """Returns ``value`` if it is None or a positive real number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{argument}` must be None or a positive number, but received "
            f"{value!r} of type {type(value).__name__}."
        )
    if not value > 0:
        raise ValueError(f"`{argument}` must be None or a positive number, but received {value}.")
    return value


def check_number(value, argument):
    """Returns ``value`` if it is a real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{argument}` must be a number, but received {value!r} of type "
            f"{type(value).__name__}."
        )
    return value


def check_floating_dtype(dtype, argument):
    """Returns ``tf.as_dtype(dtype)`` if it is floating, as TF1 required."""
    try:
        dtype = tf.as_dtype(dtype)
    except TypeError as error:
        raise TypeError(f"`{argument}` must be a TensorFlow dtype, but received {dtype!r}.") from error
    if not dtype.is_floating:
        raise ValueError(
            "RNN cell only supports floating point inputs, but received "
            f"`{argument}` of dtype {dtype.name}."
        )
    return dtype


_ACTIVATIONS = {
    "tanh": tf.tanh,
    "sigmoid": tf.sigmoid,
    "relu": tf.nn.relu,
    "relu6": tf.nn.relu6,
    "elu": tf.nn.elu,
    "selu": tf.nn.selu,
    "softplus": tf.nn.softplus,
    "softsign": tf.nn.softsign,
    "linear": tf.identity,
}


def get_activation(activation):
    """``None`` -> ``tf.tanh``; a callable as is; a name from a short table."""
    if not activation:
        return tf.tanh
    if callable(activation):
        return activation
    if isinstance(activation, str) and activation in _ACTIVATIONS:
        return _ACTIVATIONS[activation]
    raise ValueError(
        "`activation` must be None, a callable or one of "
        f"{sorted(_ACTIVATIONS)}, but received {activation!r}."
    )


def get_initializer(initializer, argument):
    """Returns ``initializer`` if it is None or callable (a v1 initializer)."""
    if initializer is None or callable(initializer):
        return initializer
    raise TypeError(
        f"`{argument}` must be None or an initializer such as "
        "`tf.compat.v1.random_uniform_initializer(-0.1, 0.1)`, but received "
        f"{initializer!r}."
    )


def _zeros(batch_size, size, dtype):
    dims = tf.TensorShape(size).as_list()
    if isinstance(batch_size, numbers.Integral):
        return tf.zeros([int(batch_size)] + dims, dtype=dtype)
    zeros = tf.zeros(tf.stack([batch_size] + dims), dtype=dtype)
    zeros.set_shape([tf.get_static_value(batch_size)] + dims)
    return zeros


_CELL_ATTRIBUTES = ("output_size", "state_size", "zero_state")


def is_cell_like(cell):
    """The duck type ``tf.compat.v1.nn.dynamic_rnn`` accepts as a cell."""
    return callable(cell) and all(hasattr(cell, name) for name in _CELL_ATTRIBUTES)


def check_cell(cell, argument="cell"):
    """Returns ``cell`` if it is cell-like, else raises ``TypeError`` naming ``argument``."""
    if not is_cell_like(cell):
        missing = [name for name in _CELL_ATTRIBUTES if not hasattr(cell, name)]
        if not callable(cell):
            missing.append("__call__")
        raise TypeError(
            f"`{argument}` is not an RNN cell (it lacks {', '.join(missing)}): {cell!r}."
        )
    return cell


class RNNCell:
    """Abstract TF1 RNN cell.

    Subclasses define ``state_size``, ``output_size`` and
    ``call(inputs, state) -> (output, new_state)``, and, if they own
    variables, ``build(input_depth)``, which creates them with
    ``self.add_variable`` in the TF1 creation order. ``__call__`` validates the
    inputs, captures the scope and builds the cell on its first call.

    Args:
      name: name of the variable scope; defaults to the snake-cased class
        name (``basic_lstm_cell``). Cells with the same name in the same scope
        share weights only if ``reuse`` allows it.
      dtype: dtype of the variables; ``None`` takes the dtype of the first
        inputs. Must be floating.
      reuse: ``None``/``False`` (inherit the enclosing scope's reuse),
        ``True`` or ``tf.compat.v1.AUTO_REUSE``: whether to reuse variables
        that already exist in the cell's scope.
    """

    # TF1 had layer-like cells (the built-in cells with variables) and plain
    # cells (MultiRNNCell, user subclasses); plain ones run each call inside
    # an extra scope, see ``_outer_scope``.
    _layer_like = False

    def __init__(self, name=None, dtype=None, reuse=None):
        if name is not None and not (isinstance(name, str) and name):
            raise TypeError(f"`name` must be None or a non-empty string, but received {name!r}.")
        if reuse not in (None, False, True, tf.compat.v1.AUTO_REUSE):
            raise ValueError(
                "`reuse` must be None, False, True or tf.compat.v1.AUTO_REUSE, "
                f"but received {reuse!r}."
            )
        self._base_name = name or snake_case(type(self).__name__)
        self._dtype = None if dtype is None else check_floating_dtype(dtype, "dtype")
        self._reuse = reuse or None
        self._scope = None
        self._caller_scope = None
        self._input_depth = None
        self._variables = []
        self.built = False

    # -- interface -------------------------------------------------------

    @property
    def state_size(self):
        """Size(s) of the state: an int, a TensorShape or a nested tuple."""
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        """Size of the output: an int or a TensorShape."""
        raise NotImplementedError("Abstract method")

    def build(self, input_depth):
        """Creates the cell's variables for inputs of depth ``input_depth``."""

    def call(self, inputs, state):
        """One step: returns ``(output, new_state)``."""
        raise NotImplementedError("Abstract method")

    # -- properties ------------------------------------------------------

    @property
    def name(self):
        """The ``name`` given to the constructor, or the snake-cased class name."""
        return self._base_name

    @property
    def dtype(self):
        """Variable dtype: the constructor's ``dtype``, else that of the first inputs."""
        return self._dtype

    @property
    def scope_name(self):
        """Full name of the variable scope captured on the first call."""
        if self._scope is None:
            raise ValueError(
                f"Cell {self._base_name!r} has not been called yet: its scope is "
                "chosen on the first call."
            )
        return self._scope.name

    @property
    def variables(self):
        """The variables this cell created or reused, in creation order."""
        return list(self._variables)

    weights = variables

    @property
    def trainable_variables(self):
        """The variables created or reused as trainable."""
        return [variable for variable in self._variables if getattr(variable, "trainable", True)]

    trainable_weights = trainable_variables

    def add_variable(self, name, shape, dtype=None, initializer=None, partitioner=None,
                     regularizer=None, trainable=True):
        """``get_variable`` in the current scope, by default with the cell's dtype.

        ``initializer=None`` means the enclosing scope's initializer, or else
        ``get_variable``'s v1 glorot-uniform default. A variable fetched again
        (cells that get their variables in ``call``) is listed once.
        """
        variable = tf.compat.v1.get_variable(
            name,
            shape=shape,
            dtype=dtype or self._dtype,
            initializer=initializer,
            partitioner=partitioner,
            regularizer=regularizer,
            trainable=trainable,
        )
        if all(known is not variable for known in self._variables):
            self._variables.append(variable)
        return variable

    # -- state -----------------------------------------------------------

    def zero_state(self, batch_size, dtype):
        """Zeros of shape ``[batch_size] + s`` for every ``s`` in ``state_size``."""
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            return tf.nest.map_structure(
                lambda size: _zeros(batch_size, size, dtype), self.state_size
            )

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """``zero_state`` for the batch size and dtype of ``inputs`` if given."""
        if inputs is not None:
            inputs = tf.convert_to_tensor(inputs, name="inputs")
            batch_size = inputs.shape[0] if inputs.shape[0] is not None else tf.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(
                "`batch_size` and `dtype` cannot be None while constructing the "
                f"initial state: batch_size={batch_size}, dtype={dtype}."
            )
        return self.zero_state(batch_size, dtype)

    # -- the call --------------------------------------------------------

    def __call__(self, inputs, state, scope=None):
        """Runs one step of the cell on ``inputs`` from ``state``.

        Args:
          inputs: ``[batch_size, input_depth]`` floating tensor; the depth must
            be known statically.
          state: a tensor or tuple matching ``state_size``.
          scope: on the first call only, the variable scope (name or
            ``VariableScope``) to use instead of ``<name>`` uniquified.

        Returns:
          ``(output, new_state)``.
        """
        if tf.compat.v1.executing_eagerly_outside_functions():
            raise RuntimeError(
                f"{type(self).__name__} {self._base_name!r} was called in eager "
                "mode. TF1 RNN cells create their weights with "
                "tf.compat.v1.get_variable, which shares variables only in graph "
                "mode: eagerly every step would get new random weights. Build the "
                "model inside `with tf.Graph().as_default():` (or call "
                "tf.compat.v1.disable_eager_execution() first)."
            )
        inputs = tf.convert_to_tensor(inputs, dtype_hint=self._dtype, name="inputs")
        input_depth = self._check_inputs(inputs, state)
        with self._outer_scope(scope) as outer:
            if self._scope is None:
                # A plain cell has already opened a given `scope`: capture it as is.
                self._capture_scope(outer if scope is not None and outer is not None else scope)
            reuse = True if self.built else self._reuse
            with tf.compat.v1.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False):
                with tf.compat.v1.name_scope(self._scope.original_name_scope):
                    if not self.built:
                        self._dtype = self._dtype or inputs.dtype
                        self.build(self._build_argument(inputs, input_depth))
                        self._input_depth = input_depth
                        self.built = True
                    return self.call(inputs, state)

    def _build_argument(self, inputs, input_depth):
        """What ``build`` receives: the input depth (``LayerRNNCell``: the shape)."""
        return input_depth

    def _outer_scope(self, scope):
        """The variable scope a plain (not layer-like) TF1 cell runs each call in.

        That is ``scope`` if given, else the caller's scope at the first such
        call, re-entered by object. Re-entering restarts that scope's
        default-name counter and restores it on exit, so two plain cells
        called directly in one scope both get the bare name (and then share
        under AUTO_REUSE, or collide) exactly as in TF1.
        """
        if self._layer_like:
            return contextlib.nullcontext()
        if scope is not None:
            return tf.compat.v1.variable_scope(scope)
        if self._caller_scope is None:
            self._caller_scope = tf.compat.v1.get_variable_scope()
        return tf.compat.v1.variable_scope(self._caller_scope)

    def _capture_scope(self, scope):
        if self._reuse:
            scope_context = tf.compat.v1.variable_scope(scope if scope is not None else self._base_name)
        else:
            scope_context = tf.compat.v1.variable_scope(scope, default_name=self._base_name)
        with scope_context as captured:
            self._scope = captured

    def _check_inputs(self, inputs, state):
        """Validates ``inputs`` and ``state``; returns the static input depth."""
        where = f"{type(self).__name__} {self._describe()}"
        if not inputs.dtype.is_floating:
            raise ValueError(
                "RNN cell only supports floating point inputs, but received "
                f"`inputs` of dtype {inputs.dtype.name} for {where}."
            )
        for tensor in tf.nest.flatten(state):
            state_dtype = tf.as_dtype(tensor.dtype)
            if not state_dtype.is_floating:
                raise ValueError(
                    "RNN cell only supports floating point inputs, but received "
                    f"`state` of dtype {state_dtype.name} for {where}."
                )
        if inputs.shape.rank != 2:
            raise ValueError(
                f"`inputs` of {where} must have rank 2 [batch_size, input_depth], "
                f"but received shape {inputs.shape}."
            )
        input_depth = tf.compat.dimension_value(inputs.shape[1])  # a Dimension under TF1 shapes
        if input_depth is None:
            raise ValueError(
                f"The depth (last dimension) of `inputs` of {where} must be known "
                f"statically, but received shape {inputs.shape}."
            )
        if self._dtype is not None and inputs.dtype != self._dtype:
            raise ValueError(
                f"`inputs` of {where} have dtype {inputs.dtype.name}, but the cell's "
                f"variables are {self._dtype.name}."
            )
        if self._input_depth is not None and input_depth != self._input_depth:
            raise ValueError(
                f"{where} was built for inputs of depth {self._input_depth} but is "
                f"now called with inputs of depth {input_depth}. One cell object "
                "holds one set of weights, so it accepts one input depth; to stack "
                "layers, create one cell per layer, e.g. "
                "MultiRNNCell([LSTMCell(n) for _ in range(layers)])."
            )
        return input_depth

    def _describe(self):
        return repr(self._scope.name if self._scope is not None else self._base_name)

    def __deepcopy__(self, memo):
        """An unbuilt cell with this one's configuration.

        ``legacy_seq2seq`` deep-copies the cell it is given for its encoder,
        and the translate tutorial passed one cell to every bucket. TF 1.0's
        cells held no variables, so that worked; from TF 1.1 a cell built in
        an earlier bucket raised "can't pickle _thread.lock objects". Here the
        copy drops what building made (its variables and scope) and builds
        again where it is called, so in a reused scope it reuses that scope's
        variables, as TF 1.0 did. Tensors given to the constructor (a
        ``keep_prob`` placeholder) are shared, not copied.
        """
        clone = type(self).__new__(type(self))
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            if any(isinstance(leaf, tf.Variable) for leaf in tf.nest.flatten(value)):
                continue
            if any(tf.is_tensor(leaf) for leaf in tf.nest.flatten(value)):
                clone.__dict__[key] = value
            else:
                clone.__dict__[key] = copy.deepcopy(value, memo)
        clone._scope = clone._caller_scope = clone._input_depth = None
        clone._variables = []
        clone.built = False
        return clone

    def __repr__(self):
        return f"<{type(self).__name__} {self._describe()}>"


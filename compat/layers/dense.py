"""TF1's ``tf.layers.dense`` and ``tf.layers.Dense``, which Keras 3 no longer provides.

``dense`` is ``fully_connected`` under TF1 ``dense``'s names and defaults:

    outputs = activation(inputs · kernel [+ bias])

Variables ``<scope>/kernel`` ``[depth, units]`` (the enclosing scope's
initializer, else v1 glorot uniform, as ``get_variable`` chooses) then
``<scope>/bias`` ``[units]`` (zeros). ``<scope>`` is ``name``, or ``dense``,
``dense_1``, ... in the current variable scope. Unlike ``fully_connected``'s,
they are not ``MODEL_VARIABLES``, and the default activation is linear.

``Dense`` is the layer object (``contrib.seq2seq``'s output, memory, query
and attention layers are ``Dense``): its scope is chosen on its first call,
``name`` (default ``dense``) uniquified where it is called, and every later
call re-enters that scope and reuses its variables.
"""

import tensorflow as tf

from compat.layers.fully_connected import fully_connected
from compat.rnn_cell.base import check_num_units

_v1 = tf.compat.v1
_TF1_DENSE_NAMES = {"weights": "kernel", "biases": "bias"}
_ZEROS = _v1.zeros_initializer()


def _as_dense_variable(getter, name, *args, **kwargs):
    """Custom getter: ``.../weights`` -> ``.../kernel``, ``.../biases`` -> ``.../bias``."""
    scope, short_name = name.rsplit("/", 1)
    kwargs["collections"] = None  # the defaults: global (and trainable) only
    return getter(f"{scope}/{_TF1_DENSE_NAMES[short_name]}", *args, **kwargs)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=_ZEROS, kernel_regularizer=None,
          bias_regularizer=None, trainable=True, name=None, reuse=None):
    """TF1 ``tf.layers.dense``: a densely connected layer on the last axis.

    Args:
      inputs: floating Tensor of rank >= 2 with a static last dimension.
      units: positive int, the output depth.
      activation: applied last; None keeps the layer linear.
      use_bias: whether to add ``bias``.
      kernel_initializer: None for the scope's initializer or v1 glorot uniform.
      bias_initializer: initializer of ``bias``.
      kernel_regularizer, bias_regularizer: ``f(variable)`` added to
        ``REGULARIZATION_LOSSES``.
      trainable: whether the variables go to ``TRAINABLE_VARIABLES``.
      name: variable scope of the layer; default ``dense`` uniquified.
      reuse: reuse the variables of scope ``name``.

    Returns:
      The Tensor ``[..., units]``.
    """
    units = check_num_units(units, "units")
    if not isinstance(use_bias, bool):
        raise TypeError(f"`use_bias` must be True or False, but received {use_bias!r}.")
    with _v1.variable_scope(name, default_name="dense", values=[inputs], reuse=reuse,
                            custom_getter=_as_dense_variable) as scope:
        return fully_connected(
            inputs,
            units,
            activation_fn=activation,
            weights_initializer=kernel_initializer,
            weights_regularizer=kernel_regularizer,
            biases_initializer=bias_initializer if use_bias else None,
            biases_regularizer=bias_regularizer,
            trainable=trainable,
            scope=scope,
        )


class Dense:
    """TF1's ``tf.layers.Dense``: ``dense`` as an object with one set of variables.

    Args: those of ``dense`` (``units``, ``activation``, ``use_bias``,
    ``kernel_initializer``, ``bias_initializer``, ``kernel_regularizer``,
    ``bias_regularizer``, ``trainable``, ``name``), and ``dtype``, accepted as
    TF1 did (the variables take the inputs' dtype).
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=_ZEROS, kernel_regularizer=None, bias_regularizer=None,
                 trainable=True, name=None, dtype=None, **unused_layer_options):
        self.units = check_num_units(units, "units")
        if not isinstance(use_bias, bool):
            raise TypeError(f"`use_bias` must be True or False, but received {use_bias!r}.")
        if activation is not None and not callable(activation):
            raise TypeError(f"`activation` must be None or callable, but received {activation!r}.")
        if name is not None and not (isinstance(name, str) and name):
            raise TypeError(f"`name` must be None or a non-empty string, but received {name!r}.")
        self._options = dict(activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                             bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                             bias_regularizer=bias_regularizer, trainable=trainable)
        self.name = name or "dense"
        self.dtype = dtype
        self._scope = None

    def __call__(self, inputs):
        if self._scope is None:
            with _v1.variable_scope(None, default_name=self.name) as scope:
                self._scope = scope
            return dense(inputs, self.units, name=self._scope, **self._options)
        return dense(inputs, self.units, name=self._scope, reuse=True, **self._options)

    apply = __call__

    @property
    def variables(self):
        if self._scope is None:
            return []
        return _v1.get_collection(_v1.GraphKeys.GLOBAL_VARIABLES, scope=self._scope.name + "/")

    trainable_variables = weights = trainable_weights = variables

    def compute_output_shape(self, input_shape):
        """``input_shape`` with its last dimension ``units``."""
        return tf.TensorShape(input_shape)[:-1].concatenate([self.units])

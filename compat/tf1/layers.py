"""``tf.layers`` of the drop-in: all of ``tf.compat.v1.layers``, and ``dense`` from compat.

With Keras 3, ``tf.compat.v1.layers.dense`` raises "not available"; here it is
``fully_connected`` under TF1 ``dense``'s names and defaults:

    outputs = activation(inputs · kernel [+ bias])

Variables ``<scope>/kernel`` ``[depth, units]`` (the enclosing scope's
initializer, else v1 glorot uniform, as ``get_variable`` chooses) then
``<scope>/bias`` ``[units]`` (zeros). ``<scope>`` is ``name``, or ``dense``,
``dense_1``, ... in the current variable scope. Unlike ``fully_connected``'s,
they are not ``MODEL_VARIABLES``, and the default activation is linear.
"""

import tensorflow as tf

from compat.layers import fully_connected
from compat.rnn_cell.base import check_num_units
from compat.tf1._delegation import delegate_to

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


__getattr__, __dir__ = delegate_to(__name__, lambda: _v1.layers)

"""`fully_connected`: the `tf.contrib.layers` dense layer, with TF1 defaults.

    outputs = activation_fn(normalizer_fn(inputs · weights [+ biases]))

`inputs` is `[..., num_inputs]`; the product contracts the last axis only
(tensordot), so `[B, T, D]` gives `[B, T, num_outputs]`: nothing is flattened.
`biases` exist only when `biases_initializer` is set and there is no
`normalizer_fn`. The default activation is ReLU, not linear.

Variables are `<scope>/weights` `[num_inputs, num_outputs]` (Glorot/Xavier
uniform) then `<scope>/biases` `[num_outputs]` (zeros), created in that order
with `tf.compat.v1.get_variable`, so under the same graph seed they get the
initial values the genuine contrib layer got. `<scope>` is `scope`, or
`fully_connected`, `fully_connected_1`, ... inside the current variable scope;
both variables are also added to the `MODEL_VARIABLES` collection.
"""

import tensorflow as tf

_v1 = tf.compat.v1
# contrib's default `xavier_initializer()`: the same op and numbers.
_XAVIER_UNIFORM = _v1.glorot_uniform_initializer()
_ZEROS = _v1.zeros_initializer()


def fully_connected(inputs,
                    num_outputs,
                    activation_fn=tf.nn.relu,
                    normalizer_fn=None,
                    normalizer_params=None,
                    weights_initializer=_XAVIER_UNIFORM,
                    weights_regularizer=None,
                    biases_initializer=_ZEROS,
                    biases_regularizer=None,
                    reuse=None,
                    variables_collections=None,
                    outputs_collections=None,
                    trainable=True,
                    scope=None):
    """Adds a fully connected layer to the current graph.

    Args:
      inputs: float Tensor of rank >= 2 with a static last dimension.
      num_outputs: Python int, the number of output units.
      activation_fn: applied last; `None` keeps the layer linear.
      normalizer_fn: applied to `inputs · weights` instead of adding biases,
        as `normalizer_fn(x, **normalizer_params)`.
      normalizer_params: keyword arguments of `normalizer_fn`.
      weights_initializer: initializer of `weights`.
      weights_regularizer: `f(weights)` added to `REGULARIZATION_LOSSES`.
      biases_initializer: initializer of `biases`; `None` means no biases.
      biases_regularizer: `f(biases)` added to `REGULARIZATION_LOSSES`.
      reuse: reuse the variables of `scope` (which must then be given).
      variables_collections: extra collections for the variables: a list, or
        a dict with keys "weights" and "biases".
      outputs_collections: collections to add the output to; the output gets
        the alias of the layer's scope name.
      trainable: whether the variables go to `TRAINABLE_VARIABLES`.
      scope: variable scope of the layer.

    Returns:
      The Tensor `[..., num_outputs]`.

    Raises:
      ValueError: if `num_outputs` is not a Python int, or `inputs` has rank
        below 2 or an unknown last dimension; if `reuse=True` without `scope`.
      TypeError: if `inputs` is not floating point.
    """
    if isinstance(num_outputs, bool) or not isinstance(num_outputs, int):
        raise ValueError(
            f"num_outputs should be int or long, got {num_outputs!r}.")
    with _v1.variable_scope(scope, default_name="fully_connected",
                            values=[inputs], reuse=reuse) as layer_scope:
        inputs = tf.convert_to_tensor(inputs, name="inputs")
        _check_inputs(inputs)
        dtype = inputs.dtype.base_dtype
        num_inputs = inputs.shape[-1]

        weights = _model_variable("weights", [num_inputs, num_outputs], dtype,
                                  weights_initializer, weights_regularizer,
                                  trainable, variables_collections)
        if inputs.shape.rank == 2:
            outputs = tf.matmul(inputs, weights)
        else:
            outputs = tf.tensordot(inputs, weights,
                                   [[inputs.shape.rank - 1], [0]])
            outputs.set_shape(inputs.shape[:-1].concatenate([num_outputs]))
        if normalizer_fn is None and biases_initializer is not None:
            biases = _model_variable("biases", [num_outputs], dtype,
                                     biases_initializer, biases_regularizer,
                                     trainable, variables_collections)
            outputs = tf.nn.bias_add(outputs, biases)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect_named_outputs(outputs_collections, layer_scope.name,
                                      outputs)


def _check_inputs(inputs):
    if inputs.shape.rank is None or inputs.shape.rank < 2:
        raise ValueError(f"inputs must have rank >= 2, got shape "
                         f"{inputs.shape}.")
    if inputs.shape[-1] is None:
        raise ValueError(f"The last dimension of inputs must be defined, got "
                         f"shape {inputs.shape}.")
    if not inputs.dtype.is_floating:
        raise TypeError(f"inputs must be a floating point tensor, got dtype "
                        f"{inputs.dtype.name}.")


def _model_variable(name, shape, dtype, initializer, regularizer, trainable,
                    variables_collections):
    """A `get_variable` that also lands in `MODEL_VARIABLES` and the user's
    collections (a list, or a dict keyed by "weights"/"biases")."""
    variable = _v1.get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable,
        collections=[_v1.GraphKeys.GLOBAL_VARIABLES,
                     _v1.GraphKeys.MODEL_VARIABLES])
    if isinstance(variables_collections, dict):
        variables_collections = variables_collections.get(name)
    if not tf.executing_eagerly():
        for collection in variables_collections or []:
            # On reuse the variable may already be there.
            if variable not in _v1.get_collection(collection):
                _v1.add_to_collection(collection, variable)
    return variable


def _collect_named_outputs(collections, alias, outputs):
    if collections:
        outputs.aliases = getattr(outputs, "aliases", []) + [alias]
        _v1.add_to_collections(collections, outputs)
    return outputs


def linear(inputs, num_outputs, **options):
    """``fully_connected`` with ``activation_fn=None``: TF1's ``tf.contrib.layers.linear``
    (a ``functools.partial`` there, so its scope is ``fully_connected`` too)."""
    return fully_connected(inputs, num_outputs, activation_fn=None, **options)

"""``linear``: TF1's ``rnn_cell_impl._linear``, the affine map the contrib wrappers and
``legacy_seq2seq`` build their projections from.

    linear([a_1, ..., a_n], size) = concat([a_1, ..., a_n], 1) @ kernel + bias

in the current variable scope: ``kernel`` ``[sum of the depths, size]`` (the
scope's initializer or glorot uniform, unless ``kernel_initializer``) and
``bias`` ``[size]`` (zeros, unless ``bias_initializer``), both of the first
argument's dtype.
"""

import numbers

import tensorflow as tf


def linear(args, output_size, bias, bias_initializer=None, kernel_initializer=None,
           get_variable=tf.compat.v1.get_variable):
    """Returns ``concat(args, 1) @ kernel (+ bias)``, a ``[batch, output_size]`` tensor.

    Args:
      args: a 2-D tensor ``[batch, depth]`` or a non-empty list of them; every
        depth must be known statically.
      output_size: positive int.
      bias: whether to add the ``bias`` variable.
      bias_initializer, kernel_initializer: v1 initializers or None.
      get_variable: how variables are made (a cell passes its own, which
        records them); ``tf.compat.v1.get_variable`` by default.
    """
    if args is None or (isinstance(args, (list, tuple)) and not args):
        raise ValueError("`args` must be a 2-D tensor or a non-empty list of 2-D tensors.")
    if not isinstance(args, (list, tuple)):
        args = [args]
    output_size = tf.compat.dimension_value(output_size)  # a Dimension under TF1 shapes
    if isinstance(output_size, bool) or not isinstance(output_size, numbers.Integral) or output_size < 1:
        raise ValueError(f"`output_size` must be a positive integer, but received {output_size!r}.")
    args = [tf.convert_to_tensor(arg) for arg in args]
    total_depth = 0
    for arg in args:
        if arg.shape.rank != 2:
            raise ValueError(f"`args` must be 2-D tensors [batch, depth], but received shape {arg.shape}.")
        depth = tf.compat.dimension_value(arg.shape[1])
        if depth is None:
            raise ValueError(f"The depth of every one of `args` must be known statically, but received shape {arg.shape}.")
        total_depth += depth
    dtype = args[0].dtype
    kernel = get_variable("kernel", [total_depth, output_size], dtype=dtype, initializer=kernel_initializer)
    result = tf.matmul(args[0] if len(args) == 1 else tf.concat(args, 1), kernel)
    if not bias:
        return result
    if bias_initializer is None:
        bias_initializer = tf.compat.v1.zeros_initializer()
    biases = get_variable("bias", [output_size], dtype=dtype, initializer=bias_initializer)
    return tf.nn.bias_add(result, biases)

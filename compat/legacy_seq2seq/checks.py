"""Argument checks shared by the ``legacy_seq2seq`` functions: each names the argument."""

import numbers

import tensorflow as tf


def check_step_list(values, argument, rank=None, allow_empty=False):
    """Returns ``values`` (a list or tuple of tensors, one per step) as a list of tensors."""
    if not isinstance(values, (list, tuple)):
        raise TypeError(
            f"`{argument}` must be a list of tensors, one per time step (legacy_seq2seq "
            f"works on unstacked sequences: tf.unstack(x, axis=1)), but received {values!r}."
        )
    if not values and not allow_empty:
        raise ValueError(f"`{argument}` must hold at least one time step, but is empty.")
    tensors = []
    for index, value in enumerate(values):
        tensor = tf.convert_to_tensor(value)
        if rank is not None and tensor.shape.rank not in (None, *rank):
            expected = " or ".join(f"rank {r}" for r in rank)
            raise ValueError(
                f"`{argument}[{index}]` must have {expected}, but has shape {tensor.shape}."
            )
        tensors.append(tensor)
    return tensors


def check_positive_int(value, argument):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"`{argument}` must be a positive integer, but received {value!r}.")
    return int(value)


def check_callable(value, argument):
    if value is not None and not callable(value):
        raise TypeError(f"`{argument}` must be None or callable, but received {value!r}.")
    return value


def check_output_projection(output_projection, num_symbols, dtype):
    """``(W, b)`` as tensors of ``dtype``: W ``[output_size, num_symbols]``, b ``[num_symbols]``."""
    if output_projection is None:
        return None
    if not isinstance(output_projection, (list, tuple)) or len(output_projection) != 2:
        raise TypeError(
            "`output_projection` must be None or a pair (W, B), but received "
            f"{output_projection!r}."
        )
    weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
    biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
    if not weights.shape.is_compatible_with([None, num_symbols]):
        raise ValueError(
            f"`output_projection[0]` must have shape [output_size, {num_symbols}], but has "
            f"shape {weights.shape}."
        )
    if not biases.shape.is_compatible_with([num_symbols]):
        raise ValueError(
            f"`output_projection[1]` must have shape [{num_symbols}], but has shape {biases.shape}."
        )
    return weights, biases

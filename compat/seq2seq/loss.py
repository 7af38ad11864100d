"""`sequence_loss`: weighted cross-entropy over a batch of sequences.

The final TF1 (`tf.contrib.seq2seq`, TF 1.15) and TensorFlow Addons semantics.

With `ce[b, t]` the softmax cross-entropy of `logits[b, t]` against
`targets[b, t]` and `w = weights`, let `wce = ce * w`. Then

| flags set                               | result                                    | shape  |
|-----------------------------------------|-------------------------------------------|--------|
| average_across_timesteps and _batch     | Σ wce / Σ w                               | []     |
| average_across_timesteps                | Σ_t wce / Σ_t w                           | [B]    |
| average_across_batch                    | Σ_b wce / Σ_b w                           | [T]    |
| sum_over_timesteps and sum_over_batch   | Σ wce / #{w != 0}                         | []     |
| sum_over_timesteps                      | Σ_t wce / #_t{w != 0}                     | [B]    |
| sum_over_batch                          | Σ_b wce / #_b{w != 0}                     | [T]    |
| none                                    | wce                                       | [B, T] |

Every division is `divide_no_nan`: a row (or the whole batch) whose weights
are all zero contributes 0, never NaN. Despite their names, the `average_*`
flags divide by the *sum of weights* and the `sum_over_*` flags by the *number
of non-zero weights*.

Setting `average_across_X` together with `sum_over_X` is an error (as in TF1).
Mixing an average over one axis with a sum over the other is an error too
(as in Addons): TF 1.15 silently ignored the `sum_over_*` flag in those two
combinations and returned the `average_*`-only result.
"""

import tensorflow as tf

from compat.sequence_loss_flags import check_reduction_flags, reduction_axes

_LOGITS_RANK_MESSAGE = (
    "Logits must be a [batch_size x sequence_length x logits] tensor")
_TARGETS_RANK_MESSAGE = (
    "Targets must be either a [batch_size x sequence_length] tensor where "
    "each element contains the labels' index or a "
    "[batch_size x sequence_length x num_classes] tensor where the third axis "
    "is a one-hot representation of the labels")
_WEIGHTS_RANK_MESSAGE = "Weights must be a [batch_size x sequence_length] tensor"


def sequence_loss(logits,
                  targets,
                  weights,
                  average_across_timesteps=True,
                  average_across_batch=True,
                  sum_over_timesteps=False,
                  sum_over_batch=False,
                  softmax_loss_function=None,
                  name=None):
    """Weighted cross-entropy loss for a batch of sequences.

    Args:
      logits: float Tensor `[batch_size, sequence_length, num_classes]`.
      targets: int Tensor `[batch_size, sequence_length]` of class indices, or
        a one-hot float Tensor shaped like `logits`.
      weights: float Tensor `[batch_size, sequence_length]` with `logits`'
        dtype (Python and numpy values are converted to it).
      average_across_timesteps: divide the sum over time by the sum of
        weights over time.
      average_across_batch: divide the sum over the batch by the sum of
        weights over the batch.
      sum_over_timesteps: divide the sum over time by the number of non-zero
        weights over time.
      sum_over_batch: divide the sum over the batch by the number of non-zero
        weights over the batch.
      softmax_loss_function: called as `f(labels=..., logits=...)` with labels
        `[batch_size * sequence_length]` (or `[..., num_classes]` for one-hot
        targets) and logits `[batch_size * sequence_length, num_classes]`;
        must return the per-element loss `[batch_size * sequence_length]`.
        Defaults to softmax cross-entropy.
      name: name scope of the ops; defaults to "sequence_loss".

    Returns:
      A Tensor with the dtype of `logits`, shaped as in the module docstring.

    Raises:
      ValueError: for wrong ranks, disagreeing static shapes or conflicting
        flags (the message names the argument).
      TypeError: for non-float `logits` or `weights`, or `targets` that are
        neither integer indices nor one-hot floats of `logits`' dtype.
    """
    check_reduction_flags(average_across_timesteps, average_across_batch,
                          sum_over_timesteps, sum_over_batch)
    with tf.name_scope(name or "sequence_loss"):
        logits = tf.convert_to_tensor(logits, name="logits")
        targets = tf.convert_to_tensor(targets, name="targets")
        if not tf.is_tensor(weights):
            weights = tf.convert_to_tensor(weights, dtype=logits.dtype)
        _check_inputs(logits, targets, weights)

        num_classes = tf.shape(logits)[2]
        logits_flat = tf.reshape(logits, [-1, num_classes])
        one_hot = targets.shape.rank == 3
        labels_flat = tf.reshape(
            targets, [-1, num_classes] if one_hot else [-1])
        if softmax_loss_function is not None:
            crossent = softmax_loss_function(labels=labels_flat,
                                             logits=logits_flat)
        elif one_hot:
            crossent = tf.nn.softmax_cross_entropy_with_logits(
                labels=labels_flat, logits=logits_flat)
        else:
            crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=labels_flat, logits=logits_flat)
        crossent *= tf.reshape(weights, [-1])
        crossent = tf.reshape(crossent, tf.shape(logits)[:2])

        reduce_axis = reduction_axes(average_across_timesteps,
                                     average_across_batch,
                                     sum_over_timesteps, sum_over_batch)
        if not reduce_axis:
            return crossent
        total = tf.reduce_sum(crossent, axis=reduce_axis)
        if average_across_timesteps or average_across_batch:
            denominator = tf.reduce_sum(weights, axis=reduce_axis)
        else:
            denominator = tf.cast(
                tf.math.count_nonzero(weights, axis=reduce_axis), total.dtype)
        return tf.math.divide_no_nan(total, denominator)


def _check_inputs(logits, targets, weights):
    if logits.shape.rank != 3:
        raise ValueError(f"{_LOGITS_RANK_MESSAGE}; got logits of shape "
                         f"{logits.shape}.")
    if targets.shape.rank not in (2, 3):
        raise ValueError(f"{_TARGETS_RANK_MESSAGE}; got targets of shape "
                         f"{targets.shape}.")
    if weights.shape.rank != 2:
        raise ValueError(f"{_WEIGHTS_RANK_MESSAGE}; got weights of shape "
                         f"{weights.shape}.")

    if not logits.dtype.is_floating:
        raise TypeError(f"logits must be a floating point tensor; got dtype "
                        f"{logits.dtype.name}.")
    if targets.shape.rank == 2 and not targets.dtype.is_integer:
        raise TypeError(f"targets of rank 2 must hold integer class indices; "
                        f"got dtype {targets.dtype.name}.")
    if targets.shape.rank == 3 and targets.dtype != logits.dtype:
        raise TypeError(f"one-hot targets (rank 3) must have the dtype of "
                        f"logits ({logits.dtype.name}); got "
                        f"{targets.dtype.name}.")
    if weights.dtype != logits.dtype:
        raise TypeError(f"weights must have the dtype of logits "
                        f"({logits.dtype.name}); got {weights.dtype.name}.")

    batch_and_time = logits.shape[:2]
    if not targets.shape[:2].is_compatible_with(batch_and_time):
        raise ValueError(f"targets shape {targets.shape} does not match "
                         f"logits shape {logits.shape} in [batch_size x "
                         f"sequence_length].")
    if targets.shape.rank == 3 and not targets.shape.is_compatible_with(
            logits.shape):
        raise ValueError(f"one-hot targets shape {targets.shape} does not "
                         f"match logits shape {logits.shape}.")
    if not weights.shape.is_compatible_with(batch_and_time):
        raise ValueError(f"weights shape {weights.shape} does not match "
                         f"logits shape {logits.shape} in [batch_size x "
                         f"sequence_length].")

"""``model_with_buckets``: one seq2seq model, built once per bucket length, weights shared.

For buckets ``[(encoder_length, decoder_length), ...]`` (ascending), bucket
``j`` runs ``seq2seq(encoder_inputs[:encoder_length], decoder_inputs[:decoder_length])``
in the caller's variable scope, reusing bucket 0's variables for ``j > 0``,
and its loss is ``sequence_loss`` (or, with ``per_example_loss``,
``sequence_loss_by_example``) over the first ``decoder_length`` targets and
weights. The translate tutorial fed each batch to the smallest bucket it fits.
"""

import tensorflow as tf

from compat.legacy_seq2seq.checks import check_callable, check_step_list
from compat.legacy_seq2seq.loss import sequence_loss, sequence_loss_by_example

v1 = tf.compat.v1


def _check_buckets(buckets):
    if not isinstance(buckets, (list, tuple)) or not buckets:
        raise ValueError(f"`buckets` must be a non-empty list of (input size, output size) pairs, but received {buckets!r}.")
    for index, bucket in enumerate(buckets):
        if (not isinstance(bucket, (list, tuple)) or len(bucket) != 2
                or not all(isinstance(size, int) and not isinstance(size, bool) and size > 0
                           for size in bucket)):
            raise ValueError(
                f"`buckets[{index}]` must be a pair of positive ints (input size, output size), "
                f"but is {bucket!r}."
            )
    return [tuple(bucket) for bucket in buckets]


def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                       softmax_loss_function=None, per_example_loss=False, name=None):
    """Builds ``seq2seq`` for every bucket; returns ``(outputs, losses)``, one entry per bucket.

    Args:
      encoder_inputs, decoder_inputs: lists of tensors, at least as long as
        the last bucket's sizes.
      targets: list of ``[batch]`` int tensors; weights: list of ``[batch]``
        float tensors; both at least as long as the last bucket's output size.
      buckets: list of ``(input size, output size)`` pairs.
      seq2seq: ``(encoder_inputs, decoder_inputs) -> (outputs, state)``.
      softmax_loss_function: as for ``sequence_loss``.
      per_example_loss: if True, each loss is ``[batch]`` (``sequence_loss_by_example``).
      name: name scope; default ``"model_with_buckets"``.
    """
    buckets = _check_buckets(buckets)
    if not callable(seq2seq):
        raise TypeError(f"`seq2seq` must be callable (encoder_inputs, decoder_inputs) -> (outputs, state), but received {seq2seq!r}.")
    check_callable(softmax_loss_function, "softmax_loss_function")
    encoder_inputs = check_step_list(encoder_inputs, "encoder_inputs")
    decoder_inputs = check_step_list(decoder_inputs, "decoder_inputs")
    targets = check_step_list(targets, "targets")
    weights = check_step_list(weights, "weights")
    if len(encoder_inputs) < buckets[-1][0]:
        raise ValueError(
            f"Length of encoder_inputs ({len(encoder_inputs)}) must be at least that of last "
            f"bucket ({buckets[-1][0]})."
        )
    if len(targets) < buckets[-1][1]:
        raise ValueError(
            f"Length of targets ({len(targets)}) must be at least that of last bucket ({buckets[-1][1]})."
        )
    if len(weights) < buckets[-1][1]:
        raise ValueError(
            f"Length of weights ({len(weights)}) must be at least that of last bucket ({buckets[-1][1]})."
        )
    losses, outputs = [], []
    with tf.name_scope(name or "model_with_buckets"):
        for j, (encoder_size, decoder_size) in enumerate(buckets):
            with v1.variable_scope(v1.get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:encoder_size],
                                            decoder_inputs[:decoder_size])
                outputs.append(bucket_outputs)
                loss = sequence_loss_by_example if per_example_loss else sequence_loss
                losses.append(loss(bucket_outputs, targets[:decoder_size], weights[:decoder_size],
                                   softmax_loss_function=softmax_loss_function))
    return outputs, losses

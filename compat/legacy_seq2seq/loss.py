"""The losses of TF1's ``tf.contrib.legacy_seq2seq``, on unstacked sequences.

For steps ``t`` with logits ``[batch, symbols]``, targets ``[batch]`` and
weights ``[batch]``:

    ce_t = softmax_loss_function(labels=targets_t, logits=logits_t)
           (default: sparse softmax cross-entropy)
    sequence_loss_by_example = sum_t ce_t * w_t  [/ (sum_t w_t + 1e-12)]   per example, [batch]
    sequence_loss            = sum_b sequence_loss_by_example  [/ batch]   a scalar

The bracketed divisions are ``average_across_timesteps`` and
``average_across_batch`` (both on by default). Unlike
``tf.contrib.seq2seq.sequence_loss`` (``compat.seq2seq``), which takes
``[batch, time, ...]`` tensors, these take lists with one tensor per step.
"""

import tensorflow as tf

from compat.legacy_seq2seq.checks import check_callable, check_step_list


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """Weighted cross-entropy per example: a ``[batch]`` tensor (see the module).

    Args:
      logits: list of ``[batch, symbols]`` tensors.
      targets: list of ``[batch]`` int tensors, as many as ``logits``.
      weights: list of ``[batch]`` float tensors, as many as ``logits``.
      average_across_timesteps: divide by the total weight of each example.
      softmax_loss_function: ``(labels=, logits=) -> [batch]`` instead of the
        sparse softmax cross-entropy; called with keyword arguments.
      name: name scope; default ``"sequence_loss_by_example"``.
    """
    logits = check_step_list(logits, "logits", rank=(2,))
    targets = check_step_list(targets, "targets")
    weights = check_step_list(weights, "weights")
    check_callable(softmax_loss_function, "softmax_loss_function")
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError(
            "Lengths of logits, weights, and targets must be the same "
            f"{len(logits)}, {len(weights)}, {len(targets)}."
        )
    with tf.name_scope(name or "sequence_loss_by_example"):
        per_step = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                # TF1 reshapes: targets were sometimes given as [batch, 1].
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=tf.reshape(target, [-1]), logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            per_step.append(crossent * weight)
        log_perplexities = tf.add_n(per_step)
        if average_across_timesteps:
            total_weight = tf.add_n(weights) + 1e-12  # no division by 0 for all-0 weights
            log_perplexities /= total_weight
    return log_perplexities


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, softmax_loss_function=None, name=None):
    """The summed (or batch-averaged) ``sequence_loss_by_example``: a scalar.

    Arguments as for ``sequence_loss_by_example``; ``average_across_batch``
    divides by the batch size of ``targets[0]``. Name scope default ``"sequence_loss"``.
    """
    with tf.name_scope(name or "sequence_loss"):
        cost = tf.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            batch_size = tf.shape(targets[0])[0]
            return cost / tf.cast(batch_size, cost.dtype)
        return cost

"""`SequenceLoss`: `sequence_loss` as a Keras 3 loss (keras.ops only).

`sample_weight` plays the part of `sequence_loss`'s `weights`: with
`ce[b, t]` the softmax cross-entropy of the logits `y_pred[b, t]` against
`y_true[b, t]` (class indices, or one-hot like `y_pred`) and `w` the weights,
`wce = ce * w` is reduced exactly as `compat.seq2seq.sequence_loss` does (see
its module docstring); every division is `divide_no_nan`.

The defaults are those of TensorFlow Addons' `SequenceLoss` class, not of the
function: `sum_over_timesteps=True, sum_over_batch=True`, i.e.

    loss = Σ wce / #{w != 0}

For 0/1 weights (a padding mask) this is the mean cross-entropy over the real
tokens, the same number as the function's default `Σ wce / Σ w`; the two differ
only for fractional weights. Without `sample_weight` all weights are 1 and the
loss is the plain mean, `keras.losses.SparseCategoricalCrossentropy(
from_logits=True)`.

A Keras mask on `y_pred` (from `Embedding(mask_zero=True)` or `Masking`)
multiplies the weights, so masked steps count as weight 0. Stock Keras 3
losses with the default `"sum_over_batch_size"` reduction instead divide the
weighted sum by the number of elements, B * T, whatever the weights; only a
Keras mask (not `sample_weight`) makes them divide by the number of valid
steps.
"""

from compat.environment import require_keras

require_keras()

import keras  # noqa: E402
from keras import ops  # noqa: E402

from compat.sequence_loss_flags import check_reduction_flags, reduction_axes  # noqa: E402


@keras.saving.register_keras_serializable(package="compat")
class SequenceLoss(keras.losses.Loss):
    """Weighted cross-entropy over `[batch, time]` as a Keras loss.

    Args:
      average_across_timesteps: divide the sum over time by the sum of
        weights over time.
      average_across_batch: divide the sum over the batch by the sum of
        weights over the batch.
      sum_over_timesteps: divide the sum over time by the number of non-zero
        weights over time.
      sum_over_batch: divide the sum over the batch by the number of non-zero
        weights over the batch.
      name: name of the loss.
      dtype: dtype of the computation; defaults to `keras.backend.floatx()`.

    Call with `(y_true, y_pred, sample_weight=None)`: `y_pred` are logits
    `[batch, time, num_classes]`, `y_true` class indices `[batch, time]` or
    one-hot `[batch, time, num_classes]`, `sample_weight` `[batch, time]`.

    Raises:
      ValueError: for conflicting flags (at construction), or for inputs of
        the wrong rank or disagreeing static shapes (the message names the
        argument).
    """

    def __init__(self,
                 average_across_timesteps=False,
                 average_across_batch=False,
                 sum_over_timesteps=True,
                 sum_over_batch=True,
                 name="sequence_loss",
                 dtype=None):
        check_reduction_flags(average_across_timesteps, average_across_batch,
                              sum_over_timesteps, sum_over_batch)
        # The reduction lives in `call` (it needs the weights), so Keras'
        # own reduction is switched off.
        super().__init__(name=name, reduction=None, dtype=dtype)
        self.average_across_timesteps = average_across_timesteps
        self.average_across_batch = average_across_batch
        self.sum_over_timesteps = sum_over_timesteps
        self.sum_over_batch = sum_over_batch

    def __call__(self, y_true, y_pred, sample_weight=None):
        # Keras' base `__call__` would multiply the already reduced loss by
        # `sample_weight`; here the weights take part in the reduction.
        mask = getattr(y_pred, "_keras_mask", None)
        with keras.name_scope(self.name):
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
            if sample_weight is not None:
                sample_weight = ops.convert_to_tensor(sample_weight,
                                                      dtype=self.dtype)
            if mask is not None:
                mask = ops.cast(mask, self.dtype)
                sample_weight = (mask if sample_weight is None
                                 else sample_weight * mask)
            return self.call(y_true, y_pred, sample_weight)

    def call(self, y_true, y_pred, sample_weight=None):
        """The loss of logits `y_pred`; `sample_weight=None` means all 1."""
        y_true = ops.convert_to_tensor(y_true)
        y_pred = ops.convert_to_tensor(y_pred)
        if sample_weight is None:
            sample_weight = ops.ones(ops.shape(y_pred)[:2], y_pred.dtype)
        sample_weight = ops.convert_to_tensor(sample_weight, y_pred.dtype)
        _check_inputs(y_true, y_pred, sample_weight)

        if len(y_true.shape) == 3:
            crossent = ops.categorical_crossentropy(
                ops.cast(y_true, y_pred.dtype), y_pred, from_logits=True)
        else:
            crossent = ops.sparse_categorical_crossentropy(
                y_true, y_pred, from_logits=True)
        crossent = crossent * sample_weight

        axes = reduction_axes(self.average_across_timesteps,
                              self.average_across_batch,
                              self.sum_over_timesteps, self.sum_over_batch)
        if not axes:
            return crossent
        total = ops.sum(crossent, axis=axes)
        if self.average_across_timesteps or self.average_across_batch:
            denominator = ops.sum(sample_weight, axis=axes)
        else:
            denominator = ops.cast(ops.count_nonzero(sample_weight, axis=axes),
                                   total.dtype)
        return ops.divide_no_nan(total, denominator)

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "average_across_timesteps": self.average_across_timesteps,
            "average_across_batch": self.average_across_batch,
            "sum_over_timesteps": self.sum_over_timesteps,
            "sum_over_batch": self.sum_over_batch,
        }


def _check_inputs(y_true, y_pred, sample_weight):
    if len(y_pred.shape) != 3:
        raise ValueError(f"y_pred must be [batch_size, sequence_length, "
                         f"num_classes] logits; got shape {y_pred.shape}.")
    if len(y_true.shape) not in (2, 3):
        raise ValueError(f"y_true must be [batch_size, sequence_length] class "
                         f"indices or [batch_size, sequence_length, "
                         f"num_classes] one-hot; got shape {y_true.shape}.")
    if len(sample_weight.shape) != 2:
        raise ValueError(f"sample_weight must be [batch_size, "
                         f"sequence_length]; got shape "
                         f"{sample_weight.shape}.")
    for argument, value in (("y_true", y_true),
                            ("sample_weight", sample_weight)):
        leading = tuple(y_pred.shape)[:len(value.shape)]
        if any(None not in dims and dims[0] != dims[1]
               for dims in zip(value.shape, leading)):
            raise ValueError(f"{argument} shape {value.shape} does not match "
                             f"y_pred shape {y_pred.shape}.")

"""The reduction flags of `sequence_loss`, shared by the TF1 op
(`compat.seq2seq.loss`) and the Keras loss (`compat.losses`).

Of `[batch, time]` losses, `average_across_batch` / `sum_over_batch` reduce
axis 0 and `average_across_timesteps` / `sum_over_timesteps` axis 1; an
average and a sum of one axis, or an average of one axis with a sum of the
other, have no defined order and are refused. Imports neither TensorFlow nor
Keras.
"""


def check_reduction_flags(average_across_timesteps, average_across_batch,
                          sum_over_timesteps, sum_over_batch):
    """Raises ValueError for flag combinations with no defined reduction."""
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError(
            "average_across_timesteps and sum_over_timesteps cannot be set "
            "to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError(
            "average_across_batch and sum_over_batch cannot be set to True "
            "at same time.")
    if average_across_batch and sum_over_timesteps:
        raise ValueError(
            "average_across_batch and sum_over_timesteps cannot be set to "
            "True at same time because of ambiguous order.")
    if sum_over_batch and average_across_timesteps:
        raise ValueError(
            "sum_over_batch and average_across_timesteps cannot be set to "
            "True at same time because of ambiguous order.")


def reduction_axes(average_across_timesteps, average_across_batch,
                   sum_over_timesteps, sum_over_batch):
    """The axes of `[batch, time]` that the (valid) flags reduce."""
    return [axis for axis, reduced in (
        (0, average_across_batch or sum_over_batch),
        (1, average_across_timesteps or sum_over_timesteps)) if reduced]

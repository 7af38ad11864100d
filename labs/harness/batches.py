"""Minibatches in a fixed order, the same for both forms.

A lab trains full-batch (every iteration sees every training sample, as all
the TF1 labs did) unless its `GraphLab` / `KerasLab` sets `batch_size`. Then
iteration i trains on the rows

    per_epoch = samples // batch_size
    epoch, k  = divmod(i, per_epoch)
    rows(i)   = permutation(epoch)[k * batch_size : (k + 1) * batch_size]
    permutation(epoch) = numpy.random.default_rng([SEED, epoch]).permutation(samples)

a new order every epoch, as Keras's `fit(shuffle=True)` drew it, but seeded
(`labs.harness.seeding.SEED`) and computed from the epoch alone: the rows of
any iteration are known without the iterations before it, so a short run
begins the long one, and v1 (`session_loop`) and v2 (`keras_loop`) take them
from this one function. `batch_size` must divide the number of samples, so
every step has one shape (fit's smaller last batch would give v2's compiled
step a second shape).
"""

import numpy as np

from labs.harness.seeding import SEED


def check_batch_size(batch_size, samples):
    """Returns `batch_size` (None: full batch), or raises naming it."""
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(
            batch_size, (int, np.integer)) or not 1 <= batch_size <= samples \
            or samples % batch_size:
        raise ValueError(f"batch_size must be None or an int dividing the "
                         f"{samples} training samples, got {batch_size!r}.")
    return int(batch_size)


def schedule(batch_size, samples, iterations):
    """int32 [iterations, batch_size]: the rows of every iteration, or None
    when `batch_size` is None (full batch)."""
    batch_size = check_batch_size(batch_size, samples)
    if batch_size is None:
        return None
    per_epoch = samples // batch_size
    epochs = -(-iterations // per_epoch)
    order = np.concatenate([
        np.random.default_rng([SEED, epoch]).permutation(samples)
        for epoch in range(epochs)])
    return order[:iterations * batch_size].reshape(
        iterations, batch_size).astype(np.int32)

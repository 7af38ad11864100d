"""`Recorder`: turns each iteration's (loss, outputs) into a `LabResult`'s
trajectory, for both training loops.

The loops hand over, for every iteration i, the pre-update loss and, at the
recorded iterations, the outputs (logits) of that same forward pass; then once
more the loss and outputs after the last update. The Recorder keeps every
loss and, for the character labs (which have a `decode` function), turns the
recorded logits into a `PredictionRecord`:

    indices[b, t] = argmax_c logits[b, t, c]            (first maximum on ties)
    margins[b, t] = top-1 logit - top-2 logit at (b, t), in float64

The margin says how close a position is to flipping its argmax; two runs whose
logits differ by less than the margin must agree on the prediction.
"""

import numpy as np

from labs.harness.result import PredictionRecord


def top2_margins(logits):
    """float64 [...]: top-1 minus top-2 of `logits` along the last axis."""
    logits = np.asarray(logits, dtype=np.float64)
    top2 = np.partition(logits, -2, axis=-1)[..., -2:]
    return top2[..., 1] - top2[..., 0]


def predict(logits, decode):
    """The `(indices, text, margins)` of one forward pass's logits."""
    indices = np.argmax(np.asarray(logits), axis=-1).astype(np.int64)
    return indices, decode(indices), top2_margins(logits)


class Recorder:
    """Collects one run's trajectory.

    Args:
      iterations: number of training iterations of the run.
      recorded: the iterations whose prediction is recorded (sorted).
      dtype: the run's float dtype, for the losses.
      decode: `decode(indices) -> str` for labs that predict characters;
        None for regression (12-5), which records losses only.
      progress: optional `progress(iteration, loss, text)` called at every
        recorded iteration and for the final record (`iteration ==
        iterations`; `text` is None for regression).
    """

    def __init__(self, iterations, recorded, dtype, decode=None, progress=None):
        if iterations < 1:
            raise ValueError(f"iterations must be >= 1, got {iterations}.")
        self.iterations = iterations
        self.recorded = frozenset(recorded)
        self.decode = decode
        self.progress = progress
        self.losses = np.full(iterations, np.nan, dtype=dtype)
        self.records = []
        self.final_loss = None

    def wants_outputs(self, iteration):
        """Whether the loop must hand over the outputs of `iteration`."""
        return iteration in self.recorded

    def observe(self, iteration, loss, outputs=None):
        """Iteration `iteration`'s pre-update loss and, if wanted, outputs."""
        self.losses[iteration] = loss
        if iteration in self.recorded:
            if outputs is None:
                raise ValueError(
                    f"iteration {iteration} is recorded: outputs are needed.")
            self._record(iteration, loss, outputs)

    def observe_final(self, loss, outputs):
        """The loss and outputs after the last update."""
        if np.isnan(self.losses).any():
            missing = np.flatnonzero(np.isnan(self.losses))[:5].tolist()
            raise ValueError(f"no loss was observed for iterations "
                             f"{missing}...; every iteration must be observed.")
        self.final_loss = float(loss)
        self._record(self.iterations, loss, outputs)

    def _record(self, iteration, loss, outputs):
        text = None
        if self.decode is not None:
            indices, text, margins = predict(outputs, self.decode)
            self.records.append(
                PredictionRecord(iteration, indices, text, margins))
        if self.progress is not None:
            self.progress(iteration, self.losses.dtype.type(loss), text)

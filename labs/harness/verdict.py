"""Comparing two runs of one lab: shapes, loss trajectory, metrics,
predictions and (12-0) arrays, within a `Tolerance`.

The judged run is a `LabResult`; the reference is a `Reference`, which a
`LabResult` or a golden run both turn into. Predictions are judged only where
the judged run's top-1/top-2 margin exceeds `tolerance.margin`
(see `labs.harness.tolerances`).
"""

import dataclasses
from typing import Mapping, Tuple

import numpy as np


@dataclasses.dataclass(frozen=True, eq=False)
class Reference:
    """What a run is compared against.

    Attributes:
      shapes: named shapes.
      losses: [iterations] losses.
      metrics: named scalars.
      predictions: {iteration: int64 [batch, time] argmax indices}.
      arrays: named arrays (12-0).
    """

    shapes: Mapping[str, Tuple[int, ...]]
    losses: np.ndarray
    metrics: Mapping[str, float]
    predictions: Mapping[int, np.ndarray]
    arrays: Mapping[str, np.ndarray]

    @classmethod
    def of(cls, result):
        """The `Reference` of a `LabResult`."""
        return cls(shapes=dict(result.shapes),
                   losses=np.asarray(result.losses, dtype=np.float64),
                   metrics=dict(result.metrics),
                   predictions={r.iteration: r.indices for r in result.records},
                   arrays=dict(result.arrays))


@dataclasses.dataclass(frozen=True)
class Deviation:
    """The worst deviation of one quantity.

    Attributes:
      name: what was compared, e.g. "losses" or "metrics/test_rmse".
      worst: max |a - b|.
      worst_relative: max |a - b| / |b| (0 where both are 0).
      where: the iteration or flat index of the worst excess (or of the worst
        deviation when nothing exceeds the bound).
      ok: whether every element is within the bound.
    """

    name: str
    worst: float
    worst_relative: float
    where: int
    ok: bool


@dataclasses.dataclass(frozen=True)
class Comparison:
    """Everything that differs between a run and its reference.

    Attributes:
      shape_mismatches: named shapes and arrays whose shapes differ.
      deviations: the worst deviation of each compared quantity.
      prediction_mismatches: (iteration, confidently mispredicted positions).
      missing: what one side has and the other lacks (shapes, metrics,
        arrays, iterations, recorded predictions).
    """

    shape_mismatches: Tuple[str, ...]
    deviations: Tuple[Deviation, ...]
    prediction_mismatches: Tuple[Tuple[int, int], ...]
    missing: Tuple[str, ...]

    @property
    def ok(self):
        return (not self.shape_mismatches and not self.prediction_mismatches
                and not self.missing and all(d.ok for d in self.deviations))

    def deviation(self, name):
        for found in self.deviations:
            if found.name == name:
                return found
        raise KeyError(name)

    def problems(self):
        """One line per failed check, for people."""
        lines = list(self.shape_mismatches) + list(self.missing)
        lines += [f"{d.name}: worst |Δ| {d.worst:.3g} "
                  f"(relative {d.worst_relative:.3g}) at {d.where} exceeds "
                  f"the tolerance" for d in self.deviations if not d.ok]
        lines += [f"prediction of iteration {iteration} differs at "
                  f"{count} confidently predicted position(s)"
                  for iteration, count in self.prediction_mismatches]
        return lines


def deviation(name, actual, expected, rtol, atol):
    """The `Deviation` of `actual` from `expected` under |a-b| <= rtol|b|+atol.

    NaN anywhere never passes.
    """
    actual = np.asarray(actual, dtype=np.float64).ravel()
    expected = np.asarray(expected, dtype=np.float64).ravel()
    if actual.shape != expected.shape:
        raise ValueError(f"{name}: {actual.size} values against "
                         f"{expected.size}.")
    if actual.size == 0:
        return Deviation(name, 0.0, 0.0, -1, True)
    difference = np.abs(actual - expected)
    bound = rtol * np.abs(expected) + atol
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(difference == 0, 0.0,
                            difference / np.abs(expected))
    bad = ~(difference <= bound)
    where = int(np.argmax(bad)) if bad.any() else int(np.nanargmax(
        np.where(np.isnan(difference), np.inf, difference)))
    return Deviation(name, float(np.max(difference)),
                     float(np.max(relative)), where, not bad.any())


def compare(result, reference, tolerance, margins=None):
    """Compares `result` (a `LabResult`) with `reference` (a `Reference`).

    Args:
      result: the judged run.
      reference: what it should match.
      tolerance: a `labs.harness.tolerances.Tolerance`.
      margins: optional {iteration: margins} to judge predictions by instead
        of `result`'s own (e.g. the smaller margins of two runs).
    """
    shape_mismatches = [
        f"shape of {name}: {tuple(result.shapes.get(name, ()))} != "
        f"{tuple(shape)}"
        for name, shape in reference.shapes.items()
        if tuple(result.shapes.get(name, ())) != tuple(shape)]
    missing = [f"{name} is missing from the run"
               for name in reference.shapes if name not in result.shapes]
    deviations = []
    if len(result.losses) != len(reference.losses):
        missing.append(f"losses: {len(result.losses)} iterations against "
                       f"{len(reference.losses)}")
    else:
        horizon = len(reference.losses) if tolerance.horizon is None else min(
            tolerance.horizon, len(reference.losses))
        deviations.append(deviation(
            "losses", result.losses[:horizon], reference.losses[:horizon],
            tolerance.loss_rtol, tolerance.loss_atol))
        if horizon < len(reference.losses):
            deviations.append(deviation(
                f"losses after iteration {horizon}", result.losses[horizon:],
                reference.losses[horizon:], tolerance.tail_rtol,
                tolerance.loss_atol))
    # Past the horizon only the trajectory's course is judged.
    metric_rtol = (tolerance.metric_rtol if tolerance.horizon is None
                   else tolerance.tail_rtol)
    for name, expected in reference.metrics.items():
        if name not in result.metrics:
            missing.append(f"metric {name} is missing from the run")
            continue
        deviations.append(deviation(f"metrics/{name}", result.metrics[name],
                                    expected, metric_rtol,
                                    tolerance.loss_atol))
    # Final arrays (12-8's decoded test samples) come after the horizon:
    # like the predictions there, they are not judged.
    judge_arrays = tolerance.horizon is None or tolerance.horizon >= len(
        reference.losses)
    for name, expected in reference.arrays.items():
        if name not in result.arrays:
            missing.append(f"array {name} is missing from the run")
        elif np.shape(result.arrays[name]) != np.shape(expected):
            shape_mismatches.append(
                f"shape of array {name}: {np.shape(result.arrays[name])} != "
                f"{np.shape(expected)}")
        elif judge_arrays:
            deviations.append(deviation(f"arrays/{name}", result.arrays[name],
                                        expected, tolerance.loss_rtol,
                                        tolerance.loss_atol))
    missing += [f"array {name} is in the run but not in the reference"
                for name in result.arrays if name not in reference.arrays]
    mismatches = []
    for record in result.records:
        expected = reference.predictions.get(record.iteration)
        if expected is None or (tolerance.horizon is not None
                                and record.iteration >= tolerance.horizon):
            continue
        if np.shape(expected) != np.shape(record.indices):
            mismatches.append((record.iteration, int(np.size(expected))))
            continue
        judged = record.margins if margins is None else np.minimum(
            record.margins, margins[record.iteration])
        confident = judged > tolerance.margin
        count = int(np.sum((record.indices != expected) & confident))
        if count:
            mismatches.append((record.iteration, count))
    recorded = {record.iteration for record in result.records}
    for iteration in reference.predictions:
        if iteration not in recorded:
            missing.append(f"prediction of iteration {iteration} was not "
                           f"recorded")
    return Comparison(tuple(shape_mismatches), tuple(deviations),
                      tuple(mismatches), tuple(missing))


def compare_forms(v1, v2, tolerance):
    """v2 against v1, judging predictions by the smaller of both margins."""
    margins = {record.iteration: record.margins for record in v1.records}
    reference = Reference.of(v1)
    # Each form names the tensors it teaches (12-5's v1 shows the LSTM's
    # full outputs, its Keras form only the last step): compare the shared.
    reference = dataclasses.replace(reference, shapes={
        name: shape for name, shape in reference.shapes.items()
        if name in v2.shapes})
    return compare(v2, reference, tolerance, margins=margins)

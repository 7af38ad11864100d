"""`labs diff` and `labs golden`: run both forms of a lab, compare them with
each other and with the goldens, and say so in a table.

Each lab is judged three ways, in one dtype:

* agreement: v2 (Keras 3 from v1's initial weights, `TF1Adam`) against v1;
* golden-v1, golden-v2: each form against its recorded golden run.

With `backend` ("jax", "torch"), v2 trains on that Keras backend (in a
worker interpreter when this process's Keras runs on another one) and is
judged at that backend's tolerances (`labs.harness.tolerances`); v1 and the
goldens stay TensorFlow's.
"""

import dataclasses
from typing import Mapping

import numpy as np

from labs.harness import golden, registry, tolerances
from labs.harness.result import spelled_arrays
from labs.harness.run import run_lab
from labs.harness.verdict import compare_forms


# A lab whose `data` has `examples(result, count)` (12-8) shows that many of
# its test samples per form, as the course printed them, instead of its
# arrays spelled out.
EXAMPLES_SHOWN = 3


@dataclasses.dataclass(frozen=True, eq=False)
class LabDiff:
    """Both forms of one lab, their golden, and the verdicts."""

    lab_id: str
    dtype: str
    v1: object
    v2: object
    golden: Mapping
    comparisons: Mapping[str, object]

    @property
    def ok(self):
        return all(c.ok for c in self.comparisons.values())


def run_golden_forms(lab_id, dtype, backend=None):
    """{impl: LabResult} of the golden runs of `lab_id` in `dtype`, v2 on
    `backend` (None: Keras's configured one)."""
    return {impl: run_lab(lab_id, dtype=dtype,
                          **golden.run_options(lab_id, impl),
                          **({} if impl == "v1" else {"backend": backend}))
            for impl in golden.IMPLS}


def judge(lab_id, dtype, results, golden_data):
    """{"agreement" | "golden-v1" | "golden-v2": verdict.Comparison}."""
    comparisons = {"agreement": compare_forms(
        results["v1"], results["v2"],
        tolerances.tolerance(lab_id, dtype, results["v2"].backend))}
    for impl in golden.IMPLS:
        comparisons[f"golden-{impl}"] = golden.check_result(results[impl],
                                                            golden_data)
    return comparisons


def diff_lab(lab_id, dtype="float32", golden_directory=None, backend=None):
    """Runs and judges one lab; raises `golden.GoldenError` without golden."""
    from labs.harness.run import versions

    golden_data = golden.load(lab_id, golden_directory,
                              tf_version=versions()["tensorflow"])
    results = run_golden_forms(lab_id, dtype, backend=backend)
    return LabDiff(lab_id, dtype, results["v1"], results["v2"], golden_data,
                   judge(lab_id, dtype, results, golden_data))


def _rows(iterations, count):
    """About `count` iterations to show, always the first and the last."""
    if iterations <= count:
        return list(range(iterations))
    picked = np.unique(np.round(np.geomspace(1, iterations, count - 1)) - 1)
    return sorted(set(int(i) for i in picked) | {0, iterations - 1})


def render(lab_diff, rows=12):
    """The side-by-side table and verdict of one `LabDiff`."""
    v1, v2 = lab_diff.v1, lab_diff.v2
    gold = lab_diff.golden["runs"][lab_diff.dtype]["v1"]
    lines = [f"== lab {lab_diff.lab_id} ({lab_diff.dtype}, v2 on "
             f"{lab_diff.v2.backend}) =="]
    if v1.kind == "training":
        texts = {impl: {r.iteration: r.text for r in result.records}
                 for impl, result in (("v1", v1), ("v2", v2))}
        header = (f"{'iter':>5} {'v1 loss':>14} {'v2 loss':>14} "
                  f"{'golden v1':>14} {'|v1-v2|':>9} {'|v1-gold|':>9}  "
                  f"prediction v1 / v2")
        lines.append(header)
        for i in _rows(v1.iterations, rows):
            a, b, g = float(v1.losses[i]), float(v2.losses[i]), gold["losses"][i]
            prediction = ""
            if i in texts["v1"]:
                p1, p2 = texts["v1"][i], texts["v2"].get(i, "")
                prediction = (_clip(p1) if p1 == p2
                              else f"{_clip(p1)} / {_clip(p2)}")
            lines.append(f"{i:>5} {a:>14.8g} {b:>14.8g} {g:>14.8g} "
                         f"{abs(a - b):>9.2e} {abs(a - g):>9.2e}  {prediction}")
        final = v1.final_record
        if final is not None:
            lines.append(f"final prediction v1: {_clip(final.text, 70)}")
            lines.append(f"final prediction v2: "
                         f"{_clip(v2.final_record.text, 70)}")
        examples = getattr(registry.get(lab_diff.lab_id).module("data"),
                           "examples", None)
        for impl, result in (("v1", v1), ("v2", v2)):
            if examples is not None:  # as the course printed its test samples
                lines += [f"{impl} test: {line}"
                          for line in examples(result, count=EXAMPLES_SHOWN)]
            else:
                lines += [f"{name} {impl}: {_clip(text, 90)}"
                          for name, text in spelled_arrays(result).items()]
        for name, value in v1.metrics.items():
            lines.append(f"{name}: v1 {value:.10g}  v2 "
                         f"{v2.metrics[name]:.10g}  golden "
                         f"{gold['metrics'].get(name, float('nan')):.10g}")
    else:
        lines.append(f"{'array':42} {'shape':>10} {'max |v1-v2|':>12} "
                     f"{'max |v1-gold|':>13}")
        agreement = lab_diff.comparisons["agreement"]
        to_golden = lab_diff.comparisons["golden-v1"]
        for name, array in v1.arrays.items():
            lines.append(
                f"{name:42} {str(array.shape):>10} "
                f"{_worst(agreement, name):>12.2e} "
                f"{_worst(to_golden, name):>13.2e}")
    for check, comparison in lab_diff.comparisons.items():
        worst = max(comparison.deviations, key=lambda d: d.worst_relative,
                    default=None)
        summary = ("" if worst is None else
                   f"worst relative {worst.worst_relative:.2e} ({worst.name})")
        lines.append(f"{check:>10}: {'ok' if comparison.ok else 'FAIL'}  "
                     f"{summary}")
        lines += [f"{'':>12}{problem}" for problem in comparison.problems()]
    lines.append(f"verdict: {'AGREE' if lab_diff.ok else 'DIFFER'}")
    return "\n".join(lines)


def _worst(comparison, array_name):
    try:
        return comparison.deviation(f"arrays/{array_name}").worst
    except KeyError:
        return float("nan")


def _clip(text, width=40):
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[:width - 1] + "…"


PLOT_COLUMNS = 3  # labs side by side; more labs take more rows
PLOT_CELL_INCHES = (4.4, 4.2)  # one lab's two panels
PLOT_DPI = 100
EXACT_ZERO = "exactly 0"


def plot(lab_diffs, path):
    """Writes `figure(lab_diffs)` to `path` (PNG)."""
    import matplotlib.pyplot as plt

    drawn = figure(lab_diffs)
    drawn.savefig(path, dpi=PLOT_DPI)
    plt.close(drawn)


def figure(lab_diffs):
    """The labs in a grid of `PLOT_COLUMNS`, one lab's panels together under
    its verdict. Training labs: the loss trajectories of v1, v2 and the
    golden v1, and |v1 - v2| per iteration. Sections labs: per array, max
    |v1 - v2| and max |v1 - golden v1| against the agreement bound. A
    difference that is exactly 0 has no place on a log scale: it is marked
    along the panel's bottom edge and named in the legend, never drawn as
    a tiny number."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not lab_diffs:
        raise ValueError("plot needs at least one lab")
    columns = min(PLOT_COLUMNS, len(lab_diffs))
    rows = -(-len(lab_diffs) // columns)
    width, height = PLOT_CELL_INCHES
    drawn = plt.figure(figsize=(width * columns, height * rows), layout="constrained")
    cells = np.atleast_1d(drawn.subfigures(rows, columns, squeeze=False).ravel())
    for cell, lab_diff in zip(cells, lab_diffs):
        top, bottom = cell.subplots(2, 1, sharex=lab_diff.v1.kind == "training")
        if lab_diff.v1.kind == "training":
            _plot_losses(top, bottom, lab_diff)
        else:
            _plot_arrays(top, bottom, lab_diff)
        cell.suptitle(_verdict_title(lab_diff), fontsize=11,
                      color="black" if lab_diff.ok else "red")
    for cell in cells[len(lab_diffs):]:
        cell.set_visible(False)
    return drawn


def _verdict_title(lab_diff):
    agreement = lab_diff.comparisons["agreement"]
    worst = max((d.worst_relative for d in agreement.deviations), default=0.0)
    verdict = "AGREE" if lab_diff.ok else "DIFFER"
    return (f"{lab_diff.lab_id} ({lab_diff.dtype}): {verdict}, "
            f"worst v1-v2 {worst:.1e}")


def _log_with_exact_zeros(axis, x, values, **style):
    """`values` on a log scale; the exact zeros marked on the bottom edge."""
    values = np.asarray(values, np.float64)
    zero = values == 0
    shown = np.where(zero, np.nan, values)
    if not zero.all():
        axis.plot(x, shown, **style)
    axis.set_yscale("log")
    if zero.any():
        axis.plot(np.asarray(x)[zero], np.zeros(int(zero.sum())), linestyle="none",
                  marker="|", markersize=9, color="tab:green",
                  transform=axis.get_xaxis_transform(), clip_on=False,
                  label=f"{EXACT_ZERO} ({int(zero.sum())} of {len(values)})")
    if zero.all():
        axis.set_ylim(1e-20, 1e-15)
        axis.text(0.5, 0.5, "identical everywhere", transform=axis.transAxes,
                  ha="center", va="center", color="tab:green")


def _plot_losses(top, bottom, lab_diff):
    gold = lab_diff.golden["runs"][lab_diff.dtype]["v1"]["losses"]
    steps = np.arange(lab_diff.v1.iterations)
    top.plot(steps, gold, color="0.75", linewidth=4, label="golden v1")
    top.plot(steps, lab_diff.v1.losses, label="v1 (TF1 graph)")
    top.plot(steps, lab_diff.v2.losses, linestyle="--", label="v2 (Keras 3)")
    top.set_yscale("log")
    top.set_ylabel("loss")
    top.legend(fontsize=8)
    difference = np.abs(np.asarray(lab_diff.v1.losses, np.float64)
                        - np.asarray(lab_diff.v2.losses, np.float64))
    _log_with_exact_zeros(bottom, steps, difference, linewidth=1, marker=".", markersize=3)
    bottom.set_xlabel("iteration")
    bottom.set_ylabel("|v1 - v2| loss")
    if bottom.get_legend_handles_labels()[0]:
        bottom.legend(fontsize=8, loc="upper right")


def _plot_arrays(top, bottom, lab_diff):
    names = list(lab_diff.v1.arrays)
    positions = np.arange(len(names))
    bound = tolerances.tolerance(lab_diff.lab_id, lab_diff.dtype).loss_atol
    for axis, check, label in ((top, "agreement", "max |v1 - v2|"),
                               (bottom, "golden-v1", "max |v1 - golden v1|")):
        worst = np.asarray([_worst(lab_diff.comparisons[check], name) for name in names])
        _log_with_exact_zeros(axis, positions, worst, linestyle="none", marker="o",
                              markersize=4)
        axis.axhline(bound, color="0.5", linestyle=":",
                     label=f"bound {bound:g} (+ relative)")
        axis.set_ylabel(label)
        if np.isfinite(worst).any() and (worst > 0).any():
            index = int(np.nanargmax(worst))
            axis.annotate(names[index], (positions[index], worst[index]), fontsize=7,
                          xytext=(4, 4), textcoords="offset points")
        axis.legend(fontsize=7, loc="lower right")
    bottom.set_xlabel(f"array (1 to {len(names)}, in the order `diff` lists them)")


def check_goldens(lab_ids, stage=None, backend=None):
    """`golden check`: every golden run of `lab_ids` in this environment,
    v2 on `backend` (None: Keras's configured one)."""
    from labs.harness.run import versions

    failed = []
    for index, lab_id in enumerate(lab_ids, 1):
        golden_data = golden.load(lab_id, tf_version=versions()["tensorflow"])
        for dtype in golden.DTYPES:
            if stage:
                stage(index, len(lab_ids), f"lab {lab_id} {dtype}")
            results = run_golden_forms(lab_id, dtype, backend=backend)
            for impl in golden.IMPLS:
                comparison = golden.check_result(results[impl], golden_data)
                status = "ok" if comparison.ok else "FAIL"
                print(f"      {impl}: {status}")
                for problem in comparison.problems():
                    print(f"        {problem}")
                if not comparison.ok:
                    failed.append(f"{lab_id} {dtype} {impl}")
    print(f"golden check: {'all ok' if not failed else 'FAILED: ' + ', '.join(failed)}")
    return 1 if failed else 0


def update_goldens(lab_ids, tf_specific=False, stage=None, directory=None):
    """`golden update`: rerun, show what changes, write atomically."""
    from labs.harness.run import versions

    directory = golden.default_directory() if directory is None else directory
    if tf_specific:
        directory = directory / f"tf{golden.tf_minor(versions()['tensorflow'])}"
    for index, lab_id in enumerate(lab_ids, 1):
        results = {}
        for dtype in golden.DTYPES:
            if stage:
                stage(index, len(lab_ids), f"lab {lab_id} {dtype}")
            for impl, result in run_golden_forms(lab_id, dtype).items():
                results[dtype, impl] = result
        new = golden.build(lab_id, results)
        path = directory / f"{lab_id}.json"
        try:
            old = golden.load(lab_id, directory) if path.exists() else None
        except golden.GoldenError as error:
            print(f"      replacing an unreadable golden: {error}")
            old = None
        change = golden.describe_change(lab_id, path, old, new)
        if not change.changed:
            print(f"      {path}: unchanged")
            continue
        for line in change.lines:
            print(f"      {line}")
        golden.write_atomically(path, golden.dumps(new))
        print(f"      written {path}")
    return 0

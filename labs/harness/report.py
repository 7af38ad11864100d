"""Deviation summaries: written by every test env, merged by `labs report`.

Each env (a tox env, one TensorFlow version with one Keras) writes one
summary per lab to
`$LAB12_RESULTS_DIR/<lab_id>.json`:

    {"schema": "lab12.Summary", "schema_version": 1, "lab_id": "12-1",
     "environment": {...}, "checks": {"<dtype>/<check>": {
         "worst_relative": float, "worst": float, "ok": bool}}}

with checks "agreement" (v2 against v1) and "golden-v1" / "golden-v2"
(each form against its golden); "environment" holds the versions of
TensorFlow, Keras, numpy and Python. `merge` reads the summaries of several
envs into one (TensorFlow, Keras) x lab table; `markdown` and `plot` render
it.
"""

import json
from pathlib import Path

SCHEMA = "lab12.Summary"
SCHEMA_VERSION = 1


def summary(lab_id, environment, comparisons):
    """A summary dict from {"<dtype>/<check>": verdict.Comparison}."""
    checks = {}
    for key, comparison in comparisons.items():
        worst = max(comparison.deviations, key=lambda d: d.worst_relative,
                    default=None)
        checks[key] = {
            "worst_relative": 0.0 if worst is None else worst.worst_relative,
            "worst": 0.0 if worst is None else worst.worst,
            "ok": comparison.ok,
            "problems": comparison.problems(),
        }
    return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION,
            "lab_id": lab_id, "environment": dict(environment),
            "checks": checks}


def write_summary(directory, data):
    from labs.harness.golden import write_atomically

    path = Path(directory) / f"{data['lab_id']}.json"
    write_atomically(path, json.dumps(data, indent=1) + "\n")
    return path


def read_summaries(directories):
    """Every summary below `directories` (files or folders), validated."""
    found = []
    for directory in directories:
        directory = Path(directory)
        if not directory.exists():
            raise FileNotFoundError(f"no results at {directory}")
        paths = [directory] if directory.is_file() else sorted(
            directory.rglob("*.json"))
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise ValueError(f"{path} is not a results summary: "
                                 f"{error}") from None
            if not isinstance(data, dict) or data.get("schema") != SCHEMA:
                continue
            if data.get("schema_version") != SCHEMA_VERSION:
                raise ValueError(f"{path}: schema_version "
                                 f"{data.get('schema_version')!r} is not "
                                 f"{SCHEMA_VERSION}")
            found.append(data)
    if not found:
        raise ValueError(f"no results summaries found in "
                         f"{[str(d) for d in directories]}; run the tests "
                         f"with LAB12_RESULTS_DIR set (tox does)")
    return found


def merge(summaries):
    """{((tf_version, keras_version), lab_id): checks}; "?" for a version
    a summary does not record."""
    table = {}
    for data in summaries:
        environment = data["environment"]
        versions = (environment.get("tensorflow", "?"),
                    environment.get("keras", "?"))
        table[versions, data["lab_id"]] = data["checks"]
    return table


def _version_key(versions):
    return tuple(tuple(int(part) if part.isdigit() else -1
                       for part in str(version).split("."))
                 for version in versions)


def markdown(table):
    """A (TF, Keras) x lab markdown table: per cell the worst relative
    deviation over all checks, and FAIL where a check failed."""
    versions = sorted({v for v, _ in table}, key=_version_key)
    labs = sorted({lab for _, lab in table})
    lines = ["| TensorFlow | Keras | " + " | ".join(labs) + " |",
             "|---|---|" + "---|" * len(labs)]
    for version in versions:
        cells = []
        for lab in labs:
            checks = table.get((version, lab))
            if checks is None:
                cells.append("–")
                continue
            worst = max(c["worst_relative"] for c in checks.values())
            failed = [k for k, c in checks.items() if not c["ok"]]
            cells.append(f"{worst:.1e}" + (f" FAIL ({', '.join(failed)})"
                                           if failed else ""))
        lines.append(f"| {version[0]} | {version[1]} | " + " | ".join(cells)
                     + " |")
    lines.append("")
    lines.append("Each cell: the worst relative deviation of any check "
                 "(v1 vs v2 agreement, each form vs its golden; float32 and "
                 "float64). FAIL names the checks outside their tolerance.")
    return "\n".join(lines) + "\n"


def plot(table, path):
    """A heat map of log10 worst relative deviation, (TF, Keras) x lab; a
    cell whose every check is identical says "0 exact" (its colour is the
    scale's end, 1e-17)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    versions = sorted({v for v, _ in table}, key=_version_key)
    labs = sorted({lab for _, lab in table})
    values = np.full((len(versions), len(labs)), np.nan)
    exact = np.zeros(values.shape, bool)  # every check identical: no log10
    for i, version in enumerate(versions):
        for j, lab in enumerate(labs):
            checks = table.get((version, lab))
            if checks:
                worst = max(c["worst_relative"] for c in checks.values())
                exact[i, j] = worst == 0
                values[i, j] = np.log10(max(worst, 1e-17))
    # about 1300 px wide for ten labs at 100 dpi: readable at 100% zoom
    figure, axes = plt.subplots(figsize=(1.0 * len(labs) + 3.2,
                                         0.5 * len(versions) + 1.8))
    image = axes.imshow(values, cmap="viridis", vmin=-17, vmax=0,
                        aspect="auto")
    axes.set_xticks(range(len(labs)), labs)
    axes.set_yticks(range(len(versions)),
                    [f"TF {tf} / Keras {keras}" for tf, keras in versions])
    for i in range(len(versions)):
        for j in range(len(labs)):
            if not np.isnan(values[i, j]):
                failed = any(not c["ok"] for c in
                             table[versions[i], labs[j]].values())
                text = "0\nexact" if exact[i, j] else f"{values[i, j]:.0f}"
                # dark text on the scale's bright end (large deviations)
                axes.text(j, i, text + ("\nFAIL" if failed else ""),
                          ha="center", va="center", fontsize=9,
                          color="black" if values[i, j] > -5 else "white")
    figure.colorbar(image, label="log10 worst relative deviation")
    axes.set_title("Lab 12: worst deviation per TensorFlow / Keras and lab")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)

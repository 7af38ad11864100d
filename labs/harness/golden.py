"""Goldens: the recorded runs of every lab, one JSON file per lab in `golden/`.

Only `python -m labs golden update` writes them; tests and `golden check`
only read. A golden holds, for each dtype, the runs that define the lab:

    v1   the TF1 graph, as published (graph seed 777, TF1 Adam);
    v2   the Keras 3 form from v1's initial weights with
         `compat.optimizers.TF1Adam` — the form that must agree with v1.

File layout (`SCHEMA_VERSION` 1; floats as the shortest repr that reads back
to the same double; no NaN or infinity):

    {"schema": "lab12.Golden", "schema_version": 1, "lab_id": "12-1",
     "environment": {"python", "numpy", "tensorflow", "keras", "platform"},
     "vocabulary": ["h", "i", ...] or null,
     "tolerances": {"float32": Tolerance, "float64": Tolerance},
     "runs": {"float32": {"v1": run, "v2": run}, "float64": {...}}}

    run = {"initial_weights", "optimizer", "iterations", "shapes",
           "losses": [...], "metrics": {...},
           "predictions": [{"iteration", "text", "rows": ["ihello"]}],
           "arrays": {name: {"shape": [...], "data": [...]}},
           "spelled": {name: "words / words"}}   (integer arrays only)

`rows` spells each batch row's argmax indices with the vocabulary, so a
golden is readable and position-wise comparable: characters side by side
("ihello"), words (12-7's vocabulary) separated by single spaces.

A TensorFlow version whose numbers drift beyond the tolerances gets its own
goldens in `golden/tf<major>.<minor>/`, which take precedence on that version
(`golden update --tf-specific`).
"""

import contextlib
import dataclasses
import json
import os
import platform
import tempfile
from pathlib import Path

import numpy as np

from labs.harness import registry, tolerances
from labs.harness.result import spell, spelled_arrays, token_separator
from labs.harness.verdict import Reference, compare

SCHEMA = "lab12.Golden"
SCHEMA_VERSION = 1
DTYPES = ("float32", "float64")
IMPLS = ("v1", "v2")


class GoldenError(Exception):
    """A golden is missing, unreadable or invalid; the message says how to
    regenerate it."""


def run_options(lab_id, impl):
    """The `run_lab` options of the golden run `impl` of `lab_id`."""
    if impl == "v1":
        return {"impl": "v1"}
    options = {"impl": "v2", "initial_weights": "v1"}
    if registry.get(lab_id).kind == "training":
        options["optimizer"] = "tf1_adam"
    return options


def default_directory():
    """`$LAB12_GOLDEN_DIR`, else the checkout's `golden/`, else ./golden."""
    configured = os.environ.get("LAB12_GOLDEN_DIR")
    if configured:
        return Path(configured)
    beside = Path(__file__).resolve().parents[2] / "golden"
    return beside if beside.is_dir() else Path.cwd() / "golden"


def tf_minor(version):
    """"2.21" of "2.21.0"."""
    return ".".join(str(version).split(".")[:2])


def golden_path(lab_id, directory=None, tf_version=None):
    """The golden of `lab_id` that applies on `tf_version` (default: any)."""
    directory = Path(directory) if directory else default_directory()
    if tf_version:
        specific = directory / f"tf{tf_minor(tf_version)}" / f"{lab_id}.json"
        if specific.exists():
            return specific
    return directory / f"{lab_id}.json"


def regenerate_hint(lab_id):
    return f"regenerate it with: python -m labs golden update {lab_id}"


def _reject_constant(name):
    raise ValueError(f"non-finite number {name}")


def load(lab_id, directory=None, tf_version=None):
    """The validated golden dict of `lab_id`; `GoldenError` otherwise."""
    registry.get(lab_id)
    path = golden_path(lab_id, directory, tf_version)
    hint = regenerate_hint(lab_id)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldenError(f"no golden for lab {lab_id} at {path}; create it "
                          f"with: python -m labs golden update "
                          f"{lab_id}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GoldenError(f"cannot read {path}: {error}; {hint}") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise GoldenError(f"{path} is not a valid golden ({error}; truncated "
                          f"or edited by hand?); {hint}") from None
    try:
        validate(data, lab_id)
    except (ValueError, TypeError, KeyError) as error:
        raise GoldenError(f"{path} is not a valid golden: {error}; "
                          f"{hint}") from None
    return data


def validate(data, lab_id):
    """Raises ValueError/TypeError/KeyError unless `data` is a golden of
    `lab_id` in the current schema."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValueError(f"schema must be {SCHEMA!r}")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"schema_version {data.get('schema_version')!r} is "
                         f"not the supported version {SCHEMA_VERSION}")
    if data.get("lab_id") != lab_id:
        raise ValueError(f"it holds lab {data.get('lab_id')!r}, not "
                         f"{lab_id!r}")
    for dtype in DTYPES:
        tolerances.Tolerance.from_dict(data["tolerances"][dtype])
        for impl in IMPLS:
            run = data["runs"][dtype][impl]
            losses = np.asarray(run["losses"], dtype=np.float64)
            if losses.shape != (int(run["iterations"]),):
                raise ValueError(f"runs/{dtype}/{impl}: {losses.size} losses "
                                 f"for {run['iterations']} iterations")
            values = [losses] + [np.asarray(v, dtype=np.float64)
                                 for v in run["metrics"].values()]
            values += [np.asarray(a["data"], dtype=np.float64)
                       for a in run["arrays"].values()]
            for value in values:
                if not np.all(np.isfinite(value)):
                    raise ValueError(f"runs/{dtype}/{impl} holds a "
                                     f"non-finite value")
            for prediction in run["predictions"]:
                if not all(isinstance(row, str) for row in prediction["rows"]):
                    raise TypeError(f"runs/{dtype}/{impl}: prediction rows "
                                    f"must be strings")


def run_record(result, vocabulary):
    """The golden form of one `LabResult`."""
    record = {
        "initial_weights": result.initial_weights,
        "optimizer": result.optimizer,
        "iterations": result.iterations,
        "shapes": {name: list(shape) for name, shape in result.shapes.items()},
        "losses": [float(loss) for loss in result.losses],
        "metrics": {name: float(value)
                    for name, value in result.metrics.items()},
        "predictions": [
            {"iteration": record.iteration, "text": record.text,
             "rows": spell(record.indices, vocabulary)}
            for record in result.records],
        "arrays": {name: {"shape": list(np.shape(array)),
                          "data": np.asarray(array, np.float64).ravel().tolist()}
                   for name, array in result.arrays.items()},
    }
    spelled = spelled_arrays(result)
    if spelled:  # for readers only (12-7's generated sentences)
        record["spelled"] = spelled
    return record


def _tokens(row, vocabulary):
    separator = token_separator(vocabulary or ())
    return row.split(separator) if separator else list(row)


def reference(run, vocabulary):
    """The `verdict.Reference` of a golden run."""
    lookup = {token: index for index, token in enumerate(vocabulary or ())}
    predictions = {}
    for prediction in run["predictions"]:
        predictions[prediction["iteration"]] = np.array(
            [[lookup[token] for token in _tokens(row, vocabulary)]
             for row in prediction["rows"]], dtype=np.int64)
    return Reference(
        shapes={name: tuple(shape) for name, shape in run["shapes"].items()},
        losses=np.asarray(run["losses"], dtype=np.float64),
        metrics=dict(run["metrics"]),
        predictions=predictions,
        arrays={name: np.asarray(array["data"], np.float64).reshape(
            array["shape"]) for name, array in run["arrays"].items()})


def check_result(result, golden):
    """`verdict.Comparison` of a `LabResult` against its golden run; a v2
    run on another Keras backend than TensorFlow at that backend's
    tolerance (the golden's runs are TensorFlow's)."""
    run = golden["runs"][result.dtype][result.impl]
    expected = reference(run, golden["vocabulary"])
    # Recorded indices are [batch, time]; a golden keeps them as rows.
    for record in result.records:
        if record.iteration in expected.predictions:
            expected.predictions[record.iteration] = expected.predictions[
                record.iteration].reshape(np.shape(record.indices))
    if result.backend == "tensorflow":
        tolerance = tolerances.Tolerance.from_dict(
            golden["tolerances"][result.dtype])
    else:
        tolerance = tolerances.tolerance(result.lab_id, result.dtype,
                                         result.backend)
    return compare(result, expected, tolerance)


def environment():
    from labs.harness.run import versions

    found = dict(versions())
    found["platform"] = f"{platform.system()} {platform.machine()}"
    return found


def build(lab_id, results):
    """A golden dict from {(dtype, impl): LabResult}."""
    vocabulary = next(iter(results.values())).vocabulary
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "lab_id": lab_id,
        "environment": environment(),
        "vocabulary": None if vocabulary is None else list(vocabulary),
        "tolerances": {dtype: tolerances.tolerance(lab_id, dtype).to_dict()
                       for dtype in DTYPES},
        "runs": {dtype: {impl: run_record(results[dtype, impl], vocabulary)
                         for impl in IMPLS}
                 for dtype in DTYPES},
    }


def dumps(golden):
    return json.dumps(golden, indent=1, allow_nan=False) + "\n"


@dataclasses.dataclass(frozen=True)
class Change:
    """What `golden update` changes in one golden file."""

    lab_id: str
    path: Path
    lines: tuple
    changed: bool


def describe_change(lab_id, path, old, new):
    """Human-readable differences between an old golden (or None) and new."""
    if old is None:
        return Change(lab_id, path, ("new golden",), True)
    lines = []
    for dtype in DTYPES:
        for impl in IMPLS:
            before, after = old["runs"][dtype][impl], new["runs"][dtype][impl]
            where = f"{dtype}/{impl}"
            if before["shapes"] != after["shapes"]:
                lines.append(f"{where}: shapes {before['shapes']} -> "
                             f"{after['shapes']}")
            if len(before["losses"]) != len(after["losses"]):
                lines.append(f"{where}: {len(before['losses'])} -> "
                             f"{len(after['losses'])} iterations")
            elif before["losses"] != after["losses"]:
                a = np.asarray(before["losses"])
                b = np.asarray(after["losses"])
                worst = int(np.argmax(np.abs(a - b)))
                lines.append(f"{where}: losses change, worst at iteration "
                             f"{worst}: {a[worst]!r} -> {b[worst]!r}")
            for name in sorted(set(before["metrics"]) | set(after["metrics"])):
                x, y = before["metrics"].get(name), after["metrics"].get(name)
                if x != y:
                    lines.append(f"{where}: {name} {x!r} -> {y!r}")
            texts = {p["iteration"]: p["text"] for p in before["predictions"]}
            for prediction in after["predictions"]:
                was = texts.get(prediction["iteration"])
                if was != prediction["text"]:
                    lines.append(f"{where}: prediction at iteration "
                                 f"{prediction['iteration']}: {was!r} -> "
                                 f"{prediction['text']!r}")
            if before["arrays"] != after["arrays"]:
                lines.append(f"{where}: arrays change")
    for key in ("tolerances", "vocabulary"):
        if old.get(key) != new.get(key):
            lines.append(f"{key}: {old.get(key)!r} -> {new.get(key)!r}")
    return Change(lab_id, path, tuple(lines), bool(lines))


def write_atomically(path, text):
    """Writes `text` to `path` so that readers see the old file or the whole
    new one, never a part: a temporary file beside it, fsync, rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent,
                                         prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        # mkstemp creates 0600; a golden is an ordinary, shared file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def refuse_in_ci(what="goldens", command="python -m labs golden update"):
    """Goldens (and the committed notebooks) are written by people, never
    by CI."""
    value = os.environ.get("CI", "")
    if value and value.lower() not in ("0", "false", "no"):
        raise GoldenError(
            f"refusing to write {what} with CI={value!r}: {what} are "
            f"updated only by an explicit local '{command}', reviewed and "
            f"committed.")

"""`LabResult`: everything one run of one lab produced, in one JSON-safe record.

A training run (`kind == "training"`) records, per the training loop contract
of docs/ARCHITECTURE.md:

* `losses[i]`: the loss of iteration i, computed before that iteration's
  update (what `sess.run([loss, train])` returns), for every iteration.
* `records`: at the lab's recorded iterations, the prediction from that same
  pre-update forward pass: argmax indices, their text, and the top-2 logit
  margin of every position (how far the argmax is from flipping). A last
  record with `iteration == iterations` holds the prediction after the last
  update.
* `metrics`: "final_loss" (the loss after the last update) and the lab's own
  test metrics (12-5: "test_rmse"); `arrays`: the arrays behind them.
* `shapes`: the named shapes the lab teaches, e.g. 12-4 "logits" (170, 10, 25).

A sections run (`kind == "sections"`, 12-0) has no training: `arrays` holds
every printed array as "<section>/<name>" and `shapes` their shapes.

JSON: floats are written with `repr` (Python's `json` does so), the shortest
decimal that reads back to the same double, so a float32 or float64 value
survives `to_json` / `from_json` bit for bit. Arrays are stored as
{"dtype", "shape", "data"} with flat data. `SCHEMA_VERSION` changes whenever
a field changes meaning; `from_json` refuses other versions.
"""

import dataclasses
import json
from typing import Mapping, Optional, Tuple

import numpy as np

SCHEMA = "lab12.LabResult"
SCHEMA_VERSION = 1

KINDS = ("training", "sections")
IMPLS = ("v1", "v2")


@dataclasses.dataclass(frozen=True, eq=False)
class PredictionRecord:
    """The prediction of one forward pass.

    Attributes:
      iteration: number of updates applied before this forward pass: i for
        the pre-update pass of iteration i, `iterations` for the final record.
      indices: int64 [batch, time], argmax over classes.
      text: the lab's reading of `indices` (e.g. "ihello").
      margins: float64 [batch, time], top-1 minus top-2 logit per position.
    """

    iteration: int
    indices: np.ndarray
    text: str
    margins: np.ndarray

    def to_dict(self):
        return {
            "iteration": self.iteration,
            "indices": _encode_array(self.indices),
            "text": self.text,
            "margins": _encode_array(self.margins),
        }

    @classmethod
    def from_dict(cls, data):
        return cls(iteration=int(data["iteration"]),
                   indices=_decode_array(data["indices"]),
                   text=data["text"],
                   margins=_decode_array(data["margins"]))


@dataclasses.dataclass(frozen=True, eq=False)
class LabResult:
    """One run of one lab. See the module docstring for the field contract.

    Attributes:
      lab_id: e.g. "12-1".
      impl: "v1" (TF1 graph + Session) or "v2" (Keras 3).
      dtype: "float32" or "float64".
      kind: "training" or "sections".
      initial_weights: where the initial weights came from: "v1" (the TF1
        graph under graph seed 777), "v2" (Keras initialisers under
        `keras.utils.set_random_seed(777)`).
      optimizer: the optimizer and its hyperparameters, as code.
      iterations: number of training iterations run (0 for sections).
      losses: [iterations] pre-update losses, in `dtype`.
      records: recorded predictions, in iteration order, final last.
      shapes: named shapes.
      metrics: named final scalars.
      arrays: named final arrays.
      vocabulary: index -> character (12-7: word), or None (12-0, 12-5).
      versions: Python, numpy, TensorFlow, Keras versions of the run.
    """

    lab_id: str
    impl: str
    dtype: str
    kind: str
    initial_weights: str
    optimizer: str
    iterations: int
    losses: np.ndarray
    records: Tuple[PredictionRecord, ...]
    shapes: Mapping[str, Tuple[int, ...]]
    metrics: Mapping[str, float]
    arrays: Mapping[str, np.ndarray]
    vocabulary: Optional[Tuple[str, ...]]
    versions: Mapping[str, str]

    def __post_init__(self):
        if self.impl not in IMPLS:
            raise ValueError(f"impl must be one of {IMPLS}, got {self.impl!r}.")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}.")
        if len(self.losses) != self.iterations:
            raise ValueError(
                f"losses must hold one loss per iteration ({self.iterations}), "
                f"got {len(self.losses)}.")

    @property
    def backend(self):
        """The Keras backend the run trained on ("tensorflow" for v1)."""
        return self.versions.get("backend", "tensorflow")

    @property
    def final_record(self):
        """The prediction after the last update, or None (regression, 12-0)."""
        if self.records and self.records[-1].iteration == self.iterations:
            return self.records[-1]
        return None

    def record_at(self, iteration):
        """The record of `iteration`; KeyError if it was not recorded."""
        for record in self.records:
            if record.iteration == iteration:
                return record
        raise KeyError(f"iteration {iteration} of lab {self.lab_id} was not "
                       f"recorded; recorded: "
                       f"{[r.iteration for r in self.records]}.")

    def to_dict(self):
        return {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "lab_id": self.lab_id,
            "impl": self.impl,
            "dtype": self.dtype,
            "kind": self.kind,
            "initial_weights": self.initial_weights,
            "optimizer": self.optimizer,
            "iterations": self.iterations,
            "losses": _encode_array(self.losses),
            "records": [record.to_dict() for record in self.records],
            "shapes": {name: list(shape) for name, shape in self.shapes.items()},
            "metrics": {name: float(value)
                        for name, value in self.metrics.items()},
            "arrays": {name: _encode_array(array)
                       for name, array in self.arrays.items()},
            "vocabulary": (None if self.vocabulary is None
                           else list(self.vocabulary)),
            "versions": dict(self.versions),
        }

    @classmethod
    def from_dict(cls, data):
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} record: schema is "
                             f"{data.get('schema')!r}.")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(
                f"{SCHEMA} schema_version {data.get('schema_version')!r} is "
                f"not the supported version {SCHEMA_VERSION}.")
        return cls(
            lab_id=data["lab_id"],
            impl=data["impl"],
            dtype=data["dtype"],
            kind=data["kind"],
            initial_weights=data["initial_weights"],
            optimizer=data["optimizer"],
            iterations=int(data["iterations"]),
            losses=_decode_array(data["losses"]),
            records=tuple(PredictionRecord.from_dict(record)
                          for record in data["records"]),
            shapes={name: tuple(shape)
                    for name, shape in data["shapes"].items()},
            metrics=dict(data["metrics"]),
            arrays={name: _decode_array(array)
                    for name, array in data["arrays"].items()},
            vocabulary=(None if data["vocabulary"] is None
                        else tuple(data["vocabulary"])),
            versions=dict(data["versions"]),
        )

    def to_json(self, indent=None):
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_json(cls, text):
        return cls.from_dict(json.loads(text))


def spell(indices, vocabulary):
    """Each row (last axis) of `indices` in the tokens of `vocabulary`:
    characters side by side ("ihello"), words separated by single spaces."""
    separator = token_separator(vocabulary)
    return [separator.join(vocabulary[i] for i in row)
            for row in np.asarray(indices).reshape(-1, np.shape(indices)[-1])]


def spelled_arrays(result):
    """{name: text} of a training run's integer arrays, which hold indices
    into its vocabulary (12-7's generated sentences), rows joined by " / "."""
    if result.kind != "training" or result.vocabulary is None:
        return {}
    return {name: " / ".join(spell(array, result.vocabulary))
            for name, array in result.arrays.items()
            if np.asarray(array).dtype.kind in "iu"}


def token_separator(vocabulary):
    """"" for a vocabulary of single characters, else " "."""
    return "" if all(len(token) == 1 for token in vocabulary) else " "


def _encode_array(array):
    array = np.asarray(array)
    if array.dtype.kind == "f":
        data = [float(value) for value in array.ravel()]
    elif array.dtype.kind in "iub":
        data = [int(value) for value in array.ravel()]
    else:
        raise TypeError(f"cannot encode an array of dtype {array.dtype}.")
    return {"dtype": array.dtype.name, "shape": list(array.shape), "data": data}


def _decode_array(data):
    return np.asarray(data["data"], dtype=data["dtype"]).reshape(data["shape"])

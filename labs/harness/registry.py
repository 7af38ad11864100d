"""The lab catalogue: lab id -> package, kind and recording schedule.

Lab modules are imported lazily (`LabEntry.module("v1")`), so listing the labs
needs no TensorFlow and a lab whose package is missing fails only when used.

Kinds:

* "training": `v1.build(dtype)` -> `GraphLab`, `v2.build(dtype)` ->
  `KerasLab`; `data` defines `ITERATIONS`, and for the character labs
  `IDX2CHAR` and `prediction_text(indices)`; optionally `examples(result)`,
  lines `run_module` prints after the run (12-8's decoded test samples).
* "sections" (12-0, 12-6): `v1.run_sections(dtype, return_variables=False)`
  and `v2.run_sections(dtype, tf1_variables=None)` return
  `{section: {name: array}}`.

Recorded iterations: every iteration when a lab trains for at most
`DENSE_RECORDING_LIMIT` iterations (as the course printed them); otherwise
iterations 0-9, the 1-2-5 series (10, 20, 50, 100, ...), every tenth of the
run and the last iteration. The prediction after the last update is always
recorded on top.
"""

import dataclasses
import importlib
from typing import Tuple

DENSE_RECORDING_LIMIT = 100


@dataclasses.dataclass(frozen=True)
class LabEntry:
    """One lab of the catalogue.

    Attributes:
      lab_id: the id the CLI and goldens use, e.g. "12-1".
      package: the lab's package, e.g. "labs.hello_rnn".
      kind: "training" or "sections".
      title: one line for listings.
    """

    lab_id: str
    package: str
    kind: str
    title: str

    def module(self, name):
        """The lab's `data`, `v1` or `v2` module, imported on first use."""
        if name not in ("data", "v1", "v2"):
            raise ValueError(
                f"name must be 'data', 'v1' or 'v2', got {name!r}.")
        return importlib.import_module(f"{self.package}.{name}")

    @property
    def iterations(self):
        """The course's number of training iterations (0 for sections)."""
        if self.kind != "training":
            return 0
        return self.module("data").ITERATIONS

    def recorded_iterations(self, iterations=None):
        """The sorted pre-update iterations whose predictions are recorded."""
        return record_schedule(self.iterations if iterations is None
                               else iterations)


def record_schedule(iterations):
    """Recorded iterations of a run of `iterations` iterations (see module)."""
    if iterations <= DENSE_RECORDING_LIMIT:
        return tuple(range(iterations))
    recorded = set(range(10))
    scale = 10
    while scale < iterations:
        recorded.update(m * scale for m in (1, 2, 5))
        scale *= 10
    recorded.update(range(0, iterations, max(1, iterations // 10)))
    recorded.add(iterations - 1)
    return tuple(sorted(i for i in recorded if i < iterations))


LABS: Tuple[LabEntry, ...] = (
    LabEntry("12-0", "labs.rnn_basics", "sections",
             "RNN basics: cells, dynamic_rnn, shapes, sequence_loss"),
    LabEntry("12-1", "labs.hello_rnn", "training",
             "hello RNN: 'hihell' -> 'ihello' with one LSTM"),
    LabEntry("12-1y", "labs.yeonjee_rnn", "training",
             "yeonjee RNN: 'yeonje' -> 'eonjee' with one LSTM"),
    LabEntry("12-2", "labs.char_seq_rnn", "training",
             "character sequence RNN: ' if you want you'"),
    LabEntry("12-3", "labs.char_seq_softmax_only", "training",
             "the same sequence with a softmax layer only, no RNN"),
    LabEntry("12-4", "labs.rnn_long_char", "training",
             "a long sentence with two stacked LSTMs, 170 windows"),
    LabEntry("12-5", "labs.rnn_stock_prediction", "training",
             "stock price prediction: LSTM on 7-day windows"),
    LabEntry("12-6", "labs.keras_rnn_basics", "sections",
             "Keras RNN basics: SimpleRNN/LSTM outputs and states, shapes"),
    LabEntry("12-7", "labs.rnn_language_model", "training",
             "RNN language model: three Korean sentences, word by word"),
    LabEntry("12-8", "labs.seq2seq", "training",
             "seq2seq: 7 digits -> 7 letters, LSTM encoder and decoder"),
)

_BY_ID = {entry.lab_id: entry for entry in LABS}


def lab_ids(kind=None):
    """All lab ids in course order, optionally only those of one kind."""
    return tuple(entry.lab_id for entry in LABS
                 if kind is None or entry.kind == kind)


def get(lab_id):
    """The `LabEntry` of `lab_id`; ValueError naming the known ids."""
    try:
        return _BY_ID[lab_id]
    except (KeyError, TypeError):
        raise ValueError(f"lab_id must be one of {lab_ids()}, got "
                         f"{lab_id!r}.") from None


def by_module(module_name):
    """The `LabEntry` and impl of a lab module, e.g. "labs.hello_rnn.v1"."""
    package, _, impl = module_name.rpartition(".")
    for entry in LABS:
        if entry.package == package and impl in ("v1", "v2"):
            return entry, impl
    raise ValueError(f"module_name must be a lab's v1 or v2 module, got "
                     f"{module_name!r}.")

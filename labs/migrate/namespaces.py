"""Which dotted names exist, on today's TensorFlow and under ``import compat.tf1 as tf``.

A TF1 script stops running on TF 2 exactly where one of its TensorFlow names
no longer resolves, so resolving names is how the migrator tells a TF1 script
from one that already runs. After migration every name must resolve in the
drop-in's view: ``tensorflow.compat.v1``, plus what ``compat`` serves on top of
it (``OVERLAYS``, the drop-in's public contract).

Names are resolved by attribute lookup on the installed modules, from the
root down, for as long as the value reached is a module: what lives on a
class or an object is not checked. Only TensorFlow, Keras, NumPy and
``compat`` are looked into; importing them changes no global state.
"""

import importlib
import types

TF1 = "tf1"
TF2 = "tf2"

CHECKED_ROOTS = ("tensorflow", "keras", "numpy", "compat")
DROP_IN = ("compat", "tf1")

# What `import compat.tf1 as tf` serves instead of tensorflow.compat.v1's own:
# dotted name under `tf` -> (compat module, attribute or None) holding it.
# Resolution imports these modules, never compat.tf1 itself (that would switch
# the migrating process into TF1 behaviour).
OVERLAYS = {
    ("contrib",): ("compat.contrib", None),
    ("contrib", "rnn"): ("compat.contrib.rnn", None),
    ("contrib", "seq2seq"): ("compat.contrib.seq2seq", None),
    ("contrib", "layers"): ("compat.contrib.layers", None),
    ("contrib", "legacy_seq2seq"): ("compat.contrib.legacy_seq2seq", None),
    ("examples",): ("compat.examples", None),
    ("layers", "dense"): ("compat.layers.dense", "dense"),
    ("layers", "Dense"): ("compat.layers.dense", "Dense"),
    ("nn", "rnn_cell"): ("compat.rnn_cell", None),
    ("keras", "layers", "SimpleRNNCell"): ("compat.keras_legacy_cells", "SimpleRNNCell"),
    ("keras", "layers", "LSTMCell"): ("compat.keras_legacy_cells", "LSTMCell"),
    ("keras", "layers", "GRUCell"): ("compat.keras_legacy_cells", "GRUCell"),
}

# Import paths: TensorFlow module -> the importable compat module standing for
# it under the drop-in. Modules missing here keep their TensorFlow import.
DROP_IN_MODULES = {
    ("tensorflow",): "compat.tf1",
    ("tensorflow", "compat", "v1"): "compat.tf1",
    ("tensorflow", "contrib"): "compat.tf1.contrib",
    ("tensorflow", "contrib", "rnn"): "compat.contrib.rnn",
    ("tensorflow", "contrib", "seq2seq"): "compat.contrib.seq2seq",
    ("tensorflow", "contrib", "layers"): "compat.contrib.layers",
    ("tensorflow", "contrib", "legacy_seq2seq"): "compat.contrib.legacy_seq2seq",
    ("tensorflow", "examples"): "compat.examples",
    ("tensorflow", "examples", "tutorials"): "compat.examples.tutorials",
    ("tensorflow", "examples", "tutorials", "mnist"): "compat.examples.tutorials.mnist",
    ("tensorflow", "examples", "tutorials", "mnist", "input_data"):
        "compat.examples.tutorials.mnist.input_data",
    ("tensorflow", "nn"): "compat.tf1.nn",
    ("tensorflow", "nn", "rnn_cell"): "compat.rnn_cell",
    ("tensorflow", "keras"): "compat.tf1.keras",
    ("tensorflow", "keras", "layers"): "compat.tf1.keras.layers",
}


class Unresolved:
    """The first name of a dotted name that does not exist, and why."""

    def __init__(self, index, reason):
        self.index = index
        self.reason = reason

    def __repr__(self):
        return f"Unresolved({self.index}, {self.reason!r})"


def tf1_names(names):
    """``names`` as seen under the drop-in, rooted at ``tensorflow``; None if not TensorFlow.

    ``compat.tf1.X`` and ``tensorflow.compat.v1.X`` both mean ``tensorflow.X``.
    """
    names = tuple(names)
    if names[:2] == DROP_IN:
        names = ("tensorflow",) + names[2:]
    if names[:1] != ("tensorflow",):
        return None
    while names[1:3] == ("compat", "v1"):
        names = names[:1] + names[3:]
    return names


def resolve(names, view):
    """Return None when the dotted ``names`` exist in ``view``, else an ``Unresolved``.

    ``view`` is TF2 (the installed packages as they are) or TF1 (TensorFlow
    names as ``import compat.tf1 as tf`` serves them); names under
    ``compat.tf1`` are always seen in TF1. The index in the result counts in
    ``names`` as given.
    """
    names = tuple(names)
    if view not in (TF1, TF2):
        raise ValueError(f"view must be {TF1!r} or {TF2!r}, got {view!r}")
    if not names or names[0] not in CHECKED_ROOTS:
        return None
    seen = tf1_names(names)
    if seen is not None and (view == TF1 or names[:2] == DROP_IN):
        start, value = _tf1_start(seen)
        return _walk(value, seen, start, len(names) - len(seen))
    return _walk(importlib.import_module(names[0]), names, 1, 0)


def _tf1_start(names):
    for length in range(len(names) - 1, 0, -1):
        target = OVERLAYS.get(names[1 : length + 1])
        if target is not None:
            module, attribute = target
            value = importlib.import_module(module)
            return length + 1, getattr(value, attribute) if attribute else value
    return 1, importlib.import_module("tensorflow.compat.v1")


def _walk(value, names, start, shift):
    for index in range(start, len(names)):
        if not isinstance(value, types.ModuleType):
            return None
        try:
            value = getattr(value, names[index])
        except Exception as error:  # lazy loaders raise more than AttributeError
            try:
                value = importlib.import_module(f"{value.__name__}.{names[index]}")
            except Exception:
                return Unresolved(index + shift, _first_sentence(error))
    return None


def _first_sentence(error):
    text = " ".join(str(error).split())
    end = text.find(". ")
    return text[: end + 1] if end >= 0 else text


def keras_names(names):
    """``names`` rooted at ``keras`` when they are Keras (``tensorflow.keras.X`` is ``keras.X``), else None."""
    names = tuple(names)
    if names[:2] == ("tensorflow", "keras"):
        return ("keras",) + names[2:]
    return names if names[:1] == ("keras",) else None


def version_of(root):
    """The installed version of a checked root package, for messages."""
    return importlib.import_module(root).__version__

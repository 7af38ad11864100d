"""Which world a program was written for: TF1 graphs, TF2/Keras, or both at once.

* TF1 evidence: a TensorFlow name that does not exist on the installed
  TensorFlow 2 but does under ``import compat.tf1 as tf`` (``tf.placeholder``,
  ``tf.Session``, ``tf.contrib.*``, ``tf.train.AdamOptimizer``,
  ``tf.nn.rnn_cell.*``), or one of the TF 0.x/1.x names with a known
  replacement (``tf.mul``, ``tf.select``). Names the program assigns
  itself (``tf.model = tf.keras.Sequential()``) are not evidence.
* TF2/Keras evidence: standalone ``keras``, or the model-level API of
  ``tf.keras`` (``Sequential``, ``Model``, ``Input``, ``models``,
  ``optimizers``, ``callbacks``, ``losses``, ``metrics``), or ``tf.function``
  and ``tf.GradientTape``. Keras layers alone are not: TF 1.13 graphs used
  ``tf.keras.layers`` too, and the drop-in serves its Keras cells.

A program with TF1 evidence only is TF1 and goes onto the drop-in; one with
both is MIXED (it goes onto the drop-in, since its graph part cannot run
otherwise, and is reported); every other program that imports TensorFlow or
Keras is KERAS: it stays on ``tensorflow``/``keras`` and gets the Keras 2 ->
Keras 3 rewrites.
"""

import dataclasses

from labs.migrate import namespaces
from labs.migrate.report import Finding
from labs.migrate.transform import REPLACEMENTS

TF1 = "tf1"
KERAS = "keras"
MIXED = "mixed"

_MODEL_LEVEL = {"Sequential", "Model", "Input", "models", "optimizers", "callbacks", "losses", "metrics"}
_EAGER_ONLY = {("tensorflow", "function"), ("tensorflow", "GradientTape")}


@dataclasses.dataclass
class Classification:
    kind: str
    tf1: list  # (node, dotted name as written): the TF1 evidence
    keras: list  # the same for TF2/Keras evidence


def classify(names):
    """Classify a program from its ``transform.Names``."""
    tf1, keras = [], []
    for entry in names.imports:
        written = ".".join(entry.imported)
        if _is_tf1(entry.imported, entry.imported):
            tf1.append((entry.alias, written))
        elif _is_keras(entry.imported, standalone_import=True):
            keras.append((entry.alias, written))
    for node, full, written in names.uses:
        if names.is_assigned(full):
            continue
        if _is_tf1(full, written):
            tf1.append((node, ".".join(written)))
        elif _is_keras(full):
            keras.append((node, ".".join(written)))
    if tf1 and keras:
        kind = MIXED
    elif tf1:
        kind = TF1
    else:
        kind = KERAS
    return Classification(kind, tf1, keras)


def _is_tf1(full, written):
    if full[:1] != ("tensorflow",) or namespaces.keras_names(full) is not None:
        return False
    missing = namespaces.resolve(full, namespaces.TF2)
    if missing is None:
        return False
    bound_length = len(full) - len(written) + 1
    if missing.index < bound_length:  # the program's own binding, not TensorFlow's
        return False
    normalised = namespaces.tf1_names(full)
    if any(normalised[:length] in REPLACEMENTS for length in range(2, len(normalised) + 1)):
        return True
    under_drop_in = namespaces.resolve(full, namespaces.TF1)
    return under_drop_in is None or under_drop_in.index > missing.index


def _is_keras(full, standalone_import=False):
    if tuple(full[:2]) in _EAGER_ONLY:
        return True
    keras = namespaces.keras_names(full)
    if keras is None:
        return False
    if standalone_import and full[0] == "keras":
        return True
    return len(keras) > 1 and keras[1] in _MODEL_LEVEL


def mixed_finding(program, classification):
    """The blocking finding that reports a MIXED program, placed at its first Keras evidence."""
    node, keras_name = classification.keras[0]
    tf1_node, tf1_name = classification.tf1[0]
    tf1_line = program.location(tf1_node)
    return Finding(
        program.location(node),
        f"this file mixes TF1 graph code (`{tf1_name}`, {tf1_line}) with TF2/Keras code "
        f"(`{keras_name}`): under `import compat.tf1 as tf` its Keras part runs in TF1 graph "
        "mode with TF 1.13's Keras cells, and without the drop-in its graph part fails",
        "split it in two files, the graph code (migrated onto compat.tf1) and the Keras code "
        "(kept on tensorflow/keras), or port the graph part to Keras as labs/*/v2.py do",
        blocking=True,
    )

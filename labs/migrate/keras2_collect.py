"""Collects the public names of Keras 2.15 for ``keras2_names`` (run in an env with Keras 2).

    python labs/migrate/keras2_collect.py labs/migrate/keras2_15_names.txt

It is run as a file, not as ``python -m labs...``: importing the ``labs``
package requires Keras 3, and this must run where ``keras`` is Keras 2
(the ``legacy215`` env: TF 2.15 as shipped). It imports only Keras.
"""

import importlib
import pathlib
import sys

MODULES = (
    "keras", "keras.layers", "keras.models", "keras.utils", "keras.preprocessing", "keras.preprocessing.sequence",
    "keras.preprocessing.text", "keras.preprocessing.image", "keras.optimizers", "keras.optimizers.schedules",
    "keras.callbacks", "keras.losses", "keras.metrics", "keras.initializers", "keras.backend", "keras.datasets",
    "keras.applications", "keras.activations", "keras.regularizers", "keras.constraints",
    "keras.mixed_precision",
)


def collect(path):
    """Writes the public names of ``MODULES`` in the installed Keras; returns how many."""
    import keras

    if not keras.__version__.startswith("2."):
        raise SystemExit(f"keras2_collect needs Keras 2 (the legacy215 env); this is Keras {keras.__version__}")
    lines = [f"# public names of Keras {keras.__version__}, by labs/migrate/keras2_collect.py"]
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        lines += [f"{module_name}.{name}" for name in sorted(dir(module)) if not name.startswith("_")]
    pathlib.Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python labs/migrate/keras2_collect.py OUTPUT_FILE")
    print(f"wrote {collect(sys.argv[1])} names to {sys.argv[1]}")

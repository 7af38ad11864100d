"""What the course's Keras fixtures print on Keras 2: run them unmigrated on TF 2.15 as shipped.

usage (in an environment with TF 2.15 and its Keras 2.15, e.g. tox's legacy215):
    python -m tests.migrate.keras2_facts OUTPUT.json

Writes the course folder of ``keras_course`` to a temporary folder and runs
every fixture script there as ``run_keras`` runs the migrated ones (seed 777,
from its own folder, one interpreter), recording its printed output and the
error that stopped it, if any. ``fixtures/keras/keras2_facts.json`` is this
file's output; ``test_keras_course.py`` compares the migrated runs on Keras 3
with it (the shapes the seed's tour prints, the predictions).
"""

import json
import pathlib
import re
import sys
import tempfile

from tests.migrate import keras_course, run_keras
from tests.migrate.conftest import write_stock_csv

# Keras' progress bars: one line per epoch, or backspace-redrawn.
_PROGRESS = re.compile(r"^(Epoch \d+/\d+|\d+/\d+ \[.*|.*\x08.*)$")


def facts(folder):
    import keras
    import tensorflow as tf

    results = {"versions": {"tensorflow": tf.__version__, "keras": keras.__version__}, "scripts": {}}
    for relative in keras_course.scripts():
        run = run_keras.run_script(folder / relative, folder / relative.parent)
        printed = [line for line in run["stdout"].splitlines() if not _PROGRESS.match(line)]
        error = run["error"].splitlines()[0] if run["error"] else None
        if error:
            # Module paths name the machine, not the fact: keep the file name.
            error = re.sub(r"\((/[^()]*/)([^/()]+)\)", r"(\2)", error)
        results["scripts"][str(relative)] = {"printed": printed, "error": error}
    return results


def main(output):
    with tempfile.TemporaryDirectory() as scratch:
        folder = keras_course.write(pathlib.Path(scratch), write_stock_csv)
        result = facts(folder)
    pathlib.Path(output).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])

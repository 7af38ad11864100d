"""Child process of the Keras course tests: the Keras material migrated with the CLI, then run.

Two children run it, one per PART, side by side (each is a minute of CPU):

* ``scripts``: migrates the scripts written by ``keras_course.write`` as a
  user would (``labs.migrate.cli``, ``--allow-partial``), then runs every
  migrated script as ``__main__`` (runpy) in this one interpreter, from its
  source folder, each after ``keras.utils.set_random_seed(777)`` and
  ``clear_session()``, with its printed output captured;
* ``notebooks``: migrates the same fixtures as notebooks, then executes
  every migrated notebook with nbclient, all in one kernel (a fresh
  namespace, the seed, the folder and at most `NOTEBOOK_EPOCHS` per `fit`
  set by a first cell that is removed again).

TensorFlow is imported once per process, which is what such runs cost most of.

This child never imports ``compat.tf1``: a migrated Keras script must run on
TensorFlow's own TF2 behaviour. It records whether anything else did (that
module in ``sys.modules``, or eager execution switched off).

usage: python -m tests.migrate.run_keras PART COURSE_FOLDER OUTPUT_FOLDER
Writes OUTPUT_FOLDER/migrated (with the executed notebooks) and, last,
OUTPUT_FOLDER/result.json: {"migration": {"status", "stdout", "stderr"}} and
for ``scripts`` {"scripts": {path: {"stdout", "error", "cpu_seconds"}},
"tf1_mode": bool}, for ``notebooks`` {"notebooks": {path: {"error"}}}.
"""

import json
import pathlib
import sys
import time

from tests.background import write_file
from tests.migrate.run_course import migrate, run_as_main

RESULT = "result.json"
SEED = 777
# The notebooks are the scripts' code, cut into cells: their runs check that
# the migrated cells run in order, top to bottom; the scripts' runs, in full,
# check what training gives. So a notebook's `fit` trains at most this many
# epochs (every cell, callback and prediction still runs).
NOTEBOOK_EPOCHS = 2
CAP_EPOCHS = """import inspect
if not hasattr(keras.Model.fit, "uncapped"):  # once per kernel; %reset -f keeps the class
    def _capped_fit(self, *args, _fit=keras.Model.fit, _signature=inspect.signature(keras.Model.fit),
                    **kwargs):
        bound = _signature.bind(self, *args, **kwargs)
        bound.arguments["epochs"] = min(bound.arguments.get("epochs", 1), {epochs})
        return _fit(*bound.args, **bound.kwargs)
    _capped_fit.uncapped = keras.Model.fit
    keras.Model.fit = _capped_fit
"""


def run_script(path, cwd):
    import keras

    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    started = time.process_time()
    stdout, error = run_as_main(path, cwd, traceback_chars=2000)
    return {"stdout": stdout, "error": error, "cpu_seconds": time.process_time() - started}


def run_notebooks(paths, course, migrated):
    """Execute each notebook in one kernel; return {path: {"error"}}; executed copies replace them."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from labs.migrate.environment import run_environment
    from labs.migrate.environment import ThisPythonKernels

    results = {}
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=ThisPythonKernels())
    manager.start_kernel(env=run_environment(), cwd=str(course))
    try:
        for path in paths:
            notebook = nbformat.read(path, as_version=4)
            folder = course / path.relative_to(migrated).parent
            setup = nbformat.v4.new_code_cell(
                f"%reset -f\nimport os, keras\nos.chdir({str(folder)!r})\n"
                f"keras.backend.clear_session()\nkeras.utils.set_random_seed({SEED})\n"
                + CAP_EPOCHS.format(epochs=NOTEBOOK_EPOCHS)
            )
            notebook.cells.insert(0, setup)
            for _attempt in (1, 2):  # once more after a transport error between client and kernel
                client = NotebookClient(notebook, km=manager, timeout=600)
                error = None
                try:
                    client.execute()
                except CellExecutionError as failure:
                    error = f"{failure.ename}: {failure.evalue}"
                except Exception as failure:  # the kernel died, a cell timed out, or ZMQ failed
                    error = f"{type(failure).__name__}: {failure}"
                    continue
                break
            notebook.cells.pop(0)
            nbformat.write(notebook, path)
            results[str(path.relative_to(migrated))] = {"error": error}
    finally:
        manager.shutdown_kernel(now=True)
    return results


PARTS = ("scripts", "notebooks")


def main(part, course, output):
    if part not in PARTS:
        raise SystemExit(f"run_keras: PART must be one of {PARTS}, got {part!r}")
    course, output = pathlib.Path(course).resolve(), pathlib.Path(output).resolve()
    migrated = output / "migrated"
    result = {"migration": migrate(course, migrated)}
    if part == "scripts":
        import tensorflow as tf

        result["scripts"] = {
            str(path.relative_to(migrated)): run_script(path, course / path.relative_to(migrated).parent)
            for path in sorted(migrated.rglob("*.py"))
        }
        result["tf1_mode"] = "compat.tf1" in sys.modules or not tf.executing_eagerly()
    else:
        result["notebooks"] = run_notebooks(sorted(migrated.rglob("*.ipynb")), course, migrated)
    write_file(output / RESULT, json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])

"""v2 on another Keras backend than this process's, in a worker interpreter.

Keras reads `KERAS_BACKEND` once per process, and v1 needs TensorFlow, so
`run_lab(..., impl="v2", backend="jax")` from a TensorFlow process starts

    KERAS_BACKEND=jax JAX_ENABLE_X64=1 python -m labs.harness.backend_worker FOLDER

FOLDER holds `job.json` (lab, dtype, optimizer, iterations, steps per call)
and, when v2 starts from v1's weights, `initial.npz` (v1's initial variables,
`{TF1 name: array}`, computed here). The worker runs `run_v2_here`, prints
every recorded iteration as one JSON line on stdout (`{"iteration", "loss",
"text"}`, handed to `progress` here as it comes) and writes `result.json`
(the `LabResult`, exact floats). A worker that fails raises
`BackendWorkerError` here with the end of its error output.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from labs.harness.result import LabResult

STDERR_TAIL = 40


class BackendWorkerError(RuntimeError):
    """The worker interpreter of another backend failed."""


def worker_environment(backend):
    """This process's environment with Keras set to `backend` (and JAX's
    64-bit mode, which must be on before JAX starts)."""
    env = dict(os.environ, KERAS_BACKEND=backend)
    if backend == "jax":
        env["JAX_ENABLE_X64"] = "1"
    return env


def run_v2(backend, lab_id, dtype, *, initial_values=None, optimizer="own",
           iterations=None, steps_per_call=None, progress=None):
    """The `LabResult` of v2 of `lab_id` trained on `backend` in a worker."""
    job = {"lab_id": lab_id, "dtype": dtype, "optimizer": optimizer,
           "iterations": iterations, "steps_per_call": steps_per_call}
    with tempfile.TemporaryDirectory(prefix="lab12-backend-") as folder:
        folder = Path(folder)
        (folder / "job.json").write_text(json.dumps(job), encoding="utf-8")
        if initial_values is not None:
            np.savez(folder / "initial.npz", **initial_values)
        command = [sys.executable, "-m", "labs.harness.backend_worker",
                   str(folder)]
        with open(folder / "stderr.txt", "w+", encoding="utf-8") as stderr:
            with subprocess.Popen(command, stdout=subprocess.PIPE,
                                  stderr=stderr, text=True,
                                  env=worker_environment(backend)) as worker:
                for line in worker.stdout:
                    if progress is not None and line.startswith("{"):
                        report = json.loads(line)
                        progress(report["iteration"], report["loss"],
                                 report["text"])
            stderr.seek(0)
            errors = stderr.read()
        if worker.returncode != 0:
            tail = "\n".join(errors.splitlines()[-STDERR_TAIL:])
            raise BackendWorkerError(
                f"lab {lab_id} v2 on {backend} failed in its worker "
                f"(exit {worker.returncode}):\n{tail}")
        return LabResult.from_json(
            (folder / "result.json").read_text(encoding="utf-8"))


def _print_progress(iteration, loss, text):
    print(json.dumps({"iteration": int(iteration), "loss": float(loss),
                      "text": text}), flush=True)


def main(folder):
    from labs.harness.run import run_v2_here

    folder = Path(folder)
    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    initial = folder / "initial.npz"
    initial_values = None
    if initial.exists():
        with np.load(initial) as arrays:
            initial_values = {name: arrays[name] for name in arrays.files}
    result = run_v2_here(job["lab_id"], job["dtype"],
                         initial_values=initial_values,
                         optimizer=job["optimizer"],
                         iterations=job["iterations"],
                         steps_per_call=job["steps_per_call"],
                         progress=_print_progress)
    partial = folder / "result.json.partial"
    partial.write_text(result.to_json(), encoding="utf-8")
    partial.replace(folder / "result.json")


if __name__ == "__main__":
    main(sys.argv[1])

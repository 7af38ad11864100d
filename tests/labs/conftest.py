"""Shared runs of the labs: each (lab, form, dtype, options) trains once per
pytest session, however many tests look at it.

Wall time: right after collection, if selected tests need them,

* one worker interpreter (tests/labs/worker.py) trains every v1 lab, float32
  first, while this process trains the v2 forms; a test asking for a v1 run
  waits for the worker's result file;
* two more run every lab briefly under PYTHONHASHSEED=0 and 1, for
  test_determinism.py.

The v1 runs of the worker are the runs the harness makes in-process: the
determinism tests compare them, bit for bit, with short runs made elsewhere.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from labs.harness import registry

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# v2 as compared with v1: v1's initial weights, TF1's Adam step for step.
AGREEMENT = {"initial_weights": "v1", "optimizer": "tf1_adam"}

HASH_SEEDS = ("0", "1")
DETERMINISM_DTYPE = "float32"
DETERMINISM_ITERATIONS = 5
REPOSITORY = Path(__file__).resolve().parents[2]
TRAINING_LABS = registry.lab_ids("training")


def determinism_runs():
    runs = [f"12-0:v1:{DETERMINISM_DTYPE}"]
    for lab_id in TRAINING_LABS:
        runs += [f"{lab_id}:{impl}:{DETERMINISM_DTYPE}:"
                 f"{DETERMINISM_ITERATIONS}" for impl in ("v1", "v2")]
    return runs


class Worker:
    """A `tests.labs.worker` interpreter and the directory it writes to."""

    def __init__(self, runs, directory, hash_seed=None):
        from tests.labs.worker import result_path

        self.directory = directory
        self.paths = {run: result_path(directory, run) for run in runs}
        environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2",
                           PYTHONPATH=os.pathsep.join(filter(None, [
                               str(REPOSITORY), os.environ.get("PYTHONPATH")])))
        if hash_seed is not None:
            environment["PYTHONHASHSEED"] = hash_seed
        self.log = directory / "worker.log"
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.labs.worker", str(directory),
                 *runs], cwd=REPOSITORY, env=environment, stdout=log,
                stderr=subprocess.STDOUT)

    def result(self, run):
        """The `LabResult` of `run`, waiting for the worker to write it."""
        from labs.harness.result import LabResult

        path = self.paths[run]
        while not path.exists():
            if self.process.poll() is not None and not path.exists():
                pytest.fail(f"worker stopped (exit {self.process.returncode}) "
                            f"before {run}:\n{self.log.read_text()[-5000:]}")
            time.sleep(0.1)
        return LabResult.from_json(path.read_text())

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


class LabRuns:
    """`lab_runs(lab_id, impl, dtype, **run_lab_options)`, memoised; plain
    v1 runs come from the v1 worker when one is running."""

    def __init__(self):
        self._results = {}
        self.seconds = {}
        self.v1_worker = None

    def __call__(self, lab_id, impl, dtype, **options):
        from labs.harness import run_lab

        key = (lab_id, impl, dtype, tuple(sorted(options.items())))
        if key not in self._results:
            start = time.perf_counter()
            run = f"{lab_id}:{impl}:{dtype}"
            if (self.v1_worker is not None and not options
                    and run in self.v1_worker.paths):
                self._results[key] = self.v1_worker.result(run)
            else:
                self._results[key] = run_lab(lab_id, impl, dtype, **options)
            self.seconds[key] = time.perf_counter() - start
        return self._results[key]

    def pair(self, lab_id, dtype):
        """(v1, v2 trained from v1's weights with TF1Adam)."""
        return (self(lab_id, "v1", dtype),
                self(lab_id, "v2", dtype, **AGREEMENT))


_LAB_RUNS = LabRuns()
_HASH_SEED_WORKERS = {}


@pytest.fixture(scope="session")
def lab_runs():
    return _LAB_RUNS


@pytest.fixture(scope="session")
def hash_seed_runs():
    """{PYTHONHASHSEED: {run: LabResult}} from the two workers."""
    if not _HASH_SEED_WORKERS:
        pytest.fail("the PYTHONHASHSEED workers were not started")
    return {seed: {run: worker.result(run) for run in worker.paths}
            for seed, worker in _HASH_SEED_WORKERS.items()}


def pytest_collection_finish(session):
    selected = [item for item in session.items
                if item.nodeid.startswith("tests/labs/")]
    if any("hash_seed_runs" in getattr(item, "fixturenames", ())
           for item in selected):
        for seed in HASH_SEEDS:
            _HASH_SEED_WORKERS[seed] = Worker(
                determinism_runs(),
                Path(tempfile.mkdtemp(prefix=f"lab12-hash{seed}-")),
                hash_seed=seed)
    runs = v1_runs_needed(selected)
    if runs:
        _LAB_RUNS.v1_worker = Worker(
            runs, Path(tempfile.mkdtemp(prefix="lab12-v1-")))


def v1_runs_needed(items):
    """The v1 runs the selected tests may ask `lab_runs` for, float32 first:
    those named by their `lab_id` and `dtype` parameters, or all of them when
    a test using `lab_runs` does not name both."""
    wanted = set()
    everything = {(lab_id, dtype) for lab_id in TRAINING_LABS
                  for dtype in ("float32", "float64")}
    for item in items:
        if "lab_runs" not in getattr(item, "fixturenames", ()):
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("lab_id") in TRAINING_LABS and "dtype" in params:
            wanted.add((params["lab_id"], params["dtype"]))
        else:
            wanted = everything
            break
    return [f"{lab_id}:v1:{dtype}" for dtype in ("float32", "float64")
            for lab_id in TRAINING_LABS if (lab_id, dtype) in wanted]


def pytest_unconfigure(config):
    workers = list(_HASH_SEED_WORKERS.values())
    if _LAB_RUNS.v1_worker is not None:
        workers.append(_LAB_RUNS.v1_worker)
    for worker in workers:
        worker.stop()
    _HASH_SEED_WORKERS.clear()
    _LAB_RUNS.v1_worker = None


def pytest_terminal_summary(terminalreporter):
    if not _LAB_RUNS.seconds:
        return
    terminalreporter.section(
        "lab runs: seconds until available (v1: waiting for the worker)")
    for (lab_id, impl, dtype, options), seconds in sorted(
            _LAB_RUNS.seconds.items(), key=lambda item: -item[1]):
        described = ", ".join(f"{k}={v}" for k, v in options)
        terminalreporter.write_line(
            f"{seconds:7.1f}  {lab_id:5} {impl} {dtype} {described}")

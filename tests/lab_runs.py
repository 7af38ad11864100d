"""Shared runs of the labs: each (lab, form, dtype, options) trains once per
test run, however many tests in whichever package look at it (the fixtures
`lab_runs` and `short_runs`, and the hooks below, are tests/conftest.py's).

Right after collection, if selected tests need them, worker interpreters
(tests/labs/worker.py, started through tests/background.py) make the runs
while the rest of the suite is tested:

* "v1 lab runs" and "v2 lab runs", under PYTHONHASHSEED=1, make the golden
  runs (`labs.harness.golden.run_options`: v1, and v2 from v1's initial
  weights with TF1's Adam) of every lab and dtype the selected tests name,
  float32 first, and the runs test_determinism.py compares;
* "short lab runs", under PYTHONHASHSEED=0, runs every lab briefly, for
  test_determinism.py.

Which runs a test reads: those `runs_read(item)` names, from the test's
`reads_runs` marker, `@pytest.mark.reads_runs(function)`, where
`function(**params)` returns the `run_name`s it reads for its parameters;
without the marker, the golden runs of the (lab, dtype) pairs its `lab_id`
and `dtype` parameters name, or of every pair.

A test asking `lab_runs` for a run a worker makes waits for it; any other run
is made in this process.
"""

import os
import time

from labs.harness import golden, registry
from tests.background import Children
from tests.labs.worker import parse, result_file, run_name

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# v2 as compared with v1: v1's initial weights, TF1's Adam step for step.
AGREEMENT = {"initial_weights": "v1", "optimizer": "tf1_adam"}

LAB_RUNS_HASH_SEED = "1"
SHORT_RUNS_HASH_SEED = "0"
DETERMINISM_DTYPE = "float32"
DETERMINISM_ITERATIONS = 5
DTYPES = ("float32", "float64")
TRAINING_LABS = registry.lab_ids("training")


def determinism_runs():
    """The short runs: v1 of every sections lab (no iterations) and 5
    iterations of every training lab, both forms."""
    runs = [run_name(lab_id, "v1", DETERMINISM_DTYPE)
            for lab_id in registry.lab_ids("sections")]
    for lab_id in TRAINING_LABS:
        runs += [run_name(lab_id, impl, DETERMINISM_DTYPE,
                          {"iterations": DETERMINISM_ITERATIONS})
                 for impl in ("v1", "v2")]
    return runs


def full_run_of(short_run):
    """The run a short run is compared with under the other hash seed: the
    full-length run it begins (v1, whose full runs are made anyway), or
    itself."""
    lab_id, impl, dtype, options = parse(short_run)
    if impl == "v1":
        options.pop("iterations", None)
    return run_name(lab_id, impl, dtype, options)


def golden_runs(lab_id, dtype):
    runs = []
    for impl in golden.IMPLS:
        options = golden.run_options(lab_id, impl)
        runs.append(run_name(lab_id, options.pop("impl"), dtype, options))
    return runs


def worker_cost(runs):
    """The CPU seconds a worker making `runs` is expected to take: a start
    (TensorFlow's import) and each run's `labs.harness.pool.expected_cost`,
    whose units come to about a millisecond (float64 about twice float32);
    the queue of children only needs their order (tests/background.py)."""
    from labs.harness.pool import Job, expected_cost

    seconds = 4.0
    for run in runs:
        lab_id, impl, dtype, options = parse(run)
        share = options.get("iterations", registry.get(lab_id).iterations) / max(
            registry.get(lab_id).iterations, 1)
        seconds += 0.5 + share * expected_cost(Job(lab_id, impl, dtype)) / 1000 * (
            2 if dtype == "float64" else 1)
    return seconds


class Worker:
    """A tests/labs/worker.py child making `runs`, in order, under
    PYTHONHASHSEED=`hash_seed`."""

    def __init__(self, name, runs, hash_seed):
        self.runs = tuple(runs)
        self.hash_seed = hash_seed
        self.child = _CHILDREN.start(
            name, lambda directory: ["-m", "tests.labs.worker", directory,
                                     *self.runs],
            {"PYTHONHASHSEED": hash_seed}, cost=worker_cost(self.runs))

    def result(self, run):
        """The `LabResult` of `run`, once the worker has written it."""
        from labs.harness.result import LabResult

        return LabResult.from_json(
            self.child.wait_for(result_file(run)).read_text())


class LabRuns:
    """`lab_runs(lab_id, impl, dtype, **run_lab_options)`, memoised; from a
    worker when one makes the run."""

    def __init__(self):
        self._results = {}
        self.seconds = {}
        self.workers = []

    def __call__(self, lab_id, impl, dtype, **options):
        from labs.harness import run_lab

        run = run_name(lab_id, impl, dtype, options)
        if run not in self._results:
            start = time.perf_counter()
            worker = self.worker_of(run)
            self._results[run] = (
                worker.result(run) if worker is not None
                else run_lab(lab_id, impl, dtype, **options))
            self.seconds[run] = time.perf_counter() - start
        return self._results[run]

    def pair(self, lab_id, dtype):
        """(v1, v2 trained from v1's weights with TF1Adam)."""
        return (self(lab_id, "v1", dtype),
                self(lab_id, "v2", dtype, **AGREEMENT))

    def hash_seed(self, run):
        """The PYTHONHASHSEED `run` is made under (None: random)."""
        worker = self.worker_of(run)
        if worker is not None:
            return worker.hash_seed
        return os.environ.get("PYTHONHASHSEED")

    def worker_of(self, run):
        return next((w for w in self.workers if run in w.runs), None)


_CHILDREN = Children()
_LAB_RUNS = LabRuns()
_SHORT_RUNS = {}


def lab_runs():
    return _LAB_RUNS


def start_short_runs():
    if "worker" not in _SHORT_RUNS:
        _SHORT_RUNS["worker"] = Worker("short lab runs", determinism_runs(),
                                       SHORT_RUNS_HASH_SEED)
    return _SHORT_RUNS["worker"]


def short_runs():
    """The worker making `determinism_runs()` under PYTHONHASHSEED=0."""
    return start_short_runs()  # already started, unless not selected at collection


def start_workers(items):
    """Right after collection: the workers making the runs `items` read."""
    using = {fixture: [item for item in items if fixture in getattr(item, "fixturenames", ())]
             for fixture in ("lab_runs", "short_runs")}
    runs = [run for item in using["lab_runs"] if _marker(item) for run in runs_read(item)]
    plain = [item for item in using["lab_runs"] if not _marker(item)]
    runs += [run for lab_id, dtype in labs_and_dtypes_named(plain)
             for run in golden_runs(lab_id, dtype)]
    if using["short_runs"]:
        start_short_runs()
        runs += [full_run_of(run) for run in determinism_runs()]
    runs = sorted(dict.fromkeys(runs),
                  key=lambda run: DTYPES.index(parse(run)[2]))
    for impl in ("v1", "v2"):
        mine = [run for run in runs if parse(run)[1] == impl]
        if mine:
            _LAB_RUNS.workers.append(
                Worker(f"{impl} lab runs", mine, LAB_RUNS_HASH_SEED))


def _marker(item):
    return item.get_closest_marker("reads_runs")


def runs_read(item):
    """The run names a test with a `reads_runs` marker reads."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    return list(_marker(item).args[0](**params))


def labs_and_dtypes_named(items):
    """The (lab_id, dtype) pairs tests using `lab_runs` may ask runs of:
    those their `lab_id` and `dtype` parameters name, or every pair when a
    test does not name both."""
    every = [(lab_id, dtype) for dtype in DTYPES
             for lab_id in registry.lab_ids()]
    named = set()
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "lab_id" not in params or "dtype" not in params:
            return every
        named.add((params["lab_id"], params["dtype"]))
    return [pair for pair in every if pair in named]


def forget():
    _CHILDREN.forget()
    _LAB_RUNS.workers.clear()
    _SHORT_RUNS.clear()


def summary(terminalreporter):
    if not _LAB_RUNS.seconds:
        return
    terminalreporter.section("lab runs: seconds until available")
    for run, seconds in sorted(_LAB_RUNS.seconds.items(),
                               key=lambda item: -item[1]):
        worker = _LAB_RUNS.worker_of(run)
        made_by = worker.child.name if worker is not None else "this process"
        terminalreporter.write_line(f"{seconds:7.1f}  {run} ({made_by})")

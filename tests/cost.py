"""Where a test run's time goes, written as JSON for benchmarks/suite_cost.py.

With ``$LAB12_SUITE_COST`` set to a file name, the run's own process (plain
pytest, or pytest-xdist's controller) writes there when the run ends:

* ``wall_seconds``: from the start of the session to its end;
* ``workers``: how many processes ran tests (1 without xdist);
* ``pytest_cpu_seconds``: CPU time of the processes that ran tests, each
  read by itself (``RUSAGE_SELF``) when its session finished, so no child's
  time is in it;
* ``children``: each background child (tests/background.py) with its wall
  and CPU seconds (its whole process tree: kernels and scripts included) and
  the seconds tests waited for it;
* ``tests``: every test's setup + call + teardown seconds, by node id.

A worker's CPU reading goes to a file in the run's children's directory,
which its controller reads.
"""

import json
import os
import resource
import time
from collections import defaultdict
from pathlib import Path

from tests import background

VARIABLE = "LAB12_SUITE_COST"
_USAGE_PREFIX = "pytest-cpu."

_RUN = {"durations": defaultdict(float)}


def wanted():
    return bool(os.environ.get(VARIABLE))


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def session_started():
    _RUN["started"] = time.monotonic()


def test_reported(report):
    _RUN["durations"][report.nodeid] += report.duration


def worker_finished(worker_id):
    """In an xdist worker: its own CPU time, for the controller."""
    background.write_file(background.session_directory() / f"{_USAGE_PREFIX}{worker_id}",
                          str(own_cpu_seconds()))


def write(workers):
    """In the run's own process, at its end: the JSON of the module."""
    directory = background.session_directory()
    worker_seconds = [float(path.read_text()) for path in directory.glob(f"{_USAGE_PREFIX}*")
                      if not path.name.endswith(".partial")]
    children = []
    for child in background.session_children():
        record = child.exit_record() or {}
        children.append({"name": child.name, "wall_seconds": record.get("seconds"),
                         "cpu_seconds": child.cpu_seconds(), "waited_seconds": sum(child.waits())})
    data = {
        "wall_seconds": time.monotonic() - _RUN["started"],
        "workers": workers,
        "pytest_cpu_seconds": own_cpu_seconds() + sum(worker_seconds),
        "children": children,
        "tests": dict(sorted(_RUN["durations"].items())),
    }
    background.write_file(Path(os.environ[VARIABLE]), json.dumps(data, indent=1))

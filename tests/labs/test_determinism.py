"""Runs do not depend on Python's string hashing, nor on where they run.

The course built vocabularies with `list(set(text))`, so its losses changed
with PYTHONHASHSEED. A worker interpreter under PYTHONHASHSEED=0 runs every
lab briefly; the workers that make the suite's lab runs, under
PYTHONHASHSEED=1, must compute the same bits (JSON floats are exact): the
same short v2 runs and the sections labs, and full-length v1 runs that
begin with the short ones. And every process that imports `labs` runs
TensorFlow with one inter-op thread unless told otherwise.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tests.background import REPOSITORY
from tests.lab_runs import (DETERMINISM_ITERATIONS, determinism_runs,
                                 full_run_of)
from tests.labs.worker import parse


def computed(result):
    """A result's JSON without the versions: what the run computed."""
    data = result.to_dict()
    del data["versions"]
    return json.dumps(data, sort_keys=True)


def under_another_hash_seed(lab_runs, short_runs, run):
    """`run` as made under a PYTHONHASHSEED other than the short runs'."""
    if lab_runs.hash_seed(run) == short_runs.hash_seed:
        pytest.fail(f"{run} is made under PYTHONHASHSEED="
                    f"{short_runs.hash_seed} too: nothing to compare")
    lab_id, impl, dtype, options = parse(run)
    return lab_runs(lab_id, impl, dtype, **options)


@pytest.mark.parametrize("run", [run for run in determinism_runs()
                                 if full_run_of(run) == run])
def test_bit_identical_across_hash_seeds(lab_runs, short_runs, run):
    assert computed(short_runs.result(run)) == computed(
        under_another_hash_seed(lab_runs, short_runs, run))


@pytest.mark.parametrize("run", [run for run in determinism_runs()
                                 if full_run_of(run) != run])
def test_short_runs_begin_the_full_runs(lab_runs, short_runs, run):
    """A 5-iteration run is the start of the 50- to 3000-iteration run."""
    short = short_runs.result(run)
    full = under_another_hash_seed(lab_runs, short_runs, full_run_of(run))
    np.testing.assert_array_equal(short.losses,
                                  full.losses[:DETERMINISM_ITERATIONS])
    assert short.vocabulary == full.vocabulary
    for record in short.records:
        if record.iteration == DETERMINISM_ITERATIONS:
            continue  # "after update 5", not recorded by the full run
        reference = full.record_at(record.iteration)
        np.testing.assert_array_equal(record.indices, reference.indices)
        np.testing.assert_array_equal(record.margins, reference.margins)
        assert record.text == reference.text


@pytest.mark.parametrize("setting, expected", [(None, "1"), ("3", "3")])
def test_labs_sets_one_inter_op_thread_unless_told(setting, expected):
    """Repeated Keras runs on Keras 3.3-3.8 differ by ulps with TensorFlow's
    default inter-op pool (labs/__init__.py); an explicit setting wins."""
    env = {key: value for key, value in os.environ.items()
           if key != "TF_NUM_INTEROP_THREADS"}
    if setting is not None:
        env["TF_NUM_INTEROP_THREADS"] = setting
    env["PYTHONPATH"] = str(REPOSITORY)
    result = subprocess.run(
        [sys.executable, "-c",
         "import os, labs; print(os.environ['TF_NUM_INTEROP_THREADS'])"],
        cwd=REPOSITORY, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected

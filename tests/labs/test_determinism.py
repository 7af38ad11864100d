"""Runs do not depend on Python's string hashing, nor on where they run.

The course built vocabularies with `list(set(text))`, so its losses changed
with PYTHONHASHSEED. A worker interpreter under PYTHONHASHSEED=0 runs every
lab briefly; the workers that make the suite's lab runs, under
PYTHONHASHSEED=1, must compute the same bits (JSON floats are exact): the
same short v2 runs and the sections labs, and full-length v1 runs that
begin with the short ones.
"""

import json

import numpy as np
import pytest

from tests.labs.conftest import (DETERMINISM_ITERATIONS, determinism_runs,
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

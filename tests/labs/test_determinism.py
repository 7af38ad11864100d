"""Runs do not depend on Python's string hashing, nor on where they run.

The course built vocabularies with `list(set(text))`, so its losses changed
with PYTHONHASHSEED. Two fresh interpreters, PYTHONHASHSEED=0 and 1, run
every lab briefly, concurrently (started by conftest.py right after
collection); their results must be bit-identical (JSON floats are exact).
The full-length v1 runs, made by a third interpreter with yet another hash
seed, must begin with the same numbers.
"""

import json

import numpy as np
import pytest

from labs.harness import registry
from tests.labs.conftest import (DETERMINISM_DTYPE, DETERMINISM_ITERATIONS,
                                 HASH_SEEDS, determinism_runs)


def computed(result):
    """A result's JSON without the versions: what the run computed."""
    data = result.to_dict()
    del data["versions"]
    return json.dumps(data, sort_keys=True)


@pytest.mark.parametrize("run", determinism_runs())
def test_bit_identical_across_hash_seeds(hash_seed_runs, run):
    first, second = (hash_seed_runs[seed][run] for seed in HASH_SEEDS)
    assert computed(first) == computed(second)


@pytest.mark.parametrize("lab_id", registry.lab_ids("training"))
def test_short_runs_begin_the_full_runs(hash_seed_runs, lab_runs, lab_id):
    """A 5-iteration run is the start of the 50- to 3000-iteration run."""
    short = hash_seed_runs[HASH_SEEDS[0]][
        f"{lab_id}:v1:{DETERMINISM_DTYPE}:{DETERMINISM_ITERATIONS}"]
    full = lab_runs(lab_id, "v1", DETERMINISM_DTYPE)
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

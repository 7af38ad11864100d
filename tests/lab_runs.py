"""The golden runs of every lab, each computed once per test session.

Agreement tests, golden tests and the results summaries all judge the same
runs (v1 as published; v2 from v1's initial weights with TF1Adam), so they
share this cache instead of training each lab several times.
"""

import functools

from labs.harness import golden
from labs.harness.run import run_lab


@functools.lru_cache(maxsize=None)
def golden_run(lab_id, dtype, impl):
    """The `LabResult` of the golden run `impl` of `lab_id` in `dtype`."""
    return run_lab(lab_id, dtype=dtype, **golden.run_options(lab_id, impl))

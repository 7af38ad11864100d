"""Everything that is not course material: the lab registry, seeding, the two
training loops, weight transfer plans, the structured `LabResult`.

    from labs.harness import run_lab
    result = run_lab("12-1", impl="v1", dtype="float32")
"""

from labs.harness.registry import lab_ids
from labs.harness.result import LabResult, PredictionRecord
from labs.harness.run import run_lab, run_module

__all__ = ["LabResult", "PredictionRecord", "lab_ids", "run_lab", "run_module"]

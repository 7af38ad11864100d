"""`LabResult`: one JSON-safe record per run, exact in both float dtypes, and
the lab modules' own entry points."""

import json

import numpy as np
import pytest

from labs.harness import LabResult, run_lab, run_module
from labs.harness.result import SCHEMA_VERSION


@pytest.mark.parametrize("lab_id", ("12-4", "12-5", "12-7"))
@pytest.mark.parametrize("dtype", ("float32", "float64"))
def test_json_round_trip_is_exact(lab_runs, lab_id, dtype):
    result = lab_runs(lab_id, "v1", dtype)
    text = result.to_json()
    back = LabResult.from_json(text)
    assert back.to_json() == text
    assert back.losses.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(back.losses, result.losses)
    assert back.losses.tobytes() == result.losses.tobytes()
    for name, array in result.arrays.items():
        assert back.arrays[name].tobytes() == array.tobytes()
    for a, b in zip(result.records, back.records):
        assert a.margins.tobytes() == b.margins.tobytes()
        np.testing.assert_array_equal(a.indices, b.indices)
    assert back.shapes == result.shapes and back.metrics == result.metrics


def test_json_names_its_schema_and_refuses_others(lab_runs):
    data = json.loads(lab_runs("12-1", "v1", "float32").to_json())
    assert (data["schema"], data["schema_version"]) == \
        ("lab12.LabResult", SCHEMA_VERSION)
    assert set(data["versions"]) == {"python", "numpy", "tensorflow", "keras"}
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(ValueError, match="schema_version"):
        LabResult.from_dict(data)


def test_losses_are_pre_update_and_final_is_after_the_last(lab_runs):
    """Record i holds the logits of iteration i's forward pass: its argmax
    loss is that iteration's loss; the final record is one update later."""
    result = lab_runs("12-1", "v1", "float64")
    assert [r.iteration for r in result.records] == list(range(51))
    assert result.final_record.iteration == result.iterations == 50
    assert result.metrics["final_loss"] < result.losses[-1]


@pytest.mark.parametrize("arguments, message", [
    (dict(lab_id="12-9"), "lab_id"),
    (dict(lab_id="12-1", impl="v3"), "impl"),
    (dict(lab_id="12-1", dtype="float16"), "dtype"),
    (dict(lab_id="12-1", dtype=None), "dtype"),
    (dict(lab_id="12-1", initial_weights="v3"), "initial_weights"),
    (dict(lab_id="12-1", impl="v1", optimizer="tf1_adam"), "impl='v2' only"),
    (dict(lab_id="12-1", iterations=0), "iterations"),
    (dict(lab_id="12-1", impl="v1", steps_per_call=5), "steps_per_call"),
    (dict(lab_id="12-0", iterations=3), "does not train"),
    (dict(lab_id="12-1", impl="v1", backend="jax"), "impl='v2' only"),
    (dict(lab_id="12-1", impl="v2", backend="mxnet"), "backend must be"),
])
def test_run_lab_rejects_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        run_lab(**arguments)


def test_run_module_prints_the_course_loop(capsys):
    result = run_module("labs.yeonjee_rnn.v1", ["--dtype", "float64"])
    lines = capsys.readouterr().out.splitlines()
    progress = [line for line in lines if " loss: " in line]
    assert len(progress) == result.iterations + 1  # every iteration + final
    first = progress[0].split()
    assert first[:2] == ["0", "loss:"]
    assert float(first[2]) == result.losses[0]
    assert progress[-1].endswith(f"Prediction: {result.final_record.text}")
    assert result.final_record.text == "eonjee"


def test_a_backend_worker_that_fails_is_named_with_its_error():
    from labs.harness.backend_worker import BackendWorkerError, run_v2

    # A lab id only the worker checks: it fails there, not here.
    with pytest.raises(BackendWorkerError,
                       match=r"(?s)lab 12-9 v2 on tensorflow failed.*lab_id"):
        run_v2("tensorflow", "12-9", "float32")

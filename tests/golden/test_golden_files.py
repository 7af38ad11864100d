"""Goldens under attack: truncated, wrong schema, unknown lab, NaN, CI,
interrupted writes. None of these tests runs a lab or TensorFlow: the golden
is built from synthetic `LabResult`s."""

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from labs.harness import golden
from labs.harness.diff import update_goldens
from labs.harness.result import LabResult, PredictionRecord
from labs.harness.verdict import compare

LAB = "12-1"
VOCABULARY = ("h", "i", "e", "l", "o")


def fake_result(dtype, impl, shift=0.0, flip=False):
    losses = np.linspace(1.6, 0.1, 5).astype(dtype) + dtype_type(dtype)(shift)
    indices = np.array([[1, 0, 2, 3, 3, 4]])
    if flip:
        indices = indices.copy()
        indices[0, 0] = 0
    margins = np.full(indices.shape, 0.5)
    records = tuple(
        PredictionRecord(i, indices, "".join(VOCABULARY[j] for j in indices[0]),
                         margins) for i in range(6))
    return LabResult(
        lab_id=LAB, impl=impl, dtype=dtype, kind="training",
        initial_weights="v1", optimizer="adam", iterations=5, losses=losses,
        records=records, shapes={"logits": (1, 6, 5)},
        metrics={"final_loss": float(losses[-1]) - 0.05}, arrays={},
        vocabulary=VOCABULARY, versions={"tensorflow": "2.21.0"})


def dtype_type(dtype):
    return np.dtype(dtype).type


def fake_results(**kwargs):
    return {(dtype, impl): fake_result(dtype, impl, **kwargs)
            for dtype in golden.DTYPES for impl in golden.IMPLS}


@pytest.fixture
def golden_dir(tmp_path):
    path = tmp_path / "golden"
    path.mkdir()
    (path / f"{LAB}.json").write_text(
        golden.dumps(golden.build(LAB, fake_results())))
    return path


def test_round_trip_matches_its_own_results(golden_dir):
    data = golden.load(LAB, golden_dir)
    for dtype in golden.DTYPES:
        for impl in golden.IMPLS:
            assert golden.check_result(fake_result(dtype, impl), data).ok


def test_drift_beyond_the_tolerance_fails(golden_dir):
    data = golden.load(LAB, golden_dir)
    comparison = golden.check_result(fake_result("float64", "v1", shift=1e-6),
                                     data)
    assert not comparison.ok
    assert "losses" in comparison.problems()[0]
    within = golden.check_result(fake_result("float64", "v1", shift=1e-11),
                                 data)
    assert within.ok


def test_a_changed_confident_prediction_fails(golden_dir):
    data = golden.load(LAB, golden_dir)
    comparison = golden.check_result(fake_result("float32", "v2", flip=True),
                                     data)
    assert [m[1] for m in comparison.prediction_mismatches] == [1] * 6


def test_missing_golden_names_the_command(tmp_path):
    with pytest.raises(golden.GoldenError,
                       match=r"python -m labs golden update 12-1"):
        golden.load(LAB, tmp_path)


def test_truncated_golden_names_the_command(golden_dir):
    path = golden_dir / f"{LAB}.json"
    path.write_text(path.read_text()[:200])
    with pytest.raises(golden.GoldenError,
                       match=r"not a valid golden.*python -m labs golden "
                             r"update 12-1"):
        golden.load(LAB, golden_dir)


def edit(golden_dir, change):
    path = golden_dir / f"{LAB}.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_wrong_schema_version_is_refused(golden_dir):
    edit(golden_dir, lambda data: data.update(schema_version=99))
    with pytest.raises(golden.GoldenError,
                       match=r"schema_version 99 .*golden update 12-1"):
        golden.load(LAB, golden_dir)


def test_golden_of_another_lab_is_refused(golden_dir):
    edit(golden_dir, lambda data: data.update(lab_id="12-9"))
    with pytest.raises(golden.GoldenError, match=r"holds lab '12-9'"):
        golden.load(LAB, golden_dir)


def test_golden_for_an_unknown_lab_is_refused(golden_dir):
    (golden_dir / "12-9.json").write_text(
        (golden_dir / f"{LAB}.json").read_text())
    with pytest.raises(ValueError, match=r"lab_id must be one of"):
        golden.load("12-9", golden_dir)


def test_nan_in_a_trajectory_is_refused(golden_dir):
    path = golden_dir / f"{LAB}.json"
    data = json.loads(path.read_text())
    data["runs"]["float32"]["v1"]["losses"][2] = float("nan")
    path.write_text(json.dumps(data))  # json writes NaN as a bare token
    with pytest.raises(golden.GoldenError, match=r"non-finite number NaN"):
        golden.load(LAB, golden_dir)


def test_a_nan_in_a_run_never_passes(golden_dir):
    data = golden.load(LAB, golden_dir)
    result = fake_result("float64", "v1")
    result.losses[3] = np.nan
    assert not golden.check_result(result, data).ok


def test_update_is_refused_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(golden.GoldenError, match=r"refusing to write goldens"):
        golden.refuse_in_ci()


def test_cli_update_is_refused_under_ci(tmp_path):
    environment = dict(os.environ, CI="true", LAB12_GOLDEN_DIR=str(tmp_path))
    completed = subprocess.run(
        [sys.executable, "-m", "labs", "golden", "update", LAB],
        capture_output=True, text=True, env=environment, timeout=120)
    assert completed.returncode == 2
    assert "refusing to write goldens" in completed.stderr
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_leaves_the_old_file_and_no_partial(
        golden_dir, monkeypatch):
    path = golden_dir / f"{LAB}.json"
    before = path.read_bytes()

    def interrupted(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        golden.write_atomically(path, "{}")
    assert path.read_bytes() == before
    assert sorted(p.name for p in golden_dir.iterdir()) == [f"{LAB}.json"]


def test_update_reports_changes_and_skips_unchanged(golden_dir, monkeypatch,
                                                    capsys):
    monkeypatch.delenv("CI", raising=False)
    shifted = fake_results(shift=0.25)
    monkeypatch.setattr("labs.harness.diff.run_golden_forms",
                        lambda lab_id, dtype: {impl: shifted[dtype, impl]
                                               for impl in golden.IMPLS})
    update_goldens([LAB], directory=golden_dir)
    out = capsys.readouterr().out
    assert "float32/v1: losses change" in out
    assert "written" in out
    reread = golden.load(LAB, golden_dir)
    assert reread["runs"]["float64"]["v1"]["losses"][0] == pytest.approx(1.85)
    update_goldens([LAB], directory=golden_dir)
    assert "unchanged" in capsys.readouterr().out


def test_shapes_are_compared_exactly(golden_dir):
    data = golden.load(LAB, golden_dir)
    result = fake_result("float32", "v1")
    reshaped = LabResult(**{**result.__dict__, "shapes": {"logits": (1, 6, 4)}})
    comparison = golden.check_result(reshaped, data)
    assert comparison.shape_mismatches
    assert not compare(result, golden.reference(
        data["runs"]["float32"]["v1"], data["vocabulary"]),
        golden.tolerances.tolerance(LAB, "float32")).shape_mismatches


def test_past_the_horizon_only_the_course_of_the_trajectory_counts():
    from labs.harness.tolerances import Tolerance
    from labs.harness.verdict import Reference

    reference_run = fake_result("float64", "v1")
    reference = Reference.of(reference_run)
    chaotic = Tolerance(loss_rtol=1e-9, loss_atol=0.0, metric_rtol=1e-9,
                        margin=1e-9, horizon=3, tail_rtol=0.05)
    drifted = fake_result("float64", "v1")
    drifted.losses[3:] *= 1.01
    assert compare(drifted, reference, chaotic).ok
    assert not compare(drifted, reference,
                       dataclasses.replace(chaotic, horizon=None)).ok
    drifted.losses[4] *= 1.1
    comparison = compare(drifted, reference, chaotic)
    assert [d.name for d in comparison.deviations if not d.ok] == [
        "losses after iteration 3"]
    drifted.losses[1] *= 1 + 1e-8
    assert "losses" in [d.name for d in compare(drifted, reference,
                                                chaotic).deviations
                        if not d.ok]


def test_final_arrays_are_judged_only_without_a_horizon_inside_the_run():
    """Arrays come after the last update: past a horizon, like predictions,
    they are not judged; a missing one always is."""
    from labs.harness.tolerances import Tolerance
    from labs.harness.verdict import Reference

    def with_arrays(arrays):
        run = fake_result("float64", "v1")
        return LabResult(**{**run.__dict__, "arrays": arrays})

    reference = Reference.of(with_arrays({"test_predictions": np.array(
        [[10, 11], [12, 13]])}))
    flipped = with_arrays({"test_predictions": np.array([[10, 11],
                                                         [12, 19]])})
    chaotic = Tolerance(loss_rtol=1e-9, loss_atol=0.0, metric_rtol=1e-9,
                        margin=1e-9, horizon=3, tail_rtol=0.05)
    assert compare(flipped, reference, chaotic).ok
    for pointwise in (None, 5):
        comparison = compare(flipped, reference,
                             dataclasses.replace(chaotic, horizon=pointwise))
        assert [d.name for d in comparison.deviations if not d.ok] == [
            "arrays/test_predictions"]
    assert compare(with_arrays({}), reference, chaotic).missing


def test_forms_are_compared_on_the_shapes_both_name():
    from labs.harness.verdict import compare_forms

    v1 = fake_result("float32", "v1")
    v1 = LabResult(**{**v1.__dict__, "shapes": {**v1.shapes,
                                                "rnn_outputs": (1, 6, 5)}})
    v2 = fake_result("float32", "v2")
    tolerance = golden.tolerances.tolerance(LAB, "float32")
    assert compare_forms(v1, v2, tolerance).ok
    reshaped = LabResult(**{**v2.__dict__, "shapes": {"logits": (1, 6, 4)}})
    assert compare_forms(v1, reshaped, tolerance).shape_mismatches


def result_with_arrays(arrays, dtype="float32", impl="v1"):
    result = fake_result(dtype, impl)
    return LabResult(**{**result.__dict__, "arrays": arrays})


ARRAYS = {"one_cell/outputs": np.array([[[0.25, -0.5]]], np.float32),
          "one_cell/state": np.array([[0.75, 0.125]], np.float32)}


@pytest.mark.parametrize("broken, problem", [
    ({**ARRAYS, "one_cell/state": ARRAYS["one_cell/state"] + np.float32(0.01)},
     "arrays/one_cell/state: worst"),
    ({**ARRAYS, "one_cell/state": ARRAYS["one_cell/state"].reshape(2, 1)},
     "shape of array one_cell/state: (2, 1) != (1, 2)"),
    ({"one_cell/outputs": ARRAYS["one_cell/outputs"]},
     "array one_cell/state is missing from the run"),
    ({**ARRAYS, "extra/outputs": np.zeros((1, 2), np.float32)},
     "array extra/outputs is in the run but not in the reference"),
], ids=["values", "shape", "missing", "unexpected"])
def test_every_array_is_judged(tmp_path, broken, problem):
    path = tmp_path / f"{LAB}.json"
    path.write_text(golden.dumps(golden.build(LAB, {
        (dtype, impl): result_with_arrays(ARRAYS, dtype, impl)
        for dtype in golden.DTYPES for impl in golden.IMPLS})))
    data = golden.load(LAB, tmp_path)
    assert golden.check_result(result_with_arrays(ARRAYS), data).ok
    comparison = golden.check_result(result_with_arrays(broken), data)
    assert not comparison.ok
    assert any(line.startswith(problem) for line in comparison.problems()), (
        comparison.problems())

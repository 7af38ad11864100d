"""`python -m labs diff` and `python -m labs golden check`, end to end through
the CLI, against a temporary golden folder with one value altered: they print
the failing check and exit 1; against an unaltered copy they exit 0.

The labs are not trained again here: the CLI's runs are the session's shared
runs (`lab_runs`), the very runs `labs.harness.diff.run_golden_forms` makes.
"""

import json

import pytest

from labs import cli
from labs.harness import golden
from tests.labs.test_goldens import golden_run

SECTIONS_LAB = "12-0"
TRAINING_LAB = "12-1"


@pytest.fixture(autouse=True)
def shared_runs(lab_runs, monkeypatch):
    def run_golden_forms(lab_id, dtype, backend=None):
        return {impl: golden_run(lab_runs, lab_id, dtype, impl)
                for impl in golden.IMPLS}

    monkeypatch.setattr("labs.harness.diff.run_golden_forms",
                        run_golden_forms)


def golden_folder(tmp_path, monkeypatch, lab_id, alter=None):
    """A copy of `lab_id`'s golden, passed through `alter(data)`, in a folder
    the CLI reads instead of golden/."""
    data = json.loads(golden.golden_path(lab_id).read_text(encoding="utf-8"))
    if alter is not None:
        alter(data)
    directory = tmp_path / "golden"
    directory.mkdir()
    (directory / f"{lab_id}.json").write_text(golden.dumps(data),
                                              encoding="utf-8")
    monkeypatch.setenv("LAB12_GOLDEN_DIR", str(directory))
    return directory


def run_cli(capsys, *argv):
    status = cli.main(list(argv))
    return status, capsys.readouterr().out


def break_arrays(dtype):
    """One array's value shifted, one reshaped, one dropped, one invented,
    in the golden v1 run of `dtype`."""

    def alter(data):
        arrays = data["runs"][dtype]["v1"]["arrays"]
        shifted, reshaped, dropped = list(arrays)[:3]
        arrays[shifted]["data"][0] += 1.0
        arrays[reshaped]["shape"] = [len(arrays[reshaped]["data"])]
        del arrays[dropped]
        arrays["invented/outputs"] = {"shape": [1], "data": [0.5]}
        return shifted, reshaped, dropped

    names = {}

    def record(data):
        names["shifted"], names["reshaped"], names["dropped"] = alter(data)

    return record, names


def expected_array_problems(names):
    return [f"arrays/{names['shifted']}: worst",
            f"shape of array {names['reshaped']}: ",
            f"array {names['dropped']} is in the run but not in the reference",
            "array invented/outputs is missing from the run"]


@pytest.mark.parametrize("dtype", ["float32"])
@pytest.mark.parametrize("lab_id", [SECTIONS_LAB])
def test_diff_fails_on_every_broken_array(tmp_path, monkeypatch, capsys,
                                          lab_id, dtype):
    alter, names = break_arrays(dtype)
    golden_folder(tmp_path, monkeypatch, lab_id, alter)
    status, out = run_cli(capsys, "diff", lab_id, "--dtype", dtype)
    assert status == cli.EXIT_FAILED, out
    assert " golden-v1: FAIL" in out
    assert " golden-v2: ok" in out
    for problem in expected_array_problems(names):
        assert problem in out, f"{problem!r} not in:\n{out}"
    assert f"FAILED: {lab_id}" in out


@pytest.mark.parametrize("dtype", golden.DTYPES)
@pytest.mark.parametrize("lab_id", [SECTIONS_LAB])
def test_golden_check_fails_on_every_broken_array(tmp_path, monkeypatch,
                                                  capsys, lab_id, dtype):
    alter, names = break_arrays(dtype)
    golden_folder(tmp_path, monkeypatch, lab_id, alter)
    status, out = run_cli(capsys, "golden", "check", lab_id)
    assert status == cli.EXIT_FAILED, out
    for problem in expected_array_problems(names):
        assert problem in out, f"{problem!r} not in:\n{out}"
    assert f"golden check: FAILED: {lab_id} {dtype} v1" in out


@pytest.mark.parametrize("dtype", ["float32"])
@pytest.mark.parametrize("lab_id", [TRAINING_LAB])
def test_diff_and_golden_check_fail_on_one_altered_loss(
        tmp_path, monkeypatch, capsys, lab_id, dtype):
    def alter(data):
        data["runs"][dtype]["v2"]["losses"][3] *= 1.01

    golden_folder(tmp_path, monkeypatch, lab_id, alter)
    status, out = run_cli(capsys, "diff", lab_id, "--dtype", dtype)
    assert status == cli.EXIT_FAILED, out
    assert " golden-v2: FAIL" in out
    assert "losses: worst" in out and " at 3 exceeds the tolerance" in out
    status, out = run_cli(capsys, "golden", "check", lab_id)
    assert status == cli.EXIT_FAILED, out
    assert f"golden check: FAILED: {lab_id} {dtype} v2" in out


@pytest.mark.parametrize("dtype", ["float32"])
@pytest.mark.parametrize("lab_id", [SECTIONS_LAB, TRAINING_LAB])
def test_unaltered_goldens_pass(tmp_path, monkeypatch, capsys, lab_id, dtype):
    golden_folder(tmp_path, monkeypatch, lab_id)
    status, out = run_cli(capsys, "diff", lab_id, "--dtype", dtype)
    assert status == cli.EXIT_OK, out
    assert "verdict: 1/1 labs agree" in out

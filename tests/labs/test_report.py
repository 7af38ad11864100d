"""`labs report`: one row per (TensorFlow, Keras) pair of the envs it merges."""

import json

from labs.cli import main
from labs.harness import report


def _summary(lab_id, tensorflow, keras, worst_relative, ok=True):
    environment = {"tensorflow": tensorflow, "python": "3.11.7"}
    if keras is not None:
        environment["keras"] = keras
    return {"schema": report.SCHEMA, "schema_version": report.SCHEMA_VERSION,
            "lab_id": lab_id, "environment": environment,
            "checks": {"float32/agreement": {
                "worst_relative": worst_relative, "worst": worst_relative,
                "ok": ok, "problems": []}}}


def test_report_shows_keras_beside_tensorflow(tmp_path, capsys):
    envs = {"tf221": ("2.21.0", "3.15.1", 1e-5), "tf216": ("2.16.2", "3.3.3", 2e-5),
            "tf216-newest": ("2.16.2", "3.15.1", 3e-5), "old": ("2.15.1", None, 4e-5)}
    for env, (tensorflow, keras, worst) in envs.items():
        (tmp_path / env).mkdir()
        (tmp_path / env / "12-1.json").write_text(
            json.dumps(_summary("12-1", tensorflow, keras, worst)))

    assert main(["report", *(str(tmp_path / env) for env in envs)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines()
            if line.startswith("| 2.")]
    # Sorted by TensorFlow, then Keras; a summary without Keras shows "?".
    assert rows == ["| 2.15.1 | ? | 4.0e-05 |",
                    "| 2.16.2 | 3.3.3 | 2.0e-05 |",
                    "| 2.16.2 | 3.15.1 | 3.0e-05 |",
                    "| 2.21.0 | 3.15.1 | 1.0e-05 |"]


def test_report_header_names_both_versions():
    table = report.merge([_summary("12-0", "2.19.1", "3.8.0", 0.0, ok=False)])
    lines = report.markdown(table).splitlines()
    assert lines[0] == "| TensorFlow | Keras | 12-0 |"
    assert lines[2] == "| 2.19.1 | 3.8.0 | 0.0e+00 FAIL (float32/agreement) |"

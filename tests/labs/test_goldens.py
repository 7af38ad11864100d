"""Every lab, both forms, both dtypes, against the goldens in golden/ on the
TensorFlow version under test: shapes exactly, trajectories, metrics and
confident predictions within the tolerances stored in the golden.

With LAB12_RESULTS_DIR set (tox sets it per env), the worst deviations of
every lab are written there for `python -m labs report`.
"""

import os

import pytest

from labs.harness import golden, registry, report, tolerances
from labs.harness.run import versions
from labs.harness.verdict import compare_forms

TF_VERSION = versions()["tensorflow"]


def golden_run(lab_runs, lab_id, dtype, impl):
    """The golden run `impl` of `lab_id`, from the session's shared runs."""
    options = golden.run_options(lab_id, impl)
    return lab_runs(lab_id, options.pop("impl"), dtype, **options)


def load_golden(lab_id):
    try:
        return golden.load(lab_id, tf_version=TF_VERSION)
    except golden.GoldenError as error:
        pytest.fail(str(error))


@pytest.mark.parametrize("impl", golden.IMPLS)
@pytest.mark.parametrize("dtype", golden.DTYPES)
@pytest.mark.parametrize("lab_id", registry.lab_ids())
def test_run_matches_golden(lab_runs, lab_id, dtype, impl):
    comparison = golden.check_result(golden_run(lab_runs, lab_id, dtype, impl),
                                     load_golden(lab_id))
    assert comparison.ok, "\n".join(comparison.problems())


def test_every_golden_file_is_a_known_lab():
    directory = golden.default_directory()
    names = {path.stem for path in directory.rglob("*.json")}
    unknown = names - set(registry.lab_ids())
    assert not unknown, (f"golden files for unknown labs in {directory}: "
                         f"{sorted(unknown)}")


@pytest.mark.skipif(not os.environ.get("LAB12_RESULTS_DIR"),
                    reason="LAB12_RESULTS_DIR not set (tox sets it)")
@pytest.mark.parametrize("lab_id", registry.lab_ids())
def test_write_results_summary(lab_runs, lab_id):
    data = load_golden(lab_id)
    comparisons = {}
    for dtype in golden.DTYPES:
        runs = {impl: golden_run(lab_runs, lab_id, dtype, impl)
                for impl in golden.IMPLS}
        comparisons[f"{dtype}/agreement"] = compare_forms(
            runs["v1"], runs["v2"], tolerances.tolerance(lab_id, dtype))
        for impl, result in runs.items():
            comparisons[f"{dtype}/golden-{impl}"] = golden.check_result(
                result, data)
    summary = report.summary(lab_id, golden.environment(), comparisons)
    path = report.write_summary(os.environ["LAB12_RESULTS_DIR"], summary)
    assert report.read_summaries([path])[0]["lab_id"] == lab_id

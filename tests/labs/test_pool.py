"""`labs.harness.pool`: runs made by worker interpreters are the runs made
here, bit for bit, and the pool's arguments are checked."""

import pytest

from labs.harness import run_lab
from labs.harness.pool import Job, expected_cost, run_jobs
from tests.labs.test_determinism import computed


def test_worker_runs_equal_runs_made_in_this_process():
    jobs = [Job("12-1", "v1", "float32"), Job("12-1", "v2", "float32"),
            Job("12-0", "v2", "float32")]
    runs = {job: result for job, result, _ in run_jobs(jobs, processes=2)}
    assert set(runs) == set(jobs)
    for job, result in runs.items():
        here = run_lab(job.lab_id, job.impl, job.dtype)
        assert (result.lab_id, result.impl, result.dtype) == (
            job.lab_id, job.impl, job.dtype)
        assert computed(result) == computed(here), job


def test_one_process_runs_in_the_given_order():
    jobs = [Job("12-0", "v1", "float32"), Job("12-0", "v2", "float32")]
    assert [job for job, _, _ in run_jobs(jobs)] == jobs


def test_long_labs_are_started_first():
    order = sorted((Job(lab_id, "v1", "float32") for lab_id in
                    ("12-0", "12-1", "12-3", "12-5", "12-4")),
                   key=expected_cost, reverse=True)
    assert [job.lab_id for job in order] == [
        "12-4", "12-5", "12-3", "12-1", "12-0"]


@pytest.mark.parametrize("processes", [0, -1, 1.5, "2", True])
def test_processes_must_be_a_positive_int(processes):
    with pytest.raises(ValueError, match="processes"):
        list(run_jobs([Job("12-1", "v1", "float32")], processes))


def test_jobs_must_be_jobs_of_known_labs():
    with pytest.raises(TypeError, match="jobs"):
        list(run_jobs([("12-1", "v1", "float32")]))
    with pytest.raises(ValueError, match="12-9"):
        list(run_jobs([Job("12-9", "v1", "float32")]))

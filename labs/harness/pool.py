"""Several lab runs at once: one interpreter per worker, results as they end.

    for job, result, seconds in run_jobs(jobs, processes=2, initializer=quiet):
        ...

A job is a `Job(lab_id, impl, dtype, backend=None)` run with `run_lab`'s
defaults (each form's own initial weights and optimizer; v2 on `backend`,
None for Keras's configured one). With `processes=1` the jobs run in
this interpreter, one after the other, in the order given. With more, a pool
of fresh interpreters (spawned, never forked: TensorFlow's threads do not
survive a fork) takes them longest first, so that the long labs do not end up
last on one worker; results come back in the order the runs finish. A run
does not depend on where it ran: each one builds its own graph or model from
its own seed (see `labs.harness.seeding`).
"""

import concurrent.futures
import dataclasses
import multiprocessing
import time
from typing import Optional

from labs.harness import registry


@dataclasses.dataclass(frozen=True)
class Job:
    lab_id: str
    impl: str
    dtype: str
    backend: Optional[str] = None

    def __str__(self):
        on = f" on {self.backend}" if self.backend else ""
        return f"lab {self.lab_id} {self.impl}{on} {self.dtype}"


def default_processes(jobs):
    """One worker per CPU, at most one per job."""
    return max(1, min(len(jobs), multiprocessing.cpu_count()))


def run_jobs(jobs, processes=1, progress=None, initializer=None):
    """Yields `(job, LabResult, seconds)` for every job.

    Args:
      jobs: `Job`s.
      processes: how many runs at once (>= 1); 1 runs them here, in order.
      progress: optional `progress(job, iteration, loss, text)` for every
        recorded iteration (see `labs.harness.recording.Recorder`); must be
        picklable when `processes > 1` (a module-level function).
      initializer: optional function each worker interpreter calls first
        (picklable), e.g. to quiet TensorFlow's logging.
    """
    jobs = list(jobs)
    if isinstance(processes, bool) or not isinstance(processes, int) \
            or processes < 1:
        raise ValueError(f"processes must be an int >= 1, got "
                         f"{processes!r}.")
    for job in jobs:
        if not isinstance(job, Job):
            raise TypeError(f"jobs must hold Job objects, got "
                            f"{type(job).__name__}.")
        registry.get(job.lab_id)
    if processes == 1:
        for job in jobs:
            yield (job,) + _run(job, progress)
        return
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(
            max_workers=processes, mp_context=context,
            initializer=initializer) as pool:
        futures = {pool.submit(_run, job, progress): job
                   for job in sorted(jobs, key=expected_cost, reverse=True)}
        try:
            for future in concurrent.futures.as_completed(futures):
                yield (futures[future],) + future.result()
        finally:
            for future in futures:
                future.cancel()


def expected_cost(job):
    """A rough relative cost of a run, to start the long ones first."""
    entry = registry.get(job.lab_id)
    if entry.kind != "training":
        return 1.0
    # Relative ms per iteration on a CPU, from benchmarks/train_step.py: the
    # long-sentence and stock labs dominate, the softmax-only lab is cheap.
    per_iteration = {"12-4": 8.0, "12-5": 5.0, "12-3": 0.8, "12-8": 4.0}.get(
        job.lab_id, 1.5)
    return entry.iterations * per_iteration


def _run(job, progress):
    from labs.harness.run import run_lab

    started = time.perf_counter()
    report = None if progress is None else _JobProgress(progress, job)
    result = run_lab(job.lab_id, job.impl, job.dtype, progress=report,
                     backend=job.backend)
    return result, time.perf_counter() - started


@dataclasses.dataclass(frozen=True)
class _JobProgress:
    progress: object
    job: Job

    def __call__(self, iteration, loss, text):
        self.progress(self.job, iteration, loss, text)

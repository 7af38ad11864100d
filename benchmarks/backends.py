"""v2's train step on every Keras backend beside v1's Session step, per lab,
in one run.

    python -m benchmarks.backends [LAB ...] [--dtype float32|float64]
        [--backends tensorflow,jax,torch] [--repeats N] [--block-seconds S]

v1 is timed in this interpreter (TensorFlow); v2 on each backend in a worker
interpreter with `KERAS_BACKEND` set (and JAX's 64-bit mode), each from its
own seeded model, through the harness's own step
(`labs.harness.keras_loop.compiled_train_steps`, `DEFAULT_STEPS_PER_CALL`
steps per call) and with the same warm-up and blocks as
`benchmarks/train_step.py`. A backend whose library is not installed is
skipped with a note. Output: progress on stderr; a table of the median ms
per step and its ratio to v1, then one line `JSON {...}`. Absolute times
depend on the machine and the hour: compare the ratios of one run.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from benchmarks import train_step  # noqa: E402
from compat.environment import BACKENDS  # noqa: E402


def time_v1(entry, dtype, repeats, block_seconds, warm_up_seconds):
    graph = train_step.GraphSteps(entry, dtype)
    try:
        variant = graph.harness_variant(_steps_per_call())
        train_step.measure([variant], repeats, block_seconds, warm_up_seconds)
        return train_step.summary(variant.seconds_per_step)
    finally:
        graph.close()


def time_v2_here(lab_id, dtype, repeats, block_seconds, warm_up_seconds):
    """ms per step of v2 on this process's Keras backend."""
    from labs.harness import registry, run

    lab = run.build_keras_lab(registry.get(lab_id), dtype)
    steps = train_step.keras_steps(lab, steps_per_call=_steps_per_call())
    variant = train_step.harness_steps_variant("v2", steps, _steps_per_call())
    train_step.measure([variant], repeats, block_seconds, warm_up_seconds)
    found = train_step.summary(variant.seconds_per_step)
    found["first_call_ms"] = 1e3 * variant.first_call_seconds
    return found


def time_v2_on(backend, lab_id, dtype, options):
    from labs.harness.backend_worker import worker_environment

    command = [sys.executable, "-m", "benchmarks.backends", "--worker",
               lab_id, "--dtype", dtype, "--repeats", str(options.repeats),
               "--block-seconds", str(options.block_seconds),
               "--warm-up-seconds", str(options.warm_up_seconds)]
    done = subprocess.run(command, capture_output=True, text=True,
                          env=worker_environment(backend), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{backend} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _steps_per_call():
    from labs.harness.keras_loop import DEFAULT_STEPS_PER_CALL

    return DEFAULT_STEPS_PER_CALL


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backends",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("labs", nargs="*", metavar="LAB")
    parser.add_argument("--dtype", choices=("float32", "float64"),
                        default="float32")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--block-seconds", type=float, default=0.5)
    parser.add_argument("--warm-up-seconds", type=float, default=1.0)
    parser.add_argument("--worker", metavar="LAB", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    unknown = set(options.backends.split(",")) - set(BACKENDS)
    if unknown:
        parser.error(f"--backends: unknown {sorted(unknown)}; choose from "
                     f"{','.join(BACKENDS)}")
    if options.repeats < 1 or options.block_seconds <= 0:
        parser.error("--repeats must be >= 1 and --block-seconds > 0")
    return options


def main(argv=None):
    options = parse_arguments(argv)
    if options.worker:
        print(json.dumps(time_v2_here(
            options.worker, options.dtype, options.repeats,
            options.block_seconds, options.warm_up_seconds)))
        return 0
    from labs.harness import registry

    lab_ids = options.labs or list(registry.lab_ids("training"))
    backends = [b for b in options.backends.split(",")
                if importlib.util.find_spec(b) is not None]
    for missing in sorted(set(options.backends.split(",")) - set(backends)):
        train_step.progress(f"{missing}: not installed, skipped")
    report = {"cpu": train_step.cpu_model(), "cores": os.cpu_count(),
              "dtype": options.dtype, "labs": {}}
    for lab_id in lab_ids:
        entry = registry.get(lab_id)
        train_step.progress(f"lab {lab_id} {options.dtype}: v1")
        timings = {"v1": time_v1(entry, options.dtype, options.repeats,
                                 options.block_seconds,
                                 options.warm_up_seconds)}
        for backend in backends:
            train_step.progress(f"lab {lab_id} {options.dtype}: v2 on {backend}")
            timings[backend] = time_v2_on(backend, lab_id, options.dtype,
                                          options)
        report["labs"][lab_id] = timings
    print(f"ms per step (median of {options.repeats} blocks), {options.dtype}, "
          f"{report['cpu']}, {report['cores']} cores; v2 at "
          f"{_steps_per_call()} steps per call; ratio = v2 / v1")
    header = f"{'lab':6} {'v1':>8}" + "".join(
        f" {'v2 ' + b:>14} {'ratio':>6}" for b in backends)
    print(header)
    for lab_id, timings in report["labs"].items():
        v1 = timings["v1"]["median"]
        print(f"{lab_id:6} {v1:8.3f}" + "".join(
            f" {timings[b]['median']:14.3f} {timings[b]['median'] / v1:6.2f}"
            for b in backends))
    print("JSON " + json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

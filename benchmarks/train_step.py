"""Per-step time of every training lab: v1 Session step vs v2 compiled step.

    python -m benchmarks.train_step [--labs 12-1 12-4] [--dtype float32]
        [--repeats 9] [--steps-per-call K] [--block-seconds 0.2]
        [--experiments unroll jit unroll_jit] [--end-to-end] [--suite]

For every training lab, in one process:

* v1: the lab's graph from `labs.harness.session_loop.build_graph` in its
  own `tf.Graph` and `Session`; one step is the harness's
  `session.make_callable([loss, train_op], feed_list=placeholders)` call.
* v2: the lab's `KerasLab` from `labs.harness.run.build_keras_lab` and the
  harness's own compiled step, `labs.harness.keras_loop.compiled_train_steps`,
  called as the harness calls it (`steps(k, first)`, NumPy arrays back), with k = 1 and k = the harness's default steps per call.
  A minibatch lab (12-8) trains every call on the first k batches of its
  schedule, so both forms time steps of its batch size.

Method: build, warm up every variant (tracing, first Session run), size one
block so that the slowest variant's block takes about `--block-seconds`, then
run `--repeats` rounds; a round times one block of n steps of every variant
in turn (the order rotating from round to round) with `time.perf_counter`,
garbage collection off as `timeit` does. A variant's time per step is the
median over rounds of block time / n; alternating the variants inside each
round exposes them to the same load on a shared machine.

Where v2's time goes: with k steps per call, time per step is

    t(k) = overhead / k + compute

(overhead: the Python call of the `tf.function`, argument handling, launching
the graph, the losses and outputs back as NumPy; compute: one iteration inside the graph). The
medians at k = 1 and k = K give both: compute = (K t(K) - t(1)) / (K - 1),
overhead = t(1) - compute.

`--experiments` adds variants of the v2 step for quick what-ifs, each on a
clone of the lab's model (same weights) with a fresh copy of its optimizer,
always at K steps per call: `unroll` (every RNN layer with `unroll=True`),
`jit` (the harness's step function under `tf.function(jit_compile=True)`),
`unroll_jit` (both), `train_on_batch` (Keras's own compiled one-step train
function, `model.train_on_batch`, one step per call: the step without the
harness's loop around it), `v1_run` (v1 through
`session.run(fetches, feed_dict)` as the course wrote it). The default path
times only the harness's steps.

`--end-to-end` and `--suite` time, in a subprocess, `python -m labs run --all`
and the test suite (`pytest -q -p no:cacheprovider`) with this interpreter.

Output: progress on stderr; on stdout a table, then one line `JSON {...}`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

TARGET_RATIO = 0.8
EXPERIMENTS = ("unroll", "jit", "unroll_jit", "train_on_batch", "v1_run")
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def progress(text):
    print(f"[train_step] {text}", file=sys.stderr, flush=True)


def cpu_model():
    """The first "model name" of /proc/cpuinfo, else `platform.processor()`."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average():
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


class Variant:
    """One way of running training steps: `run(n)` runs n steps, synchronously.

    `granularity` is the number of steps one call runs; blocks are multiples
    of it.
    """

    def __init__(self, name, run, granularity=1):
        self.name = name
        self.run = run
        self.granularity = granularity
        self.seconds_per_step = []
        self.first_call_seconds = None

    def time_block(self, steps):
        started = time.perf_counter()
        self.run(steps)
        return (time.perf_counter() - started) / steps


# v1 -------------------------------------------------------------------------

class GraphSteps:
    """A v1 lab in its own graph and Session, initialised."""

    def __init__(self, entry, dtype):
        import tensorflow as tf

        from labs.harness import session_loop

        graph, self.lab, init_op = session_loop.build_graph(
            entry.module("v1").build, dtype)
        self.session = tf.compat.v1.Session(graph=graph)
        self.session.run(init_op)

    def harness_variant(self, steps_per_call):
        """The harness's Session step: a `make_callable` of [loss, train];
        a minibatch lab feeds the rows of its first `steps_per_call`
        iterations in turn, sliced per step as the harness does."""
        from labs.harness import session_loop

        placeholders = list(self.lab.feed)
        values = [self.lab.feed[placeholder] for placeholder in placeholders]
        rows = session_loop.batch_schedule(self.lab, values, steps_per_call)
        step = self.session.make_callable(
            [self.lab.loss, self.lab.train_op], feed_list=placeholders)

        def run(steps):
            for index in range(steps):
                if rows is None:
                    step(*values)
                else:
                    step(*[value[rows[index % len(rows)]]
                           for value in values])

        return Variant("v1", run)

    def session_run_variant(self):
        """The course's spelling: `sess.run([loss, train], feed_dict)`."""
        fetches, feed = [self.lab.loss, self.lab.train_op], self.lab.feed

        def run(steps):
            for _ in range(steps):
                self.session.run(fetches, feed)

        return Variant("v1_run", run)

    def close(self):
        self.session.close()


# v2 -------------------------------------------------------------------------

def harness_steps_variant(name, steps, steps_per_call):
    """Calls `steps` (a `compiled_train_steps` function) as the harness does:
    `steps(count, first)`, NumPy arrays back."""

    def run(steps_to_run):
        for _ in range(steps_to_run // steps_per_call):
            steps(steps_per_call, 0)

    return Variant(name, run, steps_per_call)


def keras_steps(lab, model=None, optimizer=None, steps_per_call=None):
    """The harness's compiled train step for `lab` (or a model/optimizer);
    a minibatch lab's schedule covers `steps_per_call` iterations."""
    from labs.harness import batches, keras_loop

    rows = batches.schedule(lab.batch_size, len(lab.x), steps_per_call or 1)
    return keras_loop.compiled_train_steps(
        lab.model if model is None else model, lab.loss,
        lab.optimizer if optimizer is None else optimizer, lab.x, lab.y,
        rows)


def experiment_variant(name, lab, steps_per_call):
    """A what-if variant of the v2 step on a clone of `lab.model`."""
    import keras
    import tensorflow as tf

    unroll = name in ("unroll", "unroll_jit")
    jit = name in ("jit", "unroll_jit")

    def clone_layer(layer):
        config = layer.get_config()
        if unroll and "unroll" in config:
            config["unroll"] = True
        return layer.__class__.from_config(config)

    model = keras.models.clone_model(lab.model, clone_function=clone_layer)
    model.set_weights(lab.model.get_weights())
    optimizer = lab.optimizer.__class__.from_config(
        lab.optimizer.get_config())
    if name == "train_on_batch":
        # Keras's own one-step train function: no loop around the step, no
        # stacked outputs, but its loss metric and callbacks-free call path.
        model.compile(optimizer=optimizer, loss=lab.loss, jit_compile=False)
        rows = slice(None) if lab.batch_size is None else slice(
            lab.batch_size)

        def run(steps):
            for _ in range(steps):
                model.train_on_batch(lab.x[rows], lab.y[rows])

        return Variant(name, run)
    steps = keras_steps(lab, model, optimizer, steps_per_call)
    if jit:
        # XLA's TensorArrays need a compile-time size: the count as a
        # Python int (one trace per count).
        jitted = tf.function(steps.graph.python_function, jit_compile=True)

        def steps(count, first):
            return tuple(value.numpy() for value in jitted(count, first))
    return harness_steps_variant(name, steps, steps_per_call)


# measurement ----------------------------------------------------------------

def warm_up(variants, seconds):
    """Runs every variant until `seconds` passed (at least 3 calls each).

    Sets `variant.first_call_seconds` (tracing, graph optimisation, first
    run) and returns the slowest time per step of the variants' last calls.
    """
    slowest = 0.0
    for variant in variants:
        started, calls = time.perf_counter(), 0
        while calls < 3 or time.perf_counter() - started < seconds:
            last = variant.time_block(variant.granularity)
            if not calls:
                variant.first_call_seconds = last * variant.granularity
            calls += 1
        slowest = max(slowest, last)
    return slowest


def measure(variants, repeats, block_seconds, warm_up_seconds):
    """Times `repeats` rounds of one block per variant; returns block steps."""
    granularity = math.lcm(*(variant.granularity for variant in variants))
    slowest = warm_up(variants, warm_up_seconds)
    block = granularity * max(1, round(block_seconds / slowest / granularity))
    enabled = gc.isenabled()
    gc.disable()
    try:
        for round_index in range(repeats):
            shift = round_index % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                gc.collect()
                variant.seconds_per_step.append(variant.time_block(block))
    finally:
        if enabled:
            gc.enable()
    return block


def summary(seconds):
    """Median and quartiles in ms."""
    ms = sorted(1e3 * value for value in seconds)
    if len(ms) >= 2:
        q1, _, q3 = statistics.quantiles(ms, n=4, method="inclusive")
    else:
        q1 = q3 = ms[0]
    return {"median": statistics.median(ms), "q1": q1, "q3": q3,
            "blocks": len(ms)}


def benchmark_lab(entry, dtype, steps_per_call, experiments, repeats,
                  block_seconds, warm_up_seconds):
    from labs.harness import run

    started = time.perf_counter()
    graph = GraphSteps(entry, dtype)
    lab = run.build_keras_lab(entry, dtype)
    steps = keras_steps(lab, steps_per_call=steps_per_call)
    variants = [graph.harness_variant(steps_per_call),
                harness_steps_variant("v2_k1", steps, 1),
                harness_steps_variant("v2_default", steps, steps_per_call)]
    for name in experiments:
        variants.append(graph.session_run_variant() if name == "v1_run"
                        else experiment_variant(name, lab, steps_per_call))
    progress(f"{entry.lab_id}: built in {time.perf_counter() - started:.1f}s, "
             f"warming up {len(variants)} variants")
    started = time.perf_counter()
    block = measure(variants, repeats, block_seconds, warm_up_seconds)
    graph.close()
    measured = time.perf_counter() - started
    result = {"block_steps": block,
              "first_call_s": {variant.name: variant.first_call_seconds
                               for variant in variants},
              "ms_per_step": {variant.name: summary(variant.seconds_per_step)
                              for variant in variants}}
    times = result["ms_per_step"]
    v1 = times["v1"]["median"]
    result["ratio_to_v1"] = {name: value["median"] / v1
                             for name, value in times.items() if name != "v1"}
    result["meets_target"] = (
        result["ratio_to_v1"]["v2_default"] <= TARGET_RATIO)
    t1, tk = times["v2_k1"]["median"], times["v2_default"]["median"]
    if steps_per_call > 1:
        compute = (steps_per_call * tk - t1) / (steps_per_call - 1)
        result["v2_decomposition_ms"] = {"per_call_overhead": t1 - compute,
                                         "per_step_compute": compute}
    progress(f"{entry.lab_id}: first calls " + ", ".join(
        f"{variant.name} {variant.first_call_seconds:.1f}s"
        for variant in variants))
    progress(f"{entry.lab_id}: {repeats} rounds of {block} steps in "
             f"{measured:.1f}s (with warm-up); v1 {v1:.2f} ms, "
             f"v2 k=1 {t1:.2f} ms, v2 k={steps_per_call} {tk:.2f} ms")
    return result


def time_command(arguments, label):
    """Wall time of `python -m ARGUMENTS` run from the repository root."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [REPOSITORY, environment.get("PYTHONPATH")]))
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    command = [sys.executable, "-m"] + arguments
    progress(f"{label}: {' '.join(['python', '-m'] + arguments)}")
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=REPOSITORY, env=environment,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - started
    tail = completed.stdout.strip().splitlines()[-1:] or [""]
    progress(f"{label}: {seconds:.1f}s, exit {completed.returncode}: "
             f"{tail[0][:120]}")
    return {"command": " ".join(["python", "-m"] + arguments),
            "seconds": seconds, "returncode": completed.returncode,
            "last_line": tail[0]}


# report ---------------------------------------------------------------------

def print_table(report, steps_per_call, experiments):
    print(f"TensorFlow {report['tensorflow']}, Keras {report['keras']}, "
          f"Python {report['python']}, {report['dtype']}")
    print(f"CPU {report['cpu']} ({report['cpus']} cpus), load average "
          f"{report['load_average_start']} -> {report['load_average_end']}")
    print(f"ms per step, median over rounds [quartiles]; ratio = v2 / v1; "
          f"target ratio <= {TARGET_RATIO} at the harness's "
          f"k={steps_per_call} steps per call")
    print()
    header = (f"{'lab':6} {'steps':>5} {'v1':>20} {'v2 k=1':>20} "
              f"{'ratio':>6} {f'v2 k={steps_per_call}':>20} {'ratio':>6} "
              f"{'verdict':>7} {'overhead':>9} {'compute':>8}")
    print(header)
    print("-" * len(header))

    def cell(value):
        return (f"{value['median']:7.3f} [{value['q1']:.2f}-"
                f"{value['q3']:.2f}]")

    for lab_id, lab in report["labs"].items():
        times, ratios = lab["ms_per_step"], lab["ratio_to_v1"]
        split = lab.get("v2_decomposition_ms", {})
        overhead = split.get("per_call_overhead", float("nan"))
        compute = split.get("per_step_compute", float("nan"))
        print(f"{lab_id:6} {lab['block_steps']:5d} {cell(times['v1']):>20} "
              f"{cell(times['v2_k1']):>20} {ratios['v2_k1']:6.2f} "
              f"{cell(times['v2_default']):>20} {ratios['v2_default']:6.2f} "
              f"{'ok' if lab['meets_target'] else 'MISS':>7} {overhead:9.3f} "
              f"{compute:8.3f}")
    if experiments:
        print()
        print(f"experiments (k={steps_per_call} steps per call for v2):")
        header = f"{'lab':6} " + " ".join(
            f"{name:>28}" for name in experiments)
        print(header)
        print("-" * len(header))
        for lab_id, lab in report["labs"].items():
            print(f"{lab_id:6} " + " ".join(
                f"{cell(lab['ms_per_step'][name]):>20} "
                f"x{lab['ratio_to_v1'][name]:6.2f}"
                for name in experiments))
    for key in ("end_to_end", "suite"):
        if key in report:
            timed = report[key]
            print(f"{key}: {timed['seconds']:.1f}s wall, exit "
                  f"{timed['returncode']} ({timed['command']})")
    print()
    print("JSON " + json.dumps(report, sort_keys=True))


def parse_arguments(argv):
    from labs.harness import keras_loop, registry

    training = registry.lab_ids("training")
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.train_step",
        description="Time the v1 Session step and the v2 compiled train "
                    "step of every training lab.")
    parser.add_argument("--labs", nargs="+", choices=training,
                        default=list(training), metavar="LAB",
                        help=f"labs to time (default: all of {training})")
    parser.add_argument("--dtype", choices=("float32", "float64"),
                        default="float32")
    parser.add_argument("--repeats", type=int, default=9,
                        help="rounds of alternating blocks (default 9)")
    parser.add_argument(
        "--steps-per-call", type=int,
        default=keras_loop.DEFAULT_STEPS_PER_CALL,
        help=f"v2 steps per call besides 1 (default: the harness's, "
             f"{keras_loop.DEFAULT_STEPS_PER_CALL})")
    parser.add_argument("--block-seconds", type=float, default=0.2,
                        help="target time of the slowest variant's block")
    parser.add_argument("--warm-up-seconds", type=float, default=0.5,
                        help="warm-up time per variant (at least 3 calls)")
    parser.add_argument("--experiments", nargs="+", choices=EXPERIMENTS,
                        default=[], help="extra what-if variants")
    parser.add_argument("--end-to-end", action="store_true",
                        help="also time `python -m labs run --all`")
    parser.add_argument("--suite", action="store_true",
                        help="also time the test suite")
    args = parser.parse_args(argv)
    for name in ("repeats", "steps_per_call"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be >= 1")
    for name in ("block_seconds", "warm_up_seconds"):
        if not getattr(args, name) > 0:
            parser.error(f"--{name.replace('_', '-')} must be > 0")
    return args


def main(argv=None):
    # The v1 labs' deprecation warnings (dynamic_rnn, ...) are noise here.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    args = parse_arguments(argv)
    import keras
    import tensorflow as tf

    from labs.harness import registry

    report = {"tensorflow": tf.__version__, "keras": keras.__version__,
              "python": platform.python_version(), "cpu": cpu_model(),
              "cpus": os.cpu_count(), "load_average_start": load_average(),
              "dtype": args.dtype, "steps_per_call": args.steps_per_call,
              "repeats": args.repeats, "target_ratio": TARGET_RATIO,
              "labs": {}}
    started = time.perf_counter()
    for lab_id in args.labs:
        progress(f"{lab_id}: building")
        report["labs"][lab_id] = benchmark_lab(
            registry.get(lab_id), args.dtype, args.steps_per_call,
            args.experiments, args.repeats, args.block_seconds,
            args.warm_up_seconds)
    report["step_benchmark_seconds"] = time.perf_counter() - started
    report["meets_target"] = all(
        lab["meets_target"] for lab in report["labs"].values())
    if args.end_to_end:
        report["end_to_end"] = time_command(
            ["labs", "run", "--all", "--dtype", "float32"], "end-to-end")
    if args.suite:
        report["suite"] = time_command(
            ["pytest", "-q", "-p", "no:cacheprovider"], "suite")
    report["load_average_end"] = load_average()
    print_table(report, args.steps_per_call, args.experiments)
    return 0


if __name__ == "__main__":
    sys.exit(main())

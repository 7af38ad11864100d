"""`run_lab`: run one lab in one form and get one `LabResult`; `run_module`:
the same from `python -m labs.<lab>.v1`.

    run_lab("12-1")                                   # v1, float32, as published
    run_lab("12-1", impl="v2")                        # Keras 3 on its own
    run_lab("12-1", impl="v2", dtype="float64",
            initial_weights="v1", optimizer="tf1_adam")   # step for step with v1

Initial weights: each form starts from its own by default, the TF1 graph's
(graph seed 777) for v1 and Keras's initialisers (`set_random_seed(777)`) for
v2. `initial_weights="v1"` gives v2 the TF1 graph's initial values, mapped by
`compat.weights` through the lab's transfer plan; `initial_weights="v2"`
gives v1 the Keras model's.

Optimizer: v1 trains with the lab's `tf.compat.v1.train.AdamOptimizer`. v2
trains with the lab's stock `keras.optimizers.Adam` (epsilon set to TF1's
1e-8), or with `compat.optimizers.TF1Adam` (`optimizer="tf1_adam"`), which
reproduces TF1's Adam step for step; only then do the two forms agree to
rounding (see `labs.harness.adam_drift.stock_adam_deviation`). TF1Adam
takes the lab's learning rate and epsilon (`KerasLab.epsilon`: v1's), and
the model's embedding tables as its `sparse_variables` (TF1 read them with
`embedding_lookup`).

Backend: v2 runs on Keras's configured backend, or on `backend`
("tensorflow", "jax", "torch"). Keras picks its backend once per process, so
a v2 run on another backend than this process's goes to a worker interpreter
(`labs.harness.backend_worker`), with v1's initial weights passed as arrays;
v1 always runs here, on TensorFlow. float64 stays float64 on every backend
(`compat.keras_float64`).
"""

import argparse
import functools
import importlib
import platform
import sys

import numpy as np

from compat import environment
from labs.harness import registry, seeding
from labs.harness.recording import Recorder
from labs.harness.result import LabResult, spelled_arrays
from labs.harness.spec import check_dtype

INITIAL_WEIGHTS = ("own", "v1", "v2")
OPTIMIZERS = ("own", "tf1_adam")


def run_lab(lab_id, impl="v1", dtype="float32", *, initial_weights="own",
            optimizer="own", iterations=None, steps_per_call=None,
            progress=None, backend=None):
    """Runs one lab and returns its `LabResult`.

    Args:
      lab_id: a lab id, e.g. "12-1" (see `labs.harness.registry.lab_ids()`).
      impl: "v1" (TF1 graph + Session) or "v2" (Keras 3).
      dtype: "float32" (as published) or "float64".
      initial_weights: "own" (the form's own initialisation), "v1" or "v2"
        (the named form's initial weights, transferred).
      optimizer: "own" (the lab's optimizer) or "tf1_adam" (v2 only:
        `compat.optimizers.TF1Adam` with the lab's learning rate).
      iterations: train for this many iterations instead of the course's
        (training labs only; for quick checks).
      steps_per_call: v2 only, iterations per call of the compiled train step;
        speed only, the results do not depend on it.
      progress: optional `progress(iteration, loss, text)`, called at every
        recorded iteration (see `labs.harness.recording.Recorder`).
      backend: v2 only, the Keras backend to train on ("tensorflow", "jax",
        "torch"); None: Keras's configured one.
    """
    entry = registry.get(lab_id)
    if impl not in ("v1", "v2"):
        raise ValueError(f"impl must be 'v1' or 'v2', got {impl!r}.")
    dtype = check_dtype(dtype)
    if initial_weights not in INITIAL_WEIGHTS:
        raise ValueError(f"initial_weights must be one of {INITIAL_WEIGHTS}, "
                         f"got {initial_weights!r}.")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got "
                         f"{optimizer!r}.")
    if optimizer == "tf1_adam" and impl != "v2":
        raise ValueError("optimizer='tf1_adam' applies to impl='v2' only; v1 "
                         "trains with tf.compat.v1.train.AdamOptimizer.")
    if steps_per_call is not None and impl != "v2":
        raise ValueError("steps_per_call applies to impl='v2' only.")
    if backend is not None:
        if impl != "v2":
            raise ValueError("backend applies to impl='v2' only; v1 is TF1 "
                             "and runs on TensorFlow.")
        if backend not in environment.BACKENDS:
            raise ValueError(f"backend must be one of "
                             f"{environment.BACKENDS}, got {backend!r}.")
    source = impl if initial_weights == "own" else initial_weights
    if entry.kind == "sections":
        if iterations is not None or optimizer != "own":
            raise ValueError(f"lab {lab_id} does not train: iterations and "
                             f"optimizer do not apply.")
    else:
        if iterations is None:
            iterations = entry.module("data").ITERATIONS
        if isinstance(iterations, bool) or not isinstance(iterations, int) \
                or iterations < 1:
            raise ValueError(f"iterations must be an int >= 1, got "
                             f"{iterations!r}.")
    if impl == "v1":
        environment.require_tensorflow()
        if entry.kind == "sections":
            return _run_sections(entry, impl, dtype, source)
        return _run_training(entry, impl, dtype, source, optimizer,
                             iterations, steps_per_call, progress)
    initial_values = None
    if source == "v1":
        initial_values = (tf1_initial_variables(entry.lab_id, dtype)
                          if entry.kind == "training"
                          else tf1_section_variables(entry.lab_id, dtype))
    if backend is not None and backend != _keras_backend():
        from labs.harness import backend_worker

        environment.require_backend(backend)

        return backend_worker.run_v2(
            backend, entry.lab_id, dtype, initial_values=initial_values,
            optimizer=optimizer, iterations=iterations,
            steps_per_call=steps_per_call, progress=progress)
    return run_v2_here(entry.lab_id, dtype, initial_values=initial_values,
                       optimizer=optimizer, iterations=iterations,
                       steps_per_call=steps_per_call, progress=progress)


def run_v2_here(lab_id, dtype, *, initial_values=None, optimizer="own",
                iterations=None, steps_per_call=None, progress=None):
    """v2 on this process's Keras backend; `initial_values`: v1's initial
    variables (`{TF1 name: array}`), None for Keras's own initialisation."""
    entry = registry.get(lab_id)
    source = "v2" if initial_values is None else "v1"
    if entry.kind == "sections":
        return _run_sections(entry, "v2", dtype, source,
                             tf1_variables=initial_values)
    if iterations is None:
        iterations = entry.module("data").ITERATIONS
    return _run_training(entry, "v2", dtype, source, optimizer, iterations,
                         steps_per_call, progress,
                         initial_values=initial_values)


def _keras_backend():
    import keras

    return keras.backend.backend()


def _run_training(entry, impl, dtype, source, optimizer, iterations,
                  steps_per_call, progress, initial_values=None):
    data = entry.module("data")
    recorder = recorder_for(entry.lab_id, dtype, iterations, progress)
    if impl == "v1":
        from labs.harness import session_loop

        values = None
        if source == "v2":
            from labs.harness import transfer

            values = transfer.plan(entry.lab_id).to_tf1(
                build_keras_lab(entry, dtype).model)
        run = session_loop.train(entry.module("v1").build, dtype, recorder,
                                 initial_values=values)
    else:
        from labs.harness import keras_loop

        lab = build_keras_lab(entry, dtype)
        if initial_values is not None:
            from labs.harness import transfer

            transfer.plan(entry.lab_id).to_keras(initial_values, lab.model)
        chosen = keras_loop.tf1_adam(lab) if optimizer == "tf1_adam" else None
        run = keras_loop.train(
            lab, recorder, chosen,
            keras_loop.DEFAULT_STEPS_PER_CALL if steps_per_call is None
            else steps_per_call)
    metrics = {"final_loss": recorder.final_loss}
    metrics.update({name: float(value)
                    for name, value in run.evaluation.metrics.items()})
    arrays = {name: np.asarray(value)
              for name, value in run.evaluation.arrays.items()}
    shapes = dict(run.shapes)
    if recorder.records:
        # "prediction", the argmax the originals printed.
        shapes["prediction"] = tuple(recorder.records[0].indices.shape)
    shapes.update((name, array.shape) for name, array in arrays.items())
    return LabResult(
        lab_id=entry.lab_id, impl=impl, dtype=dtype, kind=entry.kind,
        initial_weights=source, optimizer=run.optimizer,
        iterations=iterations, losses=recorder.losses,
        records=tuple(recorder.records),
        shapes=shapes, metrics=metrics, arrays=arrays,
        vocabulary=_vocabulary(data), versions=versions())


def recorder_for(lab_id, dtype, iterations=None, progress=None):
    """The `Recorder` of one run of a training lab (default: the course's
    iterations), decoding predictions with the lab's `prediction_text`."""
    entry = registry.get(lab_id)
    data = entry.module("data")
    if iterations is None:
        iterations = data.ITERATIONS
    return Recorder(iterations, entry.recorded_iterations(iterations),
                    check_dtype(dtype),
                    decode=getattr(data, "prediction_text", None),
                    progress=progress)


def _vocabulary(data):
    vocabulary = getattr(data, "IDX2CHAR", getattr(data, "IDX2WORD", None))
    return None if vocabulary is None else tuple(vocabulary)


def _run_sections(entry, impl, dtype, source, tf1_variables=None):
    if impl == "v1":
        if source != "v1":
            raise ValueError(f"lab {entry.lab_id} v1 builds its own "
                             f"variables: initial_weights must be 'own' or "
                             f"'v1'.")
        sections = entry.module("v1").run_sections(dtype)
    else:
        sections = entry.module("v2").run_sections(
            dtype, tf1_variables=tf1_variables)
    arrays = {f"{section}/{name}": np.asarray(value)
              for section, named in sections.items()
              for name, value in named.items()}
    return LabResult(
        lab_id=entry.lab_id, impl=impl, dtype=dtype, kind=entry.kind,
        initial_weights=source, optimizer="", iterations=0,
        losses=np.zeros(0, dtype=dtype), records=(),
        shapes={name: array.shape for name, array in arrays.items()},
        metrics={}, arrays=arrays, vocabulary=None, versions=versions())


def build_keras_lab(entry, dtype):
    """The lab's `v2.build(dtype)`, with Keras seeded first."""
    from compat.keras_float64 import keep_float64

    keep_float64()
    seeding.seed_keras()
    return entry.module("v2").build(dtype)


@functools.lru_cache(maxsize=None)
def _cached_tf1_initial_variables(lab_id, dtype):
    from labs.harness import session_loop

    values = session_loop.initial_variables(
        registry.get(lab_id).module("v1").build, dtype)
    for value in values.values():
        value.setflags(write=False)
    return values


def tf1_initial_variables(lab_id, dtype):
    """{TF1 name: value} of the v1 graph right after init (cached, read-only)."""
    return dict(_cached_tf1_initial_variables(lab_id, check_dtype(dtype)))


def tf1_section_variables(lab_id, dtype):
    """{TF1 name: value} of a sections lab's v1 graph, every section's."""
    _, values = registry.get(lab_id).module("v1").run_sections(
        check_dtype(dtype), return_variables=True)
    return values


def versions():
    """The versions a result was computed with; "backend" and its library's
    version when Keras runs on another backend than TensorFlow."""
    # Module versions, not distribution metadata: tensorflow-cpu and
    # tensorflow are one module under two distribution names.
    import keras

    found = {"python": platform.python_version(), "numpy": np.__version__,
             "tensorflow": _tensorflow_version(), "keras": keras.__version__}
    backend = keras.backend.backend()
    if backend != "tensorflow":
        found["backend"] = backend
        found[backend] = importlib.import_module(backend).__version__
    return found


def _tensorflow_version():
    """TensorFlow's version, without importing it where nothing has."""
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"].__version__
    return environment.tensorflow_version() or "none"


def format_progress(iteration, loss, text):
    """One recorded iteration the way the course's loops printed it."""
    line = f"{iteration} loss: {str(loss)}"
    return line if text is None else f"{line} Prediction: {text}"


def print_progress(iteration, loss, text):
    print(format_progress(iteration, loss, text))


def run_module(module_name, argv=None):
    """Runs the lab whose v1/v2 module is `module_name` (or "__main__").

    `python -m labs.hello_rnn.v1 [--dtype float64]` prints every recorded
    iteration (loss, prediction), the final prediction and the lab's metrics,
    then the lines of `data.examples(result)` if the lab has them (12-8's
    decoded test samples), and returns the `LabResult`.
    """
    if module_name == "__main__":
        module_name = sys.modules["__main__"].__spec__.name
    entry, impl = registry.by_module(module_name)
    parser = argparse.ArgumentParser(
        prog=f"python -m {module_name}",
        description=f"Lab {entry.lab_id} ({impl}): {entry.title}.")
    parser.add_argument("--dtype", choices=("float32", "float64"),
                        default="float32")
    if impl == "v2":
        parser.add_argument(
            "--initial-weights", choices=INITIAL_WEIGHTS, default="own",
            help="'v1': start from the TF1 graph's initial weights")
        parser.add_argument(
            "--optimizer", choices=OPTIMIZERS, default="own",
            help="'tf1_adam': TF1's Adam, step for step")
    data = entry.module("data") if entry.kind == "training" else None
    if hasattr(data, "plot"):
        parser.add_argument("--plot", metavar="PATH",
                            help="save the lab's figure to PATH")
    args = parser.parse_args(argv)
    options = {}
    if impl == "v2":
        options = dict(initial_weights=args.initial_weights,
                       optimizer=args.optimizer)
    if entry.kind == "training":
        print(f"Lab {entry.lab_id} ({impl}, {args.dtype}): {entry.title}. "
              f"Each line shows the loss and prediction of the forward pass "
              f"before that iteration's update.")
        options["progress"] = print_progress
    result = run_lab(entry.lab_id, impl, args.dtype, **options)
    _print_summary(result)
    if hasattr(data, "examples"):
        for line in data.examples(result):
            print(line)
    if getattr(args, "plot", None):
        data.plot(result, args.plot)
        print(f"figure saved to {args.plot}")
    return result


def _print_summary(result):
    if result.kind == "sections":
        for name, array in result.arrays.items():
            print(f"{name} {array.shape}:")
            print(array)
        return
    final = result.final_record
    if final is not None:
        print(f"after {result.iterations} iterations: {final.text}")
    for name, text in spelled_arrays(result).items():
        print(f"{name}: {text}")
    for name, value in result.metrics.items():
        print(f"{name}: {value}")

"""The v2 training loop: calls of a compiled train step, several steps per
call, on whichever backend Keras runs.

    for each call (steps_per_call iterations, fewer at the end):
        for i in the call:                      # one compiled call
            logits = model(x); loss = loss_fn(y, logits)   # pre-update
            optimizer.apply(gradients(loss), variables)
            keep loss and logits of iteration i
    final: loss_fn(y, model(x))                 # after the last update

This is `sess.run([loss, train])` in Keras 3: the loss returned is the one the
gradient came from, computed before the update, never Keras's running-mean
`loss` metric of `fit`. Logits of every iteration of a call come back
stacked; the Recorder keeps the recorded ones. `steps_per_call` changes speed
only, not results.

One step per backend (`STEP_MODULES`), each behind the same
`compiled_train_steps(model, loss_fn, optimizer, x, y, rows)` returning
`steps(count, first) -> (losses, outputs)` as NumPy arrays:
`labs.harness.tensorflow_steps` (a `tf.function` with a `while_loop` of
GradientTape), `labs.harness.jax_steps` (`stateless_call` +
`value_and_grad`, `lax.scan` over the call's steps under `jit`),
`labs.harness.torch_steps` (autograd, one step at a time). A lab with
`batch_size` (12-8) trains iteration i on the rows of x and y that
`labs.harness.batches.schedule` picks, the very rows v1 feeds; the final
pass still sees all the training data.

Its default, 10, comes from a rough measurement (TF 2.21, CPU, float32, a
machine shared with other jobs, ms per step for 1 / 10 / 50 steps per call):
12-1 5.2-6.5 / 2.7-3.0 / 2.5-5.8, 12-3 3.0-4.1 / 1.5 / 0.4-1.0,
12-4 16-17 / 20-31 / 20, 12-5 9-11 / 6-18 / 3-11. Per-call overhead
dominates the small labs; for 12-4 the LSTM's own While loops nested in the
call's loop cost about what they save.
"""

import dataclasses
import importlib
import inspect
from typing import Mapping, Tuple

import keras
import numpy as np

from labs.harness import batches
from labs.harness.spec import Evaluation, KerasLab

DEFAULT_STEPS_PER_CALL = 10

# Keras backend -> the module of its train step.
STEP_MODULES = {"tensorflow": "labs.harness.tensorflow_steps",
                "jax": "labs.harness.jax_steps",
                "torch": "labs.harness.torch_steps"}


@dataclasses.dataclass(frozen=True)
class KerasRun:
    """What a v2 run reports besides the recorded trajectory."""

    shapes: Mapping[str, Tuple[int, ...]]
    evaluation: Evaluation
    optimizer: str


def compiled_train_steps(model, loss_fn, optimizer, x, y, rows=None):
    """`steps(n, first) -> (losses [n], outputs [n, ...])` as NumPy arrays,
    from the step of Keras's backend (`STEP_MODULES`): n updates per call, the
    first of them iteration `first` of the run. The contract, `rows`
    included: `labs.harness.tensorflow_steps.compiled_train_steps`."""
    backend = keras.backend.backend()
    if backend not in STEP_MODULES:
        raise ValueError(f"Keras runs on the {backend!r} backend; the labs "
                         f"train on {sorted(STEP_MODULES)}.")
    return importlib.import_module(STEP_MODULES[backend]).compiled_train_steps(
        model, loss_fn, optimizer, x, y, rows)


def train(lab, recorder, optimizer=None, steps_per_call=DEFAULT_STEPS_PER_CALL):
    """Trains `lab` (a `KerasLab`) for `recorder.iterations`.

    Args:
      lab: the built lab (model weights already in place).
      recorder: a `labs.harness.recording.Recorder`.
      optimizer: optimizer to use instead of `lab.optimizer`.
      steps_per_call: iterations per call of the compiled step (>= 1).
    """
    if not isinstance(lab, KerasLab):
        raise TypeError(f"lab must be a KerasLab, got {type(lab).__name__}.")
    if isinstance(steps_per_call, bool) or not isinstance(steps_per_call, int) \
            or steps_per_call < 1:
        raise ValueError(f"steps_per_call must be an int >= 1, got "
                         f"{steps_per_call!r}.")
    optimizer = lab.optimizer if optimizer is None else optimizer
    shapes = layer_output_shapes(lab)
    run_training(lab, optimizer, recorder, steps_per_call)
    evaluation = (lab.evaluate(lab.model) if lab.evaluate is not None
                  else Evaluation())
    return KerasRun(shapes=shapes, evaluation=evaluation,
                    optimizer=describe_optimizer(optimizer))


def run_training(lab, optimizer, recorder,
                 steps_per_call=DEFAULT_STEPS_PER_CALL):
    """The training loop: calls of `steps_per_call` compiled iterations.

    Every iteration's pre-update loss (and the logits the recorder wants)
    goes to `recorder`, then the loss and logits after the last update.
    """
    rows = batches.schedule(lab.batch_size, len(lab.x), recorder.iterations)
    steps = compiled_train_steps(lab.model, lab.loss, optimizer, lab.x, lab.y,
                                 rows)
    done = 0
    while done < recorder.iterations:
        count = min(steps_per_call, recorder.iterations - done)
        losses, outputs = steps(count, done)
        for offset in range(count):
            iteration = done + offset
            if recorder.wants_outputs(iteration):
                recorder.observe(iteration, losses[offset], outputs[offset])
            else:
                recorder.observe(iteration, losses[offset])
        done += count
    final_outputs = lab.model(lab.x, training=False)
    final_loss = lab.loss(keras.ops.convert_to_tensor(lab.y), final_outputs)
    recorder.observe_final(keras.ops.convert_to_numpy(final_loss),
                           keras.ops.convert_to_numpy(final_outputs))


def tf1_adam(lab):
    """`compat.optimizers.TF1Adam` for `lab` (a `KerasLab`): the lab's
    learning rate and v1's epsilon, its embedding tables on TF1's sparse
    path."""
    from compat.optimizers import TF1Adam

    return TF1Adam(learning_rate=lab.learning_rate, epsilon=lab.epsilon,
                   sparse_variables=embedding_tables(lab.model))


def embedding_tables(model):
    """The tables of `model`'s `Embedding` layers: the variables whose TF1
    counterparts an `embedding_lookup` read (`TF1Adam(sparse_variables=)`)."""
    return [layer.embeddings for layer in model.layers
            if isinstance(layer, keras.layers.Embedding)]


def layer_output_shapes(lab):
    """Shapes of the outputs of `lab.layers` on the training inputs."""
    names = dict(lab.layers)
    if not names:
        return {}
    probe = keras.Model(
        lab.model.input,
        {name: lab.model.get_layer(layer).output
         for name, layer in names.items()})
    return {name: tuple(np.shape(value))
            for name, value in probe(lab.x, training=False).items()}


def describe_optimizer(optimizer):
    """A Keras optimizer as the line of code that makes it."""
    config = optimizer.get_config()
    cls = type(optimizer)
    module = ("keras.optimizers" if cls.__module__.startswith("keras")
              else cls.__module__)
    # Keras keeps the learning rate in a float32 variable: print it as such.
    arguments = [f"learning_rate={str(np.float32(config['learning_rate']))}"]
    arguments += [f"{key}={config[key]!r}"
                  for key in ("beta_1", "beta_2", "epsilon") if key in config]
    return f"{module}.{cls.__name__}({', '.join(arguments)})"


def describe_loss(loss):
    """A Keras loss as the line of code that makes it (its set arguments);
    a loss function (the labs' lambdas) as its own source."""
    if not isinstance(loss, keras.losses.Loss):
        source = inspect.getsource(loss)
        # getsource gives the whole lines holding a lambda: keep the lambda.
        text = " ".join(source[source.find("lambda"):].split())
        return text.replace("( ", "(").rstrip(",")
    config = loss.get_config()
    cls = type(loss)
    module = ("keras.losses" if cls.__module__.startswith("keras")
              else cls.__module__)
    arguments = [f"{key}={value!r}" for key, value in config.items()
                 if key not in ("name", "dtype") and value is not None]
    return f"{module}.{cls.__name__}({', '.join(arguments)})"

"""The v1 training loop: the course's `Session` loop, recorded.

    graph = tf.Graph(); tf.set_random_seed(777); lab = v1.build(dtype)
    sess.run(global_variables_initializer())
    for i in range(iterations):
        l, _ = sess.run([loss, train], feed)       # + outputs when recorded
    final: sess.run([loss, outputs], feed)         # after the last update
    lab.evaluate(sess)                             # 12-5's test step

A lab with `batch_size` (12-8) feeds iteration i only the rows
`labs.harness.batches.schedule` picks for it; the final pass still sees all
the training data.

Fetching `outputs` together with `loss` and `train` in one `run` yields the
logits of the very forward pass whose loss is returned and whose gradient
drives the update, i.e. the pre-update logits. (The originals ran
`prediction` in a second `run` after the update; that prediction is our
record of iteration i + 1.)

Every lab gets its own `tf.Graph` (TensorFlow's global mode is untouched), so
v1 runs share a process with eager Keras code.
"""

import dataclasses
from typing import Mapping, Tuple

import numpy as np
import tensorflow as tf

from labs.harness import batches, seeding
from labs.harness.spec import Evaluation, GraphLab


@dataclasses.dataclass(frozen=True)
class GraphRun:
    """What a v1 run reports besides the recorded trajectory."""

    shapes: Mapping[str, Tuple[int, ...]]
    evaluation: Evaluation
    optimizer: str


def build_graph(build, dtype):
    """`(graph, lab, init_op)`: `build(dtype)` in a fresh graph with seed 777."""
    graph = tf.Graph()
    seeding.seed_graph(graph)
    with graph.as_default():
        lab = build(dtype)
        if not isinstance(lab, GraphLab):
            raise TypeError(f"build must return a GraphLab, got "
                            f"{type(lab).__name__}.")
        init_op = tf.compat.v1.global_variables_initializer()
    return graph, lab, init_op


def initial_variables(build, dtype):
    """The values of every variable of `build(dtype)` right after init."""
    from compat import weights

    graph, _, init_op = build_graph(build, dtype)
    with tf.compat.v1.Session(graph=graph) as session:
        session.run(init_op)
        return weights.read_tf1_variables(session)


def train(build, dtype, recorder, initial_values=None):
    """Builds the lab, trains it for `recorder.iterations`, returns `GraphRun`.

    Args:
      build: the lab's `v1.build`.
      dtype: "float32" or "float64".
      recorder: a `labs.harness.recording.Recorder`.
      initial_values: optional {TF1 variable name: array} written over the
        initialised variables (weights coming from the Keras form).
    """
    graph, lab, init_op = build_graph(build, dtype)
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
        session.run(init_op)
        if initial_values is not None:
            from compat import weights

            weights.write_tf1_variables(session, initial_values)
        shapes = {name: tuple(np.shape(value)) for name, value in
                  session.run(dict(lab.tensors), lab.feed).items()}
        train_session(session, lab, recorder)
        evaluation = (lab.evaluate(session) if lab.evaluate is not None
                      else Evaluation())
    return GraphRun(shapes=shapes, evaluation=evaluation,
                    optimizer=describe_optimizer(lab.optimizer))


def batch_schedule(lab, values, iterations):
    """`batches.schedule` for a `GraphLab` whose feed `values` all hold one
    row per training sample (None for full-batch labs)."""
    if lab.batch_size is None:
        return None
    samples = {len(value) for value in values}
    if len(samples) != 1:
        raise ValueError(f"a GraphLab with batch_size needs one row per "
                         f"training sample in every feed value, got "
                         f"{sorted(samples)} rows.")
    return batches.schedule(lab.batch_size, samples.pop(), iterations)


def train_session(session, lab, recorder):
    """The course's loop: `sess.run([loss, train])` once per iteration.

    Each iteration's pre-update loss (and, when the recorder wants them, the
    logits of the same forward pass) goes to `recorder`, then the loss and
    logits after the last update. A lab with `batch_size` feeds iteration i
    the rows `labs.harness.batches` picks for it. `make_callable` is
    `session.run` with the fetches and the feed's keys fixed once: the same
    graph execution, less Python per call.
    """
    placeholders = list(lab.feed)
    values = [lab.feed[placeholder] for placeholder in placeholders]
    rows = batch_schedule(lab, values, recorder.iterations)
    with_outputs = session.make_callable(
        [lab.loss, lab.outputs, lab.train_op], feed_list=placeholders)
    loss_only = session.make_callable(
        [lab.loss, lab.train_op], feed_list=placeholders)
    for iteration in range(recorder.iterations):
        fed = values if rows is None else [
            value[rows[iteration]] for value in values]
        if recorder.wants_outputs(iteration):
            loss, outputs, _ = with_outputs(*fed)
            recorder.observe(iteration, loss, outputs)
        else:
            loss, _ = loss_only(*fed)
            recorder.observe(iteration, loss)
    recorder.observe_final(*session.run([lab.loss, lab.outputs], lab.feed))


def describe_optimizer(optimizer):
    """A `tf.compat.v1.train` optimizer as the line of code that made it."""
    name = type(optimizer).__name__
    if name == "AdamOptimizer":
        # AdamOptimizer keeps its hyperparameters only in private fields.
        return (f"tf.compat.v1.train.AdamOptimizer("
                f"learning_rate={optimizer._lr!r}, beta1={optimizer._beta1!r}, "
                f"beta2={optimizer._beta2!r}, epsilon={optimizer._epsilon!r})")
    return f"tf.compat.v1.train.{name}"

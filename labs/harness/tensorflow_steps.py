"""The v2 train step on Keras's TensorFlow backend: one `tf.function`, a
`while_loop` of GradientTape + `optimizer.apply`, several steps per call.

    for i in the call:                      # inside one tf.function
        logits = model(x); loss = loss_fn(y, logits)   # pre-update
        optimizer.apply(gradients(loss), variables)
        keep loss and logits of iteration i

The train step is traced once (the step count and the first iteration are
tensors) and never re-traced, so the per-iteration cost is the model's, not
Python's. A lab with `batch_size` (12-8) trains iteration i on the rows of x
and y that `labs.harness.batches.schedule` picks; the schedule of the whole
run is a constant of the traced step, which gathers the rows of each
iteration.
"""

import functools

import numpy as np
import tensorflow as tf


def compiled_train_steps(model, loss_fn, optimizer, x, y, rows=None):
    """`steps(n, first) -> (losses [n], outputs [n, ...])` as NumPy arrays:
    n updates, one graph.

    `losses[i]` and `outputs[i]` come from the forward pass of the i-th update
    of the call, before that update. `rows`: None (full batch: every update
    sees all of x and y), or the int [iterations, batch_size] schedule of a
    minibatch lab; update i of the call then trains on the rows
    `rows[first + i]`.
    """
    optimizer.build(model.trainable_variables)
    # A partial, not a closure: TensorFlow counts traces per code object and
    # would warn about "retracing" when several labs each trace their own.
    # No AutoGraph: the loop is an explicit while_loop, and converting the
    # Keras call tree only costs tracing time.
    graph = tf.function(functools.partial(
        train_steps, model, loss_fn, optimizer, tf.convert_to_tensor(x),
        tf.convert_to_tensor(y),
        None if rows is None else tf.convert_to_tensor(rows, tf.int32)),
        autograph=False)

    def steps(count, first):
        losses, outputs = graph(tf.constant(count, tf.int32),
                                tf.constant(first, tf.int32))
        return np.asarray(losses), np.asarray(outputs)

    steps.graph = graph  # the tf.function, for benchmarks/train_step.py
    return steps


def train_steps(model, loss_fn, optimizer, x, y, rows, count, first):
    """`count` iterations of GradientTape + `optimizer.apply`, in one graph,
    the first of them iteration `first` of the run.

    Returns every iteration's pre-update loss and logits, stacked.
    """
    variables = model.trainable_variables
    output = model.outputs[0]
    batch = x.shape[0] if rows is None else rows.shape[1]
    output_shape = (batch,) + tuple(output.shape[1:])

    def step(i, losses, outputs):
        if rows is None:
            batch_x, batch_y = x, y
        else:
            batch_x = tf.gather(x, rows[first + i])
            batch_y = tf.gather(y, rows[first + i])
        with tf.GradientTape() as tape:
            logits = model(batch_x, training=True)
            loss = loss_fn(batch_y, logits)
        optimizer.apply(tape.gradient(loss, variables), variables)
        return i + 1, losses.write(i, loss), outputs.write(i, logits)

    _, losses, outputs = tf.while_loop(
        lambda i, *_: i < count, step,
        (tf.constant(0), tf.TensorArray(output.dtype, size=count),
         tf.TensorArray(output.dtype, size=count,
                        element_shape=output_shape)))
    return losses.stack(), outputs.stack()

"""The v2 train step on Keras's JAX backend: pure functions of the model's
and the optimizer's variables, several steps per compiled call.

    step(state, i):                               # state: the variables' values
        (loss, logits), grads = value_and_grad(stateless_call + loss_fn)
        state = optimizer.stateless_apply(state, grads)
    steps(count, first) = jit(lax.scan(step, state, first + arange(count)))

`lax.scan` makes the call's `count` steps one compiled loop, as the
TensorFlow step's `while_loop` does; `count` is static, so a run compiles
twice at most (a full call and the last, shorter one). After every call the
values go back into the Keras variables, so the model and the optimizer are
where a Keras `fit` would leave them. The losses are the pre-update ones.
"""

import functools

import jax
import numpy as np
from jax import numpy as jnp


def compiled_train_steps(model, loss_fn, optimizer, x, y, rows=None):
    """`steps(n, first) -> (losses [n], outputs [n, ...])` as NumPy arrays
    (the contract of `labs.harness.keras_loop.compiled_train_steps`)."""
    optimizer.build(model.trainable_variables)
    x, y = jnp.asarray(x), jnp.asarray(y)
    rows = None if rows is None else jnp.asarray(rows, jnp.int32)
    model_variables = (model.trainable_variables, model.non_trainable_variables)

    def forward(trainable, non_trainable, batch_x, batch_y):
        logits, non_trainable = model.stateless_call(
            trainable, non_trainable, batch_x, training=True)
        return loss_fn(batch_y, logits), (logits, non_trainable)

    gradient = jax.value_and_grad(forward, has_aux=True)

    def step(state, iteration):
        trainable, non_trainable, optimizer_values = state
        if rows is None:
            batch_x, batch_y = x, y
        else:
            batch_x, batch_y = x[rows[iteration]], y[rows[iteration]]
        (loss, (logits, non_trainable)), grads = gradient(
            trainable, non_trainable, batch_x, batch_y)
        trainable, optimizer_values = optimizer.stateless_apply(
            optimizer_values, grads, trainable)
        return (trainable, non_trainable, optimizer_values), (loss, logits)

    @functools.partial(jax.jit, static_argnums=0)
    def run(count, state, first):
        return jax.lax.scan(step, state, first + jnp.arange(count))

    def steps(count, first):
        state = ([v.value for v in model_variables[0]],
                 [v.value for v in model_variables[1]],
                 [v.value for v in optimizer.variables])
        state, (losses, logits) = run(int(count), state, int(first))
        for variables, values in zip(
                (*model_variables, optimizer.variables), state):
            for variable, value in zip(variables, values):
                variable.assign(value)
        return np.asarray(losses), np.asarray(logits)

    return steps

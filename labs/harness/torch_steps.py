"""The v2 train step on Keras's PyTorch backend: autograd, one step at a
time, as Keras's own PyTorch trainer does it.

    logits = model(x); loss = loss_fn(y, logits)      # pre-update
    model.zero_grad(); loss.backward()
    with torch.no_grad(): optimizer.apply([v.value.grad ...], variables)

PyTorch runs eagerly, so a call of `count` steps is a Python loop; the
losses and logits are detached copies of the pre-update forward pass.

One intra-op thread unless `OMP_NUM_THREADS` says otherwise: the labs'
tensors are too small to split, and PyTorch's two threads on two cores cost
more than they give (12-4, float32, while another process ran: 57.6 ms per
step with 2 threads, 12.6 with 1).
`torch.compile` is not used: it does not pay on these labs. Measured on
12-1 (float32, torch 2.13 CPU, 2 cores, the forward pass compiled): the
first call took 34 s, then 3.3 ms per step against 6.7 eager; breaking even
takes about 10,000 iterations, and the longest lab runs 3,000.
"""

import os

import numpy as np
import torch
from keras import ops


def compiled_train_steps(model, loss_fn, optimizer, x, y, rows=None):
    """`steps(n, first) -> (losses [n], outputs [n, ...])` as NumPy arrays
    (the contract of `labs.harness.keras_loop.compiled_train_steps`)."""
    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(1)
    optimizer.build(model.trainable_variables)
    x, y = ops.convert_to_tensor(x), ops.convert_to_tensor(y)
    rows = None if rows is None else torch.as_tensor(rows, dtype=torch.long)
    variables = model.trainable_variables

    def step(iteration):
        if rows is None:
            batch_x, batch_y = x, y
        else:
            batch_x = x[rows[iteration].to(x.device)]
            batch_y = y[rows[iteration].to(y.device)]
        logits = model(batch_x, training=True)
        loss = loss_fn(batch_y, logits)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            optimizer.apply([v.value.grad for v in variables], variables)
        return loss.detach(), logits.detach()

    def steps(count, first):
        done = [step(first + offset) for offset in range(int(count))]
        return (np.stack([ops.convert_to_numpy(loss) for loss, _ in done]),
                np.stack([ops.convert_to_numpy(logits) for _, logits in done]))

    return steps

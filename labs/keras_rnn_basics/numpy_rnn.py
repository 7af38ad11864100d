"""Lab 12-6, section 9: seed 002's RNN forward pass in numpy, the third form.

The seed's memory cell, one time step after another:

    h_t = tanh(Wx @ x_t + Wh @ h_{t-1} + b),    h_0 = 0

with ``Wx`` (hidden_size, input_dim), ``Wh`` (hidden_size, hidden_size) and
``b`` (hidden_size,); the states of all ``timesteps`` steps stacked give
(timesteps, hidden_size). The seed ran it on ``np.random.random`` inputs and
weights (10 steps, input_dim 4, hidden_size 8); here they are seeded
(`labs.keras_rnn_basics.data.numpy_rnn_draws`).

Keras's ``SimpleRNN`` and TF1's ``BasicRNNCell`` compute the same recurrence
on row vectors: ``kernel = Wx.T``, ``recurrent_kernel = Wh.T`` for Keras, and
one TF1 kernel ``[Wx.T; Wh.T]`` (input rows first). Given those weights,
`rnn_forward` is what every SimpleRNN section of `v1` and `v2` must compute.

``python -m labs.keras_rnn_basics.numpy_rnn`` prints section 9 as the seed did.
"""

import numpy as np

from labs.keras_rnn_basics import data


def _check(name, array, shape):
    array = np.asarray(array)
    if not np.issubdtype(array.dtype, np.floating):
        raise TypeError(f"`{name}` must be a float array, got dtype {array.dtype}")
    if array.shape != tuple(shape):
        raise ValueError(f"`{name}` must have shape {tuple(shape)}, got {array.shape}")
    return array


def rnn_forward(inputs, Wx, Wh, b):
    """The seed's loop: every step's hidden state, (timesteps, hidden_size).

    Args:
      inputs: (timesteps, input_dim), one sequence.
      Wx: (hidden_size, input_dim), the input weights.
      Wh: (hidden_size, hidden_size), the hidden-state weights.
      b: (hidden_size,), the bias.
    """
    inputs = np.asarray(inputs)
    if inputs.ndim != 2:
        raise ValueError(
            f"`inputs` must be (timesteps, input_dim), got shape {inputs.shape}")
    timesteps, input_dim = inputs.shape
    b = np.asarray(b)
    if b.ndim != 1:
        raise ValueError(f"`b` must be (hidden_size,), got shape {b.shape}")
    hidden_size = b.shape[0]
    _check("b", b, (hidden_size,))
    _check("Wx", Wx, (hidden_size, input_dim))
    _check("Wh", Wh, (hidden_size, hidden_size))
    hidden_state_t = np.zeros((hidden_size,), dtype=inputs.dtype)
    total_hidden_states = []
    for input_t in inputs:
        output_t = np.tanh(np.dot(Wx, input_t) + np.dot(Wh, hidden_state_t) + b)
        total_hidden_states.append(output_t)
        hidden_state_t = output_t
    return np.stack(total_hidden_states, axis=0)


def run_section(dtype="float64"):
    """Section 9 on the seeded draws: ``{"total_hidden_states": (10, 8)}``."""
    inputs, Wx, Wh, b = data.numpy_rnn_draws(dtype)
    return {"total_hidden_states": rnn_forward(inputs, Wx, Wh, b)}


if __name__ == "__main__":
    inputs, Wx, Wh, b = data.numpy_rnn_draws()
    print(np.shape(inputs), np.shape(Wx), np.shape(Wh), np.shape(b))
    total_hidden_states = run_section()["total_hidden_states"]
    print(total_hidden_states.shape)
    print(total_hidden_states)

"""Independent numpy reference for the TF1 RNN cells and RNN drivers.

Written from the TF1 equations (see ``compat/rnn_cell/*.py`` docstrings and
LEGACY_SEMANTICS §1, §3), never from TensorFlow: this module imports numpy
only. Every computation runs in float64 whatever the dtype of the arguments.

Cells are callables ``cell(x, state) -> (output, new_state)`` on ``[batch,
depth]`` arrays, with ``zero_state(batch)``. A state is an array, or a tuple
of states (``(c, h)`` for a tuple-state LSTM, one entry per layer for a
stack).
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


ACTIVATIONS = {
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "relu": lambda x: np.maximum(x, 0.0),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "linear": lambda x: x,
}


def _f64(array):
    return None if array is None else np.asarray(array, dtype=np.float64)


def _map_state(fn, *states):
    """Applies ``fn`` leafwise to states of one structure."""
    if isinstance(states[0], tuple):
        return tuple(_map_state(fn, *parts) for parts in zip(*states))
    return fn(*states)


class BasicRNN:
    """h' = act([x, h] @ kernel + bias); output = h'."""

    def __init__(self, kernel, bias, activation="tanh"):
        self.kernel, self.bias = _f64(kernel), _f64(bias)
        self.units = self.bias.shape[0]
        self.act = ACTIVATIONS[activation]

    def zero_state(self, batch):
        return np.zeros((batch, self.units))

    def __call__(self, x, h):
        h = self.act(np.concatenate([x, h], 1) @ self.kernel + self.bias)
        return h, h


class GRU:
    """[r, u] = sig([x, h] @ Kg + bg); c = act([x, r*h] @ Kc + bc); h' = u*h + (1-u)*c."""

    def __init__(self, gate_kernel, gate_bias, candidate_kernel, candidate_bias, activation="tanh"):
        self.gate_kernel, self.gate_bias = _f64(gate_kernel), _f64(gate_bias)
        self.candidate_kernel, self.candidate_bias = _f64(candidate_kernel), _f64(candidate_bias)
        self.units = self.candidate_bias.shape[0]
        self.act = ACTIVATIONS[activation]

    def zero_state(self, batch):
        return np.zeros((batch, self.units))

    def __call__(self, x, h):
        gates = sigmoid(np.concatenate([x, h], 1) @ self.gate_kernel + self.gate_bias)
        r, u = gates[:, : self.units], gates[:, self.units :]
        c = self.act(np.concatenate([x, r * h], 1) @ self.candidate_kernel + self.candidate_bias)
        h = u * h + (1.0 - u) * c
        return h, h


class LSTM:
    """The TF1 LSTM; BasicLSTMCell is the case without peepholes, clip or projection.

    Columns of ``[x, h] @ kernel + bias`` are (i, j, f, o):
      c' = sig(f + forget_bias + wf*c) * c + sig(i + wi*c) * act(j)
      c' = clip(c', cell_clip)
      h' = sig(o + wo*c') * act(c');  h' = clip(h' @ P, proj_clip)
    with the peephole terms ``w*`` present only if ``peepholes`` is given as
    ``(w_f_diag, w_i_diag, w_o_diag)``.
    """

    def __init__(
        self,
        kernel,
        bias,
        forget_bias=1.0,
        peepholes=None,
        cell_clip=None,
        projection=None,
        proj_clip=None,
        state_is_tuple=True,
        activation="tanh",
    ):
        self.kernel, self.bias = _f64(kernel), _f64(bias)
        self.units = self.bias.shape[0] // 4
        self.forget_bias = float(forget_bias)
        self.peepholes = None if peepholes is None else tuple(_f64(w) for w in peepholes)
        self.cell_clip = cell_clip
        self.projection = _f64(projection)
        self.proj_clip = proj_clip
        self.output_units = self.units if projection is None else self.projection.shape[1]
        self.state_is_tuple = state_is_tuple
        self.act = ACTIVATIONS[activation]

    def zero_state(self, batch):
        c, h = np.zeros((batch, self.units)), np.zeros((batch, self.output_units))
        return (c, h) if self.state_is_tuple else np.concatenate([c, h], 1)

    def __call__(self, x, state):
        c, h = state if self.state_is_tuple else (state[:, : self.units], state[:, self.units :])
        z = np.concatenate([x, h], 1) @ self.kernel + self.bias
        i, j, f, o = (z[:, k * self.units : (k + 1) * self.units] for k in range(4))
        wf, wi, wo = self.peepholes if self.peepholes is not None else (0.0, 0.0, 0.0)
        new_c = sigmoid(f + self.forget_bias + wf * c) * c + sigmoid(i + wi * c) * self.act(j)
        if self.cell_clip is not None:
            new_c = np.clip(new_c, -self.cell_clip, self.cell_clip)
        new_h = sigmoid(o + wo * new_c) * self.act(new_c)
        if self.projection is not None:
            new_h = new_h @ self.projection
            if self.proj_clip is not None:
                new_h = np.clip(new_h, -self.proj_clip, self.proj_clip)
        new_state = (new_c, new_h) if self.state_is_tuple else np.concatenate([new_c, new_h], 1)
        return new_h, new_state


class MultiRNN:
    """Layer k reads layer k-1's output; state is a tuple, or concatenated."""

    def __init__(self, cells, state_is_tuple=True):
        self.cells = list(cells)
        self.state_is_tuple = state_is_tuple

    def zero_state(self, batch):
        states = tuple(cell.zero_state(batch) for cell in self.cells)
        return states if self.state_is_tuple else np.concatenate(states, 1)

    def __call__(self, x, state):
        if self.state_is_tuple:
            states = state
        else:
            widths = np.cumsum([cell.zero_state(1).shape[1] for cell in self.cells])[:-1]
            states = np.split(state, widths, axis=1)
        new_states = []
        for cell, cell_state in zip(self.cells, states):
            x, new_state = cell(x, cell_state)
            new_states.append(new_state)
        return x, tuple(new_states) if self.state_is_tuple else np.concatenate(new_states, 1)


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, time_major=False):
    """``tf.compat.v1.nn.dynamic_rnn`` semantics.

    Row b runs steps ``t < sequence_length[b]`` (all steps if None; negative
    lengths act as 0, lengths beyond the time axis as the full length). At the
    other steps its output is 0 and its state is carried unchanged, so the
    final state is the one after its last valid step (the initial state if
    its length is 0 or less).

    Returns ``(outputs [batch, time, out] (or time-major), final_state)``.
    """
    inputs = _f64(inputs)
    if time_major:
        inputs = inputs.transpose(1, 0, 2)
    batch, steps, _ = inputs.shape
    lengths = np.full(batch, steps) if sequence_length is None else np.asarray(sequence_length)
    state = cell.zero_state(batch) if initial_state is None else _map_state(_f64, initial_state)
    outputs = []
    for t in range(steps):
        output, new_state = cell(inputs[:, t], state)
        valid = (t < lengths)[:, None]
        outputs.append(np.where(valid, output, 0.0))
        state = _map_state(lambda new, old, valid=valid: np.where(valid, new, old), new_state, state)
    outputs = np.stack(outputs, axis=0 if time_major else 1)
    return outputs, state


def reverse_sequence(inputs, lengths):
    """Reverses the first ``lengths[b]`` steps of row b; padding stays at the end."""
    reversed_inputs = np.array(inputs, dtype=np.float64, copy=True)
    for b, length in enumerate(lengths):
        reversed_inputs[b, :length] = reversed_inputs[b, :length][::-1]
    return reversed_inputs


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None):
    """``((out_fw, out_bw), (state_fw, state_bw))`` for batch-major inputs.

    The backward cell reads each row's valid steps in reverse
    (``reverse_sequence``; the whole time axis without lengths) and its
    outputs are reversed back to input order.
    """
    inputs = _f64(inputs)
    batch, steps, _ = inputs.shape
    lengths = np.full(batch, steps) if sequence_length is None else np.asarray(sequence_length)
    out_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length)
    out_bw, state_bw = dynamic_rnn(cell_bw, reverse_sequence(inputs, lengths), sequence_length)
    return (out_fw, reverse_sequence(out_bw, lengths)), (state_fw, state_bw)


def static_rnn(cell, inputs, sequence_length=None, initial_state=None):
    """``tf.compat.v1.nn.static_rnn`` on a list of ``[batch, depth]`` steps."""
    outputs, state = dynamic_rnn(
        cell, np.stack([_f64(x) for x in inputs], 1), sequence_length, initial_state
    )
    return [outputs[:, t] for t in range(outputs.shape[1])], state


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, sequence_length=None):
    """Layer k is ``bidirectional_dynamic_rnn`` on ``concat([out_fw, out_bw], -1)``
    of layer k-1. Returns ``(outputs, states_fw, states_bw)``."""
    layer_inputs = _f64(inputs)
    states_fw, states_bw = [], []
    for cell_fw, cell_bw in zip(cells_fw, cells_bw):
        (out_fw, out_bw), (state_fw, state_bw) = bidirectional_dynamic_rnn(
            cell_fw, cell_bw, layer_inputs, sequence_length
        )
        layer_inputs = np.concatenate([out_fw, out_bw], -1)
        states_fw.append(state_fw)
        states_bw.append(state_bw)
    return layer_inputs, tuple(states_fw), tuple(states_bw)


class Embedding:
    """``EmbeddingWrapper``: the cell reads ``embedding[ids]``; ids come as ``[batch]`` or ``[batch, 1]``."""

    def __init__(self, cell, embedding):
        self.cell, self.embedding = cell, _f64(embedding)

    def zero_state(self, batch):
        return self.cell.zero_state(batch)

    def __call__(self, ids, state):
        return self.cell(self.embedding[np.asarray(ids).reshape(-1).astype(int)], state)


class InputProjection:
    """``InputProjectionWrapper``: the cell reads ``act(x @ kernel + bias)``."""

    def __init__(self, cell, kernel, bias, activation=None):
        self.cell, self.kernel, self.bias = cell, _f64(kernel), _f64(bias)
        self.act = ACTIVATIONS[activation] if activation else (lambda v: v)

    def zero_state(self, batch):
        return self.cell.zero_state(batch)

    def __call__(self, x, state):
        return self.cell(self.act(x @ self.kernel + self.bias), state)


class OutputProjection:
    """``OutputProjectionWrapper``: output ``act(y @ kernel + bias)`` of the cell's ``y``; state unchanged."""

    def __init__(self, cell, kernel, bias, activation=None):
        self.cell, self.kernel, self.bias = cell, _f64(kernel), _f64(bias)
        self.act = ACTIVATIONS[activation] if activation else (lambda v: v)

    def zero_state(self, batch):
        return self.cell.zero_state(batch)

    def __call__(self, x, state):
        output, new_state = self.cell(x, state)
        return self.act(output @ self.kernel + self.bias), new_state


def layer_norm(value, gamma, beta, epsilon=1e-12):
    mean = value.mean(1, keepdims=True)
    variance = ((value - mean) ** 2).mean(1, keepdims=True)
    return gamma * (value - mean) / np.sqrt(variance + epsilon) + beta


class LayerNormLSTM:
    """``LayerNormBasicLSTMCell`` without dropout: ``norms`` maps input, transform,
    forget, output, state to ``(gamma, beta)``; ``norms=None`` means a plain ``bias``."""

    def __init__(self, kernel, norms=None, bias=None, forget_bias=1.0):
        self.kernel, self.norms, self.forget_bias = _f64(kernel), norms, forget_bias
        self.bias = _f64(bias)
        self.units = self.kernel.shape[1] // 4

    def zero_state(self, batch):
        return (np.zeros((batch, self.units)), np.zeros((batch, self.units)))

    def _norm(self, value, name):
        return value if self.norms is None else layer_norm(value, *self.norms[name])

    def __call__(self, x, state):
        c, h = state
        gates = np.concatenate([x, h], 1) @ self.kernel
        if self.norms is None:
            gates = gates + self.bias
        i, j, f, o = np.split(gates, 4, axis=1)
        i, j = self._norm(i, "input"), self._norm(j, "transform")
        f, o = self._norm(f, "forget"), self._norm(o, "output")
        new_c = self._norm(c * sigmoid(f + self.forget_bias) + sigmoid(i) * np.tanh(j), "state")
        new_h = np.tanh(new_c) * sigmoid(o)
        return new_h, (new_c, new_h)


class NAS:
    """The NAS cell of Zoph and Le, as TF1's ``NASCell`` computes it."""

    def __init__(self, recurrent_kernel, kernel, bias=None, projection=None):
        self.recurrent_kernel, self.kernel = _f64(recurrent_kernel), _f64(kernel)
        self.bias, self.projection = _f64(bias), _f64(projection)
        self.units = self.kernel.shape[1] // 8

    def zero_state(self, batch):
        out = self.units if self.projection is None else self.projection.shape[1]
        return (np.zeros((batch, self.units)), np.zeros((batch, out)))

    def __call__(self, x, state):
        c, h = state
        m = h @ self.recurrent_kernel + (0 if self.bias is None else self.bias)
        m, x = np.split(m, 8, axis=1), np.split(x @ self.kernel, 8, axis=1)
        relu = ACTIVATIONS["relu"]
        a = [sigmoid(x[0] + m[0]), relu(x[1] + m[1]), sigmoid(x[2] + m[2]), relu(x[3] * m[3]),
             np.tanh(x[4] + m[4]), sigmoid(x[5] + m[5]), np.tanh(x[6] + m[6]), sigmoid(x[7] + m[7])]
        new_c = np.tanh(np.tanh(a[0] * a[1]) + c) * np.tanh(a[2] + a[3])
        new_h = np.tanh(new_c * np.tanh(np.tanh(a[4] * a[5]) + sigmoid(a[6] + a[7])))
        if self.projection is not None:
            new_h = new_h @ self.projection
        return new_h, (new_c, new_h)

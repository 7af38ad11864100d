"""Lab 12-6, seed 002's Keras shape tour, as a TF1 lab would have written it.

Every section of the seed builds one Keras RNN and prints the shapes of what
it returns. Here each section builds the same computation with the TF1 cells
of `compat.contrib.rnn` and `tf.nn.dynamic_rnn` in the current default graph,
inside `tf.variable_scope("<section>")`, and returns the tensors the seed
printed; `run_sections` builds them all in one fresh `tf.Graph` (graph seed
777) and runs them in one `Session`.

| seed 002 (Keras)                                  | TF1                                              |
|---------------------------------------------------|--------------------------------------------------|
| `SimpleRNN(3)(train_X)`: the last hidden state    | `BasicRNNCell(3)` + `dynamic_rnn`: its final state |
| `return_sequences=True`: every step's state       | `dynamic_rnn`'s outputs                          |
| `return_state=True`: also the last state          | `dynamic_rnn`'s final state                      |
| `LSTM(3, return_state=True)`: output, h, c        | `BasicLSTMCell(3)`: outputs, `LSTMStateTuple(c, h)` |
| `input_shape=(2, 10)` / `batch_input_shape=(8, 2, 10)` | a placeholder of shape `[None, 2, 10]` / `[8, 2, 10]` |
| two stacked `SimpleRNN(8, return_sequences=True)` | `MultiRNNCell([BasicRNNCell(8), BasicRNNCell(8)])` |
| `Bidirectional(SimpleRNN(8, return_sequences=True))`, twice | `bidirectional_dynamic_rnn` per layer, fw and bw outputs concatenated |
| `TimeDistributed(Dense(8))`                       | `fully_connected(x, 8, activation_fn=None)` on every step |

Sections and what they return (all float32 or float64):

1. simple_rnn: `hidden_state` (1, 3), the state after the last step.
2. return_sequences: `hidden_states` (1, 4, 3).
3. return_state: `hidden_states` (1, 4, 3) and `last_state` (1, 3), which
   is the last step of `hidden_states`.
4. lstm: without return_sequences `return_state/hidden_state`,
   `return_state/last_state`, `return_state/last_cell_state`, all (1, 3):
   h equals the last output, c is the cell state; with return_sequences
   `return_sequences/hidden_states` (1, 4, 3),
   `return_sequences/last_hidden_state` and `return_sequences/last_cell_state`.
5. sequential: the seed's three models of SimpleRNN(3), on a batch of 8
   inputs (2, 10): `input_shape/hidden_state` (static shape (None, 3)),
   `batch_input_shape/hidden_state` ((8, 3)) and
   `return_sequences/hidden_states` ((8, 2, 3)).
6. deep: two stacked 8-unit RNNs on (8, 10, 4): `hidden_states` (8, 10, 8)
   of the top layer; `last_state_0` and `last_state_1`, the final state of
   each layer.
7. bidirectional: two bidirectional 8-unit layers on (8, 10, 4):
   `hidden_states_0` and `hidden_states` (8, 10, 16), forward then backward
   along the last axis; `last_state_fw` and `last_state_bw` of the top layer.
   The backward cell reads the sequence reversed, so its final state is its
   output at step 0.
8. time_distributed: one dense layer applied at every step of (8, 10, 16):
   `outputs` (8, 10, 8).
9. numpy_rnn: the seed's numpy RNN run by `BasicRNNCell(8)` with the seed's
   weights: `total_hidden_states` (10, 8). The seed wrote
   `h_t = tanh(Wx @ x_t + Wh @ h_{t-1} + b)` with `Wx` (8, 4) and `Wh`
   (8, 8); the TF1 cell computes `tanh([x_t, h_{t-1}] @ kernel + bias)`, so
   its kernel is `Wx.T` stacked on `Wh.T` (input rows first).

`run_sections(dtype)` returns `{section: {name: array}}`; with
`return_variables=True` also every variable by full TF1 name, e.g.
"deep/rnn/multi_rnn_cell/cell_1/basic_rnn_cell/kernel".
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import layers, rnn  # noqa: E402
from labs.harness import run_module  # noqa: E402
from labs.harness.sections import run_graph_sections  # noqa: E402
from labs.keras_rnn_basics import data  # noqa: E402


def simple_rnn(dtype):
    cell = rnn.BasicRNNCell(num_units=data.UNITS)
    _, hidden_state = tf.nn.dynamic_rnn(cell, data.train_x(dtype), dtype=dtype)
    return {"hidden_state": hidden_state}


def return_sequences(dtype):
    cell = rnn.BasicRNNCell(num_units=data.UNITS)
    hidden_states, _ = tf.nn.dynamic_rnn(cell, data.train_x(dtype), dtype=dtype)
    return {"hidden_states": hidden_states}


def return_state(dtype):
    cell = rnn.BasicRNNCell(num_units=data.UNITS)
    hidden_states, last_state = tf.nn.dynamic_rnn(
        cell, data.train_x(dtype), dtype=dtype)
    return {"hidden_states": hidden_states, "last_state": last_state}


def lstm(dtype):
    train_x = data.train_x(dtype)
    with tf.variable_scope("return_state"):
        cell = rnn.BasicLSTMCell(num_units=data.UNITS, state_is_tuple=True)
        hidden_states, (last_cell_state, last_state) = tf.nn.dynamic_rnn(
            cell, train_x, dtype=dtype)
        hidden_state = hidden_states[:, -1]
    with tf.variable_scope("return_sequences"):
        cell = rnn.BasicLSTMCell(num_units=data.UNITS, state_is_tuple=True)
        hidden_states, (cell_state, last_hidden_state) = tf.nn.dynamic_rnn(
            cell, train_x, dtype=dtype)
    return {"return_state/hidden_state": hidden_state,
            "return_state/last_state": last_state,
            "return_state/last_cell_state": last_cell_state,
            "return_sequences/hidden_states": hidden_states,
            "return_sequences/last_hidden_state": last_hidden_state,
            "return_sequences/last_cell_state": cell_state}


def _placeholder(section, dtype, batch_size=None):
    """A placeholder `[batch_size, ...]` that reads the section's batch
    unless something else is fed."""
    inputs = data.model_inputs(section, dtype)
    return tf.placeholder_with_default(
        inputs, [batch_size, *inputs.shape[1:]], name="X")


def sequential(dtype):
    results = {}
    for model, batch_size in (("input_shape", None),
                              ("batch_input_shape", data.BATCH_SIZE),
                              ("return_sequences", data.BATCH_SIZE)):
        with tf.variable_scope(model):
            X = _placeholder("sequential", dtype, batch_size)
            cell = rnn.BasicRNNCell(num_units=data.UNITS)
            hidden_states, hidden_state = tf.nn.dynamic_rnn(cell, X, dtype=dtype)
        if model == "return_sequences":
            results[f"{model}/hidden_states"] = hidden_states
        else:
            results[f"{model}/hidden_state"] = hidden_state
    return results


def deep(dtype):
    X = _placeholder("deep", dtype)
    cells = [rnn.BasicRNNCell(num_units=data.HIDDEN_SIZE)
             for _ in range(data.NUM_STACKED_LAYERS)]
    cell = rnn.MultiRNNCell(cells, state_is_tuple=True)
    hidden_states, states = tf.nn.dynamic_rnn(cell, X, dtype=dtype)
    return {"hidden_states": hidden_states,
            **{f"last_state_{k}": state for k, state in enumerate(states)}}


def bidirectional(dtype):
    layer_input = _placeholder("bidirectional", dtype)
    results = {}
    for k in range(data.NUM_STACKED_LAYERS):
        with tf.variable_scope(f"layer_{k}"):
            cell_fw = rnn.BasicRNNCell(num_units=data.HIDDEN_SIZE)
            cell_bw = rnn.BasicRNNCell(num_units=data.HIDDEN_SIZE)
            (outputs_fw, outputs_bw), (state_fw, state_bw) = \
                tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, layer_input,
                                                dtype=dtype)
            layer_input = tf.concat([outputs_fw, outputs_bw], axis=2)
        results[f"hidden_states_{k}"] = layer_input
    results["hidden_states"] = results.pop(
        f"hidden_states_{data.NUM_STACKED_LAYERS - 1}")
    results.update(last_state_fw=state_fw, last_state_bw=state_bw)
    return results


def time_distributed(dtype):
    X = _placeholder("time_distributed", dtype)
    outputs = layers.fully_connected(X, data.TIME_DISTRIBUTED_UNITS,
                                     activation_fn=None)
    return {"outputs": outputs}


def numpy_rnn(dtype):
    inputs, Wx, Wh, b = data.numpy_rnn_draws(dtype)
    # The cell multiplies [x_t, h_{t-1}] by its kernel: input rows first.
    with tf.variable_scope("rnn/basic_rnn_cell"):
        tf.get_variable("kernel", initializer=np.concatenate([Wx.T, Wh.T]))
        tf.get_variable("bias", initializer=b)
    cell = rnn.BasicRNNCell(num_units=data.HIDDEN_SIZE, reuse=True)
    outputs, _ = tf.nn.dynamic_rnn(cell, inputs[np.newaxis], dtype=dtype)
    return {"total_hidden_states": outputs[0]}


# Section -> builder, in the order of LABS.md.
SECTIONS = {
    "simple_rnn": simple_rnn,
    "return_sequences": return_sequences,
    "return_state": return_state,
    "lstm": lstm,
    "sequential": sequential,
    "deep": deep,
    "bidirectional": bidirectional,
    "time_distributed": time_distributed,
    "numpy_rnn": numpy_rnn,
}


def run_sections(dtype="float32", return_variables=False):
    """`{section: {name: array}}` of one Session over all sections ("float32"
    or "float64"), and with `return_variables` every variable by TF1 name
    too, as the pair `(sections, variables)`."""
    return run_graph_sections(SECTIONS, dtype, return_variables)


if __name__ == "__main__":
    run_module(__name__)

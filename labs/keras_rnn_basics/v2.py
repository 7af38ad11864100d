"""Lab 12-6, seed 002's Keras shape tour, written for Keras 3.

The seed (Keras 2) declared its input on the first layer; Keras 3 refuses
those arguments (`Unrecognized keyword arguments passed to SimpleRNN`), and
a model starts with `keras.Input` instead:

| seed 002 (Keras 2)                                   | Keras 3                                          |
|------------------------------------------------------|--------------------------------------------------|
| `SimpleRNN(3, input_shape=(2, 10))`                  | `Sequential([keras.Input(shape=(2, 10)), SimpleRNN(3)])` |
| `SimpleRNN(3, input_length=2, input_dim=10)`         | the same                                         |
| `SimpleRNN(3, batch_input_shape=(8, 2, 10))`         | `Sequential([keras.Input(batch_shape=(8, 2, 10)), SimpleRNN(3)])` |
| `Bidirectional(SimpleRNN(8, ...), input_shape=(10, 4))` | `keras.Input(shape=(10, 4))` first            |
| `TimeDistributed(Dense(8), input_shape=(10, 16))`    | `keras.Input(shape=(10, 16))` first              |

The layers themselves (`SimpleRNN`, `LSTM`, `return_sequences`,
`return_state`, `Bidirectional`, `TimeDistributed(Dense)`) are unchanged.

Each section is a small `keras.Model` returning the seed's tensors by name
(as in `labs.keras_rnn_basics.v1`, which lists the sections and shapes):
sections 1-4 call one layer on `train_X`, as the seed did; sections 5-8 build
the seed's `Sequential` models. A `Sequential` returns only its last layer's
output; the deep and bidirectional sections read the other layers' outputs
from the same model (`layer.output`), and the final state of a
`return_sequences` RNN is its last step (the backward half of a
`Bidirectional` layer reads the sequence reversed: its final state is at step
0, in the last `HIDDEN_SIZE` features).

Section 9 loads the seed's numpy weights into a `SimpleRNN`: Keras multiplies
row vectors, `x_t @ kernel + h_{t-1} @ recurrent_kernel + bias`, so the
seed's `Wx @ x_t + Wh @ h_{t-1} + b` is `kernel = Wx.T`,
`recurrent_kernel = Wh.T`.

`run_sections(dtype)` returns `{section: {name: array}}`. Given the TF1
variables of `v1.run_sections(..., return_variables=True)`, it first loads
them into the layers through `TRANSFER_PLANS` (`compat.weights`: the TF1
kernel of a `BasicRNNCell` splits into `kernel` and `recurrent_kernel`), so
both forms compute with the same weights. Without them the layers keep
Keras's initialisation after `keras.utils.set_random_seed(777)`, as the seed
stressed: "look at the shapes, not the values".
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

from compat.weights import Link, TransferPlan  # noqa: E402
from labs.harness import run_module  # noqa: E402
from labs.harness.sections import run_keras_sections  # noqa: E402
from labs.keras_rnn_basics import data  # noqa: E402


def _train_x_input(dtype):
    train_x = data.train_x(dtype)
    return keras.Input(shape=train_x.shape[1:], dtype=dtype, name="train_X"), train_x


def simple_rnn(dtype):
    """`SimpleRNN(3)`: the last step's hidden state only, (1, 3)."""
    x, train_x = _train_x_input(dtype)
    rnn = layers.SimpleRNN(data.UNITS, dtype=dtype, name="rnn")
    hidden_state = rnn(x)
    return keras.Model(x, {"hidden_state": hidden_state}), train_x


def return_sequences(dtype):
    """`SimpleRNN(3, return_sequences=True)`: every step, (1, 4, 3)."""
    x, train_x = _train_x_input(dtype)
    rnn = layers.SimpleRNN(data.UNITS, return_sequences=True, dtype=dtype,
                           name="rnn")
    hidden_states = rnn(x)
    return keras.Model(x, {"hidden_states": hidden_states}), train_x


def return_state(dtype):
    """`return_sequences=True, return_state=True`: (1, 4, 3) and (1, 3)."""
    x, train_x = _train_x_input(dtype)
    rnn = layers.SimpleRNN(data.UNITS, return_sequences=True,
                           return_state=True, dtype=dtype, name="rnn")
    hidden_states, last_state = rnn(x)
    return keras.Model(x, {"hidden_states": hidden_states,
                           "last_state": last_state}), train_x


def lstm(dtype):
    """`LSTM(3, return_state=True)` without and with `return_sequences`:
    output, last h and last c."""
    x, train_x = _train_x_input(dtype)
    lstm = layers.LSTM(data.UNITS, return_sequences=False, return_state=True,
                       dtype=dtype, name="return_state")
    hidden_state, last_state, last_cell_state = lstm(x)
    lstm = layers.LSTM(data.UNITS, return_sequences=True, return_state=True,
                       dtype=dtype, name="return_sequences")
    hidden_states, last_hidden_state, cell_state = lstm(x)
    return keras.Model(x, {
        "return_state/hidden_state": hidden_state,
        "return_state/last_state": last_state,
        "return_state/last_cell_state": last_cell_state,
        "return_sequences/hidden_states": hidden_states,
        "return_sequences/last_hidden_state": last_hidden_state,
        "return_sequences/last_cell_state": cell_state}), train_x


def sequential_models(dtype):
    """The seed's three models of section 5, by the Keras 2 argument they
    show: `input_shape` -> (None, 3), `batch_input_shape` -> (8, 3), and
    with `return_sequences` -> (8, 2, 3)."""
    batch_shape = (data.BATCH_SIZE, *data.MODEL_INPUT_SHAPE)
    return {
        "input_shape": keras.Sequential([
            keras.Input(shape=data.MODEL_INPUT_SHAPE, dtype=dtype,
                        name="input_shape"),
            layers.SimpleRNN(data.UNITS, dtype=dtype, name="input_shape_rnn")]),
        "batch_input_shape": keras.Sequential([
            keras.Input(batch_shape=batch_shape, dtype=dtype,
                        name="batch_input_shape"),
            layers.SimpleRNN(data.UNITS, dtype=dtype,
                             name="batch_input_shape_rnn")]),
        "return_sequences": keras.Sequential([
            keras.Input(batch_shape=batch_shape, dtype=dtype,
                        name="return_sequences"),
            layers.SimpleRNN(data.UNITS, return_sequences=True, dtype=dtype,
                             name="return_sequences_rnn")]),
    }


def sequential(dtype):
    """Section 5's three models side by side, on one batch of 8."""
    models = sequential_models(dtype)
    batch = data.model_inputs("sequential", dtype)
    inputs = {name: model.inputs[0] for name, model in models.items()}
    outputs = {"input_shape/hidden_state": models["input_shape"].outputs[0],
               "batch_input_shape/hidden_state": models["batch_input_shape"].outputs[0],
               "return_sequences/hidden_states": models["return_sequences"].outputs[0]}
    return keras.Model(inputs, outputs), {name: batch for name in models}


def deep_model(dtype):
    """Two stacked `SimpleRNN(hidden_size, return_sequences=True)`."""
    return keras.Sequential([
        keras.Input(shape=(data.TIMESTEPS, data.INPUT_DIM), dtype=dtype),
        *(layers.SimpleRNN(data.HIDDEN_SIZE, return_sequences=True,
                           dtype=dtype, name=f"simple_rnn_{k}")
          for k in range(data.NUM_STACKED_LAYERS))])


def deep(dtype):
    """The top layer's sequences (8, 10, 8) and each layer's final state."""
    model = deep_model(dtype)
    sequences = [layer.output for layer in model.layers]
    outputs = {"hidden_states": model.outputs[0]}
    outputs.update((f"last_state_{k}", hidden_states[:, -1])
                   for k, hidden_states in enumerate(sequences))
    return (keras.Model(model.inputs[0], outputs),
            data.model_inputs("deep", dtype))


def bidirectional_model(dtype):
    """`Bidirectional(SimpleRNN(8, return_sequences=True))`, twice: (None, 10, 16)."""
    return keras.Sequential([
        keras.Input(shape=(data.TIMESTEPS, data.INPUT_DIM), dtype=dtype),
        *(layers.Bidirectional(
            layers.SimpleRNN(data.HIDDEN_SIZE, return_sequences=True,
                             dtype=dtype),
            dtype=dtype, name=f"bidirectional_{k}")
          for k in range(data.NUM_STACKED_LAYERS))])


def bidirectional(dtype):
    """Both layers' sequences (8, 10, 16), forward then backward features,
    and the top layer's final forward and backward states."""
    model = bidirectional_model(dtype)
    outputs = {f"hidden_states_{k}": layer.output
               for k, layer in enumerate(model.layers[:-1])}
    hidden_states = model.outputs[0]
    outputs.update(hidden_states=hidden_states,
                   last_state_fw=hidden_states[:, -1, :data.HIDDEN_SIZE],
                   last_state_bw=hidden_states[:, 0, data.HIDDEN_SIZE:])
    return (keras.Model(model.inputs[0], outputs),
            data.model_inputs("bidirectional", dtype))


def time_distributed_model(dtype):
    """`TimeDistributed(Dense(8))` on (10, 16): (None, 10, 8)."""
    return keras.Sequential([
        keras.Input(shape=data.TIME_DISTRIBUTED_INPUT_SHAPE, dtype=dtype),
        layers.TimeDistributed(
            layers.Dense(data.TIME_DISTRIBUTED_UNITS, dtype=dtype),
            dtype=dtype, name="time_distributed")])


def time_distributed(dtype):
    model = time_distributed_model(dtype)
    return (keras.Model(model.inputs[0], {"outputs": model.outputs[0]}),
            data.model_inputs("time_distributed", dtype))


def numpy_rnn(dtype):
    """The seed's numpy RNN as a `SimpleRNN(8)` with its weights: (10, 8)."""
    inputs, Wx, Wh, b = data.numpy_rnn_draws(dtype)
    x = keras.Input(shape=inputs.shape, dtype=dtype, name="inputs")
    rnn = layers.SimpleRNN(data.HIDDEN_SIZE, return_sequences=True,
                           dtype=dtype, name="rnn")
    total_hidden_states = rnn(x)
    rnn.set_weights([Wx.T, Wh.T, b])
    # One sequence, as the seed fed it: drop the batch axis of one.
    return (keras.Model(x, {"total_hidden_states": total_hidden_states[0]}),
            inputs[np.newaxis])


# Section -> builder returning (model, inputs), in the order of LABS.md.
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


def _one_rnn():
    return TransferPlan([Link("rnn/basic_rnn_cell", "rnn", kind="basic_rnn")])


# Section -> which TF1 variable scope (inside the section's scope) feeds which
# Keras layer.
TRANSFER_PLANS = {
    "simple_rnn": _one_rnn(),
    "return_sequences": _one_rnn(),
    "return_state": _one_rnn(),
    "lstm": TransferPlan([
        Link(f"{model}/rnn/basic_lstm_cell", model, kind="basic_lstm")
        for model in ("return_state", "return_sequences")]),
    "sequential": TransferPlan([
        Link(f"{model}/rnn/basic_rnn_cell", f"{model}_rnn", kind="basic_rnn")
        for model in ("input_shape", "batch_input_shape", "return_sequences")]),
    "deep": TransferPlan([
        Link(f"rnn/multi_rnn_cell/cell_{k}/basic_rnn_cell", f"simple_rnn_{k}",
             kind="basic_rnn")
        for k in range(data.NUM_STACKED_LAYERS)]),
    "bidirectional": TransferPlan([
        Link(f"layer_{k}/bidirectional_rnn/{tf1_side}/basic_rnn_cell",
             f"bidirectional_{k}/{keras_side}", kind="basic_rnn")
        for k in range(data.NUM_STACKED_LAYERS)
        for tf1_side, keras_side in (("fw", "forward"), ("bw", "backward"))]),
    "time_distributed": TransferPlan([
        Link("fully_connected", "time_distributed", kind="dense")]),
    "numpy_rnn": _one_rnn(),
}


def run_sections(dtype="float32", tf1_variables=None):
    """Runs every section; returns `{section: {name: numpy array}}`.

    Args:
      dtype: "float32" or "float64", for the data, weights and results.
      tf1_variables: optional `{TF1 variable name: array}` from
        `labs.keras_rnn_basics.v1.run_sections(..., return_variables=True)`;
        the layers get those weights first.
    """
    return run_keras_sections(SECTIONS, TRANSFER_PLANS, dtype, tf1_variables)


if __name__ == "__main__":
    run_module(__name__)

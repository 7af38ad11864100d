"""Lab 12-0, RNN basics, in Keras 3: the notebook's sections as Keras layers.

Each section of the TF1 notebook ran one RNN over a hand-made batch and printed
the outputs; here each section is a small functional `keras.Model` with the
layer that replaces the TF1 cell + `dynamic_rnn` pair:

| notebook (TF1)                              | Keras 3                                       |
|---------------------------------------------|-----------------------------------------------|
| `BasicRNNCell(n)` + `dynamic_rnn`           | `SimpleRNN(n, return_sequences=True, return_state=True)` |
| `BasicLSTMCell(n)` / `LSTMCell(n)` + `dynamic_rnn` | `LSTM(n, return_sequences=True, return_state=True)` |
| final state `LSTMStateTuple(c, h)`          | `[outputs, h, c]`: h first                    |
| `initial_state=cell.zero_state(batch)`      | `initial_state=[h0, c0]`                       |
| `MultiRNNCell([LSTMCell(5) for _ in range(3)])`    | three stacked `LSTM(5, return_sequences=True)` |
| `sequence_length=lengths`                   | `mask=t < lengths[:, None]`, `zero_output_for_mask=True` |
| `bidirectional_dynamic_rnn(fw, bw, ...)`    | `Bidirectional(LSTM(...), merge_mode=None)`    |
| `seq2seq.sequence_loss(logits, y, w)`       | `sum(w * sparse_categorical_crossentropy(y, logits, from_logits=True)) / sum(w)` |

Sequence lengths become a boolean mask. `dynamic_rnn(sequence_length=...)`
stops each row after its length, whatever the data there. `keras.layers.Masking`
cannot say that: it masks a step only when *all* its features equal
`mask_value`, and the steps past each length here hold real letters (a one-hot
row is never all zeros) or real numbers. So the mask is built from the lengths,
`mask[b, t] = t < sequence_length[b]`, and passed as the layer's `mask=`.

`zero_output_for_mask=True` is needed too. With a mask, Keras and `dynamic_rnn`
agree on the final state (the state at each row's last valid step), but for
the masked steps Keras by default repeats the last valid output, while
`dynamic_rnn` writes zeros there. `Bidirectional` switches zeros on for both
of its layers by itself; a bare `LSTM` needs the argument.

`LSTM` also differs in where the forget bias lives: TF1 adds `forget_bias=1.0`
at run time, Keras stores it in the bias (`unit_forget_bias=True` initialises
the forget block to 1). `compat.weights` adds it when it copies TF1 weights.

The three stacked LSTMs are what the notebook meant by
`MultiRNNCell([cell] * 3)`: three layers, each with its own weights (see
`labs.rnn_basics.v1` for why that line has to be written differently today).

The flatten-based softmax is plain `keras.ops`, and the `sequence_loss`
examples weight the stock Keras loss function: `Σ w·ce / Σ w`, exactly what
`sequence_loss` computes with its default flags. (Keras 3.8 and newer spell
the same as `SparseCategoricalCrossentropy(from_logits=True,
reduction="mean_with_sample_weight", dtype=dtype)`; Keras 3.3 has neither that
reduction nor the loss classes' `dtype`, without which they compute in
float32.)

`run_sections(dtype)` runs every section and returns, per section, a dict of
numpy arrays named as in `labs.rnn_basics.v1` ("outputs", "state", "state_c",
"state_h", "outputs_fw", "state_bw_h", ..., "loss1", ...). Given the TF1
variables of a `v1.run_sections(..., return_variables=True)` run, it loads
them into the Keras layers first, so both forms compute the same numbers.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers, ops  # noqa: E402

from compat.weights import Link, TransferPlan  # noqa: E402
from labs.harness import run_module  # noqa: E402
from labs.harness.sections import run_keras_sections  # noqa: E402
from labs.rnn_basics import data  # noqa: E402


def length_mask(sequence_length, steps):
    """Boolean mask `[batch, steps]`: True where `t < sequence_length[b]`."""
    return ops.less(ops.arange(steps)[None, :],
                    ops.expand_dims(sequence_length, 1))


def _sequence_input(x_data, dtype):
    return keras.Input(x_data.shape[1:], dtype=dtype, name="x")


def one_cell(dtype):
    """One step of a 2-unit RNN on the letter h: outputs (1, 1, 2)."""
    x_data = data.one_hot_words(["h"], dtype)
    x = _sequence_input(x_data, dtype)
    outputs, state = layers.SimpleRNN(
        data.HELLO_HIDDEN_SIZE, return_sequences=True, return_state=True,
        dtype=dtype, name="rnn")(x)
    return keras.Model(x, {"outputs": outputs, "state": state}), x_data


def two_sequences(dtype):
    """The same RNN unrolled over "hello": outputs (1, 5, 2)."""
    x_data = data.one_hot_words(["hello"], dtype)
    x = _sequence_input(x_data, dtype)
    outputs, state = layers.SimpleRNN(
        data.HELLO_HIDDEN_SIZE, return_sequences=True, return_state=True,
        dtype=dtype, name="rnn")(x)
    return keras.Model(x, {"outputs": outputs, "state": state}), x_data


def _lstm(units, dtype, name="lstm", **kwargs):
    return layers.LSTM(units, return_sequences=True, return_state=True,
                       dtype=dtype, name=name, **kwargs)


def three_batches(dtype):
    """A 2-unit LSTM over hello, eolll, lleel: outputs (3, 5, 2)."""
    x_data = data.one_hot_words(data.THREE_WORDS, dtype)
    x = _sequence_input(x_data, dtype)
    outputs, h, c = _lstm(data.HELLO_HIDDEN_SIZE, dtype)(x)
    return keras.Model(x, {"outputs": outputs, "state_c": c, "state_h": h}), x_data


def _masked_lstm_section(x_data, units, sequence_length, dtype):
    x = _sequence_input(x_data, dtype)
    lengths = keras.Input((), dtype="int32", name="sequence_length")
    mask = length_mask(lengths, x_data.shape[1])
    # Zeros past each length, as dynamic_rnn; Keras would repeat the last output.
    outputs, h, c = _lstm(units, dtype, zero_output_for_mask=True)(x, mask=mask)
    model = keras.Model({"x": x, "sequence_length": lengths},
                        {"outputs": outputs, "state_c": c, "state_h": h})
    return model, {"x": x_data, "sequence_length": sequence_length}


def three_batches_dynamic_length(dtype):
    """As `three_batches`, rows stopping after 5, 3 and 4 steps."""
    return _masked_lstm_section(
        data.one_hot_words(data.THREE_WORDS, dtype), data.HELLO_HIDDEN_SIZE,
        data.sequence_length("3_batches_dynamic_length"), dtype)


def initial_state(dtype):
    """As `three_batches`, starting from an explicit all-zero state."""
    x_data = data.one_hot_words(data.THREE_WORDS, dtype)
    batch_size, units = x_data.shape[0], data.HELLO_HIDDEN_SIZE
    x = _sequence_input(x_data, dtype)
    h0 = keras.Input((units,), dtype=dtype, name="initial_h")
    c0 = keras.Input((units,), dtype=dtype, name="initial_c")
    outputs, h, c = _lstm(units, dtype)(x, initial_state=[h0, c0])
    model = keras.Model({"x": x, "initial_h": h0, "initial_c": c0},
                        {"outputs": outputs, "state_c": c, "state_h": h})
    zeros = np.zeros((batch_size, units), dtype=dtype)
    return model, {"x": x_data, "initial_h": zeros, "initial_c": zeros}


def generated_data(dtype):
    """A 5-unit LSTM over arange(45) as (3, 5, 3): outputs (3, 5, 5)."""
    x_data = data.generated_data(dtype)
    x = _sequence_input(x_data, dtype)
    outputs, h, c = _lstm(data.GENERATED_HIDDEN_SIZE, dtype)(x)
    return keras.Model(x, {"outputs": outputs, "state_c": c, "state_h": h}), x_data


def multi_rnn_cell(dtype):
    """Three stacked 5-unit LSTMs, each with its own weights: (3, 5, 5)."""
    x_data = data.generated_data(dtype)
    x = _sequence_input(x_data, dtype)
    layer_input, states = x, {}
    for index in range(data.NUM_STACKED_LAYERS):
        layer_input, h, c = _lstm(
            data.GENERATED_HIDDEN_SIZE, dtype, name=f"lstm_{index}")(layer_input)
        states[f"state_{index}_c"], states[f"state_{index}_h"] = c, h
    return keras.Model(x, {"outputs": layer_input, **states}), x_data


def dynamic_rnn(dtype):
    """The 5-unit LSTM on generated_data, rows stopping after 1, 3, 2 steps."""
    return _masked_lstm_section(
        data.generated_data(dtype), data.GENERATED_HIDDEN_SIZE,
        data.sequence_length("dynamic_rnn"), dtype)


def bi_directional(dtype):
    """Forward and backward 5-unit LSTMs, lengths 2, 3, 1, outputs unmerged."""
    x_data = data.generated_data(dtype)
    x = _sequence_input(x_data, dtype)
    lengths = keras.Input((), dtype="int32", name="sequence_length")
    mask = length_mask(lengths, x_data.shape[1])
    outputs_fw, outputs_bw, fw_h, fw_c, bw_h, bw_c = layers.Bidirectional(
        _lstm(data.GENERATED_HIDDEN_SIZE, dtype), merge_mode=None,
        dtype=dtype, name="bidirectional")(x, mask=mask)
    model = keras.Model(
        {"x": x, "sequence_length": lengths},
        {"outputs_fw": outputs_fw, "outputs_bw": outputs_bw,
         "state_fw_c": fw_c, "state_fw_h": fw_h,
         "state_bw_c": bw_c, "state_bw_h": bw_h})
    return model, {"x": x_data,
                   "sequence_length": data.sequence_length("bi-directional")}


# Notebook section name -> builder returning (model, inputs).
RNN_SECTIONS = {
    "one_cell": one_cell,
    "two_sequences": two_sequences,
    "3_batches": three_batches,
    "3_batches_dynamic_length": three_batches_dynamic_length,
    "initial_state": initial_state,
    "generated_data": generated_data,
    "MultiRNNCell": multi_rnn_cell,
    "dynamic_rnn": dynamic_rnn,
    "bi-directional": bi_directional,
}


def flatten_based_softmax(dtype):
    """Rows of depth 3 through one (3, 5) matrix: (batch, seq, class) logits."""
    x = data.generated_data(dtype)
    batch_size, sequence_length, depth = x.shape
    x_for_softmax = ops.reshape(x, (-1, depth))
    logits = ops.matmul(x_for_softmax, data.softmax_weights(dtype))
    return {"outputs": ops.reshape(
        logits, (batch_size, sequence_length, data.SOFTMAX_NUM_CLASSES))}


def sequence_loss(logits, targets, weights):
    """`seq2seq.sequence_loss` with its default flags: `Σ w·ce / Σ w`."""
    crossentropy = keras.losses.sparse_categorical_crossentropy(
        targets, logits, from_logits=True)
    return ops.sum(ops.multiply(weights, crossentropy)) / ops.sum(weights)


def sequence_loss_examples(dtype):
    """The notebook's `sequence_loss` values, one scalar per example."""
    results = {}
    for name in data.SEQUENCE_LOSS_LOGITS:
        results[name] = sequence_loss(*data.sequence_loss_example(name, dtype))
    return results


# Notebook section name -> the function that computes it.
SECTIONS = {**RNN_SECTIONS, "flatten_based_softmax": flatten_based_softmax,
            "sequence_loss": sequence_loss_examples}


# Section -> which TF1 cell (scope inside the section's scope) feeds which
# Keras layer. LSTMCell with its defaults maps like BasicLSTMCell.
TRANSFER_PLANS = {
    "one_cell": TransferPlan([Link("rnn/basic_rnn_cell", "rnn", kind="basic_rnn")]),
    "two_sequences": TransferPlan([Link("rnn/basic_rnn_cell", "rnn", kind="basic_rnn")]),
    "3_batches": TransferPlan([Link("rnn/basic_lstm_cell", "lstm", kind="basic_lstm")]),
    "3_batches_dynamic_length": TransferPlan(
        [Link("rnn/basic_lstm_cell", "lstm", kind="basic_lstm")]),
    "initial_state": TransferPlan([Link("rnn/basic_lstm_cell", "lstm", kind="basic_lstm")]),
    "generated_data": TransferPlan([Link("rnn/lstm_cell", "lstm", kind="basic_lstm")]),
    "MultiRNNCell": TransferPlan([
        Link(f"rnn/multi_rnn_cell/cell_{index}/lstm_cell", f"lstm_{index}",
             kind="basic_lstm")
        for index in range(data.NUM_STACKED_LAYERS)]),
    "dynamic_rnn": TransferPlan([Link("rnn/lstm_cell", "lstm", kind="basic_lstm")]),
    "bi-directional": TransferPlan([
        Link("bidirectional_rnn/fw/lstm_cell", "bidirectional/forward", kind="basic_lstm"),
        Link("bidirectional_rnn/bw/lstm_cell", "bidirectional/backward", kind="basic_lstm")]),
}


def run_sections(dtype="float32", tf1_variables=None):
    """Runs every section; returns `{section: {name: numpy array}}`.

    Args:
      dtype: "float32" or "float64", for the data, weights and results.
      tf1_variables: optional `{TF1 variable name: array}` from
        `labs.rnn_basics.v1.run_sections(..., return_variables=True)`; the
        RNN layers get those weights. Without it they keep Keras' own
        initialisation under `keras.utils.set_random_seed(777)`.
    """
    results = run_keras_sections(RNN_SECTIONS, TRANSFER_PLANS, dtype,
                                 tf1_variables)
    results["flatten_based_softmax"] = flatten_based_softmax(dtype)
    results["sequence_loss"] = sequence_loss_examples(dtype)
    return {section: {key: ops.convert_to_numpy(value) for key, value in arrays.items()}
            for section, arrays in results.items()}


if __name__ == "__main__":
    run_module(__name__)

"""Lab 12-0, RNN basics, as the TF1 notebook wrote it: contrib cells + dynamic_rnn.

The notebook ran `tf.InteractiveSession()` and, section after section, built
one cell, unrolled it with `tf.nn.dynamic_rnn` inside
`tf.variable_scope('<section>')` and printed `outputs.eval()`. Here every
section is a function that builds the same ops in the current default graph
and returns the tensors it printed (and the final states it dropped);
`run_sections` builds them all in one fresh `tf.Graph` (graph seed 777) and
runs them in one `Session`.

The cells come from `compat.contrib.rnn`, the removed `tf.contrib.rnn` rebuilt
on `tf.compat.v1` with the TF1 variable names and initial values; importing it
does not switch TensorFlow into graph mode, so this module can share a process
with Keras code.

Sections and the shapes they print:

* one_cell: `BasicRNNCell(2)` on `[[h]]`: outputs (1, 1, 2).
* two_sequences: the same on `[[h, e, l, l, o]]`: (1, 5, 2).
* 3_batches: `BasicLSTMCell(2)` on hello, eolll, lleel: (3, 5, 2); the final
  state is `LSTMStateTuple(c, h)`.
* 3_batches_dynamic_length: `sequence_length=[5, 3, 4]`. Past its length a
  row's outputs are exactly 0 and its state stops changing, so the final h of
  each row equals its output at step `length - 1`.
* initial_state: `initial_state=cell.zero_state(3, dtype)`, which is what
  `dynamic_rnn` starts from anyway.
* generated_data: `LSTMCell(5)` on `arange(45)` shaped (3, 5, 3): (3, 5, 5).
  With its defaults `LSTMCell` computes exactly what `BasicLSTMCell` does.
* MultiRNNCell: three stacked `LSTMCell(5)` layers: (3, 5, 5).
* dynamic_rnn: `LSTMCell(5)` with `sequence_length=[1, 3, 2]`.
* bi-directional: `bidirectional_dynamic_rnn` with two `LSTMCell(5)` and
  `sequence_length=[2, 3, 1]`. It returns `(outputs_fw, outputs_bw)` and
  `(state_fw, state_bw)`, unmerged. The backward cell reads each row's valid
  steps in reverse (`reverse_sequence`), so its final h is its output at step 0.
* flatten_based_softmax: the notebook did this in numpy; here the same with
  TF ops, the way the training labs feed RNN outputs to a softmax layer:
  flatten (3, 5, 3) to (15, 3), multiply by `arange(15)` as (3, 5), reshape
  to (batch, sequence, class) = (3, 5, 5).
* sequence_loss: `seq2seq.sequence_loss` on batch 1, 3 steps, 2 classes,
  targets all 1, weights all 1, for five toy logits. (The notebook printed
  "Loss4" from prediction3 by a typo; loss4 here uses prediction4.)

Why MultiRNNCell builds three cells. The notebook wrote

    cell = rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)
    cell = rnn.MultiRNNCell([cell] * 3, state_is_tuple=True)

Under TF 1.0, where it ran, each layer still got its own weights. From TF 1.1
on, one cell object owns one set of weights, so `[cell] * 3` asks for one
kernel shared by all three layers. Layer 0 reads depth-3 inputs and layers 1
and 2 read depth-5 outputs, so a shared kernel cannot fit all of them and the
line fails. `compat` fails the same way, with a message saying what to do
instead; `shared_cell_stack` keeps the original line to show it. The
section builds one new cell per layer, which is what the notebook meant.

`run_sections(dtype)` returns `{section: {name: array}}` with names
"outputs", "state" (RNN cells), "state_c" / "state_h" (LSTM cells),
"state_<k>_c" / "state_<k>_h" (layer k of MultiRNNCell), "outputs_fw",
"outputs_bw", "state_fw_c", ... (bi-directional) and "loss", "loss1" ...
"loss4". With `return_variables=True` it also returns the values of every
variable it created, by full TF1 name (e.g. "3_batches/rnn/basic_lstm_cell/kernel").
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import rnn, seq2seq  # noqa: E402
from labs.harness import run_module  # noqa: E402
from labs.harness.sections import run_graph_sections  # noqa: E402
from labs.rnn_basics import data  # noqa: E402


def _lstm_state(state, prefix="state"):
    return {f"{prefix}_c": state.c, f"{prefix}_h": state.h}


def one_cell(dtype):
    cell = rnn.BasicRNNCell(num_units=data.HELLO_HIDDEN_SIZE)
    x_data = data.one_hot_words(["h"], dtype)
    outputs, state = tf.nn.dynamic_rnn(cell, x_data, dtype=dtype)
    return {"outputs": outputs, "state": state}


def two_sequences(dtype):
    cell = rnn.BasicRNNCell(num_units=data.HELLO_HIDDEN_SIZE)
    x_data = data.one_hot_words(["hello"], dtype)
    outputs, state = tf.nn.dynamic_rnn(cell, x_data, dtype=dtype)
    return {"outputs": outputs, "state": state}


def three_batches(dtype):
    cell = rnn.BasicLSTMCell(num_units=data.HELLO_HIDDEN_SIZE, state_is_tuple=True)
    x_data = data.one_hot_words(data.THREE_WORDS, dtype)
    outputs, state = tf.nn.dynamic_rnn(cell, x_data, dtype=dtype)
    return {"outputs": outputs, **_lstm_state(state)}


def three_batches_dynamic_length(dtype):
    cell = rnn.BasicLSTMCell(num_units=data.HELLO_HIDDEN_SIZE, state_is_tuple=True)
    x_data = data.one_hot_words(data.THREE_WORDS, dtype)
    outputs, state = tf.nn.dynamic_rnn(
        cell, x_data, dtype=dtype,
        sequence_length=data.sequence_length("3_batches_dynamic_length"))
    return {"outputs": outputs, **_lstm_state(state)}


def initial_state(dtype):
    cell = rnn.BasicLSTMCell(num_units=data.HELLO_HIDDEN_SIZE, state_is_tuple=True)
    x_data = data.one_hot_words(data.THREE_WORDS, dtype)
    zero_state = cell.zero_state(batch_size=x_data.shape[0], dtype=dtype)
    outputs, state = tf.nn.dynamic_rnn(
        cell, x_data, initial_state=zero_state, dtype=dtype)
    return {"outputs": outputs, **_lstm_state(state)}


def generated_data(dtype):
    cell = rnn.LSTMCell(num_units=data.GENERATED_HIDDEN_SIZE, state_is_tuple=True)
    x_data = data.generated_data(dtype)
    outputs, state = tf.nn.dynamic_rnn(cell, x_data, dtype=dtype)
    return {"outputs": outputs, **_lstm_state(state)}


def multi_rnn_cell(dtype):
    cells = [rnn.LSTMCell(num_units=data.GENERATED_HIDDEN_SIZE, state_is_tuple=True)
             for _ in range(data.NUM_STACKED_LAYERS)]
    cell = rnn.MultiRNNCell(cells, state_is_tuple=True)
    x_data = data.generated_data(dtype)
    outputs, states = tf.nn.dynamic_rnn(cell, x_data, dtype=dtype)
    result = {"outputs": outputs}
    for index, state in enumerate(states):
        result.update(_lstm_state(state, prefix=f"state_{index}"))
    return result


def shared_cell_stack(dtype):
    """The notebook's original MultiRNNCell line; raises ValueError today."""
    cell = rnn.LSTMCell(num_units=data.GENERATED_HIDDEN_SIZE, state_is_tuple=True)
    cell = rnn.MultiRNNCell([cell] * data.NUM_STACKED_LAYERS, state_is_tuple=True)
    return tf.nn.dynamic_rnn(cell, data.generated_data(dtype), dtype=dtype)


def dynamic_rnn(dtype):
    cell = rnn.LSTMCell(num_units=data.GENERATED_HIDDEN_SIZE, state_is_tuple=True)
    x_data = data.generated_data(dtype)
    outputs, state = tf.nn.dynamic_rnn(
        cell, x_data, dtype=dtype,
        sequence_length=data.sequence_length("dynamic_rnn"))
    return {"outputs": outputs, **_lstm_state(state)}


def bi_directional(dtype):
    cell_fw = rnn.LSTMCell(num_units=data.GENERATED_HIDDEN_SIZE, state_is_tuple=True)
    cell_bw = rnn.LSTMCell(num_units=data.GENERATED_HIDDEN_SIZE, state_is_tuple=True)
    x_data = data.generated_data(dtype)
    (outputs_fw, outputs_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
        cell_fw, cell_bw, x_data, dtype=dtype,
        sequence_length=data.sequence_length("bi-directional"))
    return {"outputs_fw": outputs_fw, "outputs_bw": outputs_bw,
            **_lstm_state(state_fw, "state_fw"), **_lstm_state(state_bw, "state_bw")}


def flatten_based_softmax(dtype):
    x_data = data.generated_data(dtype)
    batch_size, sequence_length, depth = x_data.shape
    x_for_softmax = tf.reshape(x_data, [-1, depth])
    softmax_w = tf.constant(data.softmax_weights(dtype))
    outputs = tf.matmul(x_for_softmax, softmax_w)
    outputs = tf.reshape(
        outputs, [batch_size, sequence_length, data.SOFTMAX_NUM_CLASSES])
    return {"outputs": outputs}


def sequence_loss_examples(dtype):
    losses = {}
    for name in data.SEQUENCE_LOSS_LOGITS:
        prediction, y_data, weights = data.sequence_loss_example(name, dtype)
        losses[name] = seq2seq.sequence_loss(
            logits=prediction, targets=y_data, weights=weights)
    return losses


# Notebook section name (its variable scope) -> builder.
SECTIONS = {
    "one_cell": one_cell,
    "two_sequences": two_sequences,
    "3_batches": three_batches,
    "3_batches_dynamic_length": three_batches_dynamic_length,
    "initial_state": initial_state,
    "generated_data": generated_data,
    "MultiRNNCell": multi_rnn_cell,
    "dynamic_rnn": dynamic_rnn,
    "bi-directional": bi_directional,
    "flatten_based_softmax": flatten_based_softmax,
    "sequence_loss": sequence_loss_examples,
}


def run_sections(dtype="float32", return_variables=False):
    """Runs every section in a fresh graph with graph seed 777.

    Args:
      dtype: "float32" or "float64", for the data, variables and results.
      return_variables: also return the value of every variable, by name.

    Returns:
      `{section: {name: array}}`, and with `return_variables` the pair
      `(that, {variable name: array})`.
    """
    return run_graph_sections(SECTIONS, dtype, return_variables)


if __name__ == "__main__":
    run_module(__name__)

"""Lab 12-4, RNN with a long sentence, as the course wrote it: TF1 graph + Session.

All 170 ten-character windows of the sentence form one batch. Two stacked
`BasicLSTMCell`s as wide as the vocabulary (25), a linear `fully_connected`
layer, `sequence_loss`, Adam 0.1, 500 full-batch iterations.

    X (170, 10) int -> tf.one_hot (170, 10, 25)
      -> MultiRNNCell([BasicLSTMCell(25), BasicLSTMCell(25)]), dynamic_rnn
      -> outputs (170, 10, 25) -> reshape (1700, 25)
      -> fully_connected(25, None) -> logits (170, 10, 25)

The stack is built by calling `lstm_cell()` once per layer, so each layer is
a new cell with its own weights (`rnn/multi_rnn_cell/cell_0/...`,
`cell_1/...`). The lecture slides wrote `MultiRNNCell([cell] * 2)`, one cell
object twice: TF 1.0 still gave each layer its own weights, TF 1.1 rejected
the line, and later releases silently share one set of weights between the
two layers, a different model. The course file's `lstm_cell()` keeps what
TF 1.0 did. `dynamic_rnn` gets `dtype` and no initial state, so both layers
start from zeros.

The original printed, every iteration, each window's predicted string and
the loss (`sess.run([train_op, mean_loss, outputs])`: the loss and logits of
the forward pass before the update, exactly our record). At the end it
printed the first window's prediction followed by the last character of
every other window's, which spells the sentence once the model has learned
it; our `prediction_text` is that string.

Differences from the original file, none of which changes the computation:
`tf.contrib` is `compat.contrib`; the graph is built by `build(dtype)` in the
harness's own `tf.Graph` (graph seed 777), which runs the Session loop;
`dtype` may be float64.

Run it: `python -m labs.rnn_long_char.v1 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import layers, rnn, seq2seq  # noqa: E402
from labs.harness.spec import GraphLab  # noqa: E402
from labs.rnn_long_char import data  # noqa: E402


def build(dtype="float32"):
    """Builds the lab's graph in the current default graph."""
    X = tf.placeholder(tf.int32, [None, data.SEQUENCE_LENGTH])
    Y = tf.placeholder(tf.int32, [None, data.SEQUENCE_LENGTH])

    # One-hot encoding
    X_one_hot = tf.one_hot(X, data.NUM_CLASSES, dtype=dtype)

    # Make a lstm cell with hidden_size (each unit output vector size)
    def lstm_cell():
        cell = rnn.BasicLSTMCell(data.HIDDEN_SIZE, state_is_tuple=True)
        return cell

    multi_cells = rnn.MultiRNNCell(
        [lstm_cell() for _ in range(data.NUM_LAYERS)], state_is_tuple=True)

    # outputs: unfolding size x hidden size, state = hidden size
    rnn_outputs, _states = tf.nn.dynamic_rnn(multi_cells, X_one_hot,
                                             dtype=dtype)

    # FC layer
    X_for_fc = tf.reshape(rnn_outputs, [-1, data.HIDDEN_SIZE])
    outputs = layers.fully_connected(X_for_fc, data.NUM_CLASSES,
                                     activation_fn=None)

    # reshape out for sequence_loss
    outputs = tf.reshape(
        outputs, [data.BATCH_SIZE, data.SEQUENCE_LENGTH, data.NUM_CLASSES])

    # All weights are 1 (equal weights)
    weights = tf.ones([data.BATCH_SIZE, data.SEQUENCE_LENGTH], dtype=dtype)

    sequence_loss = seq2seq.sequence_loss(
        logits=outputs, targets=Y, weights=weights)
    mean_loss = tf.reduce_mean(sequence_loss)
    optimizer = tf.train.AdamOptimizer(learning_rate=data.LEARNING_RATE)
    train_op = optimizer.minimize(mean_loss)

    return GraphLab(
        feed={X: data.DATA_X, Y: data.DATA_Y},
        loss=mean_loss, train_op=train_op, optimizer=optimizer,
        outputs=outputs,
        tensors={"x": X, "x_one_hot": X_one_hot, "rnn_outputs": rnn_outputs,
                 "logits": outputs})


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

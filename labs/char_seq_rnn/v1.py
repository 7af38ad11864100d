"""Lab 12-2, character sequence RNN, as the course wrote it: TF1 graph + Session.

The sample " if you want you" (leading space) is read one character at a
time: x = " if you want yo", y = "if you want you" (15 steps, 10 distinct
characters). X is fed as indices and one-hot encoded in the graph; one
`BasicLSTMCell` as wide as the vocabulary (10) and a linear `fully_connected`
layer predict the next character at every step. `sequence_loss`, Adam 0.1,
50 full-batch iterations.

    X (1, 15) int -> tf.one_hot (1, 15, 10) -> LSTM outputs (1, 15, 10)
      -> reshape (15, 10) -> fully_connected(10, None) -> logits (1, 15, 10)

The original printed "i loss: l Prediction: str" per iteration (the
prediction after that iteration's update), reaching "if you want you" around
iteration 8 (seed 000's printout: 2.2917416 at iteration 0, 0.00040602093 at
49). Its vocabulary order came from `set()` and changed with PYTHONHASHSEED;
the port fixes it to the order of first appearance (`labs.char_seq_rnn.data`),
so its numbers differ from the printout but are the same on every run.

Differences from the original file, none of which changes the computation:
`tf.contrib` is `compat.contrib`; the graph is built by `build(dtype)` in the
harness's own `tf.Graph` (graph seed 777), which runs the Session loop;
`dtype` may be float64.

Run it: `python -m labs.char_seq_rnn.v1 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import layers, rnn, seq2seq  # noqa: E402
from labs.char_seq_rnn import data  # noqa: E402
from labs.harness.spec import GraphLab  # noqa: E402


def build(dtype="float32"):
    """Builds the lab's graph in the current default graph."""
    X = tf.placeholder(tf.int32, [None, data.SEQUENCE_LENGTH])  # X data
    Y = tf.placeholder(tf.int32, [None, data.SEQUENCE_LENGTH])  # Y label

    # one hot: 1 -> 0 1 0 0 0 0 0 0 0 0
    x_one_hot = tf.one_hot(X, data.NUM_CLASSES, dtype=dtype)
    cell = rnn.BasicLSTMCell(num_units=data.HIDDEN_SIZE, state_is_tuple=True)
    initial_state = cell.zero_state(data.BATCH_SIZE, dtype)
    rnn_outputs, _states = tf.nn.dynamic_rnn(
        cell, x_one_hot, initial_state=initial_state, dtype=dtype)

    # FC layer
    X_for_fc = tf.reshape(rnn_outputs, [-1, data.HIDDEN_SIZE])
    outputs = layers.fully_connected(X_for_fc, data.NUM_CLASSES,
                                     activation_fn=None)

    # reshape out for sequence_loss
    outputs = tf.reshape(
        outputs, [data.BATCH_SIZE, data.SEQUENCE_LENGTH, data.NUM_CLASSES])

    weights = tf.ones([data.BATCH_SIZE, data.SEQUENCE_LENGTH], dtype=dtype)
    sequence_loss = seq2seq.sequence_loss(
        logits=outputs, targets=Y, weights=weights)
    loss = tf.reduce_mean(sequence_loss)
    optimizer = tf.train.AdamOptimizer(learning_rate=data.LEARNING_RATE)
    train = optimizer.minimize(loss)

    return GraphLab(
        feed={X: data.X_DATA, Y: data.Y_DATA},
        loss=loss, train_op=train, optimizer=optimizer, outputs=outputs,
        tensors={"x": X, "x_one_hot": x_one_hot, "rnn_outputs": rnn_outputs,
                 "logits": outputs})


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

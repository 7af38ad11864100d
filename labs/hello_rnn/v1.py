"""Lab 12-1, hello RNN, as the course wrote it: a TF1 graph run by a Session.

One `BasicLSTMCell(5)` reads the one-hot letters of "hihell" (shape (1, 6, 5))
and, through a linear `fully_connected` layer, predicts the next letter at
every step: the target is "ihello". The loss is `sequence_loss` (the mean
softmax cross-entropy over the 6 steps, all weights 1); Adam with learning
rate 0.1 minimises it for 50 full-batch iterations.

    X (1, 6, 5) -> LSTM outputs (1, 6, 5) -> reshape (6, 5)
      -> fully_connected(5, activation_fn=None) -> logits reshaped (1, 6, 5)
      -> sequence_loss(logits, Y, ones) ; prediction = argmax(logits, axis=2)

The original printed, per iteration, the loss and the prediction made *after*
that iteration's update, e.g. "0 loss: 1.71584 prediction: [[2 2 2 3 3 2]]"
then "Prediction str: eeelle", reaching "ihello" within about 10 iterations.
Those TF 1.0 numbers cannot be reproduced today (TF 2 seeds its random ops
differently), the convergence can.

Differences from the original file, none of which changes the computation:
`tf.contrib` is `compat.contrib`; the graph is built by `build(dtype)` in the
harness's own `tf.Graph`, which also sets the graph seed 777 and runs the
Session loop (`labs.harness.session_loop`); `dtype` may be float64.

Run it: `python -m labs.hello_rnn.v1 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import layers, rnn, seq2seq  # noqa: E402
from labs.harness.spec import GraphLab  # noqa: E402
from labs.hello_rnn import data  # noqa: E402


def build(dtype="float32", data=data):
    """Builds the lab's graph in the current default graph.

    `data` holds the words and hyperparameters; lab 12-1y passes its own.
    """
    X = tf.placeholder(
        dtype, [None, data.SEQUENCE_LENGTH, data.INPUT_DIM])  # X one-hot
    Y = tf.placeholder(tf.int32, [None, data.SEQUENCE_LENGTH])  # Y label

    cell = rnn.BasicLSTMCell(num_units=data.HIDDEN_SIZE, state_is_tuple=True)
    initial_state = cell.zero_state(data.BATCH_SIZE, dtype)
    rnn_outputs, _states = tf.nn.dynamic_rnn(
        cell, X, initial_state=initial_state, dtype=dtype)

    # FC layer
    X_for_fc = tf.reshape(rnn_outputs, [-1, data.HIDDEN_SIZE])
    outputs = layers.fully_connected(
        inputs=X_for_fc, num_outputs=data.NUM_CLASSES, activation_fn=None)

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
        feed={X: data.x_one_hot(dtype), Y: data.Y_DATA},
        loss=loss, train_op=train, optimizer=optimizer, outputs=outputs,
        tensors={"x_one_hot": X, "rnn_outputs": rnn_outputs,
                 "logits": outputs})


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

"""Lab 12-3, softmax only, as the course wrote it: TF1 graph + Session.

Lab 12-2's data with the RNN taken out: each one-hot character goes straight
through one softmax layer, so every prediction sees its own character only.

    X (1, 15) int -> tf.one_hot (1, 15, 10) -> reshape (15, 10)
      -> matmul softmax_w (10, 10) + softmax_b (10) -> logits (1, 15, 10)

`softmax_w` and `softmax_b` are plain `tf.get_variable`s with its default
(Glorot uniform) initializer, the bias included. `sequence_loss`, Adam 0.1,
3000 full-batch iterations.

Without context the model cannot beat a floor. In the sample every character
has a single successor except the space, followed by "i", "y", "w" and "y".
The best a context-free model can do is predict, after a space, "i" 1/4, "y"
1/2, "w" 1/4: a cross-entropy of 1.5 ln 2 ~ 1.040 at each of the 4 spaces,
and 4 x 1.040 / 15 ~ 0.277 averaged over the 15 positions. Its argmax, "y",
reads the sample as "yf you yant you". The original stalls exactly there.

Differences from the original file, none of which changes the computation:
the graph is built by `build(dtype)` in the harness's own `tf.Graph` (graph
seed 777), which runs the Session loop; `dtype` may be float64.

Run it: `python -m labs.char_seq_softmax_only.v1 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import seq2seq  # noqa: E402
from labs.char_seq_softmax_only import data  # noqa: E402
from labs.harness.spec import GraphLab  # noqa: E402


def build(dtype="float32"):
    """Builds the lab's graph in the current default graph."""
    X = tf.placeholder(tf.int32, [None, data.SEQUENCE_LENGTH])  # X data
    Y = tf.placeholder(tf.int32, [None, data.SEQUENCE_LENGTH])  # Y label

    # flatten the data (ignore batches for now). No effect if the batch size is 1
    X_one_hot = tf.one_hot(X, data.NUM_CLASSES, dtype=dtype)
    X_for_softmax = tf.reshape(X_one_hot, [-1, data.RNN_HIDDEN_SIZE])

    # softmax layer (rnn_hidden_size -> num_classes)
    softmax_w = tf.get_variable(
        "softmax_w", [data.RNN_HIDDEN_SIZE, data.NUM_CLASSES], dtype=dtype)
    softmax_b = tf.get_variable("softmax_b", [data.NUM_CLASSES], dtype=dtype)
    outputs = tf.matmul(X_for_softmax, softmax_w) + softmax_b

    # expand the data (revive the batches)
    outputs = tf.reshape(
        outputs, [data.BATCH_SIZE, data.SEQUENCE_LENGTH, data.NUM_CLASSES])
    weights = tf.ones([data.BATCH_SIZE, data.SEQUENCE_LENGTH], dtype=dtype)

    # Compute sequence cost/loss
    sequence_loss = seq2seq.sequence_loss(
        logits=outputs, targets=Y, weights=weights)
    loss = tf.reduce_mean(sequence_loss)  # mean all sequence loss
    optimizer = tf.train.AdamOptimizer(learning_rate=data.LEARNING_RATE)
    train = optimizer.minimize(loss)

    return GraphLab(
        feed={X: data.X_DATA, Y: data.Y_DATA},
        loss=loss, train_op=train, optimizer=optimizer, outputs=outputs,
        tensors={"x": X, "x_one_hot": X_one_hot, "logits": outputs})


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

"""Lab 12-7, RNN language model, as a TF1 lab would have written it.

Seed 002 wrote this model in Keras 2 (see `labs.rnn_language_model.v2`); this
is the same model in the course's TF1 idiom: an embedding matrix looked up by
word index, a `BasicRNNCell` run by `dynamic_rnn`, the last step's output,
a linear `fully_connected` layer and the softmax cross-entropy of its logits
against the next word.

    X (11, 5) word indices -> embedding_lookup(embedding [12, 10]) (11, 5, 10)
      -> BasicRNNCell(32), dynamic_rnn -> outputs (11, 5, 32)
      -> outputs[:, -1] (11, 32) -> fully_connected(12, activation_fn=None)
      -> logits (11, 12)
    loss = mean over the 11 samples of
           sparse_softmax_cross_entropy_with_logits(labels=Y, logits=logits)

The embedding starts uniform in [-0.05, 0.05], as Keras 2's `Embedding` did.
Its gradient is sparse (`tf.IndexedSlices`: one row per looked-up word), and
`AdamOptimizer` applies it through its sparse path: duplicate rows summed,
both moments of *every* row decayed, only the looked-up rows' moments fed
the gradient (see `compat.optimizers`). Adam runs with the seed's Keras 2
defaults, learning rate 0.001 and epsilon 1e-7 (TF1's default was 1e-8),
for 200 full-batch iterations: the seed's 200 epochs of `fit` at batch size
32 on 11 samples.

After training, `evaluate` writes the seed's three sentences from their
first words with `sentence_generation` (argmax, word by word), each step a
`sess.run` of the logits on the text so far.

Differences from a course file, none of which changes the computation:
`tf.contrib` is `compat.contrib`; the graph is built by `build(dtype)` in the
harness's own `tf.Graph` (graph seed 777), which runs the Session loop;
`dtype` may be float64.

Run it: `python -m labs.rnn_language_model.v1 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import layers, rnn  # noqa: E402
from labs.harness.spec import Evaluation, GraphLab  # noqa: E402
from labs.rnn_language_model import data  # noqa: E402


def build(dtype="float32"):
    """Builds the lab's graph in the current default graph."""
    x_data, y_data = data.training_data()

    X = tf.placeholder(tf.int32, [None, data.MAX_LEN - 1])  # word indices
    Y = tf.placeholder(tf.int32, [None])  # the next word

    embedding = tf.get_variable(
        "embedding", [data.VOCAB_SIZE, data.EMBEDDING_DIM], dtype=dtype,
        initializer=tf.random_uniform_initializer(-0.05, 0.05))
    x_embedded = tf.nn.embedding_lookup(embedding, X)

    cell = rnn.BasicRNNCell(num_units=data.HIDDEN_SIZE)
    outputs, _states = tf.nn.dynamic_rnn(cell, x_embedded, dtype=dtype)
    last_output = outputs[:, -1]  # the output after the last word
    logits = layers.fully_connected(
        last_output, data.VOCAB_SIZE, activation_fn=None)

    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=Y, logits=logits))
    optimizer = tf.train.AdamOptimizer(
        learning_rate=data.LEARNING_RATE, epsilon=data.EPSILON)
    train = optimizer.minimize(loss)

    def evaluate(sess):
        """The seed's three sentences, generated from their first words."""
        _sentences, generated = data.generate_all(
            lambda encoded: sess.run(logits, feed_dict={X: encoded}))
        return Evaluation(arrays={"generated": generated})

    return GraphLab(
        feed={X: x_data, Y: y_data},
        loss=loss, train_op=train, optimizer=optimizer, outputs=logits,
        tensors={"x": X, "embedded": x_embedded, "rnn_outputs": outputs,
                 "last_output": last_output, "logits": logits},
        evaluate=evaluate)


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

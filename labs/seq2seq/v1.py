"""Lab 12-8, seq2seq, as the course would have written it in its TF1 labs:
a TF1 graph run by a Session.

An encoder LSTM reads the 7 one-hot digits and keeps only its last output, a
32-number summary of the whole sequence. That summary is repeated 7 times
(Keras's `RepeatVector(7)`: `tf.expand_dims` then `tf.tile` along time) and
fed, step after step, to a decoder LSTM, whose outputs a linear
`fully_connected` layer turns into letter logits at every step:

    X (N, 7, 20) -> encoder BasicLSTMCell(32), dynamic_rnn
      -> encoder_outputs (N, 7, 32) -> [:, -1] last_output (N, 32)
      -> expand_dims (N, 1, 32) -> tile [1, 7, 1] decoder_inputs (N, 7, 32)
      -> decoder BasicLSTMCell(32), dynamic_rnn -> decoder_outputs (N, 7, 32)
      -> reshape (7N, 32) -> fully_connected(20, None) -> logits (N, 7, 20)
      -> sequence_loss(logits, Y, ones) ; prediction = argmax(logits, axis=2)

The two cells live in their own variable scopes ("encoder", "decoder"): two
`dynamic_rnn` calls in one scope would both ask for "rnn/basic_lstm_cell".
Training: Adam, minibatches of `data.BATCH_SIZE` in the fixed order of
`labs.harness.batches` (see `labs.seq2seq.data` for why). The test step
decodes the training samples and the held-out ones and reports, for each,
the accuracy per character and per sequence.

The original (Keras 2) printed `fit`'s progress, then 10 fresh samples as
"3141592  ->  dbebfjc  true:  dbebfjc"; `python -m labs.seq2seq.v1` prints
the first 10 held-out samples that way.

Differences from the original, none of which changes the model: the graph is
built by `build(dtype)` in the harness's own `tf.Graph` (graph seed 777),
which runs the Session loop and then `evaluate`; `dtype` may be float64.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import layers, rnn, seq2seq  # noqa: E402
from labs.harness.spec import Evaluation, GraphLab  # noqa: E402
from labs.seq2seq import data  # noqa: E402


def build(dtype="float32"):
    """Builds the lab's graph in the current default graph."""
    trainX, trainY, testX, testY = data.dataset(dtype)

    X = tf.placeholder(dtype, [None, data.SEQ_LENGTH, data.DATA_DIM])
    Y = tf.placeholder(tf.int32, [None, data.SEQ_LENGTH])
    batch_size = tf.shape(X)[0]

    # encoder: read the digits, keep the last output only
    with tf.variable_scope("encoder"):
        encoder_cell = rnn.BasicLSTMCell(
            num_units=data.HIDDEN_SIZE, state_is_tuple=True)
        encoder_outputs, _states = tf.nn.dynamic_rnn(
            encoder_cell, X, dtype=dtype)
    last_output = encoder_outputs[:, -1]

    # RepeatVector: the same summary as the decoder's input at every step
    decoder_inputs = tf.tile(tf.expand_dims(last_output, axis=1),
                             [1, data.SEQ_LENGTH, 1])

    # decoder: write the letters
    with tf.variable_scope("decoder"):
        decoder_cell = rnn.BasicLSTMCell(
            num_units=data.HIDDEN_SIZE, state_is_tuple=True)
        decoder_outputs, _states = tf.nn.dynamic_rnn(
            decoder_cell, decoder_inputs, dtype=dtype)

    # FC layer at every step
    X_for_fc = tf.reshape(decoder_outputs, [-1, data.HIDDEN_SIZE])
    outputs = layers.fully_connected(
        inputs=X_for_fc, num_outputs=data.NUM_CLASSES, activation_fn=None)
    outputs = tf.reshape(outputs,
                         [batch_size, data.SEQ_LENGTH, data.NUM_CLASSES])

    weights = tf.ones([batch_size, data.SEQ_LENGTH], dtype=dtype)
    sequence_loss = seq2seq.sequence_loss(
        logits=outputs, targets=Y, weights=weights)
    loss = tf.reduce_mean(sequence_loss)
    optimizer = tf.train.AdamOptimizer(learning_rate=data.LEARNING_RATE)
    train = optimizer.minimize(loss)

    # accuracy per character and per sequence
    prediction = tf.argmax(outputs, axis=2, output_type=tf.int32)
    correct = tf.equal(prediction, Y)
    char_accuracy = tf.reduce_mean(tf.cast(correct, dtype))
    sequence_accuracy = tf.reduce_mean(
        tf.cast(tf.reduce_all(correct, axis=1), dtype))

    def evaluate(sess):
        """The test step: decode the training samples, then the held-out
        ones."""
        train_char_acc, train_sequence_acc = sess.run(
            [char_accuracy, sequence_accuracy],
            feed_dict={X: trainX, Y: trainY})
        predicted, char_acc, sequence_acc = sess.run(
            [prediction, char_accuracy, sequence_accuracy],
            feed_dict={X: testX, Y: testY})
        return Evaluation(
            metrics={"train_char_accuracy": train_char_acc,
                     "train_sequence_accuracy": train_sequence_acc,
                     "test_char_accuracy": char_acc,
                     "test_sequence_accuracy": sequence_acc},
            arrays={"test_predictions": predicted})

    return GraphLab(
        feed={X: trainX, Y: trainY},
        loss=loss, train_op=train, optimizer=optimizer, outputs=outputs,
        tensors={"x_one_hot": X, "encoder_outputs": encoder_outputs,
                 "last_output": last_output,
                 "decoder_inputs": decoder_inputs,
                 "decoder_outputs": decoder_outputs, "logits": outputs},
        evaluate=evaluate, batch_size=data.BATCH_SIZE)


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

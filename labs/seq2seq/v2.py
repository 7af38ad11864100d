"""Lab 12-8, seq2seq, in Keras 3.

The course's Keras model, written for Keras 3, and the same model as
`labs.seq2seq.v1`:

    x_one_hot (N, 7, 20) -> LSTM(32) last_output (N, 32)
      -> RepeatVector(7) decoder_inputs (N, 7, 32)
      -> LSTM(32, return_sequences=True) decoder_outputs (N, 7, 32)
      -> Dense(20) logits (N, 7, 20)

| TF1 (v1)                                              | Keras 3 (here)          |
|-------------------------------------------------------|-------------------------|
| encoder `BasicLSTMCell(32)` + `dynamic_rnn`, `outputs[:, -1]` | `LSTM(32)` (returns the last output) |
| `tf.tile(tf.expand_dims(last_output, 1), [1, 7, 1])`  | `RepeatVector(7)`       |
| decoder `BasicLSTMCell(32)` + `dynamic_rnn`           | `LSTM(32, return_sequences=True)` |
| reshape, `fully_connected(20, None)`, reshape back    | `Dense(20)` on (N, 7, 32) |
| `sequence_loss(logits, Y, ones)`                      | mean of `sparse_categorical_crossentropy(Y, logits, from_logits=True)` |
| `tf.train.AdamOptimizer(lr)`                          | `Adam(lr, epsilon=1e-8)` |
| accuracy graph on the training and held-out samples   | `SparseCategoricalAccuracy`, and whole sequences with `keras.ops` |

The original (Keras 2) wrote `TimeDistributed(Dense(20))` followed by
`Activation('softmax')` and `categorical_crossentropy` on one-hot targets.
In Keras 3 `Dense` on a 3-D input already applies one kernel at every step
(what `TimeDistributed` did), and the softmax moves into the loss
(`from_logits=True`): the same function, without clipping probabilities,
and the logits are what v1's `fully_connected` returns. Gate order, forget
bias, `unroll=True` (7 steps) and Adam: see `labs.hello_rnn.v2`. The
original trained with `fit(epochs=1000)`; the harness trains the minibatches
of `labs.harness.batches`, the same rows as v1 (`data.BATCH_SIZE`).

Run it: `python -m labs.seq2seq.v2 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from labs.harness.spec import Evaluation, KerasLab  # noqa: E402
from labs.seq2seq import data  # noqa: E402


def build_model(dtype="float32"):
    """The model: 7 one-hot digits in, logits for 7 letters out."""
    x_one_hot = keras.Input(shape=(data.SEQ_LENGTH, data.DATA_DIM),
                            dtype=dtype, name="x_one_hot")
    last_output = keras.layers.LSTM(
        data.HIDDEN_SIZE, unroll=True, dtype=dtype, name="encoder")(x_one_hot)
    decoder_inputs = keras.layers.RepeatVector(
        data.SEQ_LENGTH, dtype=dtype, name="repeat")(last_output)
    decoder_outputs = keras.layers.LSTM(
        data.HIDDEN_SIZE, return_sequences=True, unroll=True, dtype=dtype,
        name="decoder")(decoder_inputs)
    logits = keras.layers.Dense(
        data.NUM_CLASSES, dtype=dtype, name="dense")(decoder_outputs)
    return keras.Model(x_one_hot, logits, name="seq2seq")


def build(dtype="float32"):
    """The model, its loss and optimizer, the data and the test step."""
    train_x, train_y, test_x, test_y = data.dataset(dtype)

    def accuracies(model, x, y):
        """(predicted indices, accuracy per character, per sequence)."""
        # predict_on_batch, not predict: predict's data adapter casts float
        # arrays to keras.config.floatx() (float32).
        logits = model.predict_on_batch(x)
        char_accuracy = keras.metrics.SparseCategoricalAccuracy(dtype=dtype)
        char_accuracy.update_state(y, logits)
        predicted = keras.ops.argmax(logits, axis=-1)
        correct = keras.ops.all(
            keras.ops.equal(predicted, keras.ops.cast(y, predicted.dtype)),
            axis=-1)
        sequence_accuracy = keras.ops.mean(keras.ops.cast(correct, dtype))
        return (keras.ops.convert_to_numpy(predicted).astype("int32"),
                keras.ops.convert_to_numpy(char_accuracy.result()),
                keras.ops.convert_to_numpy(sequence_accuracy))

    def evaluate(model):
        """The test step: decode the training samples, then the held-out
        ones."""
        _, train_char_accuracy, train_sequence_accuracy = accuracies(model, train_x, train_y)
        predicted, char_accuracy, sequence_accuracy = accuracies(model, test_x, test_y)
        return Evaluation(
            metrics={"train_char_accuracy": train_char_accuracy,
                     "train_sequence_accuracy": train_sequence_accuracy,
                     "test_char_accuracy": char_accuracy,
                     "test_sequence_accuracy": sequence_accuracy},
            arrays={"test_predictions": predicted})

    return KerasLab(
        model=build_model(dtype),
        loss=lambda y, logits: keras.ops.mean(
            keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)),
        optimizer=keras.optimizers.Adam(
            learning_rate=data.LEARNING_RATE, epsilon=1e-8),
        learning_rate=data.LEARNING_RATE,
        x=train_x, y=train_y,
        layers={"x_one_hot": "x_one_hot", "last_output": "encoder",
                "decoder_inputs": "repeat", "decoder_outputs": "decoder",
                "logits": "dense"},
        evaluate=evaluate, batch_size=data.BATCH_SIZE)


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

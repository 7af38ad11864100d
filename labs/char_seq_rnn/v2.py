"""Lab 12-2, character sequence RNN, in Keras 3.

The same model as `labs.char_seq_rnn.v1`, as Keras layers:

    x (1, 15) int -> CategoryEncoding(10, "one_hot") (1, 15, 10)
      -> LSTM(10, return_sequences=True) (1, 15, 10) -> Dense(10)
      -> logits (1, 15, 10)

| TF1 (v1)                                         | Keras 3 (here)                  |
|--------------------------------------------------|---------------------------------|
| `tf.one_hot(X, 10)`                              | `CategoryEncoding(10, output_mode="one_hot")` |
| `BasicLSTMCell(10)` + `dynamic_rnn`, zero state  | `LSTM(10, return_sequences=True)` |
| reshape, `fully_connected(10, None)`, reshape    | `Dense(10)` on every time step   |
| `sequence_loss(logits, Y, ones)`                 | mean of `sparse_categorical_crossentropy(Y, logits, from_logits=True)` |
| `tf.train.AdamOptimizer(0.1)`                    | `Adam(0.1, epsilon=1e-8)`       |

With all weights 1, `sequence_loss` is the mean softmax cross-entropy over
the 15 positions, which is exactly the stock loss with its default
"sum_over_batch_size" reduction. The vocabulary is in order of first
appearance (see `labs.char_seq_rnn.data`). Gate order, forget bias,
`unroll=True` and Adam: see `labs.hello_rnn.v2`.

Run it: `python -m labs.char_seq_rnn.v2 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from labs.char_seq_rnn import data  # noqa: E402
from labs.harness.spec import KerasLab  # noqa: E402


def build_model(dtype="float32"):
    """The model: character indices in, logits for the next character out."""
    x = keras.Input(shape=(data.SEQUENCE_LENGTH,), dtype="int32", name="x")
    x_one_hot = keras.layers.CategoryEncoding(
        data.NUM_CLASSES, output_mode="one_hot", dtype=dtype,
        name="x_one_hot")(x)
    rnn_outputs = keras.layers.LSTM(
        data.HIDDEN_SIZE, return_sequences=True, unroll=True, dtype=dtype,
        name="lstm")(x_one_hot)
    logits = keras.layers.Dense(
        data.NUM_CLASSES, dtype=dtype, name="dense")(rnn_outputs)
    return keras.Model(x, logits, name="char_seq_rnn")


def build(dtype="float32"):
    """The model, its loss and optimizer, and the training data."""
    return KerasLab(
        model=build_model(dtype),
        loss=lambda y, logits: keras.ops.mean(
            keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)),
        optimizer=keras.optimizers.Adam(
            learning_rate=data.LEARNING_RATE, epsilon=1e-8),
        learning_rate=data.LEARNING_RATE,
        x=data.X_DATA, y=data.Y_DATA,
        layers={"x": "x", "x_one_hot": "x_one_hot", "rnn_outputs": "lstm",
                "logits": "dense"})


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

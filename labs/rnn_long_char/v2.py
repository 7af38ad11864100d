"""Lab 12-4, RNN with a long sentence, in Keras 3.

The same model as `labs.rnn_long_char.v1`:

    x (170, 10) int -> CategoryEncoding(25, "one_hot") (170, 10, 25)
      -> LSTM(25, return_sequences=True) -> LSTM(25, return_sequences=True)
      -> rnn_outputs (170, 10, 25) -> Dense(25) -> logits (170, 10, 25)

| TF1 (v1)                                              | Keras 3 (here)          |
|-------------------------------------------------------|-------------------------|
| `tf.one_hot(X, 25)`                                   | `CategoryEncoding(25, output_mode="one_hot")` |
| `MultiRNNCell([lstm_cell() for _ in range(2)])` + `dynamic_rnn` | two stacked `LSTM(25, return_sequences=True)` |
| reshape, `fully_connected(25, None)`, reshape          | `Dense(25)` on every step |
| `sequence_loss(logits, Y, ones)`                      | mean of `sparse_categorical_crossentropy(Y, logits, from_logits=True)` |
| `tf.train.AdamOptimizer(0.1)`, 500 iterations         | `Adam(0.1, epsilon=1e-8)` |

A `MultiRNNCell` feeds each layer's output at step t to the next layer at the
same step; running the first layer over the whole sequence and then the
second over its outputs computes the same numbers, which is what two stacked
`LSTM` layers do (`return_sequences=True` on the first hands the second its
full sequence). `keras.layers.RNN([LSTMCell(25), LSTMCell(25)])` would be the
cell-by-cell spelling of the same model. With all weights 1 the stock loss
equals `sequence_loss`; gate order, forget bias, `unroll=True` and Adam: see
`labs.hello_rnn.v2`.

Run it: `python -m labs.rnn_long_char.v2 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from labs.harness.spec import KerasLab  # noqa: E402
from labs.rnn_long_char import data  # noqa: E402


def build_model(dtype="float32"):
    """The model: character windows in, logits for every next character."""
    x = keras.Input(shape=(data.SEQUENCE_LENGTH,), dtype="int32", name="x")
    outputs = keras.layers.CategoryEncoding(
        data.NUM_CLASSES, output_mode="one_hot", dtype=dtype,
        name="x_one_hot")(x)
    for layer in range(data.NUM_LAYERS):
        outputs = keras.layers.LSTM(
            data.HIDDEN_SIZE, return_sequences=True, unroll=True,
            dtype=dtype, name=f"lstm_{layer}")(outputs)
    logits = keras.layers.Dense(
        data.NUM_CLASSES, dtype=dtype, name="dense")(outputs)
    return keras.Model(x, logits, name="rnn_long_char")


def build(dtype="float32"):
    """The model, its loss and optimizer, and the training data."""
    return KerasLab(
        model=build_model(dtype),
        loss=lambda y, logits: keras.ops.mean(
            keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)),
        optimizer=keras.optimizers.Adam(
            learning_rate=data.LEARNING_RATE, epsilon=1e-8),
        learning_rate=data.LEARNING_RATE,
        x=data.DATA_X, y=data.DATA_Y,
        layers={"x": "x", "x_one_hot": "x_one_hot",
                "rnn_outputs": f"lstm_{data.NUM_LAYERS - 1}",
                "logits": "dense"})


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

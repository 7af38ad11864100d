"""Lab 12-1, hello RNN, in Keras 3.

The same model as `labs.hello_rnn.v1`, as Keras layers:

    x_one_hot (1, 6, 5) -> LSTM(5, return_sequences=True) (1, 6, 5)
      -> Dense(5) -> logits (1, 6, 5)

| TF1 (v1)                                         | Keras 3 (here)                  |
|--------------------------------------------------|---------------------------------|
| `BasicLSTMCell(5)` + `dynamic_rnn`, zero state   | `LSTM(5, return_sequences=True)` |
| reshape to (-1, 5), `fully_connected(5, None)`, reshape back | `Dense(5)` on (1, 6, 5) |
| `sequence_loss(logits, Y, ones)`                 | mean of `sparse_categorical_crossentropy(Y, logits, from_logits=True)` |
| `tf.train.AdamOptimizer(0.1)`                    | `Adam(0.1, epsilon=1e-8)`       |

* `Dense` applies the same weights at every time step, exactly what the
  reshape / fully_connected / reshape sandwich did.
* With all weights 1, `sequence_loss` is the mean over batch and time of the
  softmax cross-entropy: the stock loss function above, averaged over all 6
  positions. It computes in the logits' dtype (float64 for `--dtype
  float64`); the class `SparseCategoricalCrossentropy(from_logits=True)`
  gives the same number but computes in float32 unless given `dtype=`, which
  Keras 3.3 does not accept.
* `LSTM` puts its gates in the order (i, f, c, o) and keeps the forget bias
  (1.0) in its bias vector (`unit_forget_bias=True`); TF1 used (i, j, f, o)
  with `forget_bias=1.0` added at run time. `compat.weights` converts
  between the two, so this model can start from v1's initial weights.
* `unroll=True`: the course's sequences are short (6 to 15 steps), and
  unrolled the LSTM is one straight graph instead of a loop, which trains
  about twice as fast on a CPU (`python -m benchmarks.train_step`). The
  numbers are the same up to float rounding.
* Keras 3's Adam defaults to epsilon 1e-7; TF1 used 1e-8. Even with 1e-8 it
  rounds its constants differently from TF1, so its losses drift from v1's
  after a few steps (`compat.optimizers.TF1Adam` matches TF1 exactly).

Run it: `python -m labs.hello_rnn.v2 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from labs.harness.spec import KerasLab  # noqa: E402
from labs.hello_rnn import data  # noqa: E402


def build_model(dtype="float32", data=data):
    """The model: one-hot letters in, logits for the next letter out."""
    x_one_hot = keras.Input(
        shape=(data.SEQUENCE_LENGTH, data.INPUT_DIM), dtype=dtype,
        name="x_one_hot")
    rnn_outputs = keras.layers.LSTM(
        data.HIDDEN_SIZE, return_sequences=True, unroll=True, dtype=dtype,
        name="lstm")(x_one_hot)
    logits = keras.layers.Dense(
        data.NUM_CLASSES, dtype=dtype, name="dense")(rnn_outputs)
    return keras.Model(x_one_hot, logits, name="hello_rnn")


def build(dtype="float32", data=data):
    """The model, its loss and optimizer, and the training data.

    `data` holds the words and hyperparameters; lab 12-1y passes its own.
    """
    return KerasLab(
        model=build_model(dtype, data),
        loss=lambda y, logits: keras.ops.mean(
            keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)),
        optimizer=keras.optimizers.Adam(
            learning_rate=data.LEARNING_RATE, epsilon=1e-8),
        learning_rate=data.LEARNING_RATE,
        x=data.x_one_hot(dtype), y=data.Y_DATA,
        layers={"x_one_hot": "x_one_hot", "rnn_outputs": "lstm",
                "logits": "dense"})


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

"""Lab 12-3, softmax only, in Keras 3.

The same model as `labs.char_seq_softmax_only.v1`: no RNN, one linear layer
on each one-hot character.

    x (1, 15) int -> CategoryEncoding(10, "one_hot") (1, 15, 10)
      -> Dense(10) -> logits (1, 15, 10)

| TF1 (v1)                                              | Keras 3 (here)         |
|-------------------------------------------------------|------------------------|
| `tf.one_hot(X, 10)`                                   | `CategoryEncoding(10, output_mode="one_hot")` |
| `matmul(reshape(X_one_hot), softmax_w) + softmax_b`   | `Dense(10)`            |
| `sequence_loss(logits, Y, ones)`                      | mean of `sparse_categorical_crossentropy(Y, logits, from_logits=True)` |
| `tf.train.AdamOptimizer(0.1)`, 3000 iterations        | `Adam(0.1, epsilon=1e-8)` |

`Dense(10)`'s kernel is `softmax_w` and its bias `softmax_b`; one difference
at initialisation: TF1's `get_variable` drew the bias from Glorot uniform
too, Keras starts it at zero. With all weights 1 the stock loss equals
`sequence_loss` (see `labs.hello_rnn.v2`). The model stalls at the same
context-free floor, ~0.277, predicting "yf you yant you" (see v1).

Run it: `python -m labs.char_seq_softmax_only.v2 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from labs.char_seq_softmax_only import data  # noqa: E402
from labs.harness.spec import KerasLab  # noqa: E402


def build_model(dtype="float32"):
    """The model: character indices in, one softmax layer's logits out."""
    x = keras.Input(shape=(data.SEQUENCE_LENGTH,), dtype="int32", name="x")
    x_one_hot = keras.layers.CategoryEncoding(
        data.NUM_CLASSES, output_mode="one_hot", dtype=dtype,
        name="x_one_hot")(x)
    logits = keras.layers.Dense(
        data.NUM_CLASSES, dtype=dtype, name="softmax")(x_one_hot)
    return keras.Model(x, logits, name="char_seq_softmax_only")


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
        layers={"x": "x", "x_one_hot": "x_one_hot", "logits": "softmax"})


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

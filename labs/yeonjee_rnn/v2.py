"""Lab 12-1y, yeonjee RNN, in Keras 3: lab 12-1's Keras model on "yeonje".

    x_one_hot (1, 6, 5) -> LSTM(5, return_sequences=True) -> Dense(5)
      -> logits (1, 6, 5); loss: mean sparse_categorical_crossentropy

This is `labs.hello_rnn.v2.build` on `labs.yeonjee_rnn.data`; the TF1 to
Keras correspondence is explained in `labs.hello_rnn.v2`.

Run it: `python -m labs.yeonjee_rnn.v2 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from labs.hello_rnn import v2 as hello_rnn  # noqa: E402
from labs.yeonjee_rnn import data  # noqa: E402


def build(dtype="float32"):
    """The model, its loss and optimizer, and the training data."""
    return hello_rnn.build(dtype, data)


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)

"""``tf.contrib.rnn``: the TF1 cells and RNN drivers the course used.

The cells are ``compat.rnn_cell``'s; ``static_rnn`` and
``static_bidirectional_rnn`` are ``tf.compat.v1.nn``'s, re-exported.
"""

import tensorflow as tf

from compat.rnn_cell import (
    BasicLSTMCell,
    BasicRNNCell,
    GRUCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    RNNCell,
)

static_rnn = tf.compat.v1.nn.static_rnn
static_bidirectional_rnn = tf.compat.v1.nn.static_bidirectional_rnn

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "RNNCell",
    "static_bidirectional_rnn",
    "static_rnn",
]
